#!/usr/bin/env python3
"""Prints the BENCH_ONLY=small table (bench/run.sh): 4 KiB PUT and GET rates, their ratio to
the nginx 4 KiB GET measured in the same run, and server CPU per request, for the candidate
binary and (when given) the baseline binary, each the mean of its runs.

usage: small_summary.py <results.jsonl> <candidate binary> [<baseline binary>]
"""
import json
import sys
from collections import defaultdict

TARGETS = {"get": (0.65, 30.0), "put": (0.33, 55.0)}  # issue 16: ratio to nginx, CPU µs


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    candidate = sys.argv[2]
    baseline = sys.argv[3] if len(sys.argv) > 3 else ""
    nginx = next(r["rate"] for r in rows if r["phase"] == "nginx-get")
    runs = defaultdict(list)  # (who, op) -> [(rate, cpu µs per request, errors)]
    for r in rows:
        parts = r["phase"].split("-")
        if parts[0] != "small" or len(parts) != 4:
            continue
        _, op, who, _ = parts
        requests = max(r.get("requests", 0), 1)
        cpu_us = r.get("server_cpu_seconds", 0.0) * 1e6 / requests
        runs[(who, op)].append((r["rate"], cpu_us, r.get("errors", 0)))

    print(f"nginx 4 KiB GET: {nginx:,.0f} req/s")
    print(f"candidate: {candidate}")
    if baseline:
        print(f"baseline:  {baseline}")
    print()
    print("| binary | op | req/s (runs) | ratio to nginx GET | server CPU µs/request (runs) "
          "| errors | target met |")
    print("|---|---|---|---|---|---|---|")
    means = {}
    for who in ("baseline", "candidate"):
        for op in ("get", "put"):
            got = runs.get((who, op))
            if not got:
                continue
            rate = sum(g[0] for g in got) / len(got)
            cpu = sum(g[1] for g in got) / len(got)
            means[(who, op)] = (rate, cpu)
            ratio_target, cpu_target = TARGETS[op]
            met = rate / nginx >= ratio_target and cpu <= cpu_target
            rates = ", ".join(f"{g[0]:,.0f}" for g in got)
            cpus = ", ".join(f"{g[1]:.0f}" for g in got)
            print(f"| {who} | 4 KiB {op.upper()} | {rate:,.0f} ({rates}) | {rate / nginx:.2f} "
                  f"| {cpu:.0f} ({cpus}) | {sum(g[2] for g in got)} | {'yes' if met else 'no'} |")
    for op in ("get", "put"):
        if ("baseline", op) in means and ("candidate", op) in means:
            b, c = means[("baseline", op)], means[("candidate", op)]
            print(f"\n4 KiB {op.upper()}: candidate/baseline rate {c[0] / b[0]:.2f}, "
                  f"CPU per request {c[1] / b[1]:.2f}", end="")
    print()


if __name__ == "__main__":
    main()
