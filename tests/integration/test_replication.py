"""Replication ("backup", issue 12) against the real server: rules put with boto3 or the aws
CLI copy each new version to a bucket of the same server or of a second `cloudvault server`
(the remote S3 endpoint); x-amz-replication-status moves PENDING -> COMPLETED / FAILED, the
replica says REPLICA and keeps the source's version id; receipts and failure alerts reach a
real SMTP server (aiosmtpd). The seed's test matrix (personal-file-backup.md) is here."""

import hashlib
import json
import os

import pytest
from aiosmtpd.controller import Controller

from cvharness import make_client
from test_notifications import Receiver, tasks, wait_until
from test_notify_targets import MailSink, free_port, smtp_server  # noqa: F401 (fixture)

DST_ARN = "arn:aws:s3:::{}"


def write_config(tmp_path, mail_port=None, remotes=None, events=None, name="cloudvault.toml"):
    text = '[server]\npublic_url = "https://vault.example.com"\n'
    if events:
        text += "\n[events]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in events.items())
    if mail_port:
        text += (f'\n[notify.targets.mail]\ntype = "smtp"\nurl = "smtp://127.0.0.1:{mail_port}"\n'
                 'from = "cloudvault@example.com"\nto = ["me@example.com"]\n')
    for remote_name, remote in (remotes or {}).items():
        text += f"\n[replication.remotes.{remote_name}]\n"
        text += "".join(f"{k} = {json.dumps(v)}\n" for k, v in remote.items())
    path = tmp_path / name
    path.write_text(text)
    return path


def start(server_factory, tmp_path, name="src", **config):
    path = write_config(tmp_path, name=f"{name}.toml", **config)
    server = server_factory(name=name, extra_args=["--config", str(path)])
    return server, make_client(server.endpoint, server.access_key, server.secret_key)


def versioned(s3, *buckets):
    for bucket in buckets:
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def rule(dst, rule_id="backup", priority=1, prefix="", delete_markers=False, existing=None,
         account=None, tags=None):
    flt = {"Prefix": prefix}
    if tags:
        flt = {"And": {"Prefix": prefix, "Tags": [{"Key": k, "Value": v} for k, v in tags]}}
    r = {"ID": rule_id, "Priority": priority, "Status": "Enabled", "Filter": flt,
         "Destination": {"Bucket": DST_ARN.format(dst)},
         "DeleteMarkerReplication": {"Status": "Enabled" if delete_markers else "Disabled"}}
    if account:
        r["Destination"]["Account"] = account
    if existing is not None:
        r["ExistingObjectReplication"] = {"Status": "Enabled" if existing else "Disabled"}
    return r


def replicate(s3, src, *rules):
    s3.put_bucket_replication(Bucket=src, ReplicationConfiguration={
        "Role": "arn:aws:iam::000000000000:role/backup", "Rules": list(rules)})


def write_big_file(path, mib, block):
    """`mib` MiB: `block` (1 MiB) repeated, each copy numbered so no two MiB are equal."""
    with open(path, "wb") as f:
        for i in range(mib):
            f.write(i.to_bytes(4, "big") + block[4:])
    return path


def md5_of_object(s3, bucket, key):
    """The MD5 of an object's bytes, read in 1 MiB pieces."""
    digest = hashlib.md5()
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    for chunk in iter(lambda: body.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def status_of(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id else {}
    return s3.head_object(Bucket=bucket, Key=key, **kwargs).get("ReplicationStatus", "")


def wait_status(s3, bucket, key, wanted, version_id=None, timeout=30):
    wait_until(lambda: status_of(s3, bucket, key, version_id) == wanted, timeout,
               f"{bucket}/{key} to become {wanted}")


@pytest.fixture
def smtp(smtp_server):
    """A real SMTP server (aiosmtpd) on loopback: (controller, sink)."""
    return smtp_server


def test_happy_path_copies_the_version_and_marks_both_sides(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "backup")
    replicate(s3, "docs", rule("backup"))
    body = os.urandom(300_000)
    put = s3.put_object(Bucket="docs", Key="sample.pdf", Body=body, ContentType="application/pdf",
                        Metadata={"owner": "ann"}, Tagging="kind=report")
    wait_status(s3, "docs", "sample.pdf", "COMPLETED")
    replica = s3.get_object(Bucket="backup", Key="sample.pdf")
    assert replica["Body"].read() == body
    assert replica["VersionId"] == put["VersionId"]
    assert replica["ReplicationStatus"] == "REPLICA"
    assert replica["ContentType"] == "application/pdf"
    assert replica["Metadata"] == {"owner": "ann"}
    assert replica["ETag"] == put["ETag"]
    source = s3.head_object(Bucket="docs", Key="sample.pdf")
    assert replica["LastModified"] == source["LastModified"]
    tags = s3.get_object_tagging(Bucket="backup", Key="sample.pdf")["TagSet"]
    assert tags == [{"Key": "kind", "Value": "report"}]
    # The replica is not replicated again, and nothing is left to do.
    assert tasks(server) == []


def backup_status(server, config, bucket=None):
    args = ["backup", "status"] + ([bucket] if bucket else []) + ["--json", "--config", str(config)]
    return json.loads(server.admin(*args).stdout)


def test_backup_create_with_an_email_receipt(server_factory, tmp_path, smtp):
    controller, mail = smtp
    config = write_config(tmp_path, mail_port=controller.port, name="mail.toml")
    server = server_factory(name="mail", extra_args=["--config", str(config)])
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="before.jpg", Body=b"old photo")  # backfilled
    created = json.loads(server.admin("backup", "create", "--from", "photos", "--to", "backup",
                                      "--receipt", "mail", "--failure", "mail",
                                      "--config", str(config)).stdout)
    assert created["rule"] == "backup-to-backup" and created["versioning"] == "Enabled"
    # Picked up by the running server at once: new uploads replicate.
    body = os.urandom(3_200_000)
    s3.put_object(Bucket="photos", Key="summer/a.jpg", Body=body)
    wait_status(s3, "photos", "summer/a.jpg", "COMPLETED")
    assert s3.get_object(Bucket="backup", Key="summer/a.jpg")["Body"].read() == body
    wait_status(s3, "photos", "before.jpg", "COMPLETED")
    assert s3.get_object(Bucket="backup", Key="before.jpg")["Body"].read() == b"old photo"
    # One receipt per backed-up object, naming key, size and destination.
    wait_until(lambda: len(mail.envelopes) >= 2, what="two receipts")
    texts = [e.content.decode("utf-8", "replace") for e in mail.envelopes]
    receipt = next(t for t in texts if "summer/a.jpg" in t)
    assert "Backed up" in receipt and "3.2 MB" in receipt and "backup" in receipt
    status = backup_status(server, config, "photos")
    rule_status = status[0]["rules"][0]
    assert rule_status["rule"] == "backup-to-backup"
    assert rule_status["replicated"] == 2
    assert rule_status["replicated_bytes"] == len(body) + len(b"old photo")
    assert rule_status["pending"] == 0 and rule_status["failed"] == 0
    assert rule_status["receipt"] == ["mail"]
    human = server.admin("backup", "status", "--config", str(config)).stdout
    assert "backup-to-backup" in human and "done 2" in human


def test_a_replayed_event_is_skipped_and_counted(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    config = tmp_path / "src.toml"
    versioned(s3, "docs", "backup")
    replicate(s3, "docs", rule("backup"))
    s3.put_object(Bucket="docs", Key="sample.pdf", Body=b"%PDF-1.4 sample")
    wait_status(s3, "docs", "sample.pdf", "COMPLETED")
    replay = json.loads(server.admin("backup", "retry", "docs", "--key", "sample.pdf").stdout)
    assert replay["requeued"] == 1
    wait_until(lambda: backup_status(server, config, "docs")[0]["rules"][0]["skipped"] == 1,
               what="skip_copy counted")
    wait_status(s3, "docs", "sample.pdf", "COMPLETED")
    versions = s3.list_object_versions(Bucket="backup")["Versions"]
    assert len(versions) == 1
    assert backup_status(server, config, "docs")[0]["rules"][0]["replicated"] == 1


def test_a_versioned_rewrite_keeps_the_latest_current_at_the_backup(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "backup")
    replicate(s3, "docs", rule("backup"))
    first = s3.put_object(Bucket="docs", Key="notes.txt", Body=b"same bytes")
    second = s3.put_object(Bucket="docs", Key="notes.txt", Body=b"same bytes")  # identical
    third = s3.put_object(Bucket="docs", Key="notes.txt", Body=b"new bytes")
    for put in (first, second, third):
        wait_status(s3, "docs", "notes.txt", "COMPLETED", put["VersionId"])
    source_ids = [v["VersionId"] for v in s3.list_object_versions(Bucket="docs")["Versions"]]
    backup_ids = [v["VersionId"] for v in s3.list_object_versions(Bucket="backup")["Versions"]]
    assert backup_ids == source_ids == [third["VersionId"], second["VersionId"],
                                        first["VersionId"]]
    current = s3.get_object(Bucket="backup", Key="notes.txt")
    assert current["VersionId"] == third["VersionId"]
    assert current["Body"].read() == b"new bytes"


def test_encryption_at_the_destination(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "vault")
    s3.put_bucket_encryption(Bucket="vault", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    replicate(s3, "docs", rule("vault"))
    marker = b"PLAINTEXT-MARKER-" * 20_000  # stored as a blob file, not inline
    s3.put_object(Bucket="docs", Key="secret.txt", Body=marker)
    wait_status(s3, "docs", "secret.txt", "COMPLETED")
    replica = s3.get_object(Bucket="vault", Key="secret.txt")
    assert replica["ServerSideEncryption"] == "AES256"
    assert replica["Body"].read() == marker
    assert "ServerSideEncryption" not in s3.head_object(Bucket="docs", Key="secret.txt")
    # At rest: no file of the data folder holds the plaintext, except the source's own blob.
    holders = []
    for root, _, files in os.walk(server.data_dir):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                if b"PLAINTEXT-MARKER-PLAINTEXT-MARKER" in f.read():
                    holders.append(path)
    assert len(holders) == 1, holders


def test_a_missing_destination_fails_visibly_and_alerts(server_factory, tmp_path, smtp):
    controller, mail = smtp
    server, s3 = start(server_factory, tmp_path, mail_port=controller.port)
    config = tmp_path / "src.toml"
    versioned(s3, "docs", "backup")
    server.admin("backup", "create", "--from", "docs", "--to", "backup", "--failure", "mail",
                 "--config", str(config))
    s3.delete_bucket(Bucket="backup")  # misconfigured: the destination is gone
    s3.put_object(Bucket="docs", Key="lost.pdf", Body=b"data")
    wait_status(s3, "docs", "lost.pdf", "FAILED")
    wait_until(lambda: mail.envelopes, what="the failure alert")
    alert = mail.envelopes[0].content.decode("utf-8", "replace")
    assert "Backup failed" in alert and "lost.pdf" in alert
    failed = tasks(server, failed=True)
    assert [t["event"]["key"] for t in failed] == ["lost.pdf"]
    assert "NoSuchBucket" in failed[0]["last_error"]
    status = backup_status(server, config, "docs")[0]["rules"][0]
    assert status["failed"] == 1 and "NoSuchBucket" in status["last_error"]
    assert any("lost.pdf" in line and "FAILED" in line and "NoSuchBucket" in line
               for line in server.log_messages())
    # Fixed and retried: COMPLETED.
    versioned(s3, "backup")
    assert json.loads(server.admin("backup", "retry", "docs").stdout)["retried"] == 1
    wait_status(s3, "docs", "lost.pdf", "COMPLETED")
    assert s3.get_object(Bucket="backup", Key="lost.pdf")["Body"].read() == b"data"


def test_filters_select_exactly_the_objects_they_name(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "by-prefix", "by-suffix", "by-tag", "by-type")
    replicate(s3, "docs",
              rule("by-prefix", "prefix", 1, prefix="reports/"),
              {**rule("by-suffix", "suffix", 2),
               "Filter": {"Tag": {"Key": "cloudvault:suffix", "Value": ".pdf"}}},
              rule("by-tag", "tag", 3, tags=[("backup", "yes")]),
              {**rule("by-type", "type", 4),
               "Filter": {"Tag": {"Key": "cloudvault:content-type", "Value": "image/*"}}})
    s3.put_object(Bucket="docs", Key="reports/q1.txt", Body=b"1")
    s3.put_object(Bucket="docs", Key="misc/scan.PDF", Body=b"2")
    s3.put_object(Bucket="docs", Key="misc/keep.txt", Body=b"3", Tagging="backup=yes")
    s3.put_object(Bucket="docs", Key="misc/cat.jpg", Body=b"4", ContentType="image/jpeg")
    s3.put_object(Bucket="docs", Key="misc/none.txt", Body=b"5", Tagging="backup=no")
    for key in ("reports/q1.txt", "misc/scan.PDF", "misc/keep.txt", "misc/cat.jpg"):
        wait_status(s3, "docs", key, "COMPLETED")
    assert status_of(s3, "docs", "misc/none.txt") == ""

    def keys(bucket):
        return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    assert keys("by-prefix") == ["reports/q1.txt"]
    assert keys("by-suffix") == ["misc/scan.PDF"]
    assert keys("by-tag") == ["misc/keep.txt"]
    assert keys("by-type") == ["misc/cat.jpg"]


@pytest.mark.parametrize("enabled", [True, False])
def test_delete_markers_replicate_only_when_enabled(server_factory, tmp_path, enabled):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "backup")
    replicate(s3, "docs", rule("backup", delete_markers=enabled))
    put = s3.put_object(Bucket="docs", Key="gone.txt", Body=b"x")
    wait_status(s3, "docs", "gone.txt", "COMPLETED")
    marker = s3.delete_object(Bucket="docs", Key="gone.txt")
    assert marker["DeleteMarker"]
    s3.put_object(Bucket="docs", Key="flush.txt", Body=b"later")  # the same queue, after it
    wait_status(s3, "docs", "flush.txt", "COMPLETED")
    if enabled:
        wait_until(lambda: s3.list_object_versions(Bucket="backup", Prefix="gone").get(
            "DeleteMarkers"), what="the delete marker at the backup")
        markers = s3.list_object_versions(Bucket="backup", Prefix="gone")["DeleteMarkers"]
        assert [m["VersionId"] for m in markers] == [marker["VersionId"]]
        assert markers[0]["IsLatest"]
    else:
        assert "DeleteMarkers" not in s3.list_object_versions(Bucket="backup", Prefix="gone")
        assert s3.get_object(Bucket="backup", Key="gone.txt")["VersionId"] == put["VersionId"]


def test_existing_objects_are_backfilled_only_with_the_rule_asking(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "old", "new-only", "everything")
    for i in range(30):
        s3.put_object(Bucket="old", Key=f"k{i:02}", Body=f"v{i}".encode())
    replicate(s3, "old", rule("new-only", "new-only", 1, existing=False),
              rule("everything", "everything", 2, existing=True))
    s3.put_object(Bucket="old", Key="fresh", Body=b"new")
    wait_status(s3, "old", "fresh", "COMPLETED")
    for i in range(30):
        wait_status(s3, "old", f"k{i:02}", "COMPLETED")

    def keys(bucket):
        return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    assert keys("everything") == sorted([f"k{i:02}" for i in range(30)] + ["fresh"])
    assert keys("new-only") == ["fresh"]


def test_aws_cli_configures_a_backup(server, aws_cli, unique_name):
    src, dst = unique_name("src"), unique_name("dst")
    for bucket in (src, dst):
        aws_cli("s3api", "create-bucket", "--bucket", bucket)
        aws_cli("s3api", "put-bucket-versioning", "--bucket", bucket,
                "--versioning-configuration", "Status=Enabled")
    document = {"Role": "arn:aws:iam::000000000000:role/backup",
                "Rules": [rule(dst, "from-cli", prefix="docs/")]}
    aws_cli("s3api", "put-bucket-replication", "--bucket", src,
            "--replication-configuration", json.dumps(document))
    shown = json.loads(aws_cli("s3api", "get-bucket-replication", "--bucket", src).stdout)
    assert shown["ReplicationConfiguration"]["Rules"][0]["ID"] == "from-cli"
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.put_object(Bucket=src, Key="docs/a.txt", Body=b"cli")
    wait_status(s3, src, "docs/a.txt", "COMPLETED")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", dst, "--key", "docs/a.txt").stdout)
    assert head["ReplicationStatus"] == "REPLICA"


def test_a_150_mib_object_is_copied_server_side_with_bounded_memory(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "media", "backup")
    replicate(s3, "media", rule("backup"))
    path = write_big_file(tmp_path / "big.bin", 150, os.urandom(1 << 20))
    s3.upload_file(str(path), "media", "video.mp4")
    expected = hashlib.md5(path.read_bytes()).hexdigest()
    path.unlink()
    wait_status(s3, "media", "video.mp4", "COMPLETED", timeout=120)
    assert md5_of_object(s3, "backup", "video.mp4") == expected
    peak_kib = int(server.proc_status()["VmHWM"].split()[0])
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib} KiB"


def test_receipts_wait_for_smtp_while_copies_go_on(server_factory, tmp_path):
    port = free_port()  # nothing listens yet: SMTP is down
    server, s3 = start(server_factory, tmp_path, mail_port=port,
                       events={"retry_first_seconds": 0.05, "retry_max_seconds": 0.3,
                               "max_attempts": 1000})
    config = tmp_path / "src.toml"
    versioned(s3, "docs")
    server.admin("backup", "create", "--from", "docs", "--to", "backup", "--receipt", "mail",
                 "--config", str(config))
    s3.put_object(Bucket="docs", Key="invoice.pdf", Body=b"%PDF invoice")
    wait_status(s3, "docs", "invoice.pdf", "COMPLETED")  # the copy does not wait for mail
    assert s3.get_object(Bucket="backup", Key="invoice.pdf")["Body"].read() == b"%PDF invoice"
    pending = wait_until(lambda: [t for t in tasks(server)
                                  if t["consumer"] == "notify" and t["last_error"]],
                         what="a failed receipt try")
    assert "mail" == pending[0]["target"] and pending[0]["last_error"]
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        wait_until(lambda: sink.envelopes, what="the receipt once SMTP is back")
        text = sink.envelopes[0].content.decode("utf-8", "replace")
        assert "invoice.pdf" in text and "Backed up" in text
        wait_until(lambda: tasks(server) == [], what="nothing left to deliver")
        assert len(sink.envelopes) == 1
    finally:
        controller.stop()


def test_several_destinations_complete_only_when_all_have_it(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "near", "far")
    replicate(s3, "docs", rule("near", "near", 1), rule("far", "far", 2))
    s3.delete_bucket(Bucket="far")  # one destination is gone
    put = s3.put_object(Bucket="docs", Key="both.txt", Body=b"twice")
    wait_status(s3, "docs", "both.txt", "FAILED")
    # The other destination has it all the same.
    assert s3.get_object(Bucket="near", Key="both.txt")["VersionId"] == put["VersionId"]
    versioned(s3, "far")
    server.admin("backup", "retry", "docs")
    wait_status(s3, "docs", "both.txt", "COMPLETED")
    assert s3.get_object(Bucket="far", Key="both.txt")["Body"].read() == b"twice"
    assert len(s3.list_object_versions(Bucket="near")["Versions"]) == 1


def test_tag_changes_follow_the_copied_version(server_factory, tmp_path):
    server, s3 = start(server_factory, tmp_path)
    versioned(s3, "docs", "backup")
    replicate(s3, "docs", rule("backup"))
    put = s3.put_object(Bucket="docs", Key="tagged.txt", Body=b"t", Tagging="stage=draft")
    wait_status(s3, "docs", "tagged.txt", "COMPLETED")

    def backup_tags():
        return s3.get_object_tagging(Bucket="backup", Key="tagged.txt",
                                     VersionId=put["VersionId"])["TagSet"]
    assert backup_tags() == [{"Key": "stage", "Value": "draft"}]
    s3.put_object_tagging(Bucket="docs", Key="tagged.txt",
                          Tagging={"TagSet": [{"Key": "stage", "Value": "final"}]})
    wait_until(lambda: backup_tags() == [{"Key": "stage", "Value": "final"}],
               what="the new tags at the backup")
    s3.delete_object_tagging(Bucket="docs", Key="tagged.txt")
    wait_until(lambda: backup_tags() == [], what="the tags removed at the backup")
    assert status_of(s3, "docs", "tagged.txt") == "COMPLETED"
    assert len(s3.list_object_versions(Bucket="backup")["Versions"]) == 1
