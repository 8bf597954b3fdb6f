"""Lifecycle rules that really move data: STANDARD -> STANDARD_IA -> GLACIER tiers in their own
folders, restores of archived versions, expirations (current, noncurrent, expired delete markers,
incomplete uploads), storage classes on PUT, usage by class and the event outbox.

Most tests run `cloudvault admin lifecycle run --days-ahead N` against the shared server's data
folder: a pass evaluated as if N lifecycle days had passed, so nothing waits for days. One test
starts a server whose lifecycle day lasts 50 ms and lets its own worker act."""

import json
import os
import time
from pathlib import Path

import pytest

from cvharness import error_of, expect_error

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

SEED_RULES = {
    "Rules": [
        {
            "ID": "seed-plan",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Transitions": [
                {"Days": 30, "StorageClass": "STANDARD_IA"},
                {"Days": 60, "StorageClass": "GLACIER"},
            ],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        }
    ]
}


def text_body(size, seed=""):
    """Compressible bytes (zstd shrinks them a lot)."""
    line = f"CloudVault lifecycle test line {seed} ".encode()
    return (line * (size // len(line) + 1))[:size]


def random_body(size):
    return os.urandom(size)


def run_pass(server, days_ahead=0):
    result = server.admin("lifecycle", "run", "--days-ahead", str(days_ahead))
    return json.loads(result.stdout)


def usage_of(server, bucket):
    [entry] = json.loads(server.admin("usage", bucket).stdout)
    assert entry["bucket"] == bucket
    return {c["storage_class"]: c for c in entry["classes"]}


def events_of(server, bucket):
    lines = server.admin("events", "--limit", "100000").stdout.splitlines()
    return [e for e in map(json.loads, lines) if e["bucket"] == bucket]


def files_under(folder):
    return [p for p in Path(folder).rglob("*") if p.is_file()]


def storage_class_of(s3, bucket, key, **kwargs):
    return s3.head_object(Bucket=bucket, Key=key, **kwargs).get("StorageClass", "STANDARD")


def get_bytes(s3, bucket, key, **kwargs):
    return s3.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()


@pytest.fixture
def versioned(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return bucket


# --------------------------------------------------------------------------------------------
# The seed's plan: 30 days -> STANDARD_IA, 60 days -> GLACIER, versioning on
# --------------------------------------------------------------------------------------------


def test_seed_plan_moves_each_object_through_the_tiers(server, s3, versioned):
    bucket = versioned
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_RULES)
    doc_v1 = text_body(300_000, "v1")
    doc_v2 = text_body(400_000, "v2")
    photo = random_body(200_000)
    v1 = s3.put_object(Bucket=bucket, Key="docs/report.txt", Body=doc_v1)["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="docs/report.txt", Body=doc_v2)["VersionId"]
    s3.put_object(Bucket=bucket, Key="photos/cat.bin", Body=photo)

    # Day 0: nothing is due.
    report = run_pass(server, 0)
    assert report["transitioned"] == 0 and report["failures"] == 0
    assert storage_class_of(s3, bucket, "docs/report.txt") == "STANDARD"

    # Day 31: current versions move to STANDARD_IA; the noncurrent one (noncurrent for 31
    # days) expires.
    report = run_pass(server, 31)
    assert report["transitioned"] == 2, report
    assert report["noncurrent_deleted"] == 1, report
    assert report["failures"] == 0
    assert storage_class_of(s3, bucket, "docs/report.txt") == "STANDARD_IA"
    assert storage_class_of(s3, bucket, "photos/cat.bin") == "STANDARD_IA"
    assert get_bytes(s3, bucket, "docs/report.txt") == doc_v2
    assert get_bytes(s3, bucket, "photos/cat.bin") == photo
    ranged = s3.get_object(Bucket=bucket, Key="docs/report.txt", Range="bytes=262000-262199")
    assert ranged["Body"].read() == doc_v2[262000:262200]
    versions = s3.list_object_versions(Bucket=bucket, Prefix="docs/")["Versions"]
    assert [v["VersionId"] for v in versions] == [v2]
    listed = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert listed == {"docs/report.txt": "STANDARD_IA", "photos/cat.bin": "STANDARD_IA"}
    ia_files = files_under(server.data_dir / "tiers" / "standard_ia" / "blobs")
    assert len(ia_files) >= 2
    usage = usage_of(server, bucket)
    assert usage["STANDARD_IA"]["objects"] == 2
    assert usage["STANDARD_IA"]["logical_bytes"] == len(doc_v2) + len(photo)
    # The text compressed, the random photo did not: stored < logical, by more than the text's
    # half.
    assert usage["STANDARD_IA"]["stored_bytes"] < len(photo) + len(doc_v2) // 2
    with pytest.raises(Exception):
        s3.head_object(Bucket=bucket, Key="docs/report.txt", VersionId=v1)

    # A second pass on the same day repeats nothing.
    again = run_pass(server, 31)
    assert again["transitioned"] == 0 and again["noncurrent_deleted"] == 0

    # Day 61: both archive to GLACIER; their bodies can no longer be read, HEAD still works.
    report = run_pass(server, 61)
    assert report["transitioned"] == 2, report
    assert storage_class_of(s3, bucket, "docs/report.txt") == "GLACIER"
    expect_error(s3.get_object, "InvalidObjectState", 403, Bucket=bucket, Key="docs/report.txt")
    expect_error(
        s3.copy_object,
        "InvalidObjectState",
        403,
        Bucket=bucket,
        Key="copy.txt",
        CopySource={"Bucket": bucket, "Key": "docs/report.txt"},
    )
    assert len(files_under(server.data_dir / "tiers" / "glacier" / "blobs")) >= 2
    assert usage_of(server, bucket)["GLACIER"]["objects"] == 2

    # Restore: 202, then ongoing until a pass makes the copy; a second request meanwhile is
    # refused; then GET reads the copy and HEAD shows its expiry.
    restored = s3.restore_object(Bucket=bucket, Key="docs/report.txt", RestoreRequest={"Days": 2})
    assert restored["ResponseMetadata"]["HTTPStatusCode"] == 202
    head = s3.head_object(Bucket=bucket, Key="docs/report.txt")
    assert head["Restore"] == 'ongoing-request="true"'
    expect_error(
        s3.restore_object,
        "RestoreAlreadyInProgress",
        409,
        Bucket=bucket,
        Key="docs/report.txt",
        RestoreRequest={"Days": 2},
    )
    report = run_pass(server, 0)
    head = s3.head_object(Bucket=bucket, Key="docs/report.txt")
    assert head["Restore"].startswith('ongoing-request="false", expiry-date="'), head["Restore"]
    assert head["StorageClass"] == "GLACIER"
    assert get_bytes(s3, bucket, "docs/report.txt") == doc_v2
    ranged = s3.get_object(Bucket=bucket, Key="docs/report.txt", Range="bytes=5-104")
    assert ranged["Body"].read() == doc_v2[5:105]
    expect_error(s3.get_object, "InvalidObjectState", 403, Bucket=bucket, Key="photos/cat.bin")
    assert usage_of(server, bucket)["GLACIER"]["restored_bytes"] >= len(doc_v2) // 2
    # Restoring again extends the copy (200).
    again = s3.restore_object(Bucket=bucket, Key="docs/report.txt", RestoreRequest={"Days": 2})
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200

    # Day 3 after the restore: the copy expired and is gone.
    report = run_pass(server, 3)
    assert report["restores_expired"] == 1, report
    expect_error(s3.get_object, "InvalidObjectState", 403, Bucket=bucket, Key="docs/report.txt")
    assert "Restore" not in s3.head_object(Bucket=bucket, Key="docs/report.txt")

    names = [e["name"] for e in events_of(server, bucket)]
    assert names.count("s3:LifecycleTransition") == 4
    assert names.count("s3:LifecycleExpiration:Delete") == 1
    assert names.count("s3:ObjectRestore:Post") == 2
    assert names.count("s3:ObjectRestore:Completed") == 1
    assert names.count("s3:ObjectRestore:Delete") == 1
    transition = next(e for e in events_of(server, bucket) if e["name"] == "s3:LifecycleTransition")
    assert transition["detail"]["rule"] == "seed-plan"
    # The destination class, for the event message's lifecycleEventData.
    assert transition["detail"]["to"] in ("STANDARD_IA", "GLACIER")
    assert transition["detail"]["to"] != transition["detail"]["from"]


def test_restore_is_refused_for_objects_that_are_not_archived(s3, bucket):
    s3.put_object(Bucket=bucket, Key="hot", Body=b"x")
    expect_error(
        s3.restore_object,
        "InvalidObjectState",
        403,
        Bucket=bucket,
        Key="hot",
        RestoreRequest={"Days": 1},
    )
    expect_error(
        s3.restore_object, "NoSuchKey", 404, Bucket=bucket, Key="absent", RestoreRequest={"Days": 1}
    )


def test_restore_request_needs_days(raw, bucket, s3):
    s3.put_object(Bucket=bucket, Key="cold", Body=b"x" * 10, StorageClass="GLACIER")
    response = raw.request(
        "POST",
        bucket,
        "cold",
        query=[("restore", None)],
        body=b"<RestoreRequest><Days>0</Days></RestoreRequest>",
    )
    assert response.status == 400
    assert b"MalformedXML" in response.body


# --------------------------------------------------------------------------------------------
# Storage class on PUT
# --------------------------------------------------------------------------------------------


def test_put_with_a_storage_class_writes_into_that_tier(server, s3, bucket):
    body = text_body(50_000, "ia")
    s3.put_object(Bucket=bucket, Key="ia.txt", Body=body, StorageClass="STANDARD_IA")
    head = s3.head_object(Bucket=bucket, Key="ia.txt")
    assert head["StorageClass"] == "STANDARD_IA"
    assert get_bytes(s3, bucket, "ia.txt") == body
    usage = usage_of(server, bucket)
    assert usage["STANDARD_IA"]["stored_bytes"] < len(body) // 4  # zstd frames, not inline

    s3.put_object(Bucket=bucket, Key="archive.bin", Body=b"a" * 1000, StorageClass="GLACIER")
    assert storage_class_of(s3, bucket, "archive.bin") == "GLACIER"
    expect_error(s3.get_object, "InvalidObjectState", 403, Bucket=bucket, Key="archive.bin")
    listed = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert listed == {"archive.bin": "GLACIER", "ia.txt": "STANDARD_IA"}


def test_unknown_storage_classes_are_refused(s3, bucket):
    for name in ("DEEP_ARCHIVE", "FANCY"):
        expect_error(
            s3.put_object,
            "InvalidStorageClass",
            400,
            Bucket=bucket,
            Key="k",
            Body=b"x",
            StorageClass=name,
        )


def test_multipart_upload_into_standard_ia(s3, bucket):
    part = text_body(5 * 1024 * 1024, "part")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big", StorageClass="STANDARD_IA")
    etags = []
    for number in (1, 2):
        etags.append(
            s3.upload_part(
                Bucket=bucket, Key="big", UploadId=upload["UploadId"], PartNumber=number, Body=part
            )["ETag"]
        )
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key="big",
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in zip((1, 2), etags)]},
    )
    assert storage_class_of(s3, bucket, "big") == "STANDARD_IA"
    ranged = s3.get_object(Bucket=bucket, Key="big", Range="bytes=5242870-5242889")
    assert ranged["Body"].read() == (part + part)[5242870:5242890]


# --------------------------------------------------------------------------------------------
# Expirations
# --------------------------------------------------------------------------------------------


def test_expiration_deletes_in_an_unversioned_bucket(server, s3, bucket):
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                 "Expiration": {"Days": 7}}
            ]
        },
    )
    s3.put_object(Bucket=bucket, Key="tmp/a", Body=b"a")
    s3.put_object(Bucket=bucket, Key="keep/b", Body=b"b")
    assert run_pass(server, 6)["expired"] == 0
    report = run_pass(server, 8)
    assert report["expired"] == 1, report
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["keep/b"]
    assert any(e["name"] == "s3:LifecycleExpiration:Delete" and e["key"] == "tmp/a"
               for e in events_of(server, bucket))


def test_expiration_in_a_versioned_bucket_leaves_a_delete_marker_then_removes_it(
    server, s3, versioned
):
    bucket = versioned
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "expire", "Status": "Enabled", "Filter": {},
                 "Expiration": {"Days": 10}},
                {"ID": "clean", "Status": "Enabled", "Filter": {},
                 "NoncurrentVersionExpiration": {"NoncurrentDays": 20}},
                {"ID": "markers", "Status": "Enabled", "Filter": {},
                 "Expiration": {"ExpiredObjectDeleteMarker": True}},
            ]
        },
    )
    version = s3.put_object(Bucket=bucket, Key="k", Body=b"data")["VersionId"]
    report = run_pass(server, 11)
    assert report["expired"] == 1, report
    versions = s3.list_object_versions(Bucket=bucket)
    assert [m["IsLatest"] for m in versions["DeleteMarkers"]] == [True]
    assert [v["VersionId"] for v in versions["Versions"]] == [version]
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="k")
    names = [e["name"] for e in events_of(server, bucket)]
    assert "s3:LifecycleExpiration:DeleteMarkerCreated" in names

    # The data version became noncurrent when the marker was made (day 0 of the real clock);
    # 32 days on it is removed, and the marker, alone now, goes with it.
    report = run_pass(server, 32)
    assert report["noncurrent_deleted"] == 1, report
    assert report["delete_markers_removed"] == 1, report
    versions = s3.list_object_versions(Bucket=bucket)
    assert "Versions" not in versions and "DeleteMarkers" not in versions


def test_newer_noncurrent_versions_are_kept(server, s3, versioned):
    bucket = versioned
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "keep-two", "Status": "Enabled", "Filter": {},
                 "NoncurrentVersionExpiration": {"NoncurrentDays": 1,
                                                 "NewerNoncurrentVersions": 2}}
            ]
        },
    )
    ids = [s3.put_object(Bucket=bucket, Key="k", Body=str(i).encode())["VersionId"]
           for i in range(5)]
    report = run_pass(server, 2)
    assert report["noncurrent_deleted"] == 2, report
    remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]]
    assert remaining == [ids[4], ids[3], ids[2]]


def test_incomplete_multipart_uploads_are_aborted(server, s3, bucket):
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "abort", "Status": "Enabled", "Filter": {"Prefix": "up/"},
                 "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}}
            ]
        },
    )
    stale = s3.create_multipart_upload(Bucket=bucket, Key="up/stale")["UploadId"]
    other = s3.create_multipart_upload(Bucket=bucket, Key="elsewhere")["UploadId"]
    assert run_pass(server, 2)["uploads_aborted"] == 0
    assert run_pass(server, 4)["uploads_aborted"] == 1
    left = [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]]
    assert left == [other]
    expect_error(
        s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="up/stale", UploadId=stale
    )


def test_small_objects_do_not_transition_unless_a_size_filter_says_so(server, s3, bucket):
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "default", "Status": "Enabled", "Filter": {"Prefix": "a/"},
                 "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]},
                {"ID": "sized", "Status": "Enabled",
                 "Filter": {"And": {"Prefix": "b/", "ObjectSizeGreaterThan": 0}},
                 "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]},
            ]
        },
    )
    s3.put_object(Bucket=bucket, Key="a/small", Body=b"tiny")
    s3.put_object(Bucket=bucket, Key="b/small", Body=b"tiny too")
    report = run_pass(server, 31)
    assert report["transitioned"] == 1, report
    assert storage_class_of(s3, bucket, "a/small") == "STANDARD"
    assert storage_class_of(s3, bucket, "b/small") == "STANDARD_IA"
    assert get_bytes(s3, bucket, "b/small") == b"tiny too"


def test_changing_the_rules_reschedules_existing_objects(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="old", Body=text_body(200_000))
    assert run_pass(server, 40)["transitioned"] == 0  # no rules yet
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [{"ID": "ia", "Status": "Enabled", "Filter": {},
                       "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]}]
        },
    )
    assert run_pass(server, 40)["transitioned"] == 1
    assert storage_class_of(s3, bucket, "old") == "STANDARD_IA"


# --------------------------------------------------------------------------------------------
# The server's own worker, with a lifecycle day of 50 ms
# --------------------------------------------------------------------------------------------


def test_the_servers_worker_applies_rules_with_a_short_day(server_factory, tmp_path):
    config = tmp_path / "fast-days.toml"
    config.write_text("[lifecycle]\nday_seconds = 0.05\ninterval_seconds = 0.2\n")
    fast = server_factory(extra_args=("--config", str(config)), name="fastdays")
    from cvharness import make_client

    client = make_client(fast.endpoint, fast.access_key, fast.secret_key)
    client.create_bucket(Bucket="fast")
    client.put_bucket_lifecycle_configuration(
        Bucket="fast",
        LifecycleConfiguration={
            "Rules": [{"ID": "ia", "Status": "Enabled", "Filter": {},
                       "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]}]
        },
    )
    body = text_body(200_000)
    client.put_object(Bucket="fast", Key="k", Body=body)
    # 30 days of 50 ms: the worker (every 200 ms) moves it within seconds. Poll with a bound.
    deadline = time.monotonic() + 60
    while storage_class_of(client, "fast", "k") != "STANDARD_IA":
        assert time.monotonic() < deadline, "the server's lifecycle worker never moved the object"
        time.sleep(0.1)
    assert get_bytes(client, "fast", "k") == body


# --------------------------------------------------------------------------------------------
# Crash safety of a pass
# --------------------------------------------------------------------------------------------


def test_a_pass_killed_midway_loses_nothing_and_repeats_nothing(server, s3, bucket):
    import signal
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    count = 1500
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [{"ID": "all", "Status": "Enabled",
                       "Filter": {"ObjectSizeGreaterThan": 0},
                       "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]}]
        },
    )
    bodies = {f"k{i:05d}": f"body of object {i}".encode() for i in range(count)}
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda item: s3.put_object(Bucket=bucket, Key=item[0], Body=item[1]),
                      bodies.items()))

    run = subprocess.Popen(
        [server.binary, "admin", "lifecycle", "run", "--days-ahead", "31",
         "--data", str(server.data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=server.env(),
    )
    # Kill it once some, but not all, objects have moved.
    deadline = time.monotonic() + 120
    moved = 0
    while run.poll() is None and time.monotonic() < deadline:
        moved = usage_of(server, bucket).get("STANDARD_IA", {}).get("objects", 0)
        if moved > 0:
            run.send_signal(signal.SIGKILL)
            break
    run.wait(timeout=60)
    killed_midway = run.returncode == -signal.SIGKILL
    partial = usage_of(server, bucket).get("STANDARD_IA", {}).get("objects", 0)
    if killed_midway:
        assert 0 < partial < count, "the pass was not interrupted in the middle"

    report = run_pass(server, 31)
    assert report["failures"] == 0
    usage = usage_of(server, bucket)
    assert usage["STANDARD_IA"]["objects"] == count
    assert "STANDARD" not in usage
    transitions = [e["key"] for e in events_of(server, bucket)
                   if e["name"] == "s3:LifecycleTransition"]
    assert sorted(transitions) == sorted(bodies), "each object moved exactly once"
    for key in ("k00000", f"k{count // 2:05d}", f"k{count - 1:05d}"):
        assert get_bytes(s3, bucket, key) == bodies[key]
    assert killed_midway, "the pass finished before it could be killed: use more objects"


# --------------------------------------------------------------------------------------------
# Tiers and encryption together
# --------------------------------------------------------------------------------------------


def test_encrypted_objects_move_through_the_tiers_still_encrypted(server, s3, bucket):
    started = time.time() - 1
    marker = os.urandom(16).hex().encode()
    body = marker * (300_000 // len(marker))
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_RULES)
    s3.put_object(Bucket=bucket, Key="secret", Body=body, ServerSideEncryption="AES256")
    run_pass(server, 31)
    head = s3.head_object(Bucket=bucket, Key="secret")
    assert head["StorageClass"] == "STANDARD_IA"
    assert head["ServerSideEncryption"] == "AES256"
    assert get_bytes(s3, bucket, "secret") == body
    ranged = s3.get_object(Bucket=bucket, Key="secret", Range="bytes=131000-131099")
    assert ranged["Body"].read() == body[131000:131100]
    run_pass(server, 61)
    s3.restore_object(Bucket=bucket, Key="secret", RestoreRequest={"Days": 1})
    run_pass(server, 0)
    assert get_bytes(s3, bucket, "secret") == body
    # Neither tier folder nor the restored copy holds the plaintext.
    written = [p for p in files_under(server.data_dir / "tiers") + files_under(server.data_dir / "blobs")
               if p.stat().st_mtime >= started]
    assert len(written) >= 3  # the IA copy, the GLACIER copy, the restored copy
    for path in written:
        assert marker not in path.read_bytes(), path


def test_a_delete_marker_left_alone_by_a_client_is_removed(server, s3, versioned):
    bucket = versioned
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [{"ID": "markers", "Status": "Enabled", "Filter": {},
                       "Expiration": {"ExpiredObjectDeleteMarker": True}}]
        },
    )
    version = s3.put_object(Bucket=bucket, Key="k", Body=b"v")["VersionId"]
    s3.delete_object(Bucket=bucket, Key="k")
    assert run_pass(server, 0)["delete_markers_removed"] == 0  # it still hides a version
    s3.delete_object(Bucket=bucket, Key="k", VersionId=version)
    assert run_pass(server, 0)["delete_markers_removed"] == 1
    assert "DeleteMarkers" not in s3.list_object_versions(Bucket=bucket)


# --------------------------------------------------------------------------------------------
# The aws CLI
# --------------------------------------------------------------------------------------------


def test_tiers_and_restore_through_the_aws_cli(server, aws_cli, bucket, tmp_path):
    body = text_body(200_000, "cli")
    source = tmp_path / "doc.txt"
    source.write_bytes(body)
    aws_cli("s3", "cp", str(source), f"s3://{bucket}/ia/doc.txt", "--storage-class", "STANDARD_IA")
    aws_cli("s3", "cp", str(source), f"s3://{bucket}/cold/doc.txt", "--storage-class", "GLACIER")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket,
                              "--key", "ia/doc.txt").stdout)
    assert head["StorageClass"] == "STANDARD_IA"
    listed = json.loads(aws_cli("s3api", "list-objects-v2", "--bucket", bucket).stdout)
    assert {o["Key"]: o["StorageClass"] for o in listed["Contents"]} == {
        "cold/doc.txt": "GLACIER", "ia/doc.txt": "STANDARD_IA"}
    aws_cli("s3", "cp", f"s3://{bucket}/ia/doc.txt", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_bytes() == body

    refused = aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "cold/doc.txt",
                      str(tmp_path / "no.txt"), check=False)
    assert refused.returncode != 0 and "InvalidObjectState" in refused.stderr
    aws_cli("s3api", "restore-object", "--bucket", bucket, "--key", "cold/doc.txt",
            "--restore-request", "Days=1")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket,
                              "--key", "cold/doc.txt").stdout)
    assert head["Restore"] == 'ongoing-request="true"'
    run_pass(server, 0)
    aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "cold/doc.txt",
            str(tmp_path / "restored.txt"))
    assert (tmp_path / "restored.txt").read_bytes() == body
