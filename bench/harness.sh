# shellcheck shell=bash
# Sourced by the scripts that measure against the shared harness's C programs (bench/latency-under-load.sh,
# bench/bench-vs-loadgen.sh): where the built harness is, its C echo server and load generator, jecho servers
# on free loopback ports, and stopping everything started here. The harness itself is not part of jecho: build
# it as its README says and give its directory in HARNESS.
#
# Needs from the caller: $script (its name, for error lines), $root (the checkout), $work (a scratch directory).

die() { echo "$script: $*" >&2; exit 1; }

[ -n "${HARNESS:-}" ] || die "HARNESS is not set (HARNESS=/path/to/the/built/bench/harness $script ...)"
loadgen="$HARNESS/loadgen/loadgen"
c_server="$HARNESS/peers/c-epoll/c_epoll_echo"
[ -x "$loadgen" ] && [ -x "$c_server" ] \
  || die "no loadgen/loadgen and peers/c-epoll/c_epoll_echo in HARNESS=$HARNESS (build it there first: ./build.sh)"
command -v python3 >/dev/null || die "python3 is needed for the report"
command -v timeout >/dev/null || die "timeout (coreutils) is needed: every run is bounded by it"

jecho="$root/bin/jecho"
started=()

stop_all() {
  local p
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
  started=()
}

# begin_run NAME: stops everything started here and removes $work on exit; builds the jar before anything
# is timed; sets raw and report, the run's files bench/results/NAME-<date>.jsonl and .md.
begin_run() {
  trap 'stop_all; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
  "$jecho" --version >/dev/null
  local stamp
  stamp="$(date -u +%Y%m%d-%H%M%S)"
  mkdir -p "$root/bench/results"
  raw="$root/bench/results/$1-$stamp.jsonl"
  report="$root/bench/results/$1-$stamp.md"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_c_server: the C epoll echo server (TCP and UDP) on a free port, answering; sets c_port.
start_c_server() {
  c_port="$(free_port)"
  "$c_server" --port "$c_port" >"$work/c-epoll.log" 2>&1 &
  started+=($!)
  timeout 20 "$loadgen" probe -p "$c_port" --probe-timeout 15 -q >/dev/null 2>&1 \
    || die "the C echo server did not answer on port $c_port (see its output: $(tail -1 "$work/c-epoll.log"))"
}

# start_jecho_server NAME JVM-OPTIONS: `jecho server --service echo --limit-exempt 127.0.0.0/8` on a free port,
# with JVM-OPTIONS in JECHO_OPTS (a collector other than the default serial one needs -XX:-UseSerialGC
# beside it: added here) and its GC log in $work/NAME.gc.log; sets jecho_port.
start_jecho_server() {
  local name="$1" opts="$2"
  if [[ " $opts " =~ -XX:\+Use(G1|Parallel|Z|Shenandoah|Epsilon)GC ]]; then opts="-XX:-UseSerialGC $opts"; fi
  JECHO_OPTS="$opts -Xlog:gc,gc+phases:file=$work/$name.gc.log" \
    "$jecho" server --tcp 127.0.0.1:0 --service echo --limit-exempt 127.0.0.0/8 >"$work/$name.out" 2>"$work/$name.err" &
  started+=($!)
  local pid=$!
  for _ in $(seq 1 300); do
    grep -q '^listening on tcp://' "$work/$name.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  jecho_port="$(sed -n 's/^listening on tcp:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/$name.out" | head -1)"
  [ -n "$jecho_port" ] || die "the jecho server $name did not start (JECHO_OPTS=$opts): $(grep -v '^\[' "$work/$name.err" | tail -1)"
}

# record RESULTS KIND FILE key=value...: appends one line to RESULTS: KIND, the key=values (what ran), and the
# JSON document FILE holds (a run's output), or a failure when it holds none.
record() {
  python3 - "$@" <<'PY'
import json, sys
out, kind, path, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
line = {"kind": kind}
for kv in extra:
    k, v = kv.split("=", 1)
    line[k] = int(v) if v.isdigit() else v
try:
    with open(path) as f:
        line["output"] = json.loads(f.read())
except (OSError, ValueError) as e:
    line["output"] = None
    line["failure"] = f"no JSON output ({e})"
with open(out, "a") as f:
    f.write(json.dumps(line, separators=(",", ":")) + "\n")
PY
}
