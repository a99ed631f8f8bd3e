#!/usr/bin/env bash
# jecho's own benchmark: jecho's transports and modes side by side, and socat (if installed) as the
# everyday peer, all driven by `jecho bench` on loopback. Interleaved rounds; the report gives, per
# workload, the median of each entry over the rounds and its ratio to plain TCP in the same round.
#
#   bench/run.sh                 3 rounds, 5 s measured + 3 s warm-up per run (about 12 minutes)
#   bench/run.sh -r 5 -d 10      more rounds, longer runs
#   bench/run.sh -w rr1,rr100    only some workloads (rr1 rr100 bulk connect16)
#
# Writes bench/results/run-<date>.md (and the raw jecho bench JSON next to it) and prints the report.
# Needs: a JDK 17+, Maven (bin/jecho builds the jar), python3; socat is optional (apt-get install socat).
# For the ratio to a C epoll server and to a minimal Netty server, see docs/benchmarks.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jecho="$root/bin/jecho"
rounds=3; duration=5; warmup=3; workloads="rr1,rr100,bulk,connect16"
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -W) warmup="$2"; shift 2 ;;
    -w) workloads="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed for the report" >&2; exit 1; }

stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$root/bench/results"; mkdir -p "$out"
raw="$out/run-$stamp"; mkdir -p "$raw"
work="$(mktemp -d)"
pids=()
cleanup() {
  # socat forks a child per peer, which would outlive its parent (and hold our stdout open)
  for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$jecho" --version >/dev/null    # builds the jar once, before anything is timed
"$jecho" keygen "$work/bench.key" >/dev/null

# start NAME ARGS...: a jecho server on free loopback ports; its "listening on" lines go to $work/NAME.out
start() {
  local name="$1"; shift
  "$jecho" server --limit-exempt 127.0.0.0/8 --no-connection-log -q --service echo "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "^listening on" "$work/$name.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench/run.sh: the $name server did not start:" >&2; cat "$work/$name.err" >&2; exit 1
}
url() { grep "^listening on $2" "$work/$1.out" | head -1 | sed 's/^listening on //'; }

start plain --tcp 127.0.0.1:0 --udp 127.0.0.1:0 --unix "$work/jecho.sock"
start tls --tcp 127.0.0.1:0 --tls
start json --tcp 127.0.0.1:0 --json
start auth --tcp 127.0.0.1:0 --secret-file "$work/bench.key"
start authjson --tcp 127.0.0.1:0 --json --secret-file "$work/bench.key"
start tlsauth --tcp 127.0.0.1:0 --json --secret-file "$work/bench.key" --tls
TCP="$(url plain tcp://)"; UNIX="$(url plain unix:)"; UDP="$(url plain udp://)"
TLS="$(url tls tcp://)"; JSONU="$(url json tcp://)"; AUTH="$(url auth tcp://)"; AUTHJSON="$(url authjson tcp://)"; TLSAUTH="$(url tlsauth tcp://)"

socat_tcp=""; socat_udp=""
if command -v socat >/dev/null; then
  p1="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  socat TCP-LISTEN:"$p1",bind=127.0.0.1,reuseaddr,fork,backlog=1024 PIPE 2>/dev/null & pids+=($!)
  socat UDP-LISTEN:"$p1",bind=127.0.0.1,reuseaddr,fork PIPE 2>/dev/null & pids+=($!)
  socat_tcp="tcp://127.0.0.1:$p1"; socat_udp="udp://127.0.0.1:$p1"
  sleep 0.5
fi

plain=(--check echo -d "${duration}s" -w "${warmup}s" -q --json)
# jecho's entries name their sessions (tls, +auth): the unchecked self-signed certificate and the key go
# only with those (the bench refuses a key that no entry uses; socat, a plain echo, gets neither).
entries_rr="tcp=$TCP,unix=$UNIX,udp=$UDP,tls=$TLS,tcp+json=$JSONU,tcp+auth=$AUTH,tcp+auth+json=$AUTHJSON,tls+auth+json=$TLSAUTH"
entries_bulk="tcp=$TCP,unix=$UNIX,tls=$TLS"
entries_connect="tcp=$TCP,unix=$UNIX,tls=$TLS,tcp+auth=$AUTH,tcp+auth+json=$AUTHJSON,tls+auth+json=$TLSAUTH"

run() { # run WORKLOAD ROUND PART ARGS... -> raw/WORKLOAD-rROUND-PART.json
  local w="$1" r="$2" part="$3"; shift 3
  local extra=()
  if [ "$part" = jecho ]; then
    [[ "$entries" == *tls* ]] && extra+=(--insecure)
    [[ "$entries" == *+auth* ]] && extra+=(--secret-file "$work/bench.key")
  fi
  "$jecho" bench "$@" "${plain[@]}" "${extra[@]}" >"$raw/$w-r$r-$part.json" 2>>"$raw/stderr.txt" || true
}

IFS=, read -r -a wls <<< "$workloads"
for r in $(seq 1 "$rounds"); do
  for w in "${wls[@]}"; do
    echo "round $r/$rounds: $w" >&2
    case "$w" in
      rr1)       args=(-c 1) ; entries="$entries_rr" ;;
      rr100)     args=(-c 100) ; entries="$entries_rr" ;;
      bulk)      args=(--mode bulk --size 65536 -c 1) ; entries="$entries_bulk" ;;
      connect16) args=(--mode connect -c 16) ; entries="$entries_connect" ;;
      *) echo "bench/run.sh: unknown workload $w" >&2; exit 2 ;;
    esac
    # socat first in odd rounds, last in even ones: no entry always runs in the same slot
    if [ -n "$socat_tcp" ] && [ $((r % 2)) -eq 1 ]; then run "$w" "$r" socat "${args[@]}" "$socat_tcp"; fi
    run "$w" "$r" jecho "${args[@]}" --compare "$entries"
    if [ -n "$socat_tcp" ] && [ $((r % 2)) -eq 0 ]; then run "$w" "$r" socat "${args[@]}" "$socat_tcp"; fi
    if [ -n "$socat_udp" ] && [[ "$w" == rr* ]]; then run "$w" "$r" socat-udp "${args[@]}" "$socat_udp"; fi
  done
done

python3 "$root/bench/report.py" "$raw" "$rounds" "$duration" "$warmup" | tee "$out/run-$stamp.md"
echo "report: bench/results/run-$stamp.md (raw results: bench/results/run-$stamp/)" >&2
