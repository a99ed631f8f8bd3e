#!/usr/bin/env python3
"""Turns bench/run.sh's raw `jecho bench --json` documents into one Markdown report (stdlib only).

    report.py RAW_DIR ROUNDS DURATION WARMUP
"""
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from collections import defaultdict

raw, rounds, duration, warmup = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
WORKLOADS = {
    "rr1": ("request/response, 1 connection, 64 B", "req/s"),
    "rr100": ("request/response, 100 connections, 64 B", "req/s"),
    "bulk": ("bulk stream, 1 connection, 64 KiB writes", "MB/s"),
    "connect16": ("a new connection per request, 16 at a time", "conn/s"),
}

# (workload, label) -> round -> result
results = defaultdict(dict)
jecho_version = "?"
for path in sorted(glob.glob(os.path.join(raw, "*.json"))):
    m = re.match(r"(.+)-r(\d+)-(.+)\.json$", os.path.basename(path))
    if not m:
        continue
    workload, rnd, part = m.group(1), int(m.group(2)), m.group(3)
    try:
        with open(path) as f:
            doc = json.load(f)
    except (ValueError, OSError):
        continue
    jecho_version = doc.get("jecho_version", jecho_version)
    for res in doc.get("results", []):
        label = res["label"] if part == "jecho" else ("socat udp" if part == "socat-udp" else "socat tcp")
        results[(workload, label)][rnd] = res


def figure(workload, res):
    return res["mb_per_s"] if workload == "bulk" else res["requests_per_s"]


def fmt(v, unit):
    if unit == "MB/s":
        return f"{v:.0f}"
    return f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"


def lat(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip() or \
               subprocess.run(cmd, capture_output=True, text=True, shell=True).stderr.strip()
    except OSError:
        return "?"


java = sh("java -version 2>&1 | head -1") if not os.environ.get("JAVA_HOME") else \
    sh(f"'{os.environ['JAVA_HOME']}/bin/java' -version 2>&1 | head -1")
print(f"# jecho bench/run.sh: {os.path.basename(raw)}\n")
print(f"jecho {jecho_version}; {java}; {os.cpu_count()} CPUs, kernel {platform.release()}; "
      f"{rounds} rounds, each run {duration} s measured after {warmup} s warm-up, every reply checked.")
print("One `jecho server` per mode, each with `--service echo --limit-exempt 127.0.0.0/8 --no-connection-log`;"
      " client and servers share the machine's CPUs. Median over the rounds; `×tcp` is the median of the"
      " per-round ratios to plain TCP in the same round; `errors` sums every round.\n")

for workload, (title, unit) in WORKLOADS.items():
    labels = [lab for (w, lab) in results if w == workload]
    if not labels:
        continue
    order = ["tcp", "unix", "udp", "tls", "tcp+json", "tcp+auth", "tcp+auth+json", "tls+auth+json", "socat tcp", "socat udp"]
    labels.sort(key=lambda l: order.index(l) if l in order else len(order))
    print(f"## {workload}: {title}\n")
    print(f"| entry | {unit} | ×tcp | p50 | p99 | errors | rounds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    tcp = results.get((workload, "tcp"), {})
    for label in labels:
        per_round = results[(workload, label)]
        values = [figure(workload, r) for r in per_round.values()]
        ratios = [figure(workload, r) / figure(workload, tcp[k]) for k, r in per_round.items()
                  if k in tcp and figure(workload, tcp[k]) > 0]
        med_round = sorted(per_round.values(), key=lambda r: figure(workload, r))[len(per_round) // 2]
        lu = (med_round.get("latency_us") or {}).get("uncorrected") or {}
        errors = sum(r["errors"]["total"] for r in per_round.values())
        ratio = f"{statistics.median(ratios):.2f}" if ratios else "–"
        p50 = lat(lu["p50"]) if "p50" in lu else "–"
        p99 = lat(lu["p99"]) if "p99" in lu else "–"
        print(f"| {label} | {fmt(statistics.median(values), unit)} | {ratio} | {p50} | {p99} | {errors} | {len(per_round)} |")
    print()
