#!/usr/bin/python3
"""The activity pipeline's benchmark (issue 13): ingest rate as a share of `zcat` over the
same files, and the latency of a profile's 365 daily scores.

    bench/activity_bench.py [--records 1000000] [--queries 200] [--binary build/cloudvault]
                            [--work DIR] [--results FILE]

Writes synthetic trails (tests/fixtures/cloudtrail/generate_trail.py), times `zcat` over them
and `cloudvault activity ingest` into a fresh data folder (same run, same files), then runs
`cloudvault activity days --json` for a 365-day range `--queries` times. The days latency is
the whole command (process start and opening the stores included), an upper bound of the
query; `cloudvault --help` is timed too so the start-up share shows. Prints one JSON line per
measurement (and appends them to --results).
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd, **kwargs):
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, check=True, **kwargs)
    return time.perf_counter() - start, result


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--binary", default=str(REPO / "build" / "cloudvault"))
    parser.add_argument("--work")
    parser.add_argument("--results")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="cv-activity-bench-"))
    trail, data = work / "trail", work / "data"
    shutil.rmtree(data, ignore_errors=True)
    if not trail.exists():
        subprocess.run(["/usr/bin/python3", str(REPO / "tests/fixtures/cloudtrail/generate_trail.py"),
                        str(trail), "--records", str(args.records), "--per-file", "5000"],
                       check=True, capture_output=True)
    files = [str(p) for p in trail.rglob("*.json.gz")]
    zcat_s, _ = timed(["sh", "-c", 'zcat "$@" > /dev/null', "zcat", *files])
    ingest_s, out = timed([args.binary, "activity", "ingest", "--data", str(data), "--from",
                           str(trail)])
    rows = [{"phase": "activity-ingest", "records": args.records,
             "records_per_s": round(args.records / ingest_s),
             "zcat_records_per_s": round(args.records / zcat_s),
             "ratio_to_zcat": round(zcat_s / ingest_s, 3),
             "report": out.stdout.decode().splitlines()[:3]}]
    subprocess.run([args.binary, "activity", "profile", "add", "p0", "--data", str(data),
                    "--principal", "AKIA0000000000000000", "--principal",
                    "ASIA0000000000000000"], check=True, capture_output=True)
    latencies = []
    for _ in range(args.queries):
        seconds, _ = timed([args.binary, "activity", "days", "--data", str(data), "--profile",
                            "p0", "--from", "2024-01-01", "--to", "2024-12-30", "--json"])
        latencies.append(seconds * 1000)
    start_ms = [timed([args.binary, "--help"])[0] * 1000 for _ in range(20)]
    rows.append({"phase": "activity-days-365", "queries": args.queries,
                 "p50_ms": round(percentile(latencies, 50), 1),
                 "p99_ms": round(percentile(latencies, 99), 1),
                 "process_start_p50_ms": round(percentile(start_ms, 50), 1)})
    for row in rows:
        print(json.dumps(row))
        if args.results:
            with open(args.results, "a") as out_file:
                out_file.write(json.dumps(row) + "\n")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
