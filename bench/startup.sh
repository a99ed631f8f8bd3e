#!/usr/bin/env bash
# How fast jecho's short commands answer (issue 11), measured with hyperfine: for each, one hyperfine run
# with the jechos compared and a yardstick beside them, so that their ratios come from the same minutes.
#
#   version   jecho --version                                     beside a JVM hello world (Temurin 25, CDS)
#   client    jecho client 127.0.0.1:PORT -m hi (server running)  beside printf hi | nc -N
#   server    jecho server, exec to its "listening on" line       beside the probe around a shell echo
#   repl      jecho client on a terminal, exec to the ">>> "     beside the probe around a shell printf
#
#   bench/startup.sh                      the installed jecho (the package's) and this checkout's bin/jecho
#   bench/startup.sh --before DIR         and DIR/bin/jecho (an older checkout: git worktree add DIR COMMIT)
#   bench/startup.sh --runs 20            more runs (default 10, in 5 rounds, a warm-up run per round)
#
# Prints the tables (median, mean ± σ, min, max of wall time, in seconds) and writes them, with the load
# average before and after, to bench/results/startup-<date>.md. The machine's load changes the numbers a
# lot: run it on an idle machine, and say what the load was. Needs hyperfine, nc (netcat-openbsd), cc, python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=10
before=
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench/startup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in hyperfine nc cc python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/startup.sh: $tool is missing (apt-get install hyperfine netcat-openbsd gcc python3)" >&2; exit 1; }
done

# The jechos: name=command
jechos=()
if command -v jecho >/dev/null 2>&1; then jechos+=("installed=$(command -v jecho)"); fi
jechos+=("checkout=$root/bin/jecho")
[ -n "$before" ] && jechos+=("before=$before/bin/jecho")
for entry in "${jechos[@]}"; do
  "${entry#*=}" --version >/dev/null # builds the jar and trains the start-up archives where needed, before timing
done

work="$(mktemp -d)"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A JVM hello world: the floor of any Java command.
java25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
[ -x "$java25" ] || java25="$(command -v java)"
javac25="$(dirname "$java25")/javac"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/Hello.java"
"$javac25" -d "$work" "$work/Hello.java"

# The probe for exec-to-ready (server, REPL), in C so that its own start (about a millisecond) hardly counts.
probe="$work/startup_probe"
cc -O2 -o "$probe" "$root/bench/startup_probe.c" -lutil

# The server the client commands talk to: the first jecho's, on a port the kernel picks.
"${jechos[0]#*=}" server --tcp 127.0.0.1:0 --no-connection-log >"$work/banner" 2>/dev/null &
server_pid=$!
for _ in $(seq 300); do grep -q '^listening on tcp://' "$work/banner" && break; sleep 0.1; done
port="$(sed -n 's/^listening on tcp:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/banner")"
[ -n "$port" ] || { echo "bench/startup.sh: the server did not start" >&2; exit 1; }

# hyperfine runs each command's runs one after the other, and this machine's speed drifts from one minute to
# the next (a JVM hello world: 0.087 s in one minute, 0.136 s twenty minutes later). So each table is measured in
# rounds: one hyperfine run per round with a share of the runs for every command, their order reversed every
# other round, the runs of all rounds pooled into the figures.
rounds=5
tables=()
measure() { # measure TABLE "name=command"...
  local table="$1"
  shift
  local entries=("$@") round per_round=$(((runs + rounds - 1) / rounds))
  for round in $(seq "$rounds"); do
    local args=() ordered=("${entries[@]}")
    if [ $((round % 2)) -eq 0 ]; then
      ordered=()
      for ((i = ${#entries[@]} - 1; i >= 0; i--)); do ordered+=("${entries[$i]}"); done
    fi
    for entry in "${ordered[@]}"; do args+=(--command-name "${entry%%=*}" "${entry#*=}"); done
    hyperfine -N --warmup 1 --runs "$per_round" --style basic --export-json "$work/$table.$round.json" "${args[@]}" >&2
  done
  tables+=("$table")
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
each() { # each FORMAT: "name=FORMAT" for every jecho, %s the jecho's command
  for entry in "${jechos[@]}"; do printf '%s=%s\n' "${entry%%=*}" "$(printf "$1" "${entry#*=}")"; done
}
mapfile -t version < <(each '%s --version')
measure version "JVM hello world=$java25 -Xshare:auto -cp $work Hello" "${version[@]}"
mapfile -t client < <(each "%s client 127.0.0.1:$port -m hi")
measure client "nc=sh -c 'printf hi | nc -N 127.0.0.1 $port'" "${client[@]}"
mapfile -t server < <(each "$probe listen %s server --tcp 127.0.0.1:0 --no-connection-log")
measure server "probe alone=$probe listen sh -c 'echo listening on; sleep 30'" "${server[@]}"
mapfile -t repl < <(each "$probe prompt %s client 127.0.0.1:$port")
measure repl "probe alone=$probe prompt sh -c 'printf \">>> \"; sleep 30'" "${repl[@]}"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$root/bench/results"
report="$root/bench/results/startup-$(date -u +%Y%m%d-%H%M%S).md"
python3 - "$work" "$rounds" "$load_before" "$load_after" "${tables[@]}" > "$report" <<'EOF'
import json, sys
work, rounds, load_before, load_after, tables = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
titles = {
    "version": "`jecho --version`",
    "client": "`jecho client 127.0.0.1:PORT -m hi`, server running",
    "server": "`jecho server`: exec to `listening on`",
    "repl": "`jecho client` on a terminal: exec to the first `>>> `",
}
import glob, statistics
print(f"Runs in {rounds} rounds of hyperfine, the commands' order reversed every other round, a warm-up run per round;"
      f" load average before {load_before}, after {load_after}.\n")
for table in tables:
    times = {}  # command -> wall times of every round, in the order the commands first appear
    for round_file in sorted(glob.glob(f"{work}/{table}.*.json")):
        with open(round_file) as f:
            for r in json.load(f)["results"]:
                times.setdefault(r["command"], []).extend(r["times"])
    print(f"{titles[table]}\n")
    print("| command | runs | median [s] | mean ± σ [s] | min [s] | max [s] |")
    print("|:---|---:|---:|---:|---:|---:|")
    for command, t in times.items():
        print(f"| {command} | {len(t)} | {statistics.median(t):.3f} | {statistics.mean(t):.3f} ± {statistics.stdev(t):.3f}"
              f" | {min(t):.3f} | {max(t):.3f} |")
    print()
EOF
cat "$report"
echo "(written to $report)" >&2
