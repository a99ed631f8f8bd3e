#!/usr/bin/env python3
"""The reports of the scripts that measure against the shared harness's C programs (stdlib only).

    vs_c_report.py latency RESULTS.jsonl LIMIT DURATION WARMUP [NAME=GC_LOG ...]   bench/latency-under-load.sh
    vs_c_report.py loadgen RESULTS.jsonl DURATION WARMUP                           bench/bench-vs-loadgen.sh

RESULTS.jsonl holds one line per run: {"kind", what ran (round, server, ...), "output": the run's JSON}.
"""
import json
import re
import statistics
import sys
from collections import defaultdict


def median_range(values, fmt):
    if not values:
        return "–"
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}–{fmt(max(values))}]"


def ratio(v):
    return f"{v:.2f}" if v >= 0.1 else f"{v:.3f}"


def lat(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def count(v):
    return f"{v:,.0f}"


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def bench_result(run):
    """The one result of a `jecho bench --json` run, or None when it produced none."""
    out = run.get("output")
    if not isinstance(out, dict) or not out.get("results"):
        return None
    return out["results"][0]


# ---------------------------------------------------------------- latency under load

PERCENTILES = [("p50", "p50"), ("p99", "p99"), ("p99.9", "p99_9")]


def gc_pauses(path):
    """(pauses, total ms, longest ms) from a -Xlog:gc,gc+phases file: the lines that report a pause."""
    pauses = []
    try:
        with open(path) as f:
            for line in f:
                m = re.search(r"\bPause\b.*?([0-9.]+)ms\s*$", line)
                if m:
                    pauses.append(float(m.group(1)))
    except OSError:
        return None
    return len(pauses), sum(pauses), max(pauses, default=0.0)


def latency(path, limit, duration, warmup, gc_logs):
    runs = read(path)
    limit = float(limit)
    maxima = [r for r in runs if r["kind"] == "max"]
    given = [r["given"] for r in maxima if "given" in r]
    measured = [r["output"]["ops_per_s"] for r in maxima if isinstance(r.get("output"), dict) and r["output"].get("ok")]
    # (pct, server) -> round -> figures
    cells = defaultdict(dict)
    rate_of = {}
    servers = []
    failed = []
    for r in runs:
        if r["kind"] != "run":
            continue
        if r["server"] not in servers:
            servers.append(r["server"])
        rate_of[r["pct"]] = r["rate"]
        res = bench_result(r)
        if res is None:
            failed.append(f"round {r['round']} {r['pct']} % {r['server']}")
            continue
        corrected = res["latency_us"]["corrected"]
        cells[(r["pct"], r["server"])][r["round"]] = {
            "rate": res["requests_per_s"], "errors": res["errors"]["total"],
            **{name: corrected[key] for name, key in PERCENTILES}}
    rounds = sorted({rnd for c in cells.values() for rnd in c})
    ref = servers[0] if servers else "c-epoll"

    print("# Latency under load: jecho against the C epoll echo server\n")
    if given:
        print(f"Maximum (given): {count(given[0])} req/s.", end=" ")
    else:
        print(f"The C server's maximum: {count(statistics.median(measured))} req/s, median of "
              f"{len(measured)} runs of `loadgen tcp-rr -c 100 -s 64` (closed loop) "
              f"[{count(min(measured))}–{count(max(measured))}].", end=" ")
    print(f"{len(rounds)} rounds; each run `jecho bench -c 100 --rate N -d {duration}s -w {warmup}s --check echo`, "
          f"the servers alternating. Latency corrected for coordinated omission (from when each request was "
          f"due); medians over the rounds; `×C` is the median of the per-round ratios to {ref} at the same "
          f"rate; a server passes a rate when all three are at most {limit}x.\n")
    print(f"| load | server | req/s | p50 | p99 | p99.9 | p50 ×C | p99 ×C | p99.9 ×C | ≤ {limit}x | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|")
    verdicts = defaultdict(list)
    behind = []
    for pct in sorted(rate_of):
        for server in servers:
            per_round = cells.get((pct, server), {})
            if not per_round:
                continue
            med = {name: statistics.median(v[name] for v in per_round.values()) for name, _ in PERCENTILES}
            achieved = statistics.median(v["rate"] for v in per_round.values())
            fell_behind = achieved < 0.97 * rate_of[pct]
            if fell_behind:
                behind.append(f"{server} at {pct} %: {count(achieved)} of {count(rate_of[pct])} req/s")
            errors = sum(v["errors"] for v in per_round.values())
            row = [f"{pct} % ({count(rate_of[pct])}/s)", server, count(achieved) + ("*" if fell_behind else "")] + [lat(med[n]) for n, _ in PERCENTILES]
            if server == ref:
                row += ["ref", "ref", "ref", "–"]
            else:
                ratios = {}
                for name, _ in PERCENTILES:
                    rs = [v[name] / cells[(pct, ref)][rnd][name] for rnd, v in per_round.items()
                          if rnd in cells.get((pct, ref), {})]
                    ratios[name] = statistics.median(rs) if rs else None
                ok = all(x is not None and x <= limit for x in ratios.values())
                verdicts[server].append((pct, ok))
                row += [ratio(ratios[n]) if ratios[n] is not None else "–" for n, _ in PERCENTILES]
                row += ["pass" if ok else "**fail**"]
            row.append(str(errors))
            print("| " + " | ".join(row) + " |")
    print()
    if behind:
        print("`*` The bench fell behind the rate it was asked for (the server or the load generator could not "
              "keep up; the latencies then mostly measure the backlog): " + "; ".join(behind) + ".\n")
    if failed:
        print("Runs without a result (see the raw results): " + "; ".join(failed) + ".\n")
    if gc_logs:
        print("Collections over the whole session (all rates, warm-ups included), from each jecho server's "
              "`-Xlog:gc,gc+phases`:\n")
        print("| server | pauses | total | longest |")
        print("|---|---:|---:|---:|")
        for entry in gc_logs:
            name, log = entry.split("=", 1)
            p = gc_pauses(log)
            if p is None:
                print(f"| {name} | no log | | |")
            else:
                print(f"| {name} | {p[0]} | {p[1]:.1f} ms | {p[2]:.2f} ms |")
        print()
    for server, vs in verdicts.items():
        met = [pct for pct, ok in vs if ok]
        missed = [pct for pct, ok in vs if not ok]
        print(f"VERDICT {server}: " + ("PASS" if not missed and not failed else "FAIL")
              + f" | within {limit}x of {ref} at " + (", ".join(f"{p} %" for p in met) or "no rate")
              + (" | not at " + ", ".join(f"{p} %" for p in missed) if missed else ""))


# ---------------------------------------------------------------- bench against loadgen

WORKLOADS = {  # name -> title, unit
    "rr100": ("rr c=100", "req/s"),
    "rr1000": ("rr c=1000", "req/s"),
    "bulk": ("bulk c=1 64 KiB", "MB/s"),
    "udp16": ("udp f=16", "rt/s"),
}


def figure(run):
    """(rate, clean) of one run: MB/s for bulk, operations per second otherwise."""
    out = run.get("output")
    bulk = run["workload"] == "bulk"
    if run["tool"] == "loadgen":
        if not isinstance(out, dict) or "ops_per_s" not in out:
            return None
        clean = out.get("ok", False) and out.get("errors", 0) == 0 and out.get("lost", 0) == 0
        return (out["mb_per_s"] if bulk else out["ops_per_s"]), clean
    res = bench_result(run)
    if res is None:
        return None
    udp = res.get("udp") or {}
    clean = res["errors"]["total"] == 0 and not udp.get("lost")
    return (res["mb_per_s"] if bulk else res["requests_per_s"]), clean


def versus_loadgen(path, duration, warmup):
    runs = [r for r in read(path) if r["kind"] == "run"]
    cells = defaultdict(dict)  # (workload, tool) -> round -> (rate, clean)
    workloads = []
    for r in runs:
        if r["workload"] not in workloads:
            workloads.append(r["workload"])
        f = figure(r)
        if f is not None:
            cells[(r["workload"], r["tool"])][r["round"]] = f
    rounds = sorted({rnd for c in cells.values() for rnd in c})

    print("# jecho bench against the C load generator\n")
    print(f"Both drive the harness's C epoll echo server, alternating run by run, {duration} s measured after "
          f"{warmup} s of warm-up each, every reply checked; `jecho bench` with its defaults (one event loop "
          f"thread, like loadgen's one thread). Requests, round trips (per second) or echoed MB/s (10^6 bytes); "
          f"`*` a run that was not clean (errors or UDP losses).\n")
    head = ["round"]
    for w in workloads:
        title = WORKLOADS.get(w, (w, ""))[0]
        head += [f"{title} loadgen", "jecho bench"]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (2 * len(workloads)))
    ratios = defaultdict(list)
    for rnd in rounds:
        row = [str(rnd)]
        for w in workloads:
            lg = cells[(w, "loadgen")].get(rnd)
            jb = cells[(w, "bench")].get(rnd)
            for f in (lg, jb):
                row.append("–" if f is None else count(f[0]) + ("" if f[1] else "*"))
            if lg and jb and lg[0] > 0:
                ratios[w].append(jb[0] / lg[0])
        print("| " + " | ".join(row) + " |")
    row = ["**bench / loadgen, median [min–max]**"]
    for w in workloads:
        rs = ratios[w]
        row += ["", "–" if not rs else f"**{ratio(statistics.median(rs))}** [{ratio(min(rs))}–{ratio(max(rs))}]"]
    print("| " + " | ".join(row) + " |")
    print()
    print("VERDICT: " + " | ".join(
        f"{w} {ratio(statistics.median(ratios[w])) if ratios[w] else '–'}" for w in workloads)
        + " (bench / loadgen, median over the rounds; the target is 0.90 or more)")


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "latency":
        latency(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    elif len(sys.argv) == 5 and sys.argv[1] == "loadgen":
        versus_loadgen(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
