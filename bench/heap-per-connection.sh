#!/usr/bin/env bash
# Live Java heap per idle connection: the server's heap after a full collection (jcmd's class histogram),
# before and while `jecho bench --mode hold` holds N connections. RSS is printed beside it, but the JVM's
# resident memory moves by megabytes on its own (heap resizing, the JIT, native-heap trimming), so the
# live heap is the figure to trust. See docs/benchmarks.md.
#
#   bench/heap-per-connection.sh            10,000 connections
#   bench/heap-per-connection.sh 19000      (the server gets --max-connections 19900; 20,000 open files here)
#
# Needs: a JDK 17+ with jcmd (JAVA_HOME or on the PATH), Maven for the first build, ss (iproute2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10000}"
jcmd="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
"$root/bin/jecho" --version >/dev/null
out="$(mktemp)"
"$root/bin/jecho" server --tcp 127.0.0.1:0 --service echo --limit-exempt 127.0.0.0/8 --max-connections 19900 \
  --no-connection-log -q >"$out" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do grep -q "^listening on" "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$out" | head -1)"
port="${url##*:}"
pid="$(ss -ltnpH "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
live() { "$jcmd" "$pid" GC.class_histogram | awk '/^Total/ {print $3}'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

"$root/bin/jecho" bench "$url" --mode hold -c 200 -d 2s -q >/dev/null   # warm the accept path
before="$(live)"; rss_before="$(rss)"
"$root/bin/jecho" bench "$url" --mode hold -c "$n" -d 30s -q >/dev/null &
holder=$!
held=0
for _ in $(seq 1 120); do
  held="$(ss -tnH state established "sport = :$port" | wc -l)"
  [ "$held" -ge "$n" ] && break
  sleep 0.5
done
sleep 2
during="$(live)"; rss_during="$(rss)"
wait "$holder" && alive="all alive at the end" || alive="NOT all alive (see jecho bench's summary)"
python3 - "$n" "$held" "$before" "$during" "$rss_before" "$rss_during" "$alive" <<'PY'
import sys
n, held, before, during, rb, rd = map(int, sys.argv[1:7])
print(f"{held} of {n} connections held, {sys.argv[7]}")
print(f"live heap: {before:,} -> {during:,} bytes = {(during - before) / n:,.0f} bytes per connection")
print(f"RSS:       {rb:,} -> {rd:,} kB = {(rd - rb) / n:.2f} kB per connection (moves on its own; not the figure to trust)")
PY
