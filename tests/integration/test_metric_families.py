"""Issue 15's metric families beyond the request counters, against the real server: per-bucket
usage that equals ListObjectVersions totals through puts, overwrites, deletes, delete markers
and lifecycle transitions; multipart uploads in progress; the outbox's depth, age and parked
tasks; notification deliveries per target and outcome; replication backlog and lag with the
remote down; lifecycle passes and transitions; the audit trail's queue and files; group
commits, the WAL and connections; and `promtool check metrics` on an exposition holding every
family."""

import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections import defaultdict

import pytest
from botocore.exceptions import ClientError

from cvharness import make_client
from test_metrics import SERIES, scrape
from test_notifications import Receiver, queue_rule, webhook_target, write_config
from test_notify_targets import WEBHOOK_SECRET, free_port
from test_replication import replicate, rule, versioned
from test_replication import write_config as write_replication_config
from test_trail import trail


def samples(text, name):
    """{frozenset(labels.items()): value} of every sample of `name`."""
    found = {}
    for line in text.splitlines():
        match = SERIES.match(line)
        if match and match.group(1) == name:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
            found[frozenset(labels.items())] = float(match.group(3))
    return found


def sample(text, name, **labels):
    """The value of the one sample of `name` with exactly `labels`, or None."""
    return samples(text, name).get(frozenset(labels.items()))


def poll(check, what, seconds=30):
    """Polls `check` (returning a truthy value when satisfied) until a deadline."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def listed_usage(s3, bucket):
    """What ListObjectVersions says, in the metrics' terms: per storage class (objects, bytes,
    noncurrent versions, noncurrent bytes), and the delete markers."""
    usage = defaultdict(lambda: [0, 0, 0, 0])
    markers = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            row = usage[version.get("StorageClass", "STANDARD")]
            if version["IsLatest"]:
                row[0] += 1
                row[1] += version["Size"]
            else:
                row[2] += 1
                row[3] += version["Size"]
        markers += len(page.get("DeleteMarkers", []))
    return {k: tuple(v) for k, v in usage.items()}, markers


def metric_usage(text, bucket):
    usage = {}
    for labels, value in samples(text, "cloudvault_bucket_objects").items():
        labels = dict(labels)
        if labels["bucket"] != bucket:
            continue
        cls = labels["storage_class"]
        usage[cls] = tuple(
            int(sample(text, name, bucket=bucket, storage_class=cls))
            for name in ("cloudvault_bucket_objects", "cloudvault_bucket_bytes",
                         "cloudvault_bucket_noncurrent_versions",
                         "cloudvault_bucket_noncurrent_bytes"))
    markers = int(sample(text, "cloudvault_bucket_delete_markers", bucket=bucket) or 0)
    return usage, markers


def usage_matches_listing(server, s3, bucket):
    wanted = listed_usage(s3, bucket)
    # Store reads are cached for up to 2 s: poll until a scrape shows the listing's state.
    poll(lambda: metric_usage(scrape(server)[2], bucket) == wanted,
         f"the usage metrics of {bucket} to equal {wanted}", seconds=15)
    return wanted


def promtool_check(text):
    checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_usage_metrics_equal_list_object_versions_through_every_change(server, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    big = b"t" * 200_000  # lifecycle moves objects of 128 KiB and more
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"doc{i}", Body=b"x" * (100 + i))
    s3.put_object(Bucket=bucket, Key="doc0", Body=b"y" * 7)  # a second version
    s3.put_object(Bucket=bucket, Key="archive/a", Body=big)
    s3.put_object(Bucket=bucket, Key="archive/a", Body=big + b"2")
    usage, markers = usage_matches_listing(server, s3, bucket)
    assert usage == {"STANDARD": (4, 7 + 101 + 102 + 200_001, 2, 100 + 200_000)} and markers == 0

    # A delete marker, then removing a noncurrent version for good.
    s3.delete_object(Bucket=bucket, Key="doc1")
    old = [v for v in s3.list_object_versions(Bucket=bucket, Prefix="doc0")["Versions"]
           if not v["IsLatest"]]
    s3.delete_object(Bucket=bucket, Key="doc0", VersionId=old[0]["VersionId"])
    usage, markers = usage_matches_listing(server, s3, bucket)
    assert markers == 1 and usage["STANDARD"][0] == 3

    # A transition by `admin lifecycle run` (current and noncurrent versions to GLACIER).
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "cold", "Status": "Enabled", "Filter": {"Prefix": "archive/"},
         "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}],
         "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "GLACIER"}]}]})
    report = json.loads(server.admin("lifecycle", "run", "--days-ahead", "5").stdout)
    assert report["transitioned"] == 2, report
    usage, markers = usage_matches_listing(server, s3, bucket)
    assert usage["GLACIER"] == (1, 200_001, 1, 200_000)

    # Emptying the bucket takes its series away.
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])
    poll(lambda: metric_usage(scrape(server)[2], bucket) == ({}, 0), "the series to go")


def test_multipart_uploads_in_progress_move_exactly(server, s3, bucket):
    def count():
        return sample(scrape(server)[2], "cloudvault_multipart_uploads_in_progress")

    before = poll(lambda: count() is not None and [count()], "the uploads gauge")[0]
    ids = [s3.create_multipart_upload(Bucket=bucket, Key=f"u{i}")["UploadId"] for i in range(3)]
    poll(lambda: count() == before + 3, "three uploads in progress")
    s3.abort_multipart_upload(Bucket=bucket, Key="u0", UploadId=ids[0])
    poll(lambda: count() == before + 2, "one aborted")
    for i, upload_id in enumerate(ids[1:], start=1):
        s3.abort_multipart_upload(Bucket=bucket, Key=f"u{i}", UploadId=upload_id)
    poll(lambda: count() == before, "all aborted")


def test_connections_commits_and_the_wal_are_measured(server, s3, bucket):
    text = scrape(server)[2]
    accepted = sample(text, "cloudvault_connections_total")
    commits = sample(text, "cloudvault_meta_commit_batch_size_count")
    committed_changes = sample(text, "cloudvault_meta_commit_batch_size_sum")
    assert accepted >= 1 and sample(text, "cloudvault_connections_open") >= 1
    # A fresh client opens a new connection; each PUT is at least one committed change.
    fresh = make_client(server.endpoint, server.access_key, server.secret_key)
    for i in range(3):
        fresh.put_object(Bucket=bucket, Key=f"c{i}", Body=b"x")
    text = scrape(server)[2]
    assert sample(text, "cloudvault_connections_total") >= accepted + 1
    assert sample(text, "cloudvault_meta_commit_batch_size_count") >= commits + 1
    assert sample(text, "cloudvault_meta_commit_batch_size_sum") >= committed_changes + 3
    assert sample(text, "cloudvault_meta_fsync_seconds_count") == sample(
        text, "cloudvault_meta_commit_batch_size_count")
    assert sample(text, "cloudvault_sqlite_wal_bytes") > 0


def test_deliveries_and_parked_tasks_per_target(server_factory, tmp_path):
    good, bad = Receiver(200), Receiver(500)  # 500: retried, then parked after 2 tries
    try:
        config = write_config(tmp_path, {"good": webhook_target(good), "bad": webhook_target(bad)},
                              events={"retry_first_seconds": 0.02, "retry_max_seconds": 0.05,
                                      "max_attempts": 2})
        instance = server_factory(name="notify", extra_args=["--config", str(config)])
        s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
        s3.create_bucket(Bucket="photos")
        s3.put_bucket_notification_configuration(Bucket="photos", NotificationConfiguration={
            "QueueConfigurations": [queue_rule("good", ["s3:ObjectCreated:*"], prefix="good/"),
                                    queue_rule("bad", ["s3:ObjectCreated:*"], prefix="bad/")]})
        for i in range(3):
            s3.put_object(Bucket="photos", Key=f"good/p{i}.jpg", Body=b"jpeg")
            s3.put_object(Bucket="photos", Key=f"bad/p{i}.jpg", Body=b"jpeg")

        def counted(text, target, outcome):
            return sample(text, "cloudvault_notification_deliveries_total", target=target,
                          outcome=outcome)

        def settled():
            text = scrape(instance)[2]
            delivered = counted(text, "good", "delivered")
            retried, failed = counted(text, "bad", "retried"), counted(text, "bad", "failed")
            parked = sample(text, "cloudvault_outbox_failed_tasks", consumer="notify")
            # Every try the receivers saw is counted: 3 puts (and the configuration's test
            # event) delivered to one, each tried twice and parked at the other.
            depth = sample(text, "cloudvault_outbox_depth", consumer="notify")
            if (depth == 0 and delivered == len(good.requests) >= 3 and failed == parked >= 3
                    and retried + failed == bad.refused and retried == failed):
                return text
            return None

        text = poll(settled, "every delivery try counted")
        # Every configured target's series exist from the start, at 0 until something happens.
        assert counted(text, "good", "failed") == 0 and counted(text, "good", "retried") == 0
        promtool_check(text)
    finally:
        good.stop()
        bad.stop()


def test_replication_backlog_and_lag_while_the_remote_is_down(server_factory, tmp_path):
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config = write_replication_config(
        tmp_path, remotes={"offsite": {"endpoint": down, "region": "us-east-1",
                                       "access_key": "AKIAEXAMPLE", "secret_key": "x" * 40}},
        events={"retry_first_seconds": 60, "retry_max_seconds": 60, "max_attempts": 1000})
    instance = server_factory(name="replicating", extra_args=["--config", str(config)])
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    versioned(s3, "docs")
    replicate(s3, "docs", rule("offsite-backup", account="offsite"))
    for i in range(4):
        s3.put_object(Bucket="docs", Key=f"k{i}", Body=b"z" * (1000 * (i + 1)))

    def backlog():
        text = scrape(instance)[2]
        if sample(text, "cloudvault_replication_pending", bucket="docs") == 4:
            return text
        return None

    text = poll(backlog, "four versions pending")
    assert sample(text, "cloudvault_replication_pending_bytes", bucket="docs") == 10_000
    first_lag = sample(text, "cloudvault_replication_lag_seconds", bucket="docs")
    assert first_lag >= 0
    # The lag is the age of the oldest waiting version: it grows while the remote stays down.
    poll(lambda: sample(scrape(instance)[2], "cloudvault_replication_lag_seconds",
                        bucket="docs") >= first_lag + 1.0, "the lag to grow", seconds=20)
    text = scrape(instance)[2]
    assert sample(text, "cloudvault_outbox_depth", consumer="replicate") >= 4
    assert sample(text, "cloudvault_outbox_oldest_age_seconds", consumer="replicate") > 0
    promtool_check(text)


def test_the_servers_lifecycle_passes_count_transitions(server_factory, tmp_path):
    config = tmp_path / "fast-days.toml"
    config.write_text("[lifecycle]\nday_seconds = 0.05\ninterval_seconds = 0.2\n")
    instance = server_factory(extra_args=("--config", str(config)), name="fastdays")
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="fast")
    s3.put_bucket_lifecycle_configuration(Bucket="fast", LifecycleConfiguration={"Rules": [
        {"ID": "ia", "Status": "Enabled", "Filter": {},
         "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]}]})
    s3.put_object(Bucket="fast", Key="a", Body=b"a" * 200_000)
    s3.put_object(Bucket="fast", Key="b", Body=b"b" * 200_000)
    text = poll(lambda: (lambda t: t if sample(t, "cloudvault_lifecycle_transitions_total",
                                               storage_class="STANDARD_IA") == 2 else None)(
        scrape(instance)[2]), "two transitions counted")
    assert sample(text, "cloudvault_lifecycle_pass_duration_seconds_count") >= 1
    assert sample(text, "cloudvault_lifecycle_expirations_total") == 0
    poll(lambda: sample(scrape(instance)[2], "cloudvault_bucket_objects", bucket="fast",
                        storage_class="STANDARD_IA") == 2, "the usage in the new class")


def test_every_family_is_exported_and_passes_promtool(server_factory, tmp_path):
    config = tmp_path / "families.toml"
    config.write_text('[trail]\nenabled = true\n\n[notify.targets.hook]\ntype = "webhook"\n'
                      f'url = "http://127.0.0.1:9/events"\nsecret = "{WEBHOOK_SECRET}"\n')
    instance = server_factory(name="families", extra_args=["--config", str(config)])
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="fam")
    s3.put_object(Bucket="fam", Key="k", Body=b"v")
    s3.create_multipart_upload(Bucket="fam", Key="m")
    trail(instance, "flush", config=config)  # the server writes the log files
    text = poll(lambda: (lambda t: t if (sample(t, "cloudvault_trail_files_total") or 0) >= 1
                         else None)(scrape(instance)[2]), "a trail file written")
    families = {
        "cloudvault_bucket_objects", "cloudvault_bucket_bytes",
        "cloudvault_bucket_noncurrent_versions", "cloudvault_bucket_noncurrent_bytes",
        "cloudvault_bucket_delete_markers", "cloudvault_multipart_uploads_in_progress",
        "cloudvault_outbox_depth", "cloudvault_outbox_oldest_age_seconds",
        "cloudvault_outbox_failed_tasks", "cloudvault_replication_pending",
        "cloudvault_replication_pending_bytes", "cloudvault_replication_lag_seconds",
        "cloudvault_lifecycle_pass_duration_seconds", "cloudvault_lifecycle_transitions_total",
        "cloudvault_lifecycle_expirations_total", "cloudvault_notification_deliveries_total",
        "cloudvault_trail_queue_records", "cloudvault_trail_files_total",
        "cloudvault_meta_commit_batch_size", "cloudvault_meta_fsync_seconds",
        "cloudvault_sqlite_wal_bytes", "cloudvault_connections_open",
        "cloudvault_connections_total",
    }
    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    assert families <= declared, families - declared
    assert sample(text, "cloudvault_bucket_objects", bucket="fam", storage_class="STANDARD") == 1
    assert sample(text, "cloudvault_multipart_uploads_in_progress") == 1
    assert sample(text, "cloudvault_trail_queue_records") is not None
    promtool_check(text)


def test_the_separate_metrics_listener_serves_metrics_and_health_only(server_factory, tmp_path):
    config = tmp_path / "listener.toml"
    config.write_text(f'[metrics]\nlisten = "127.0.0.1:{free_port()}"\n')
    instance = server_factory(name="listener", extra_args=["--config", str(config)])
    port = int(instance.wait_for_stdout(
        r"^metrics listening on http://127\.0\.0\.1:(\d+)/metrics$").group(1))
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="metrics")  # on the S3 port, a bucket may be named "metrics"
    s3.put_object(Bucket="metrics", Key="k", Body=b"v")

    def get(path, headers=None):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    status, text = get("/metrics")
    assert status == 200 and "cloudvault_bucket_objects" in text
    promtool_check(text)
    assert get("/_cloudvault/health") == (200, '{"status":"ok"}')
    # Nothing of S3 or the console is reachable there, signed or not.
    assert get("/metrics/k")[0] == 404
    assert get("/")[0] == 404
    signed = make_client(f"http://127.0.0.1:{port}", instance.access_key, instance.secret_key)
    with pytest.raises(ClientError) as refused:
        signed.list_buckets()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # A signed GET /metrics is the endpoint here (on the S3 port it would list the bucket).
    status, text = get("/metrics", {"Authorization": "AWS4-HMAC-SHA256 Credential=x"})
    assert status == 200 and text.startswith("#")
    # Scrapes there are counted like scrapes on the S3 port.
    assert sample(get("/metrics")[1], "cloudvault_requests_total", api="other",
                  operation="GetMetrics", status_class="2xx") >= 2
