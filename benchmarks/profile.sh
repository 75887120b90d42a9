#!/usr/bin/env bash
# Instruction counts of one crochet-bench family under callgrind: unlike
# timings they are reproducible on a loaded machine, so they show what an
# optimisation bought. Prints the total of every thread and the hottest
# functions (inclusive) of Crochet's reactor thread; divide by the number of
# operations the family ran (doc/performance.md lists them for --quick).
#
# Usage: benchmarks/profile.sh FAMILY [--build-dir DIR] [crochet-bench options...]
#   FAMILY: roundtrip, pipelined, memory, scaling, http, slowhost or ping
# The callgrind files are kept in a temporary directory whose name is printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -lt 1 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
family=$1
shift
build_args=()
if [ "${1:-}" = --build-dir ]; then
    build_args=(--build-dir "$2")
    shift 2
fi
command -v valgrind >/dev/null || {
    echo "profile.sh: valgrind is missing (apt-get install valgrind)" >&2
    exit 1
}

out=$(mktemp -d /tmp/crochet-profile.XXXXXX)
CROCHET_BENCH_WRAPPER="valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=$out/callgrind.%p" \
    "$root/benchmarks/run.sh" "${build_args[@]}" --quick --only "$family" "$@" >"$out/bench.txt" 2>&1 || {
    cat "$out/bench.txt" >&2
    exit 1
}

echo "Callgrind files: $out"
echo "Instructions per thread (Ir):"
reactor=
for file in "$out"/callgrind.*-*; do
    total=$(sed -n 's/^summary: //p' "$file")
    name=thread
    if grep -q 'ReactorThread::run' "$file"; then
        name="reactor thread"
        reactor=$file
    fi
    printf '  %-40s %15s  %s\n' "$(basename "$file")" "$total" "$name"
done
if [ -n "$reactor" ]; then
    echo
    echo "Reactor thread, hottest functions (inclusive Ir):"
    callgrind_annotate --inclusive=yes "$reactor" 2>/dev/null |
        grep -E '^ *[0-9,]+ ' | sed -n '1,40p' | cut -c1-180
fi
