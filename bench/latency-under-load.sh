#!/usr/bin/env bash
# Latency under load (issue 13, target 3): jecho's server against the harness's C epoll echo server at 25, 50
# and 75 % of the C server's rr100 maximum, open loop (`jecho bench --rate`, latency measured from when each
# request was due, so corrected for coordinated omission), the servers alternating run by run.
#
#   HARNESS=/path/to/built/harness bench/latency-under-load.sh             3 rounds, 10 s + 3 s warm-up per run
#   HARNESS=... bench/latency-under-load.sh -r 5 -d 20 -w 5                more rounds, longer runs
#   HARNESS=... bench/latency-under-load.sh --variant zgc=-XX:+UseZGC --variant 'heap1g=-Xms1g -Xmx1g'
#   HARNESS=... bench/latency-under-load.sh --max 170000                   skip measuring the maximum
#
# Options: -r rounds (3); -d measured seconds per run (10); -w warm-up seconds per run (3); --rates percents
# of the maximum (25,50,75); -c connections (100); --max REQ/S the maximum (default: measured); --max-runs N
# loadgen runs of 5 s, the maximum is their median (3); --limit RATIO the pass line for jecho/C (1.2);
# --server-warmup S seconds of unrecorded closed-loop load on each server before the first run, so that
# no server is measured before the JIT has compiled its paths (5); --variant NAME=JVM-OPTIONS another jecho
# server beside the default one, with those options in its JECHO_OPTS (repeatable; -XX:-UseSerialGC is
# added when they pick another collector).
#
# The maximum is measured with the harness's C load generator (`loadgen tcp-rr -c 100 -s 64`, closed loop)
# against the C server. Every run is `jecho bench 127.0.0.1:PORT -c 100 --rate N -d D -w W --check echo --json`
# on the same CPUs as the servers, identical for each server. Each jecho server logs its collections
# (-Xlog:gc,gc+phases, to a file) and the report counts its pauses. JECHO_OPTS from the environment is not
# used (the variants are the way to give JVM options); JAVA_HOME is (the harness runs jecho on JDK 25).
# Writes bench/results/latency-<date>.jsonl (one line per run: the bench's JSON document and what ran) and
# .md (the report, also printed). Needs: the built harness, a JDK 17+, Maven (bin/jecho builds the jar),
# python3, timeout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="bench/latency-under-load.sh"
rounds=3; duration=10; warmup=3; rates="25,50,75"; conns=100; max=""; max_runs=3; limit=1.2; server_warmup=5
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -c) conns="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --max) max="$2"; shift 2 ;;
    --max-runs) max_runs="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --server-warmup) server_warmup="$2"; shift 2 ;;
    --variant)
      [[ "$2" =~ ^[A-Za-z0-9_.-]+=.+ ]] || { echo "$script: --variant takes NAME=JVM-OPTIONS, not '$2'" >&2; exit 2; }
      variants+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "$script: unknown option $1 (see $script --help)" >&2; exit 2 ;;
  esac
done
for v in "$rounds" "$duration" "$warmup" "$conns" "$max_runs" "$server_warmup" ${max:+"$max"}; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "$script: '$v' is not a positive whole number (see $script --help)" >&2; exit 2; }
done
[[ "$rates" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "$script: --rates takes percents like 25,50,75, not '$rates'" >&2; exit 2; }
unset JECHO_OPTS

work="$(mktemp -d)"
. "$root/bench/harness.sh"
begin_run latency

start_c_server
servers=("c-epoll"); ports=("$c_port")
start_jecho_server jecho ""
servers+=("jecho"); ports+=("$jecho_port")
for v in "${variants[@]}"; do
  start_jecho_server "${v%%=*}" "${v#*=}"
  servers+=("${v%%=*}"); ports+=("$jecho_port")
done

if [ -z "$max" ]; then
  echo "the C server's rr$conns maximum: $max_runs loadgen runs of 5 s" >&2
  for i in $(seq 1 "$max_runs"); do
    timeout 40 "$loadgen" tcp-rr -c "$conns" -s 64 -p "$c_port" -d 5 -w 1 --check echo -q >"$work/max.json" || true
    record "$raw" max "$work/max.json" run="$i"
  done
  max="$(python3 - "$raw" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
rates = [r["output"]["ops_per_s"] for r in runs if r["kind"] == "max" and r["output"] and r["output"].get("ok")]
print(round(statistics.median(rates)) if rates else "")
EOF
)"
  [ -n "$max" ] || die "loadgen could not measure the C server's maximum (raw results: $raw)"
else
  echo "{\"kind\":\"max\",\"given\":$max}" >>"$raw"
fi
echo "maximum: $max req/s" >&2

for i in "${!servers[@]}"; do
  echo "warming up ${servers[$i]}: ${server_warmup} s, not recorded" >&2
  timeout $((server_warmup + 60)) "$jecho" bench "127.0.0.1:${ports[$i]}" -c "$conns" -d "${server_warmup}s" -w 0 \
    --check echo -q >/dev/null 2>>"$work/bench.err" || die "the warm-up of ${servers[$i]} failed: $(tail -1 "$work/bench.err")"
done

IFS=, read -r -a pcts <<< "$rates"
n=${#servers[@]}
for r in $(seq 1 "$rounds"); do
  for k in "${!pcts[@]}"; do
    pct="${pcts[$k]}"
    rate=$((max * pct / 100))
    # the order turns over from one run to the next, so no server always runs first (or right after another)
    for j in $(seq 0 $((n - 1))); do
      if [ $(((r + k) % 2)) -eq 1 ]; then i=$j; else i=$((n - 1 - j)); fi
      echo "round $r/$rounds: $pct % ($rate req/s) on ${servers[$i]}" >&2
      timeout $((duration + warmup + 60)) "$jecho" bench "127.0.0.1:${ports[$i]}" -c "$conns" --rate "$rate" \
        -d "${duration}s" -w "${warmup}s" --check echo --json -q >"$work/run.json" 2>>"$work/bench.err" || true
      record "$raw" run "$work/run.json" round="$r" pct="$pct" rate="$rate" server="${servers[$i]}"
    done
  done
done
stop_all   # the servers' GC logs are complete once they are gone

gc_logs=()
for s in "${servers[@]:1}"; do gc_logs+=("$s=$work/$s.gc.log"); done
python3 "$root/bench/vs_c_report.py" latency "$raw" "$limit" "$duration" "$warmup" "${gc_logs[@]}" | tee "$report"
echo "report: $report (raw results: $raw)" >&2
