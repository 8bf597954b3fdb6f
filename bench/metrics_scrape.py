#!/usr/bin/env python3
"""The /metrics scrape benchmark (issue 15, bench/run.sh measure_metrics): makes --buckets
buckets holding one small object each, then times GET /metrics: --cold scrapes each after a
pause longer than the server's 2 s store-read cache (each reads the metadata store), and
--warm scrapes back to back (cached). Prints one JSON results row (phase "metrics-scrape")."""

import argparse
import json
import os
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def scrape(endpoint):
    started = time.perf_counter()
    with urllib.request.urlopen(f"{endpoint}/metrics", timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--warm", type=int, default=50)
    args = parser.parse_args()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1",
                      aws_access_key_id=os.environ["CLOUDVAULT_ROOT_ACCESS_KEY"],
                      aws_secret_access_key=os.environ["CLOUDVAULT_ROOT_SECRET_KEY"],
                      config=Config(max_pool_connections=16, retries={"max_attempts": 3}))

    def make(i):
        name = f"metrics-bench-{i:04}"
        s3.create_bucket(Bucket=name)
        s3.put_object(Bucket=name, Key="object", Body=b"x" * 4096)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(make, range(args.buckets)))
    text = urllib.request.urlopen(f"{args.endpoint}/metrics", timeout=60).read().decode()
    shown = text.count('cloudvault_bucket_objects{bucket="metrics-bench-')
    if shown != args.buckets:
        raise SystemExit(f"the scrape shows {shown} of {args.buckets} buckets")
    cold = []
    for _ in range(args.cold):
        time.sleep(2.2)  # past the store-read cache: this scrape reads the store
        cold.append(scrape(args.endpoint)[0])
    warm, size = [], 0
    for _ in range(args.warm):
        ms, size = scrape(args.endpoint)
        warm.append(ms)
    print(json.dumps({"phase": "metrics-scrape", "mode": "metrics-scrape", "unit": "ms",
                      "buckets": args.buckets, "bytes": size,
                      "cold_scrapes": len(cold), "cold_ms_median": statistics.median(cold),
                      "cold_ms_max": max(cold), "warm_scrapes": len(warm),
                      "warm_ms_median": statistics.median(warm), "errors": 0}))


if __name__ == "__main__":
    main()
