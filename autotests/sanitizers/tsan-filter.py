#!/usr/bin/env python3
"""Runs a test under ThreadSanitizer and fails on any report with a frame of ours.

Debian's Qt is not instrumented: TSan cannot see the synchronisation inside
its futex-based QMutex, QWaitCondition, QSemaphore, reference counts or event
dispatcher, so hand-offs that Qt makes (posted events, queued and blocking
invokeMethod(), QFuture results, data from Qt's own threads) are reported as
races. TSan's own suppression syntax matches a report when *any* frame
matches, which would also hide reports that involve our code. This wrapper
applies the stricter rule from STYLE.md instead: a report is ignored only
when it is one of the known kinds below, each defined by where the racing
accesses are made, never by a frame of ours. Every other report fails the
test. The ignored ones are counted and listed by kind and top frame, so
nothing disappears silently.

Ignored kinds:
  no-frame-of-ours   no frame, in any stack, is in our source tree.
  inside-qt          a data race whose every racing access is made by Qt:
                     its innermost frames are Qt's (or glib's, libc's,
                     libstdc++'s, libproxy's) libraries, or Qt's inline
                     templates that implement a cross-thread hand-off
                     (QFuture, QPromise, the result store, the slot objects
                     of queued and blocking invokeMethod() and connections),
                     whose locks and reference counts live in the
                     uninstrumented library; or an access with no frame at
                     all, made by uninstrumented code alone (a QThread's own
                     epilogue after run()). Our frames are only callers.
  qt-thread-data     a data race on memory that one of Qt's own threads
                     (the network access manager's, the host lookup pool)
                     allocated or freed with no instrumented frame on its
                     stack, while the other access is made by Qt's inline
                     code (a QByteArray's reference count or deallocation):
                     the data reached us through Qt's own queued signals.
                     When TSan lost one of the two stacks (its history was
                     overwritten), this holds only if the lost one belongs to
                     a thread Qt started for itself and runs no code of ours
                     (the network access manager's), or the other one does
                     and made its access inside Qt's libraries.
  exception-lifetime memory of an exception that libstdc++ itself creates
                     or frees: the exception object, or the message a
                     std::runtime_error keeps. An exception travels between
                     threads inside a std::exception_ptr, whose reference
                     count lives in libstdc++, and through QPromise/QFuture
                     (setException() in one thread, the reactor reading it),
                     whose hand-off lives in Qt; TSan sees neither. Our own
                     hand-off of an exception (the result state) is visible
                     to TSan and is checked on the exception_ptr itself.

Any other message of TSan's (it died, a CHECK failed) fails the test too.
The TSan options it adds are explained where they are set; the
suppressions file (tsan.supp) is used when TSAN_OPTIONS names none.

Usage: tsan-filter.py <project-source-dir> <command> [args...]
Child processes inherit the log path, so their reports are checked too.
"""
import os
import re
import subprocess
import sys
import tempfile

FRAME = re.compile(r"^\s+#\d+ ")
SANITIZER_FRAME = re.compile(r"libsanitizer|\(libtsan\.so")
# libproxy runs in Qt's "QLibProxyWrapper" thread for the system proxy lookup.
LIBRARY_FRAME = re.compile(r"\((libQt6\w*|libglib-2\.0|libgobject-2\.0|libc|libstdc\+\+|libproxy)\.so")
QT_HEADER_FRAME = re.compile(r" /usr/include/[^ ]*/qt6/")
STD_HEADER_FRAME = re.compile(r" /usr/include/c\+\+/")
# Qt's inline templates whose cross-thread synchronisation lives in the library.
QT_HANDOFF_HEADER = re.compile(
    r"/(qfutureinterface|qresultstore|qfuture|qfuture_impl|qpromise|qfuturewatcher"
    r"|qobjectdefs|qobjectdefs_impl)\.h:")
LIBSTDCXX_FRAME = re.compile(r"\(libstdc\+\+\.so")
# libstdc++ creating or freeing an exception, or the copy-on-write string in
# which a std::logic_error or std::runtime_error keeps its message
# (_Rep::_S_create: only those messages still use the old string ABI).
EXCEPTION_LIFETIME = re.compile(
    r"exception_ptr|__cxa_|~\w*(error|exception)\b|_Rep::_S_create|__cow_string", re.I)
# Threads that run only Qt's own work: the network access manager's HTTP
# thread, libproxy's lookup thread, and the HTTP threads Crochet gives the
# reactor's manager (CrochetHttp<n>, src/network/httpthreadpool.cpp), whose
# run() is QThread::exec() followed by the thread-exit release: every event
# they handle is Qt Network's. (Thread names are cut to 15 characters.)
QT_INTERNAL_THREAD_NAMES = ["QNetworkAccessM", "QLibProxyWrappe", "CrochetHttp"]
ACCESS_HEADER = re.compile(r"^\s*(Previous )?(atomic )?(read|write) of size", re.I)


class Access:
    """One racing access: the thread that made it and its frames (sanitizer frames dropped)."""

    def __init__(self, thread, frames, lost):
        self.thread = thread
        self.frames = frames
        self.lost = lost  # TSan could not restore the stack (its history was overwritten)


def accesses(report):
    """The racing accesses of a data race."""
    result = []
    for section in re.split(r"\n\s*\n", report):
        lines = section.strip("\n").splitlines()
        header = next((i for i, line in enumerate(lines) if ACCESS_HEADER.search(line)), None)
        if header is None:
            continue
        thread = re.search(r"by (main thread|thread T\d+)", lines[header])
        frames = [line for line in lines[header + 1:] if FRAME.match(line)]
        result.append(Access(thread.group(1).replace("thread ", "") if thread else None,
                             [frame for frame in frames if not SANITIZER_FRAME.search(frame)],
                             "failed to restore the stack" in section))
    return result


def qt_internal_threads(report):
    """The threads Qt started for itself and that never run code of ours.

    A thread that has finished is shown without its name; the HTTP threads
    of the reactor's manager are then known by where they were started.
    """
    named = set(re.findall(r"^\s*Thread (T\d+) '(?:%s)" % "|".join(QT_INTERNAL_THREAD_NAMES),
                           report, flags=re.M))
    for thread, creation in re.findall(r"^\s*Thread (T\d+) [^\n]*created by [^\n]*\n((?:\s+#\d+ .*\n)+)",
                                       report, flags=re.M):
        if re.search(r"^\s+#[0-3] Crochet::detail::HttpThreadPool::(route|startThread)\b", creation,
                     flags=re.M):
            named.add(thread)
    return named


def is_qt_frame(frame):
    return bool(LIBRARY_FRAME.search(frame) or QT_HEADER_FRAME.search(frame))


def innermost_qt_frames(frames):
    """The leading frames that are Qt's (or the C++ library's, which Qt's templates call)."""
    run = []
    for frame in frames:
        if not (is_qt_frame(frame) or STD_HEADER_FRAME.search(frame)):
            break
        run.append(frame)
    return run if any(is_qt_frame(frame) for frame in run) else []


def made_by_qt(frames, lost=False):
    """inside-qt: the access is made by a Qt library, or by Qt's hand-off templates.

    An access with no frame at all (and not a lost stack) was made while no
    instrumented function was running: by Qt's (or libc's) code alone, such
    as a QThread's own epilogue after run() returned.
    """
    if not frames:
        return not lost
    if LIBRARY_FRAME.search(frames[0]):
        return True
    return any(QT_HANDOFF_HEADER.search(frame) for frame in innermost_qt_frames(frames))


def only_library_frames(frames):
    return bool(frames) and all(LIBRARY_FRAME.search(frame) for frame in frames)


def ignored_kind(report, source_dir):
    """The kind of a report that is Qt's (or libstdc++'s) own, or None."""
    frames = re.findall(r"^\s+#\d+ .*$", report, flags=re.M)
    if not any(source_dir in frame for frame in frames):
        return "no-frame-of-ours"
    if "data race" not in report:
        return None
    racing = accesses(report)
    if not racing:
        return None
    if all(made_by_qt(access.frames, access.lost) for access in racing):
        return "inside-qt"
    if len(racing) == 2:
        qt_threads = qt_internal_threads(report)
        for first, second in (racing, racing[::-1]):
            in_qt_thread = first.thread in qt_threads
            first_is_qt = only_library_frames(first.frames) or (first.lost and in_qt_thread)
            second_is_qt = (innermost_qt_frames(second.frames)
                            or made_by_qt(second.frames, second.lost)
                            or (second.lost and in_qt_thread and not first.lost))
            if first_is_qt and second_is_qt:
                return "qt-thread-data"
            if (first.frames and LIBSTDCXX_FRAME.search(first.frames[0])
                    and EXCEPTION_LIFETIME.search(first.frames[0])):
                return "exception-lifetime"
    return None


def is_fatal(line):
    """A ThreadSanitizer message outside a report, but for its closing count."""
    return "ThreadSanitizer" in line and not re.search(r"ThreadSanitizer: reported \d+ warning", line)


def top_frame(report):
    summary = re.search(r"SUMMARY: ThreadSanitizer: (.*)", report)
    return summary.group(1) if summary else report.strip().splitlines()[0]


def main():
    source_dir = os.path.realpath(sys.argv[1])
    command = sys.argv[2:]

    with tempfile.TemporaryDirectory(prefix="crochet-tsan-") as log_dir:
        options = os.environ.get("TSAN_OPTIONS", "")
        if "suppressions=" not in options:
            # The same as scripts/test, for a plain ctest run.
            suppressions = os.path.join(source_dir, "autotests", "sanitizers", "tsan.supp")
            options += f" suppressions={suppressions}"
        # exitcode=0: the test's own status stands unless a report fails it
        # here. die_after_fork=0: Qt 6.4's QProcess starts children with
        # vfork semantics (a clone sharing the parent's memory), so TSan's
        # after-fork state lands in the parent, which would then die at its
        # next new thread although it never forked.
        # history_size=4 (four times the default) keeps the stacks of older
        # accesses: a report with a lost stack cannot be told Qt's or ours.
        if "history_size=" not in options:
            options += " history_size=4"
        options += f" log_path={log_dir}/report exitcode=0 halt_on_error=0 die_after_fork=0"
        env = dict(os.environ, TSAN_OPTIONS=options.strip())
        status = subprocess.call(command, env=env)

        ours, theirs, fatal = [], {}, []
        for name in sorted(os.listdir(log_dir)):
            with open(os.path.join(log_dir, name), errors="replace") as log:
                text = log.read()
            for report in re.split(r"^={10,}$", text, flags=re.M):
                if "WARNING: ThreadSanitizer" not in report:
                    # Anything else TSan says (it dies, a CHECK failed) must
                    # not pass unseen: with exitcode=0 the process exits 0.
                    fatal += [line for line in report.splitlines() if is_fatal(line)]
                    continue
                kind = ignored_kind(report, source_dir)
                if kind is None:
                    ours.append(report)
                else:
                    key = f"{kind}: {top_frame(report)}"
                    theirs[key] = theirs.get(key, 0) + 1

    for report in ours:
        sys.stderr.write(report + "\n")
    if theirs:
        total = sum(theirs.values())
        print(f"tsan-filter: ignored {total} report(s) made by Qt or libstdc++ (see the kinds in "
              f"{os.path.basename(__file__)}):")
        for key, count in sorted(theirs.items()):
            print(f"  {count} x {key}")
    for line in fatal:
        sys.stderr.write(line + "\n")
    if ours:
        print(f"tsan-filter: {len(ours)} report(s) involve our code (printed above): failing")
    if fatal:
        print("tsan-filter: ThreadSanitizer stopped the test (printed above): failing")
    if ours or fatal:
        sys.exit(1)
    sys.exit(status)


if __name__ == "__main__":
    main()
