"""The console's Events and Backup routes (/_console/api/buckets/<name>/notifications and
/backup) against a real server whose configuration names a webhook target ("hook", a real
receiver on loopback) and a replication remote ("offsite"): what the console saves is the
configuration the S3 API reads and the notify worker delivers by (S3's test event and the
events reach the webhook), S3's refusals come back with S3's code and message, a backup turns
versioning on where S3 requires it and the replication status of each object follows the
replication worker, and only the bucket's owner may look or change (others: AccessDenied, as
S3)."""

import json

import pytest
from botocore.exceptions import ClientError

from cvharness import expect_error, make_client
from test_console_api import Browser
from test_notifications import Receiver, queue_rule, wait_until, webhook_target
from test_notify_targets import free_port

HOOK_QUEUE = "arn:aws:sqs:us-east-1:000000000000:hook"


@pytest.fixture
def receiver():
    """The webhook receiver behind the target "hook"."""
    instance = Receiver()
    yield instance
    instance.stop()


@pytest.fixture
def configured(server_factory, tmp_path, receiver):
    """A server knowing the target "hook" (the receiver) and the remote "offsite" (a loopback
    port nothing listens on: no test here writes an object a remote rule would copy); its
    boto3 client and a signed-in console session of its root user."""
    text = "[notify.targets.hook]\n" + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in webhook_target(receiver).items())
    text += ("\n[replication.remotes.offsite]\n"
             f'endpoint = "http://127.0.0.1:{free_port()}"\n'
             'access_key = "CVREMOTEKEY000000001"\nsecret_key = "remote-secret"\n')
    config = tmp_path / "cloudvault.toml"
    config.write_text(text)
    server = server_factory(name="console-rules", extra_args=["--config", str(config)])
    browser = Browser(server)
    assert browser.sign_in(server.access_key, server.secret_key)[0] == 201
    return server, make_client(server.endpoint, server.access_key, server.secret_key), browser


def s3_error(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the S3 call succeeded")


def test_an_event_rule_saved_in_the_console_is_the_s3_configuration_and_is_delivered(
        configured, receiver):
    _, s3, browser = configured
    s3.create_bucket(Bucket="photos")
    status, _, body = browser.call("GET", "buckets/photos/notifications")
    assert status == 200 and body == {"rules": [], "targets": ["hook"]}

    status, _, body = browser.call("PUT", "buckets/photos/notifications", {
        "id": "cat-pictures", "events": ["s3:ObjectCreated:*"], "prefix": "cats/",
        "suffix": ".jpg", "target": "hook"})
    assert status == 200, body
    assert body["rules"] == [{"id": "cat-pictures", "events": ["s3:ObjectCreated:*"],
                              "prefix": "cats/", "suffix": ".jpg", "target": "hook",
                              "arn": HOOK_QUEUE}]
    # Saving sends S3's test event to the target, as PutBucketNotificationConfiguration does.
    wait_until(lambda: receiver.documents(), what="the test event")
    assert receiver.documents()[0]["Event"] == "s3:TestEvent"
    assert receiver.documents()[0]["Bucket"] == "photos"

    got = s3.get_bucket_notification_configuration(Bucket="photos")
    assert got["QueueConfigurations"] == [{
        "Id": "cat-pictures", "QueueArn": HOOK_QUEUE, "Events": ["s3:ObjectCreated:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "cats/"},
                                           {"Name": "Suffix", "Value": ".jpg"}]}}}]

    s3.put_object(Bucket="photos", Key="dogs/rex.jpg", Body=b"woof")  # prefix differs
    s3.put_object(Bucket="photos", Key="cats/tom.jpg", Body=b"meow")
    wait_until(lambda: receiver.keys(), what="the event of cats/tom.jpg")
    assert receiver.keys() == ["cats/tom.jpg"]

    # A rule written through S3 (a topic) is listed and removed by the console alike.
    s3.put_bucket_notification_configuration(Bucket="photos", NotificationConfiguration={
        "TopicConfigurations": [{"Id": "from-s3",
                                 "TopicArn": "arn:aws:sns:us-east-1:000000000000:hook",
                                 "Events": ["s3:ObjectRemoved:*"]}]})
    status, _, body = browser.call("GET", "buckets/photos/notifications")
    assert [(r["id"], r["target"], r["events"]) for r in body["rules"]] == [
        ("from-s3", "hook", ["s3:ObjectRemoved:*"])]
    status, _, body = browser.call("DELETE", "buckets/photos/notifications?id=from-s3")
    assert status == 200 and body["rules"] == []
    got = s3.get_bucket_notification_configuration(Bucket="photos")
    assert "TopicConfigurations" not in got and "QueueConfigurations" not in got


def test_the_console_refuses_an_event_rule_with_s3s_code_and_message(configured):
    _, s3, browser = configured
    s3.create_bucket(Bucket="photos")
    first = {"id": "a", "events": ["s3:ObjectCreated:*"], "prefix": "cats/", "target": "hook"}
    assert browser.call("PUT", "buckets/photos/notifications", first)[0] == 200
    for rule in ({"id": "b", "events": ["s3:ObjectCreated:Put"], "prefix": "cats/big/",
                  "target": "hook"},                                      # overlapping
                 {"id": "c", "events": ["s3:ObjectRemoved:*"], "target": "pager"}):  # unknown
        status, _, body = browser.call("PUT", "buckets/photos/notifications", rule)
        # The same two rules put through S3: the same answer.
        s3_rules = [queue_rule("hook", ["s3:ObjectCreated:*"], prefix="cats/", rule_id="a"),
                    queue_rule(rule["target"], rule["events"], prefix=rule.get("prefix"),
                               rule_id=rule["id"])]
        code, message = s3_error(s3.put_bucket_notification_configuration, Bucket="photos",
                                 NotificationConfiguration={"QueueConfigurations": s3_rules})
        assert status == 400
        assert (body["error"]["code"], body["error"]["message"]) == (code, message)
    assert code == "InvalidArgument"
    got = s3.get_bucket_notification_configuration(Bucket="photos")
    assert [r["Id"] for r in got["QueueConfigurations"]] == ["a"]


def test_a_backup_rule_turns_versioning_on_and_is_the_s3_replication_configuration(configured):
    _, s3, browser = configured
    for name in ("photos", "photos-copy"):
        s3.create_bucket(Bucket=name)
    status, _, body = browser.call("GET", "buckets/photos/backup")
    assert body == {"rules": [], "remotes": ["offsite"], "versioning": "Off"}

    # Refused before anything changes: the bucket itself, an unknown remote.
    for rule, code in (({"destinationBucket": "photos"}, "InvalidRequest"),
                       ({"destinationBucket": "far", "remote": "nowhere"}, "InvalidRequest"),
                       ({"destinationBucket": "missing-bucket"}, "NoSuchBucket")):
        status, _, body = browser.call("POST", "buckets/photos/backup", rule)
        assert status in (400, 404) and body["error"]["code"] == code, body
    assert "Status" not in s3.get_bucket_versioning(Bucket="photos")

    status, _, body = browser.call("POST", "buckets/photos/backup", {
        "id": "nightly", "destinationBucket": "photos-copy", "prefix": "docs/",
        "suffix": ".pdf", "deleteMarkers": True, "existingObjects": True})
    assert status == 201, body
    assert body["versioning"] == "Enabled"
    for name in ("photos", "photos-copy"):
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    # The replication worker copies a matching new version; the console shows its status
    # as S3's x-amz-replication-status says it.
    s3.put_object(Bucket="photos", Key="docs/report.pdf", Body=b"%PDF-1.4 report")
    s3.put_object(Bucket="photos", Key="docs/notes.txt", Body=b"not a pdf")
    details = lambda bucket, key: browser.call("GET", f"object?bucket={bucket}&key={key}")[2]
    wait_until(lambda: details("photos", "docs/report.pdf")["replicationStatus"] == "COMPLETED",
               what="the copy of docs/report.pdf")
    assert s3.head_object(Bucket="photos", Key="docs/report.pdf")["ReplicationStatus"] == \
        "COMPLETED"
    copy = details("photos-copy", "docs/report.pdf")
    assert copy["replicationStatus"] == "REPLICA"
    assert copy["versions"][0]["replicationStatus"] == "REPLICA"
    assert details("photos", "docs/notes.txt")["replicationStatus"] == ""

    status, _, body = browser.call("POST", "buckets/photos/backup", {
        "id": "offsite-all", "destinationBucket": "vault-archive", "remote": "offsite"})
    assert status == 201, body

    rules = s3.get_bucket_replication(Bucket="photos")["ReplicationConfiguration"]["Rules"]
    assert rules[0] == {
        "ID": "nightly", "Priority": 1, "Status": "Enabled",
        "Filter": {"And": {"Prefix": "docs/",
                           "Tags": [{"Key": "cloudvault:suffix", "Value": ".pdf"}]}},
        "DeleteMarkerReplication": {"Status": "Enabled"},
        "ExistingObjectReplication": {"Status": "Enabled"},
        "Destination": {"Bucket": "arn:aws:s3:::photos-copy"}}
    assert rules[1]["ID"] == "offsite-all" and rules[1]["Priority"] == 2
    assert rules[1]["Destination"] == {"Bucket": "arn:aws:s3:::vault-archive",
                                       "Account": "offsite"}
    assert rules[1]["DeleteMarkerReplication"] == {"Status": "Disabled"}

    for rule_id in ("nightly", "offsite-all"):
        assert browser.call("DELETE", f"buckets/photos/backup?id={rule_id}")[0] == 200
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket="photos")


def test_only_the_owner_sees_or_changes_a_buckets_rules(configured):
    server, s3, owner = configured
    s3.create_bucket(Bucket="photos")
    server.admin("user", "add", "mallory")
    key = json.loads(server.admin("key", "create", "mallory").stdout)
    other = Browser(server)
    assert other.sign_in(key["access_key_id"], key["secret_key"])[0] == 201
    rule = {"id": "a", "events": ["s3:ObjectCreated:*"], "target": "hook"}
    backup = {"destinationBucket": "far", "remote": "offsite"}
    for method, route, body in (("GET", "notifications", None),
                                ("PUT", "notifications", rule),
                                ("DELETE", "notifications?id=a", None),
                                ("GET", "backup", None),
                                ("POST", "backup", backup),
                                ("DELETE", "backup?id=a", None)):
        status, _, answer = other.call(method, f"buckets/photos/{route}", body)
        assert (status, answer["error"]["code"]) == (403, "AccessDenied"), (method, route)
    # The owner's change without the CSRF token is refused too.
    status, _, answer = owner.call("PUT", "buckets/photos/notifications", rule, csrf=False)
    assert (status, answer["error"]["code"]) == (403, "CsrfTokenMismatch")
    assert s3.get_bucket_notification_configuration(Bucket="photos").get(
        "QueueConfigurations") is None
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket="photos")
