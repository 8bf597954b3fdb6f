"""Waits until the server's outbox is empty: every consumer's depth (cloudvault_outbox_depth)
and every bucket's replication backlog (cloudvault_replication_pending) read 0 on /metrics,
twice in a row. Prints the seconds it waited; exits 1 after --timeout seconds.
usage: wait_drained.py ENDPOINT [--timeout SECONDS]"""

import argparse
import sys
import time
import urllib.request


def backlog(endpoint):
    text = urllib.request.urlopen(f"{endpoint}/metrics", timeout=30).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(("cloudvault_outbox_depth", "cloudvault_replication_pending{")):
            total += float(line.rsplit(" ", 1)[1])
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    start = time.monotonic()
    quiet = 0
    while quiet < 2:
        if time.monotonic() - start > args.timeout:
            print(f"still {backlog(args.endpoint):.0f} queued after {args.timeout:.0f} s",
                  file=sys.stderr)
            sys.exit(1)
        quiet = quiet + 1 if backlog(args.endpoint) == 0 else 0
        time.sleep(2.5)  # past the 2 s cache of the store reads behind the gauges
    print(f"{time.monotonic() - start:.1f}")


if __name__ == "__main__":
    main()
