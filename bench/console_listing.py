#!/usr/bin/env python3
"""Console listing latency at scale: the web console's `GET /_console/api/objects` over one
folder of many keys, against a running server, over plain http.client (one keep-alive
connection, one request at a time: what one browser tab does). As the reference measured in the
same run, S3 ListObjectsV2 over the same folder (delimiter `/`) on its own keep-alive connection.

    bench/console_listing.py --endpoint 127.0.0.1:9000 --keys 100000 \
        [--populate <build>/cv_bench] [--repeat 10] [--results results.jsonl]

Signs in with CLOUDVAULT_ROOT_ACCESS_KEY / CLOUDVAULT_ROOT_SECRET_KEY (or --access-key,
--secret-key). With --populate, first creates the bucket and PUTs `--keys` objects of 128 bytes
under `--prefix` with that cv_bench (many concurrent small PUTs); otherwise the folder must
hold them already. Then it walks the whole folder once (limit 1000, to check the count and to
take cursors), and times each case `--repeat` times; then the S3 reference cases (a page of the
same size first and at the same depth, and a walk of the whole folder in pages of 1000). A
latency is the request sent until its last body byte read: S3 requests are SigV4-signed (with
botocore) before the clock starts, and neither JSON nor XML parsing is timed. Prints a table
on stdout; with --results, appends one JSON line per case ({"phase": "console-...", ...}) for
bench/run.sh and bench/report.py.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree

import botocore.auth
import botocore.awsrequest
import botocore.credentials

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


class Console:
    """A signed-in console session over one keep-alive connection."""

    def __init__(self, endpoint, access_key, secret_key):
        self.host = endpoint
        address, port = endpoint.rsplit(":", 1)
        self.connection = http.client.HTTPConnection(address, int(port), timeout=600)
        self.cookie = None
        self.csrf = None
        status, headers, body = self.call(
            "POST", "session", {"accessKeyId": access_key, "secretAccessKey": secret_key})
        if status != 201:
            raise SystemExit(f"sign-in failed: {status} {body}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.csrf = body["csrfToken"]

    def call(self, method, route, body=None):
        status, headers, data = self.send(method, route, body)
        return status, headers, json.loads(data) if data else None

    def send(self, method, route, body=None):
        """status, lower-cased headers, the raw body."""
        headers = {"Host": self.host}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, "/_console/api/" + route, body=payload, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        lowered = {name.lower(): value for name, value in response.getheaders()}
        return response.status, lowered, data

    def list(self, **query):
        """One page and the seconds it took (until its last byte; parsing not timed)."""
        route = "objects?" + urllib.parse.urlencode(query)
        start = time.perf_counter()
        status, _, data = self.send("GET", route)
        seconds = time.perf_counter() - start
        if status != 200:
            raise SystemExit(f"GET {route}: {status} {data[:500]!r}")
        return json.loads(data), seconds


class S3Lister:
    """ListObjectsV2 on one keep-alive connection, signed as the same user (SigV4, region
    us-east-1, as the server's integration tests sign)."""

    def __init__(self, endpoint, access_key, secret_key):
        self.host = endpoint
        address, port = endpoint.rsplit(":", 1)
        self.connection = http.client.HTTPConnection(address, int(port), timeout=600)
        self.signer = botocore.auth.S3SigV4Auth(
            botocore.credentials.Credentials(access_key, secret_key), "s3", "us-east-1")

    def list(self, bucket, **query):
        """(keys + common prefixes, next continuation token or None), seconds it took."""
        target = f"/{bucket}?" + urllib.parse.urlencode(
            {"list-type": "2", **query}, quote_via=urllib.parse.quote, safe="-_.~")
        request = botocore.awsrequest.AWSRequest(
            method="GET", url=f"http://{self.host}{target}", headers={"Host": self.host})
        self.signer.add_auth(request)  # before the clock starts
        headers = dict(request.headers.items())
        start = time.perf_counter()
        self.connection.request("GET", target, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"S3 GET {target}: {response.status} {data[:500]!r}")
        root = ElementTree.fromstring(data)
        entries = len(root.findall(S3_NS + "Contents")) + len(
            root.findall(S3_NS + "CommonPrefixes"))
        truncated = root.findtext(S3_NS + "IsTruncated") == "true"
        token = root.findtext(S3_NS + "NextContinuationToken") if truncated else None
        return (entries, token), seconds

    def walk(self, bucket, **query):
        """Entries in the whole listing, seconds it took (sum of the pages' latencies)."""
        total, seconds, token = 0, 0.0, None
        for _ in range(1_000_000):  # bounded: 10^9 keys at 1000 a page
            extra = {"continuation-token": token} if token else {}
            (entries, token), page_seconds = self.list(bucket, **query, **extra)
            total += entries
            seconds += page_seconds
            if token is None:
                return total, seconds
        raise SystemExit("S3 walk did not end")


def populate(args):
    console = Console(args.endpoint, args.access_key, args.secret_key)
    status, _, body = console.call("POST", "buckets", {"name": args.bucket})
    if status not in (201, 409):
        raise SystemExit(f"could not create bucket {args.bucket}: {status} {body}")
    print(f"populating {args.keys:,} keys with {args.populate} ...", file=sys.stderr)
    start = time.perf_counter()
    line = subprocess.run(
        [args.populate, "put", "--endpoint", args.endpoint, "--bucket", args.bucket,
         "--prefix", args.prefix, "--size", "128", "--count", str(args.keys),
         "--connections", "32", "--duration", "3600",
         "--access-key", args.access_key, "--secret-key", args.secret_key],
        check=True, capture_output=True, text=True).stdout
    print(f"populated in {time.perf_counter() - start:.1f} s: {line.strip()}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="host:port of the server")
    parser.add_argument("--access-key", default=os.environ.get("CLOUDVAULT_ROOT_ACCESS_KEY"))
    parser.add_argument("--secret-key", default=os.environ.get("CLOUDVAULT_ROOT_SECRET_KEY"))
    parser.add_argument("--bucket", default="bench-console")
    parser.add_argument("--prefix", default="folder/")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--walks", type=int, default=3, help="times to walk the whole folder")
    parser.add_argument("--populate", metavar="CV_BENCH", help="cv_bench to PUT the keys with")
    parser.add_argument("--results", help="append JSON lines here")
    args = parser.parse_args()
    if not args.access_key or not args.secret_key:
        raise SystemExit("give --access-key/--secret-key or CLOUDVAULT_ROOT_* variables")
    if args.populate:
        populate(args)

    console = Console(args.endpoint, args.access_key, args.secret_key)
    folder = {"bucket": args.bucket, "prefix": args.prefix}

    # Walks through the folder: the first checks the count, keeps each page's cursor and the
    # keys; each walk's time is the sum of its pages' latencies.
    cursors, keys, walk_times = [], [], []
    for walk in range(max(1, args.walks)):
        after, seconds = "", 0.0
        for _ in range(1_000_000):  # bounded: 10^9 keys at 1000 a page
            page, page_seconds = console.list(**folder, limit=1000, after=after)
            seconds += page_seconds
            if walk == 0:
                keys += [entry["key"] for entry in page["objects"]]
            if page["next"] is None:
                break
            after = page["next"]
            if walk == 0:
                cursors.append(after)
        walk_times.append(seconds)
    if len(keys) != args.keys:
        raise SystemExit(f"the folder holds {len(keys):,} objects, not {args.keys:,}")
    deep = int(len(keys) * 0.9)
    rare = keys[len(keys) // 2][len(args.prefix):]  # one key's own name: matches it alone
    cases = [
        ("first-page", "first page, name order (limit 200)", {"limit": 200}),
        ("deep-page", "page at 90 %, name cursor (limit 200)",
         {"limit": 200, "after": keys[deep - 1]}),
        ("search-common", "search matching many keys (\"7\"), first page (limit 200)",
         {"limit": 200, "search": "7"}),
        ("search-rare", "search matching 1 key (scans the whole folder)",
         {"limit": 200, "search": rare}),
        ("sort-size", "sort=size, first page (limit 200)", {"limit": 200, "sort": "size"}),
        ("sort-size-deep", "sort=size, page at 90 % (@offset, no snapshot: read again)",
         {"limit": 200, "sort": "size", "after": f"@{deep}"}),
        ("sort-size-snapshot", "sort=size, page at 90 % of the first page's snapshot",
         {"limit": 200, "sort": "size", "after": f"@{deep}.SNAPSHOT"}),
        ("sort-modified-desc", "sort=modified&order=desc, first page",
         {"limit": 200, "sort": "modified", "order": "desc"}),
    ]
    rows = [("walk", f"walk all {len(keys):,} keys, {len(cursors) + 1} pages of 1000",
             len(keys), walk_times)]
    for phase, label, query in cases:
        if query.get("after", "").endswith(".SNAPSHOT"):
            # A sorted listing's first page keeps the sorted level as a snapshot its cursor
            # names ("@<offset>.<snapshot>"); taken just before, as the snapshots of earlier
            # cases may have pushed older ones out.
            sorted_first, _ = console.list(**folder, limit=200, sort=query["sort"])
            snapshot = sorted_first["next"].split(".", 1)[1]
            query = {**query, "after": query["after"].replace("SNAPSHOT", snapshot)}
        times = []
        for _ in range(args.repeat):
            page, seconds = console.list(**folder, **query)
            times.append(seconds)
        rows.append((phase, label, len(page["objects"]) + len(page["folders"]), times))

    # The reference: S3 ListObjectsV2 of the same folder level, same page size and depth.
    s3 = S3Lister(args.endpoint, args.access_key, args.secret_key)
    level = {"prefix": args.prefix, "delimiter": "/"}
    s3_cases = [
        ("s3-first-page", "S3 ListObjectsV2 first page (max-keys 200, delimiter /)",
         {"max-keys": "200"}),
        ("s3-deep-page", "S3 ListObjectsV2 page at 90 % (start-after, max-keys 200)",
         {"max-keys": "200", "start-after": keys[deep - 1]}),
    ]
    for phase, label, query in s3_cases:
        times = []
        for _ in range(args.repeat):
            (entries, _), seconds = s3.list(args.bucket, **level, **query)
            times.append(seconds)
        rows.append((phase, label, entries, times))
    s3_walk_times = []
    for _ in range(max(1, args.walks)):
        entries, seconds = s3.walk(args.bucket, **level, **{"max-keys": "1000"})
        if entries != len(keys):
            raise SystemExit(f"S3 listed {entries:,} entries, the console {len(keys):,}")
        s3_walk_times.append(seconds)
    rows.append(("s3-walk", f"S3 ListObjectsV2 walk of all {len(keys):,} keys, pages of 1000",
                 len(keys), s3_walk_times))

    print(f"\nconsole GET objects over {len(keys):,} keys in one folder "
          f"({args.repeat} runs per case, {max(1, args.walks)} per walk, one connection)\n")
    print("| case | entries | p50 ms | mean ms | max ms |")
    print("|---|---|---|---|---|")
    for phase, label, entries, times in rows:
        ms = [t * 1000 for t in times]
        print(f"| {label} | {entries:,} | {statistics.median(ms):,.1f} | "
              f"{statistics.fmean(ms):,.1f} | {max(ms):,.1f} |")
        if args.results:
            with open(args.results, "a") as results:
                results.write(json.dumps({
                    "phase": f"console-{phase}",
                    "mode": "s3-list" if phase.startswith("s3-") else "console-list", "unit": "ms",
                    "keys": len(keys), "entries": entries, "requests": len(times), "errors": 0,
                    "p50_ms": round(statistics.median(ms), 2),
                    "mean_ms": round(statistics.fmean(ms), 2),
                    "max_ms": round(max(ms), 2)}) + "\n")


if __name__ == "__main__":
    main()
