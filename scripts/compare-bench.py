#!/usr/bin/env python3
"""Runs two builds of smartleague-bench one after the other on this machine and prints their
timings side by side, each against the health route of its own run, so that a refactor can show
it changed no figure. Machines here are shared and noisy: the benches alternate (old, new, old,
new …) and the better of each build's runs counts.

    scripts/compare-bench.py OLD/.build/release/smartleague-bench .build/release/smartleague-bench \
        [--runs 2] [tree members lifecycle volunteers study]

Environment variables (BENCH_MEMBERS …) pass through to both.
"""
import argparse
import re
import subprocess
import sys

ROW = re.compile(r"^(?P<name>\S.*?)\s+(?P<p50>\d+\.\d+)\s+(?P<p95>\d+\.\d+)(\s+[\d.]+×)?\s*$")


def run(binary, bench):
    out = subprocess.run([binary, bench], capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        sys.exit(f"{binary} {bench} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    rows = {}
    for line in out.stdout.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["name"].strip()] = (float(match["p50"]), float(match["p95"]))
    return rows, out.stdout


def best(runs):
    merged = {}
    for rows in runs:
        for name, (p50, p95) in rows.items():
            old = merged.get(name)
            merged[name] = (p50, p95) if old is None else (min(old[0], p50), min(old[1], p95))
    return merged


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("benches", nargs="*", default=["tree", "members", "lifecycle", "volunteers"])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_intermixed_args()
    for bench in args.benches:
        old_runs, new_runs, rates = [], [], []
        for index in range(args.runs):
            for label, binary, runs in (("before", args.old, old_runs), ("after", args.new, new_runs)):
                rows, output = run(binary, bench)
                runs.append(rows)
                # Load figures (requests/s beside the bare route) are printed as the bench wrote them.
                rates += [f"  {label} #{index + 1}: {line.strip()}" for line in output.splitlines() if "requests/s" in line]
        old, new = best(old_runs), best(new_runs)
        health_old = next((v[1] for k, v in old.items() if k.startswith("health")), None)
        health_new = next((v[1] for k, v in new.items() if k.startswith("health")), None)
        print(f"\n== {bench} (best of {args.runs} runs each; p95 in ms, and in health-route p95s of the same run)")
        print(f"{'page':44} {'before':>8} {'after':>8} {'after/before':>12} {'before×h':>9} {'after×h':>9}")
        for name in old:
            if name not in new:
                continue
            b, a = old[name][1], new[name][1]
            ratio = a / b if b > 0 else float("nan")
            bh = f"{b / health_old:9.0f}" if health_old else " " * 9
            ah = f"{a / health_new:9.0f}" if health_new else " " * 9
            print(f"{name[:44]:44} {b:8.2f} {a:8.2f} {ratio:12.2f} {bh} {ah}")
        if rates:
            print("under load:")
            print("\n".join(rates))


if __name__ == "__main__":
    main()
