#!/usr/bin/env python3
"""Renders BENCHMARKS.md from the results bench/run.sh collected (one JSON object a line)."""

import argparse
import datetime
import json
import os
import platform
import subprocess


def load(path):
    rows = {}
    with open(path) as results:
        for line in results:
            line = line.strip()
            if line:
                row = json.loads(line)
                rows[row["phase"]] = row
    return rows


def command_output(args, cwd=None):
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine_info(repo, work):
    cpu = ""
    for line in command_output(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    fs = command_output(["df", "--output=source,fstype", work]).splitlines()
    fs = " ".join(fs[-1].split()) if fs else "?"
    commit = command_output(["git", "rev-parse", "--short", "HEAD"], cwd=repo) or "?"
    dirty = command_output(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo)
    return {
        "cpu": cpu or platform.processor() or "?",
        "cores": os.cpu_count(),
        "mem_gib": mem_gib,
        "kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
        "fs": fs,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "nginx": command_output(["nginx", "-v"]) or subprocess.run(
            ["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
    }


def number(value, unit=""):
    if value is None:
        return "n/a"
    text = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def rate(rows, phase):
    row = rows.get(phase)
    if row is None or row.get("errors", 0) > 0:
        return None
    return row.get("rate")


def comparison(label, value, ceiling, ceiling_label, unit, target_ratio=None, target_abs=None):
    """One row of the main table: metric, cloudvault, ceiling, ratio, target, met."""
    ratio = value / ceiling if value is not None and ceiling else None
    if target_ratio is not None:
        target = f">= {target_ratio:.0%} of {ceiling_label}"
        met = None if ratio is None else ratio >= target_ratio
    else:
        target = f">= {number(target_abs, unit)}"
        met = None if value is None else value >= target_abs
    return [
        label,
        number(value, unit),
        f"{number(ceiling, unit)} ({ceiling_label})" if ceiling else "—",
        f"{ratio:.0%}" if ratio is not None else "—",
        target,
        {True: "yes", False: "**no**", None: "not measured"}[met],
    ]


def lifecycle_row(rows, keys):
    """Lifecycle transitions/s; the issue names no target, so the row reports the ratio to
    the machine's durable file-creation rate (each transition creates a blob file)."""
    value = rate(rows, "lifecycle")
    ceiling = rate(rows, "file-create")
    ratio = value / ceiling if value is not None and ceiling else None
    return [
        f"lifecycle transitions, {keys:,} small objects, per s",
        number(value),
        f"{number(ceiling)} (durable 4 KiB file creations)" if ceiling else "—",
        f"{ratio:.0%}" if ratio is not None else "—",
        "measured (no target)",
        "—",
    ]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--large-mib", type=int, required=True)
    parser.add_argument("--list-keys", type=int, required=True)
    parser.add_argument("--lifecycle-keys", type=int, default=0)
    args = parser.parse_args()

    rows = load(args.results)
    info = machine_info(args.repo, args.work)
    large = f"{args.large_mib / 1024:g} GiB" if args.large_mib >= 1024 else f"{args.large_mib} MiB"

    nginx_get = rate(rows, "nginx-get")
    dd_write = rate(rows, "dd-write")
    dd_read = rate(rows, "dd-read")
    md5 = rate(rows, "md5")
    put_ceiling = min(x for x in (dd_write, md5) if x is not None) if (dd_write or md5) else None
    put_ceiling_label = "dd write+fsync" if put_ceiling == dd_write else "MD5, one core"

    main_rows = [
        comparison("4 KiB GET, req/s", rate(rows, "get-4k"), nginx_get, "nginx GET", "",
                   target_ratio=0.60),
        comparison("4 KiB PUT, req/s", rate(rows, "put-4k"), nginx_get, "nginx GET", "",
                   target_ratio=0.30),
        comparison(f"{large} PUT, MiB/s", rate(rows, "put-large"), put_ceiling,
                   put_ceiling_label, "", target_ratio=0.80),
        comparison(f"{large} GET (page cache dropped), MiB/s", rate(rows, "get-large"), dd_read,
                   "dd O_DIRECT read", "", target_ratio=0.80),
        comparison(f"ListObjectsV2 over {args.list_keys:,} keys, keys/s", rate(rows, "list"),
                   None, "", "", target_abs=100_000),
        comparison(f"{large} PUT with SSE-S3, MiB/s", rate(rows, "put-large-sse"),
                   rate(rows, "put-large"), "unencrypted PUT", "", target_ratio=0.85),
        comparison(f"{large} GET with SSE-S3 (cold), MiB/s", rate(rows, "get-large-sse"),
                   rate(rows, "get-large"), "unencrypted GET", "", target_ratio=0.85),
        comparison(f"{large} GET with SSE-S3 (warm), MiB/s", rate(rows, "get-large-sse-warm"),
                   rate(rows, "get-large-warm"), "unencrypted warm GET", "", target_ratio=0.85),
        lifecycle_row(rows, args.lifecycle_keys),
    ]

    detail_rows = []
    for phase, label in [
        ("put-4k", "4 KiB PUT"),
        ("get-4k", "4 KiB GET"),
        ("put-large", f"{large} PUT"),
        ("get-large", f"{large} GET, cold"),
        ("get-large-warm", f"{large} GET, warm"),
        ("list-populate", f"PUT {args.list_keys:,} small keys"),
        ("list", "ListObjectsV2 pages"),
        ("put-large-sse", f"{large} PUT, SSE-S3"),
        ("get-large-sse", f"{large} GET, SSE-S3, cold"),
        ("get-large-sse-warm", f"{large} GET, SSE-S3, warm"),
        ("lifecycle-populate", "PUT the lifecycle phase's small objects"),
        ("lifecycle", "lifecycle pass (admin lifecycle run)"),
        ("nginx-get", "nginx 4 KiB GET"),
    ]:
        row = rows.get(phase)
        if row is None:
            continue
        cpu = row.get("server_cpu_seconds")
        requests = row.get("requests", 0)
        cpu_per_request = f"{cpu * 1e6 / requests:,.0f}" if cpu is not None and requests else "—"
        detail_rows.append([
            label, number(row.get("rate"), row.get("unit", "")), number(row.get("p50_us")),
            number(row.get("p99_us")), f"{requests:,}", row.get("errors", 0),
            f"{cpu:.2f}" if cpu is not None else "—", cpu_per_request,
        ])

    reference_rows = []
    for phase, label in [
        ("nginx-get", f"nginx 4 KiB GET, cv_bench (1 thread, {args.connections} connections)"),
        ("nginx-wrk", f"nginx 4 KiB GET, wrk -t2 ({args.connections} connections)"),
        ("dd-write", f"disk: dd {large} buffered write + fsync (conv=fsync)"),
        ("dd-read", f"disk: dd {large} O_DIRECT read (iflag=direct)"),
        ("md5", "MD5, one core (openssl speed -evp md5, 16 KiB blocks)"),
        ("file-create", "durable 4 KiB file creations (write, fdatasync, rename), files/s"),
        ("server-rss", "CloudVault peak RSS (VmHWM) over the whole run"),
    ]:
        row = rows.get(phase)
        reference_rows.append([label, number(row.get("rate"), row.get("unit", "")) if row else
                               "not measured"])

    problems = [f"- `{row['phase']}`: {row.get('errors')} errors, e.g. {row.get('first_error', '?')}"
                for row in rows.values() if row.get("errors")]
    cold = rows.get("get-large", {}).get("page_cache_dropped")

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# CloudVault benchmarks

Written by `make bench` (`bench/run.sh`); do not edit by hand. Run on {now}, commit
{info['commit']}.

**Machine:** {info['cpu']}, {info['cores']} cores, {info['mem_gib']:.0f} GiB RAM,
{info['kernel']}; data on {info['fs']}; {info['nginx']}. Server, nginx and the load
generator share the same cores.

**Method:** each timed phase runs {args.duration:g} s. The 4 KiB phases use
{args.connections} keep-alive connections from one `cv_bench` thread (C++ Asio/Beast,
requests pre-built; SigV4 with `UNSIGNED-PAYLOAD` against CloudVault, unsigned against
nginx). The PUT phase writes distinct keys; the GET phase cycles over keys the PUT phase
wrote. The {large} PUT streams one object on one connection; the cold GET reads it back after
dropping its blob file from the page cache{'' if cold in (None, True) else ' (**the drop failed: the GET may have been served from memory**)'},
the warm GET right after. Listing pages through {args.list_keys:,} keys with `max-keys=1000`,
repeatedly for the phase. Ceilings are measured in the same run: nginx serving a 4 KiB file
(`worker_processes auto`, `access_log off`), `dd` on the data file system, `openssl speed`.

## Against the ceilings

{table(["metric", "CloudVault", "ceiling", "ratio", "target", "met"], main_rows)}

## Phases

{table(["phase", "rate", "p50 µs", "p99 µs", "requests", "errors", "server CPU s",
        "server CPU µs/request"], detail_rows)}

## Ceilings and reference figures

{table(["measurement", "value"], reference_rows)}
"""
    if problems:
        text += "\n## Errors\n\n" + "\n".join(problems) + "\n"
    # The analysis of where the time goes is prose kept beside this script, so it survives
    # every regeneration; it cites the figures of the run that motivated it.
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
    if os.path.exists(notes):
        with open(notes) as analysis:
            text += "\n" + analysis.read()
    with open(args.output, "w") as output:
        output.write(text)


if __name__ == "__main__":
    main()
