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
from test_notify_targets import MailSink, free_port

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


def status_of(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id else {}
    return s3.head_object(Bucket=bucket, Key=key, **kwargs).get("ReplicationStatus", "")


def wait_status(s3, bucket, key, wanted, version_id=None, timeout=30):
    wait_until(lambda: status_of(s3, bucket, key, version_id) == wanted, timeout,
               f"{bucket}/{key} to become {wanted}")


@pytest.fixture
def smtp():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


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
