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


# Issue 16's targets for the 4 KiB phases (ratios to nginx's 4 KiB GET in the same run, server
# CPU per request) and for listing.
SMALL_GET_TARGET = 0.65
SMALL_PUT_TARGET = 0.33
SMALL_GET_CPU_TARGET_US = 30
SMALL_PUT_CPU_TARGET_US = 55
LIST_TARGET = 250_000


def cpu_per_request_us(rows, phase):
    row = rows.get(phase)
    if not row or row.get("errors", 0) > 0:
        return None
    cpu, requests = row.get("server_cpu_seconds"), row.get("requests")
    return cpu * 1e6 / requests if cpu is not None and requests else None


def at_most(label, value, limit, unit, strict=False):
    """One row of the main table whose target is an upper bound (below it when `strict`)."""
    met = None if value is None else (value < limit if strict else value <= limit)
    return [label, number(value, unit), "—", "—", f"{'<' if strict else '<='} {limit} {unit}",
            {True: "yes", False: "**no**", None: "not measured"}[met]]


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


CONSOLE_HEADING = "## Console listing (issue 4)"
# A name-order page at any depth may cost at most this many times the first page.
CONSOLE_DEPTH_TARGET = 1.5


def milliseconds(value):
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def times(value):
    return f"{value:.2f}×" if value is not None else "—"


def console_section(rows, now):
    """The console listing section (bench/console_listing.py's rows, phases console-*), or ""
    when the run has none. Every figure is a p50 over the case's runs; the reference is S3
    ListObjectsV2 on the same server and folder in the same run."""
    def p50(phase):
        row = rows.get(f"console-{phase}")
        return row.get("p50_ms") if row else None

    def ratio(a, b):
        return a / b if a is not None and b else None

    first = rows.get("console-first-page")
    if first is None:
        return ""
    keys = first["keys"]
    repeat = first.get("requests", 0)
    walks = rows.get("console-walk", {}).get("requests", 0)
    populate = rows.get("console-populate")
    s3_walk = p50("s3-walk")
    deep_over_first = ratio(p50("deep-page"), p50("first-page"))
    s3_deep_over_first = ratio(p50("s3-deep-page"), p50("s3-first-page"))

    paging = [
        ["first page (200)", p50("first-page"), p50("s3-first-page"), "1.00×", "1.00×",
         "reference for depth", "—"],
        ["page at 90 %, name cursor (200)", p50("deep-page"), p50("s3-deep-page"),
         times(deep_over_first), times(s3_deep_over_first),
         f"<= {CONSOLE_DEPTH_TARGET:g}× the first page",
         {True: "yes", False: "**no**", None: "not measured"}[
             None if deep_over_first is None else deep_over_first <= CONSOLE_DEPTH_TARGET]],
        [f"all {keys:,} keys, pages of 1000 (sum of page latencies)", p50("walk"), s3_walk,
         "—", "—", "measured", "—"],
    ]
    snapshot_over_first = ratio(p50("sort-size-snapshot"), p50("first-page"))
    if p50("sort-size-snapshot") is not None:
        paging.append(
            ["sort=size, page at 90 % of the first page's snapshot (200)",
             p50("sort-size-snapshot"), p50("s3-deep-page"), times(snapshot_over_first), "—",
             f"<= {CONSOLE_DEPTH_TARGET:g}× the name-order first page",
             "yes" if snapshot_over_first <= CONSOLE_DEPTH_TARGET else "**no**"])
    paging_rows = [
        [label, milliseconds(console), milliseconds(s3),
         times(ratio(console, s3)), depth, s3_depth, target, met]
        for label, console, s3, depth, s3_depth, target, met in paging]

    whole = [
        ("search-common", "search \"7\", first page", "from the start until 200 match", False),
        ("search-rare", "search matching 1 key", "whole level", True),
        ("sort-size", "sort=size, first page", "whole level + sort", True),
        ("sort-size-deep", "sort=size, page at 90 %, no snapshot (@offset: read again)",
         "whole level + sort", True),
        ("sort-modified-desc", "sort=modified desc, first page", "whole level + sort", True),
    ]
    whole_rows = []
    for phase, label, reads, whole_level in whole:
        value = p50(phase)
        whole_rows.append([
            label, reads, milliseconds(value),
            milliseconds(value * 1000 / keys) if whole_level and value is not None else "—",
            times(ratio(value, s3_walk)) if whole_level else "—",
        ])
    populated = (f" Filled by PUTs of 128 bytes at "
                 f"{number(populate.get('rate'), populate.get('unit', ''))}."
                 if populate else "")
    return f"""{CONSOLE_HEADING}

Measured {now}, {keys:,} objects in one folder.{populated}
The web console's `GET /_console/api/objects` on one keep-alive connection, one request at a
time (what a browser tab does), from Python's `http.client`; each figure is the median of
{repeat} runs ({walks} for whole-folder walks), from the request sent to the last byte read,
parsing not timed. The reference, in the same run on the same server and folder: S3
ListObjectsV2 (`delimiter=/`, SigV4-signed before the clock starts) for the same page
(`max-keys=200`, `start-after` the same key), and a ListObjectsV2 walk of the whole level in
pages of 1000 for the pages that read the whole level.

**Target: paging stays fast at {keys:,} objects** — a page in name order costs about the
same wherever it starts (a page at 90 % at most {CONSOLE_DEPTH_TARGET:g}× the first page).

{table(["page in name order", "console p50 ms", "S3 ListObjectsV2 p50 ms", "console / S3",
        "console, vs first page", "S3, vs first page", "target", "met"], paging_rows)}

Search and any order other than name ascending read the folder level from the start (the
search until 200 entries match, a search with few matches and every sort the whole level),
so their first page costs in proportion to the folder: measured, no target. A sorted
listing keeps its sorted level for five minutes (a snapshot its cursor names), so its later
pages are slices (the snapshot row above); a cursor without one reads the level again.

{table(["page", "reads", "console p50 ms", "ms per 1,000 keys in the folder",
        "vs S3 walk of the whole level"], whole_rows)}
"""


NOTIFY_HEADING = "## Event notifications (issue 12)"
NOTIFY_EVENTS_TARGET = 5000      # events delivered per second to a local webhook
NOTIFY_PUT_RATIO_TARGET = 0.85   # 4 KiB PUT with a notification rule vs without


def notify_section(rows, now):
    """The notification section (phases notify-burst, notify-latency, put-4k-plain,
    put-4k-notify), or "" when the run has none."""
    burst = rows.get("notify-burst")
    latency = rows.get("notify-latency")
    plain = rate(rows, "put-4k-plain")
    notified = rate(rows, "put-4k-notify")
    if burst is None and latency is None:
        return ""
    events = rate(rows, "notify-burst")
    ratio = notified / plain if notified is not None and plain else None
    met = {True: "yes", False: "**no**", None: "not measured"}
    main = [
        [f"events delivered per second to a local webhook ({burst.get('requests', 0):,} "
         "events)" if burst else "events delivered per second to a local webhook",
         number(events, "events/s"), "—", "—", f">= {NOTIFY_EVENTS_TARGET:,}/s",
         met[None if events is None else events >= NOTIFY_EVENTS_TARGET]],
        ["4 KiB PUT, bucket with one notification rule", number(notified, "req/s"),
         f"{number(plain, 'req/s')} (same server, bucket without rules)" if plain else "—",
         f"{ratio:.0%}" if ratio is not None else "—",
         f">= {NOTIFY_PUT_RATIO_TARGET:.0%} of the bucket without rules",
         met[None if ratio is None else ratio >= NOTIFY_PUT_RATIO_TARGET]],
    ]
    lag = burst.get("max_us") if burst else None
    latency_rows = []
    if latency:
        latency_rows.append([f"{latency.get('rate', 0):,.0f} PUT/s, one connection, "
                             f"{latency.get('requests', 0):,} events",
                             milliseconds(latency.get("p50_us", 0) / 1000),
                             milliseconds(latency.get("p99_us", 0) / 1000),
                             milliseconds(latency.get("max_us", 0) / 1000),
                             latency.get("errors", 0)])
    return f"""{NOTIFY_HEADING}

Measured {now}, on a server of its own whose `[notify.targets.sink]` webhook is `cv_bench`'s
sink on 127.0.0.1 (Beast, one thread per connection, answers 200 at once and records when
each event arrived). The burst writes 4 KiB objects with {burst.get('connections', 0) if burst else 0}
connections into a bucket with one `s3:ObjectCreated:*` rule; its rate is events received /
(last arrival - first arrival), so it is bounded by the PUT rate when delivery keeps up. The
last event arrived {milliseconds((lag or 0) / 1000)} ms after the last PUT was acknowledged.
The PUT comparison runs after the sink has stopped, so the rule's events queue up and retry
as with a receiver that is down (the replication section compares a bucket that also
replicates).

{table(["metric", "CloudVault", "reference", "ratio", "target", "met"], main)}

Time from a PUT's acknowledgement (read by the client) to its event at the webhook:

{table(["load", "p50 ms", "p99 ms", "max ms", "missing"], latency_rows)}
"""


REPLICATION_HEADING = "## Replication (issue 12)"
REPLICATION_COPY_RATIO_TARGET = 0.80  # replication vs a plain server-side copy of the same data
REPLICATION_PUT_RATIO_TARGET = 0.85   # 4 KiB PUT with a notification + a replication rule


def replication_section(rows, now):
    """The replication section (phases copy-small, replicate-small, copy-large,
    replicate-large, replication-lag, put-4k-rules-off, put-4k-rules-on), or ""."""
    if not any(name in rows for name in ("replicate-small", "replicate-large",
                                         "replication-lag")):
        return ""
    met = {True: "yes", False: "**no**", None: "not measured"}

    def seconds_of(name):
        row = rows.get(name)
        return row.get("seconds") if row else None

    def compare(label, copy_name, replicate_name, unit):
        copy_s, repl_s = seconds_of(copy_name), seconds_of(replicate_name)
        ratio = copy_s / repl_s if copy_s and repl_s else None
        return [label, f"{repl_s:.2f} s ({number(rate(rows, replicate_name), unit)})"
                if repl_s else "—",
                f"{copy_s:.2f} s ({number(rate(rows, copy_name), unit)})" if copy_s else "—",
                f"{ratio:.0%}" if ratio is not None else "—",
                f">= {REPLICATION_COPY_RATIO_TARGET:.0%} of the copy",
                met[None if ratio is None else ratio >= REPLICATION_COPY_RATIO_TARGET]]

    small = rows.get("replicate-small", {})
    large = rows.get("replicate-large", {})
    off, on = rate(rows, "put-4k-rules-off"), rate(rows, "put-4k-rules-on")
    put_ratio = on / off if on is not None and off else None
    main = [
        compare(f"{small.get('requests', 0):,} objects of 4 KiB", "copy-small", "replicate-small",
                "objects/s"),
        compare(f"one object of {large.get('size', 0) / (1 << 30):g} GiB"
                if large.get("size", 0) >= (1 << 30) else "one large object",
                "copy-large", "replicate-large", "objects/s"),
        ["4 KiB PUT, bucket with one notification and one replication rule",
         number(on, "req/s"), f"{number(off, 'req/s')} (bucket without rules)" if off else "—",
         f"{put_ratio:.0%}" if put_ratio is not None else "—",
         f">= {REPLICATION_PUT_RATIO_TARGET:.0%} of the bucket without rules",
         met[None if put_ratio is None else put_ratio >= REPLICATION_PUT_RATIO_TARGET]],
    ]
    lag = rows.get("replication-lag")
    lag_rows = []
    if lag:
        lag_rows.append([f"{lag.get('rate', 0):,.0f} PUT/s of 4 KiB, one connection, "
                         f"{lag.get('requests', 0):,} objects",
                         milliseconds(lag.get("p50_us", 0) / 1000),
                         milliseconds(lag.get("p99_us", 0) / 1000),
                         milliseconds(lag.get("max_us", 0) / 1000),
                         lag.get("errors", 0)])
    return f"""{REPLICATION_HEADING}

Measured {now}, on a server of its own. Each set of objects is written once, then copied to a
bucket of the same server twice: by CopyObject requests ({rows.get('copy-small', {}).get('connections', 0)}
connections for the small objects, one for the large one: the ceiling, a plain server-side
copy of the same data in the same run) and by replication (a rule with
ExistingObjectReplication put on the source; timed from the PutBucketReplication request until
the last object is at the destination: listings from the first key not yet there, 2 ms
between polls without progress). The ratio is copy time /
replication time. The PUT comparison runs while the notification target is down (its events
queue and retry) and every PUT into the bucket with rules is also replicated.

{table(["metric", "replication", "CopyObject (same data)", "ratio", "target", "met"], main)}

Why two targets are missed: each replicated 4 KiB object is a second durable write (the replica
and its task's end, one transaction) through the same SQLite writer and fsync that serve the
uploads, plus a read of the source and the planning of its event; on this 2-core machine the
bucket with rules therefore does about twice the committed work per upload, and a backlog of
small copies is bounded by commit latency times the 8 lanes a destination runs on (32 lanes
and batches of 1,024 copied a 10,000-object backlog 1.5x as fast in a separate measurement,
but took more from concurrent uploads). Large objects are bounded by the disk, as the copy is.

Replication lag: time from a PUT's acknowledgement (read by the client) to the receipt of its
replication at a webhook (`cloudvault admin backup create --receipt sink`), so it includes one
webhook delivery (see the notification section for that alone):

{table(["load", "p50 ms", "p99 ms", "max ms", "missing"], lag_rows)}
"""


ACTIVITY_HEADING = "## Audit trail and activity (issue 13)"


def activity_section(rows):
    """The activity pipeline (bench/activity_bench.py: phases activity-ingest and
    activity-days-365), or "" when not measured."""
    ingest, days = rows.get("activity-ingest"), rows.get("activity-days-365")
    api = rows.get("activity-days-api")
    trail_rows = trail_rows_of(rows)
    if not ingest and not days and not trail_rows:
        return ""
    text = ACTIVITY_HEADING + "\n\n"
    if ingest:
        text += (f"- Ingest of {ingest['records']:,} synthetic CloudTrail records in .json.gz files: "
                 f"{ingest['records_per_s']:,} records/s; `zcat` over the same files "
                 f"{ingest['zcat_records_per_s']:,} records/s: **{ingest['ratio_to_zcat']:.0%}** "
                 f"of zcat (target 50%).\n")
    if days:
        text += (f"- `cloudvault activity days` for 365 days: p50 {days['p50_ms']} ms, p99 "
                 f"{days['p99_ms']} ms over {days['queries']} runs, the whole command (process "
                 f"start alone: {days['process_start_p50_ms']} ms p50).\n")
    if api:
        text += (f"- The console API's 365-day scores (`GET activity/profiles/NAME/days`, one "
                 f"keep-alive connection) over {api['events']:,} stored events: p50 "
                 f"{api['p50_ms']} ms, **p99 {api['p99_ms']} ms** over {api['queries']} requests "
                 f"(target p99 < 50 ms).\n")
    if trail_rows:
        text += "\n" + trail_rows
    return text


def trail_rows_of(rows):
    """The audit trail on against off (phases put-4k-trail-off/-on, get-4k-trail-off/-on)."""
    lines = []
    for kind in ("put", "get"):
        off, on = rows.get(f"{kind}-4k-trail-off"), rows.get(f"{kind}-4k-trail-on")
        if off and on and off.get("rate"):
            ratio = on["rate"] / off["rate"]
            lines.append(f"- 4 KiB {kind.upper()} with the audit trail on: "
                         f"{on['rate']:,.0f} req/s against {off['rate']:,.0f} "
                         f"with it off, same run: **{ratio:.0%}** (target 90%).")
    return "\n".join(lines) + "\n" if lines else ""


TLS_HEADING = "## TLS (issue 14)"
# 4 KiB GETs over HTTPS must keep this share of the plain-HTTP rate (keep-alive, same run).
TLS_TARGET = 0.80


def tls_section(rows, now):
    """4 KiB GET over TLS against plain HTTP on the same server, same run (phases get-4k-plain
    and get-4k-tls of measure_tls in bench/run.sh), or "" when not measured."""
    plain, tls = rows.get("get-4k-plain"), rows.get("get-4k-tls")
    if not plain or not tls:
        return ""
    plain_rate, tls_rate = rate(rows, "get-4k-plain"), rate(rows, "get-4k-tls")
    ratio = tls_rate / plain_rate if tls_rate is not None and plain_rate else None
    met = {True: "yes", False: "**no**", None: "not measured"}[
        None if ratio is None else ratio >= TLS_TARGET]
    cpu = [row.get("server_cpu_seconds") for row in (plain, tls)]
    per_request = [c / row["requests"] * 1e6 if c and row.get("requests") else None
                   for c, row in zip(cpu, (plain, tls))]
    table_rows = [[
        "4 KiB GET over TLS / plain (keep-alive)",
        number(tls_rate, "req/s"),
        number(plain_rate, "req/s"),
        f"{ratio:.0%}" if ratio is not None else "—",
        f">= {TLS_TARGET:.0%}",
        met,
    ]]
    text = (f"{TLS_HEADING}\n\nMeasured {now}: one server with a self-signed P-256 certificate "
            f"(`cloudvault admin tls self-signed`) and a plain loopback listener; the same keys "
            f"read over each, {tls.get('connections', '?')} keep-alive connections each "
            f"(TLS 1.3, handshakes only at connection start). Server CPU per request: "
            f"{number(per_request[1], 'µs')} over TLS, {number(per_request[0], 'µs')} plain. "
            f"This machine's 2 cores are shared with other builds, so the figures are noisy.\n\n")
    text += table(["metric", "TLS", "plain HTTP", "ratio", "target", "met"], table_rows) + "\n"
    return text


POLICY_HEADING = "## Access control: GET with policies (issue 14)"
# 4 KiB GETs decided by a 20-statement bucket policy and a 10-statement user policy must keep
# this share of the owner-only rate (no policy anywhere), same server, same run.
POLICY_TARGET = 0.95


def policy_section(rows, now):
    """4 KiB GET by an IAM user under policies against the bucket owner without any (phases
    get-4k-owner-only and get-4k-with-policies of measure_policy in bench/run.sh), or ""."""
    owner, governed = rows.get("get-4k-owner-only"), rows.get("get-4k-with-policies")
    after = rows.get("get-4k-owner-only-after")
    if not owner or not governed:
        return ""
    # The owner's figures: the mean of the runs before and after the governed one.
    owner_rates = [r for r in (rate(rows, "get-4k-owner-only"),
                               rate(rows, "get-4k-owner-only-after")) if r is not None]
    owner_rate = sum(owner_rates) / len(owner_rates) if owner_rates else None
    if after and after.get("requests") and owner.get("requests"):
        owner = dict(owner, requests=owner["requests"] + after["requests"],
                     server_cpu_seconds=(owner.get("server_cpu_seconds") or 0) +
                     (after.get("server_cpu_seconds") or 0))
    governed_rate = rate(rows, "get-4k-with-policies")
    ratio = governed_rate / owner_rate if governed_rate is not None and owner_rate else None
    met = {True: "yes", False: "**no**", None: "not measured"}[
        None if ratio is None else ratio >= POLICY_TARGET]
    cpu = [row.get("server_cpu_seconds") for row in (owner, governed)]
    per_request = [c / row["requests"] * 1e6 if c and row.get("requests") else None
                   for c, row in zip(cpu, (owner, governed))]
    extra = (per_request[1] - per_request[0]
             if None not in per_request else None)
    table_rows = [[
        f"4 KiB GET, {governed.get('bucket_statements', '?')}-statement bucket policy + "
        f"{governed.get('user_statements', '?')}-statement user policy / owner-only",
        number(governed_rate, "req/s"),
        number(owner_rate, "req/s"),
        f"{ratio:.0%}" if ratio is not None else "—",
        f">= {POLICY_TARGET:.0%}",
        met,
    ]]
    text = (f"{POLICY_HEADING}\n\nMeasured {now}: one server, the same 4 KiB keys read by the "
            f"bucket's owner with no policy anywhere (the authorizer's fast path; the mean of a "
            f"run before and one after), and by an IAM "
            f"user whose user policy's last statement allows the read, under a bucket policy "
            f"whose statements all have to be looked at (bench/policy_setup.py); "
            f"{governed.get('connections', '?')} keep-alive connections each. Server CPU per "
            f"request: {number(per_request[1], 'µs')} with policies, "
            f"{number(per_request[0], 'µs')} owner-only "
            f"({number(extra, 'µs')} more per request: the decision, its condition keys and the "
            f"policy cache lookups). This machine's 2 cores are shared, so the figures are "
            f"noisy.\n\n")
    text += table(["metric", "with policies", "owner-only", "ratio", "target", "met"],
                  table_rows) + "\n"
    return text


FEATURES_HEADING = "## Every feature on against off (issue 16)"
# 4 KiB GET and PUT with the features of issues 12-15 on must stay within 10% of the rates
# with them off, same run.
FEATURES_TARGET = 0.90


def features_section(rows, now):
    """4 KiB PUT and GET with every feature on against off (phases of measure_features in
    bench/run.sh), or ""."""
    if not rows.get("put-4k-features-on"):
        return ""
    def mean(phase, field):
        values = [row.get(field) for row in (rows.get(phase), rows.get(f"{phase}-2")) if row]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    table_rows = []
    for op in ("put", "get"):
        on = mean(f"{op}-4k-features-on", "rate")
        off = mean(f"{op}-4k-features-off", "rate")
        ratio = on / off if on is not None and off else None
        met = {True: "yes", False: "**no**", None: "not measured"}[
            None if ratio is None else ratio >= FEATURES_TARGET]
        def cpu_us(phase):
            seconds, requests = mean(phase, "server_cpu_seconds"), mean(phase, "requests")
            return f"{seconds / requests * 1e6:.0f} µs" if seconds and requests else "—"
        table_rows.append([f"4 KiB {op.upper()}, every feature on / off", number(on, "req/s"),
                           number(off, "req/s"), f"{ratio:.0%}" if ratio is not None else "—",
                           f"{cpu_us(f'{op}-4k-features-on')} / {cpu_us(f'{op}-4k-features-off')}",
                           f">= {FEATURES_TARGET:.0%}", met])
    text = (f"{FEATURES_HEADING}\n\nMeasured {now}: 4 KiB PUT then GET into a versioned bucket, "
            f"32 keep-alive connections. \"Off\": the audit trail, metrics and the access log "
            f"switched off, requests signed by the bucket's owner, no policy. \"On\": all three "
            f"on, a notification rule for every created object (to a webhook that answers 204), "
            f"a replication rule into another bucket of the server, a 20-statement bucket policy, "
            f"and an IAM user with a 10-statement policy signing the requests "
            f"(bench/features_setup.py). Before the GET phase with the features on, the "
            f"PUTs' notifications and replications are left to finish (the outbox drained). "
            f"Both states twice in turn (off, on, off, on), each "
            f"figure the mean of its two. Server CPU per request counts the background work the "
            f"features cause while the phase runs (deliveries, copies, trail rolls). This "
            f"machine's 2 cores are shared, so the figures are noisy.\n\n")
    text += table(["metric", "on", "off", "ratio", "server CPU per request (on / off)",
                   "target", "met"], table_rows) + "\n"
    return text


def features_rows(rows):
    """The main table's rows for every feature on against off (rates of the mean of two runs
    each), or none when the features phase did not run."""
    if not rows.get("put-4k-features-on"):
        return []
    def mean_rate(phase):
        values = [rate(rows, p) for p in (phase, f"{phase}-2") if rows.get(p)]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None
    return [comparison(f"4 KiB {op.upper()} with every feature on, req/s",
                       mean_rate(f"{op}-4k-features-on"), mean_rate(f"{op}-4k-features-off"),
                       "features off", "", target_ratio=FEATURES_TARGET)
            for op in ("get", "put")]


def large_runs_rows(rows, size):
    """The main table's row for the large bodies' runs (the section below): the cold GET's
    lowest ratio to the slower of its run's dd O_DIRECT read and nginx GET; none when the
    runs were not made."""
    runs = sorted({int(name.rsplit("-", 1)[1]) for name in rows
                   if name.startswith("large-get-cold-")})
    if not runs:
        return []
    ratios = []
    for run in runs:
        value = rate(rows, f"large-get-cold-{run}")
        ceilings = [rate(rows, f"large-dd-read-{run}"), rate(rows, f"large-nginx-cold-{run}")]
        ratios.append(value / max(ceilings) if value and all(ceilings) else None)
    known = [r for r in ratios if r is not None]
    worst = min(known) if len(known) == len(ratios) else None
    cells = ", ".join("—" if r is None else f"{r:.0%}" for r in ratios)
    return [[f"{size} GET (page cache dropped), {len(runs)} runs, MiB/s", cells,
             "dd O_DIRECT read and nginx GET, each run's own", f"worst {worst:.0%}"
             if worst is not None else "—", f">= {LARGE_TARGET:.0%} of both, every run",
             {True: "yes", False: "**no**", None: "not measured"}[
                 None if worst is None else worst >= LARGE_TARGET]]]


LARGE_HEADING = "## Large bodies, one stream (issue 16)"
# A one-stream GET must reach this share of both the disk's O_DIRECT read and nginx's GET of a
# file of the same size, in every run; a PUT this share of min(dd write+fsync, MD5).
LARGE_TARGET = 0.80
# Peak RSS over the whole benchmark must stay under this, in MiB.
LARGE_RSS_TARGET_MIB = 100


def large_section(rows, now, large_mib):
    """The BENCH_ONLY=large phases (large-*-<run> of measure_large in bench/run.sh): each GET
    and PUT against the ceilings measured in its own run, or "" when not measured."""
    runs = sorted({int(name.rsplit("-", 1)[1]) for name in rows
                   if name.startswith("large-get-cold-")})
    if not runs:
        return ""
    size = f"{large_mib / 1024:g} GiB" if large_mib and large_mib >= 1024 else f"{large_mib} MiB"
    md5 = rate(rows, "md5")

    def ratio_cell(value, ceiling):
        return f"{value / ceiling:.0%}" if value is not None and ceiling else "—"

    def met(value, *ceilings):
        if value is None or any(not c for c in ceilings):
            return "not measured"
        return "yes" if all(value >= LARGE_TARGET * c for c in ceilings) else "**no**"

    table_rows = []
    for run in runs:
        dd_read = rate(rows, f"large-dd-read-{run}")
        for state in ("cold", "warm"):
            value = rate(rows, f"large-get-{state}-{run}")
            nginx = rate(rows, f"large-nginx-{state}-{run}")
            cpu = (rows.get(f"large-get-{state}-{run}") or {}).get("server_cpu_seconds")
            table_rows.append([
                f"{size} GET, {state}, run {run}", number(value, "MiB/s"),
                number(dd_read, "MiB/s"), number(nginx, "MiB/s"), ratio_cell(value, dd_read),
                ratio_cell(value, nginx), number(cpu, "s") if cpu is not None else "—",
                met(value, dd_read, nginx)])
    for run in runs:
        value = rate(rows, f"large-put-{run}")
        dd_write = rate(rows, f"large-dd-write-{run}")
        ceiling = min(c for c in (dd_write, md5) if c) if (dd_write or md5) else None
        cpu = (rows.get(f"large-put-{run}") or {}).get("server_cpu_seconds")
        table_rows.append([
            f"{size} PUT, run {run}", number(value, "MiB/s"), f"{number(dd_write, 'MiB/s')} (write+fsync)",
            f"MD5 {number(md5, 'MiB/s')}", ratio_cell(value, dd_write), "—",
            number(cpu, "s") if cpu is not None else "—", met(value, ceiling)])
    rss = rate(rows, "large-server-rss")
    dropped = {str((rows.get(f"large-get-cold-{run}") or {}).get("page_cache_dropped"))
               for run in runs}
    text = (f"{LARGE_HEADING}\n\nMeasured {now}: {len(runs)} runs, each measuring its own "
            f"ceilings right before its transfers: `dd` of a {size} file on the data file "
            f"system (buffered write + fsync, then O_DIRECT read), nginx (sendfile on) serving "
            f"that file to `cv_bench get-large` (which has the kernel discard the body as it "
            f"arrives, recv with MSG_TRUNC, so one stream measures the sender, not the client's "
            f"copy), then CloudVault's PUT and GET of an object of "
            f"the same size on one connection. Cold: the page cache dropped before the GET "
            f"(dropped: {', '.join(sorted(dropped))}); warm: right after. The ratio to dd "
            f"for a warm GET is shown for reference (the target is on the disk read). "
            f"Server peak RSS (VmHWM) over the whole phase: **{number(rss, 'MiB')}** (target < "
            f"{LARGE_RSS_TARGET_MIB} MiB). This machine's 2 cores are shared with other "
            f"builds, so the figures are noisy.\n\n")
    text += table(["transfer", "CloudVault", "dd O_DIRECT read", "nginx GET", "/ dd",
                   "/ nginx", "server CPU", f"met (>= {LARGE_TARGET:.0%} of both)"],
                  table_rows) + "\n"
    return text


METRICS_HEADING = "## Metrics (issue 15)"
# 4 KiB GET and PUT with metrics recorded must keep this share of the rate without, same run;
# a /metrics scrape with 1,000 buckets must take less than METRICS_SCRAPE_TARGET_MS.
METRICS_TARGET = 0.95
METRICS_SCRAPE_TARGET_MS = 50


def metrics_section(rows, now):
    """4 KiB GET and PUT with [metrics] on against off, and the time of a /metrics scrape with
    1,000 buckets (phases of measure_metrics in bench/run.sh), or ""."""
    scrape = rows.get("metrics-scrape")
    if not scrape and not rows.get("put-4k-metrics-on"):
        return ""
    table_rows = []
    def mean_rate(phase):
        rates = [r for r in (rate(rows, phase), rate(rows, f"{phase}-2")) if r is not None]
        return sum(rates) / len(rates) if rates else None

    for op in ("put", "get"):
        on, off = mean_rate(f"{op}-4k-metrics-on"), mean_rate(f"{op}-4k-metrics-off")
        ratio = on / off if on is not None and off else None
        met = {True: "yes", False: "**no**", None: "not measured"}[
            None if ratio is None else ratio >= METRICS_TARGET]
        table_rows.append([f"4 KiB {op.upper()}, metrics + access log on / off", number(on, "req/s"),
                           number(off, "req/s"), f"{ratio:.0%}" if ratio is not None else "—",
                           f">= {METRICS_TARGET:.0%}", met])
    if scrape:
        cold = scrape.get("cold_ms_median")
        met = {True: "yes", False: "**no**", None: "not measured"}[
            None if cold is None else cold < METRICS_SCRAPE_TARGET_MS]
        table_rows.append([
            f"GET /metrics with {scrape.get('buckets', '?'):,} buckets, store read (median of "
            f"{scrape.get('cold_scrapes', '?')})", f"{cold:.1f} ms" if cold is not None else "n/a",
            f"slowest {scrape.get('cold_ms_max', 0):.1f} ms", "—",
            f"< {METRICS_SCRAPE_TARGET_MS} ms", met])
        table_rows.append([
            f"GET /metrics with {scrape.get('buckets', '?'):,} buckets, cached store read "
            f"(median of {scrape.get('warm_scrapes', '?')})",
            f"{scrape.get('warm_ms_median', 0):.1f} ms",
            f"{scrape.get('bytes', 0):,} bytes", "—", "—", "—"])
    text = (f"{METRICS_HEADING}\n\nMeasured {now}: 4 KiB PUT then GET against a server with "
            f"`[metrics] enabled = false` and `[log] access = false`, then against one with both "
            f"on (every request counted and timed, group commits observed, one JSON access "
            f"line per request into the server's log file), twice in turn (off, on, off, on) in "
            f"the same run, each rate the mean of its two. Then a server holding 1,000 "
            f"buckets (one object each) scraped with a pause longer than the 2 s store-read "
            f"cache before each timed scrape (so each reads the store), and back to back "
            f"(cached). This machine's 2 cores are shared with other builds, so the figures "
            f"are noisy.\n\n")
    text += table(["metric", "on / measured", "off / detail", "ratio", "target", "met"],
                  table_rows) + "\n"
    return text


def sections_of(lines):
    """Indices of the lines that start a `## ` section."""
    return [i for i, line in enumerate(lines) if line.startswith("## ")]


def update_console_section(report, section, analysis, heading=CONSOLE_HEADING):
    """`report` (a BENCHMARKS.md this script wrote) with only its section `heading` (the
    console's by default) replaced by `section` (inserted after the generated tables, before
    `## Errors`, if it had none; None keeps the one it has) and its appended analysis replaced
    by `analysis` (None keeps it); every other line is kept as it was."""
    generated = {"## Against the ceilings", "## Phases", "## Ceilings and reference figures",
                 CONSOLE_HEADING, NOTIFY_HEADING, REPLICATION_HEADING, ACTIVITY_HEADING,
                 TLS_HEADING, POLICY_HEADING, METRICS_HEADING, FEATURES_HEADING, LARGE_HEADING,
                 "## Errors"}
    lines = report.split("\n")
    starts = sections_of(lines)
    if "## Ceilings and reference figures" not in lines:
        raise SystemExit("the report has no generated tables to add the console section to")
    last_table = lines.index("## Ceilings and reference figures")
    # The appended analysis starts at the first heading after the tables that is not ours.
    tail = next((i for i in starts if i > last_table and lines[i] not in generated), len(lines))
    body = lines[:tail]
    if section is not None and heading in body:
        start = body.index(heading)
        end = next((i for i in sections_of(body) if i > start), len(body))
        del body[start:end]
    at = body.index("## Errors") if "## Errors" in body else len(body)
    if section:
        body[at:at] = section.rstrip("\n").split("\n") + [""]
    text = "\n".join(body)
    if analysis is not None:
        return text + "\n" + analysis
    if tail == len(lines):
        return text
    return text + "\n" + "\n".join(lines[tail:])


def read_analysis():
    """The analysis prose kept beside this script (bench/ANALYSIS.md), or None."""
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
    if not os.path.exists(notes):
        return None
    with open(notes) as analysis:
        return analysis.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--only-console", action="store_true",
                        help="rewrite only the console listing section of the existing --output "
                        "(and its appended bench/ANALYSIS.md) from --results, keeping the rest")
    parser.add_argument("--only-notify", action="store_true",
                        help="rewrite only the notification section of the existing --output")
    parser.add_argument("--only-replication", action="store_true",
                        help="rewrite only the replication section of the existing --output")
    parser.add_argument("--only-activity", action="store_true",
                        help="rewrite only the audit trail and activity section of --output")
    parser.add_argument("--only-tls", action="store_true",
                        help="rewrite only the TLS section of --output")
    parser.add_argument("--only-policy", action="store_true",
                        help="rewrite only the access control section of --output")
    parser.add_argument("--only-features", action="store_true",
                        help="rewrite only the features on/off section of --output")
    parser.add_argument("--only-large", action="store_true",
                        help="rewrite only the large bodies section of --output")
    parser.add_argument("--only-metrics", action="store_true",
                        help="rewrite only the metrics section of --output")
    parser.add_argument("--repo")
    parser.add_argument("--work")
    parser.add_argument("--duration", type=float)
    parser.add_argument("--connections", type=int)
    parser.add_argument("--large-mib", type=int)
    parser.add_argument("--list-keys", type=int)
    parser.add_argument("--get-keys", type=int, default=4096)
    parser.add_argument("--lifecycle-keys", type=int, default=0)
    args = parser.parse_args()

    rows = load(args.results)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if args.only_console:
        section = console_section(rows, now)
        if not section:
            raise SystemExit(f"{args.results} holds no console-* rows")
        with open(args.output) as existing:
            text = update_console_section(existing.read(), section, read_analysis())
        with open(args.output, "w") as output:
            output.write(text)
        return
    only = [(args.only_notify, lambda: notify_section(rows, now), NOTIFY_HEADING, "notify-*"),
            (args.only_replication, lambda: replication_section(rows, now), REPLICATION_HEADING,
             "replication"),
            (args.only_activity, lambda: activity_section(rows), ACTIVITY_HEADING,
             "activity or trail"),
            (args.only_tls, lambda: tls_section(rows, now), TLS_HEADING, "get-4k-tls"),
            (args.only_policy, lambda: policy_section(rows, now), POLICY_HEADING,
             "get-4k-with-policies"),
            (args.only_metrics, lambda: metrics_section(rows, now), METRICS_HEADING,
             "metrics-*"),
            (args.only_features, lambda: features_section(rows, now), FEATURES_HEADING,
             "*-features-*"),
            (args.only_large, lambda: large_section(rows, now, args.large_mib), LARGE_HEADING,
             "large-*")]
    for wanted, make_section, heading, what in only:
        if not wanted:
            continue
        section = make_section()
        if not section:
            raise SystemExit(f"{args.results} holds no {what} rows")
        with open(args.output) as existing:
            text = update_console_section(existing.read(), section, None, heading)
        with open(args.output, "w") as output:
            output.write(text)
        return
    missing = [name for name in ("repo", "work", "duration", "connections", "large_mib",
                                 "list_keys") if getattr(args, name) is None]
    if missing:
        parser.error("a whole report needs --" + ", --".join(
            name.replace("_", "-") for name in missing))
    info = machine_info(args.repo, args.work)
    large = f"{args.large_mib / 1024:g} GiB" if args.large_mib >= 1024 else f"{args.large_mib} MiB"

    nginx_get = rate(rows, "nginx-get")
    dd_write = rate(rows, "dd-write")
    dd_read = rate(rows, "dd-read")
    md5 = rate(rows, "md5")
    put_ceiling = min(x for x in (dd_write, md5) if x is not None) if (dd_write or md5) else None
    put_ceiling_label = "dd write+fsync" if put_ceiling == dd_write else "MD5, one core"

    peak_rss = [r for r in (rate(rows, "server-rss"), rate(rows, "large-server-rss")) if r]
    main_rows = [
        comparison("4 KiB GET, req/s", rate(rows, "get-4k"), nginx_get, "nginx GET", "",
                   target_ratio=SMALL_GET_TARGET),
        at_most("4 KiB GET, server CPU per request", cpu_per_request_us(rows, "get-4k"),
                SMALL_GET_CPU_TARGET_US, "µs"),
        comparison("4 KiB PUT, req/s", rate(rows, "put-4k"), nginx_get, "nginx GET", "",
                   target_ratio=SMALL_PUT_TARGET),
        at_most("4 KiB PUT, server CPU per request", cpu_per_request_us(rows, "put-4k"),
                SMALL_PUT_CPU_TARGET_US, "µs"),
        *features_rows(rows),
        at_most("server peak RSS (VmHWM) over the run's 4 KiB, large and listing phases",
                max(peak_rss) if peak_rss else None, LARGE_RSS_TARGET_MIB, "MiB", strict=True),
        comparison(f"{large} PUT, MiB/s", rate(rows, "put-large"), put_ceiling,
                   put_ceiling_label, "", target_ratio=0.80),
        comparison(f"{large} GET (page cache dropped), MiB/s", rate(rows, "get-large"), dd_read,
                   "dd O_DIRECT read", "", target_ratio=0.80),
        *large_runs_rows(rows, large),
        comparison(f"ListObjectsV2 over {args.list_keys:,} keys, keys/s", rate(rows, "list"),
                   None, "", "", target_abs=LIST_TARGET),
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
        ("put-4k-plain", "4 KiB PUT, notification server, bucket without rules"),
        ("put-4k-notify", "4 KiB PUT, bucket with one notification rule"),
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

    text = f"""# CloudVault benchmarks

Written by `make bench` (`bench/run.sh`); do not edit by hand. Run on {now}, commit
{info['commit']}.

**Machine:** {info['cpu']}, {info['cores']} cores, {info['mem_gib']:.0f} GiB RAM,
{info['kernel']}; data on {info['fs']}; {info['nginx']}. Server, nginx and the load
generator share the same cores.

**Method:** each timed phase runs {args.duration:g} s. The 4 KiB phases use
{args.connections} keep-alive connections from one `cv_bench` thread (C++ Asio/Beast,
requests pre-built; SigV4 with `UNSIGNED-PAYLOAD` against CloudVault, unsigned against
nginx). The PUT phase writes distinct keys; the GET phase cycles over {args.get_keys:,} of the keys
the PUT phase wrote (issue 16's harness: 4,096). The {large} PUT streams one object on one connection; the cold GET reads it back after
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
    console = console_section(rows, now)
    if console:
        text += "\n" + console
    notify = notify_section(rows, now)
    if notify:
        text += "\n" + notify
    replication = replication_section(rows, now)
    if replication:
        text += "\n" + replication
    activity = activity_section(rows)
    if activity:
        text += "\n" + activity
    tls = tls_section(rows, now)
    if tls:
        text += "\n" + tls
    policy = policy_section(rows, now)
    if policy:
        text += "\n" + policy
    metrics = metrics_section(rows, now)
    if metrics:
        text += "\n" + metrics
    features = features_section(rows, now)
    if features:
        text += "\n" + features
    large_bodies = large_section(rows, now, args.large_mib)
    if large_bodies:
        text += "\n" + large_bodies
    if problems:
        text += "\n## Errors\n\n" + "\n".join(problems) + "\n"
    # The analysis of where the time goes is prose kept beside this script, so it survives
    # every regeneration; it cites the figures of the run that motivated it.
    analysis = read_analysis()
    if analysis is not None:
        text += "\n" + analysis
    with open(args.output, "w") as output:
        output.write(text)


if __name__ == "__main__":
    main()
