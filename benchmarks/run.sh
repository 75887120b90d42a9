#!/usr/bin/env bash
# Runs crochet-bench against a real nginx on 127.0.0.1 serving a 1 KiB and
# a 1 MiB file, with a generated config in a temporary directory. (The
# slowhost family needs no URL: it starts its own server, crochet-bench
# --serve-slow, as a child process.)
#
# Usage: benchmarks/run.sh [--build-dir DIR] [crochet-bench options...]
#   --build-dir DIR   use (and if needed build) crochet-bench in DIR
#                     (default: build-bench, configured as a Release build)
#   anything else goes to crochet-bench: --quick, --json FILE, --only LIST ...
# CROCHET_BENCH_WRAPPER, if set, is put in front of the command, e.g.
#   CROCHET_BENCH_WRAPPER="valgrind --tool=callgrind" benchmarks/run.sh --quick --only http
#
# nginx is installed with apt-get (nginx-light) when missing; only if that is
# impossible does it fall back to python3 -m http.server, and says so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

build=$root/build-bench
if [ "${1:-}" = --build-dir ]; then
    build=$(cd "$2" 2>/dev/null && pwd || echo "$2")
    shift 2
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target crochet-bench -j "$(nproc)"
bench=$build/benchmarks/crochet-bench

work=$(mktemp -d /tmp/crochet-bench.XXXXXX)
server_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# nginx workers run as nobody when started by root: make the files readable.
chmod 755 "$work"
mkdir -p "$work/www" "$work/logs" "$work/temp"
head -c 1024 /dev/urandom >"$work/www/1k.bin"
head -c 1048576 /dev/urandom >"$work/www/1m.bin"
chmod 644 "$work/www"/*.bin
chmod 755 "$work/www"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

find_nginx() {
    command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}
nginx=$(find_nginx)
if [ -z "$nginx" ]; then
    echo "run.sh: nginx is missing; installing nginx-light with apt-get" >&2
    sudo=
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    if $sudo apt-get install -y --no-install-recommends nginx-light >&2 ||
        { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends nginx-light >&2; }; then
        nginx=$(find_nginx)
    fi
fi

if [ -n "$nginx" ]; then
    cat >"$work/nginx.conf" <<EOF
# One worker: the benchmark's own threads need the other cores.
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    default_type application/octet-stream;
    client_body_temp_path $work/temp/body;
    proxy_temp_path $work/temp/proxy;
    fastcgi_temp_path $work/temp/fastcgi;
    uwsgi_temp_path $work/temp/uwsgi;
    scgi_temp_path $work/temp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
    }
}
EOF
    # In the foreground (daemon off), so that \$! is the master's PID.
    "$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/logs/error.log" -g 'daemon off;' &
    server_pid=$!
    server="nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///')"
else
    echo "run.sh: nginx cannot be had; falling back to python3 -m http.server" \
        "(HTTP/1.0, no keep-alive: the HTTP figures are not comparable)" >&2
    python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >/dev/null 2>&1 &
    server_pid=$!
    server="python3 -m http.server"
fi

# Wait (at most 10 s) until the server accepts connections.
for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: the HTTP server did not start" >&2
        cat "$work/logs/error.log" >&2 2>/dev/null || true
        exit 1
    fi
    sleep 0.1
done

echo "HTTP server: $server on 127.0.0.1:$port (PID $server_pid)"
status=0
# shellcheck disable=SC2086 # the wrapper is a command line, split on purpose
${CROCHET_BENCH_WRAPPER:-} "$bench" --url-1k "http://127.0.0.1:$port/1k.bin" --url-1m "http://127.0.0.1:$port/1m.bin" "$@" ||
    status=$?
exit $status
