#!/usr/bin/python3
"""The activity pipeline's benchmark (issue 13): ingest rate as a share of `zcat` over the
same files, and the latency of a profile's 365 daily scores.

    bench/activity_bench.py [--records 1000000] [--queries 200] [--binary build/cloudvault]
                            [--work DIR] [--results FILE]

Writes synthetic trails (tests/fixtures/cloudtrail/generate_trail.py), times `zcat` over them
and `cloudvault activity ingest` into a fresh data folder (same run, same files), then runs
`cloudvault activity days --json` for a 365-day range `--queries` times. The days latency is
the whole command (process start and opening the stores included), an upper bound of the
query; `cloudvault --help` is timed too so the start-up share shows. Then a server is started
on the same data folder and the console API's `activity/profiles/p0/days` for the same range is
timed `--queries` times over one keep-alive connection (the API's latency, what the heatmap
page waits for). Prints one JSON line per measurement (and appends them to --results).
"""
import argparse
import http.client
import json
import re
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


def api_latencies(binary, data, queries):
    """Milliseconds per GET of the console API's 365-day scores, against a server on `data`."""
    env = dict(os.environ, CLOUDVAULT_ROOT_ACCESS_KEY="AKIABENCHACTIVITY001",
               CLOUDVAULT_ROOT_SECRET_KEY="bench-activity-secret-0123456789")
    server = subprocess.Popen([binary, "server", "--listen", "127.0.0.1:0", "--data", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        port = None
        for line in server.stdout:
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match[1])
                break
        assert port, "the server never said it listens"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/_console/api/session", body=json.dumps(
            {"accessKeyId": env["CLOUDVAULT_ROOT_ACCESS_KEY"],
             "secretAccessKey": env["CLOUDVAULT_ROOT_SECRET_KEY"]}),
            headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 201, response.status
        cookie = response.getheader("Set-Cookie").split(";")[0]
        latencies = []
        for _ in range(queries):
            start = time.perf_counter()
            connection.request("GET", "/_console/api/activity/profiles/p0/days"
                               "?from=2024-01-01&to=2024-12-30", headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            assert response.status == 200 and len(json.loads(body)["days"]) == 365
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


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
    api_ms = api_latencies(args.binary, data, args.queries)
    rows.append({"phase": "activity-days-365", "queries": args.queries,
                 "p50_ms": round(percentile(latencies, 50), 1),
                 "p99_ms": round(percentile(latencies, 99), 1),
                 "process_start_p50_ms": round(percentile(start_ms, 50), 1)})
    rows.append({"phase": "activity-days-api", "queries": args.queries,
                 "events": args.records,
                 "p50_ms": round(percentile(api_ms, 50), 2),
                 "p99_ms": round(percentile(api_ms, 99), 2)})
    for row in rows:
        print(json.dumps(row))
        if args.results:
            with open(args.results, "a") as out_file:
                out_file.write(json.dumps(row) + "\n")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
