#!/usr/bin/env bash
# jecho bench against the shared harness's C load generator (issue 13, target 5): both drive the harness's C
# epoll echo server, alternating run by run, on the same workloads; the report gives per round both figures and,
# per workload, the median [min–max] of the per-round ratios bench/loadgen.
#
#   HARNESS=/path/to/built/harness bench/bench-vs-loadgen.sh           5 rounds, 5 s + 2 s warm-up per run
#   HARNESS=... bench/bench-vs-loadgen.sh -r 3 -d 3 -w 1 -W rr100,udp16
#   HARNESS=... bench/bench-vs-loadgen.sh -B '--transport io_uring'      the bench on io_uring
#
# Options: -r rounds (5), -d measured seconds per run (5), -w warm-up seconds per run (2), -W workloads
# (rr100,rr1000,bulk,udp16), -B more arguments for every jecho bench run (none). What each runs (64-byte messages and every reply checked unless said):
#
#   rr100   loadgen tcp-rr -c 100 -s 64          jecho bench 127.0.0.1:PORT -c 100 -s 64
#   rr1000  loadgen tcp-rr -c 1000 -s 64         jecho bench 127.0.0.1:PORT -c 1000 -s 64
#   bulk    loadgen tcp-bulk -c 1 -s 65536       jecho bench 127.0.0.1:PORT --mode bulk -c 1 -s 65536
#   udp16   loadgen udp-rr -c 16 -s 64           jecho bench udp://127.0.0.1:PORT -c 16 -s 64
#
# The same count on both sides: requests answered (rr) and round trips (udp, one datagram in flight per
# flow, 200 ms before it counts as lost) per second, or echoed bytes per second in MB/s of 10^6 bytes
# (bulk: one connection writing 64 KiB chunks for as long as the socket takes them, reading the echo back).
# JAVA_HOME is used for jecho bench (the harness runs jecho on JDK 25); JECHO_OPTS is too, so that a
# profile of the bench can be taken (e.g. JECHO_OPTS=-XX:StartFlightRecording=filename=bench.jfr).
# Writes bench/results/vs-loadgen-<date>.jsonl (one line per run) and .md (the report, also printed).
# Needs: the built harness, a JDK 17+, Maven (bin/jecho builds the jar), python3, timeout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="bench/bench-vs-loadgen.sh"
rounds=5; duration=5; warmup=2; workloads="rr100,rr1000,bulk,udp16"; bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -W) workloads="$2"; shift 2 ;;
    -B) read -r -a bench_args <<< "$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "$script: unknown option $1 (see $script --help)" >&2; exit 2 ;;
  esac
done
for v in "$rounds" "$duration" "$warmup"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "$script: '$v' is not a positive whole number (see $script --help)" >&2; exit 2; }
done
IFS=, read -r -a wls <<< "$workloads"
for w in "${wls[@]}"; do
  case "$w" in
    rr100|rr1000|bulk|udp16) ;;
    *) echo "$script: unknown workload '$w' (rr100, rr1000, bulk, udp16)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
. "$root/bench/harness.sh"
begin_run vs-loadgen
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # rr1000: a thousand connections at each end
start_c_server

# run TOOL WORKLOAD ROUND: one measured run, its JSON line appended to the results
run() {
  local tool="$1" w="$2" r="$3" lg=() jb=()
  case "$w" in
    rr100)  lg=(tcp-rr -c 100 -s 64);      jb=("127.0.0.1:$c_port" -c 100 -s 64) ;;
    rr1000) lg=(tcp-rr -c 1000 -s 64);     jb=("127.0.0.1:$c_port" -c 1000 -s 64) ;;
    bulk)   lg=(tcp-bulk -c 1 -s 65536);   jb=("127.0.0.1:$c_port" --mode bulk -c 1 -s 65536) ;;
    udp16)  lg=(udp-rr -c 16 -s 64);       jb=("udp://127.0.0.1:$c_port" -c 16 -s 64) ;;
  esac
  echo "round $r/$rounds: $w, $tool" >&2
  if [ "$tool" = loadgen ]; then
    timeout $((duration + warmup + 60)) "$loadgen" "${lg[@]}" -p "$c_port" -d "$duration" -w "$warmup" --check echo -q \
      >"$work/run.json" 2>>"$work/loadgen.err" || true
  else
    timeout $((duration + warmup + 60)) "$jecho" bench "${jb[@]}" ${bench_args[@]+"${bench_args[@]}"} -d "${duration}s" -w "${warmup}s" --check echo --json -q \
      >"$work/run.json" 2>>"$work/bench.err" || true
  fi
  record "$raw" run "$work/run.json" round="$r" workload="$w" tool="$tool"
}

for r in $(seq 1 "$rounds"); do
  for k in "${!wls[@]}"; do
    # loadgen first in every other run, so neither always runs right after the other's load
    if [ $(((r + k) % 2)) -eq 1 ]; then
      run loadgen "${wls[$k]}" "$r"; run bench "${wls[$k]}" "$r"
    else
      run bench "${wls[$k]}" "$r"; run loadgen "${wls[$k]}" "$r"
    fi
  done
done
stop_all

{ [ ${#bench_args[@]} -eq 0 ] || printf 'jecho bench with: %s\n\n' "${bench_args[*]}"; python3 "$root/bench/vs_c_report.py" loadgen "$raw" "$duration" "$warmup"; } | tee "$report"
echo "report: $report (raw results: $raw)" >&2
