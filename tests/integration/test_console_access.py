"""The console's bucket and object routes decide access as the S3 API does (issue 14): a
bucket owner's explicit Deny holds in the console, a bucket policy's grant to another user
works there within its actions and not beyond them, others get S3's NoSuchBucket or
AccessDenied, and a refusal's reason is in the audit trail (the page sees only that access was
denied)."""

import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from cvharness import fetch, make_client
from test_console_api import Browser
from test_trail import lookup


def name(tag):
    return f"{tag}-{uuid.uuid4().hex[:8]}"


def sign_in_root(server):
    browser = Browser(server)
    status, _, body = browser.sign_in(server.access_key, server.secret_key)
    assert status == 201 and body["root"] is True
    return browser


def new_user(server, root, tag):
    """A user with a key, made through the console's IAM routes: (name, arn, s3 client,
    signed-in browser)."""
    user = name(tag)
    status, _, created = root.call("POST", "iam/users", {"name": user})
    assert status == 201, created
    status, _, key = root.call("POST", f"iam/users/{user}/keys")
    assert status == 201, key
    client = make_client(server.endpoint, key["accessKeyId"], key["secretAccessKey"])
    browser = Browser(server)
    status, _, body = browser.sign_in(key["accessKeyId"], key["secretAccessKey"])
    assert status == 201, body
    return user, created["arn"], client, browser


def s3_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def assert_denied(answer):
    status, _, body = answer
    assert status == 403, body
    assert body["error"]["code"] == "AccessDenied", body
    # A message a person can act on, without the policy's details.
    message = body["error"]["message"]
    assert "permission" in message and "arn:" not in message and "Deny" not in message, message


def download(browser, bucket, key, **extra):
    status, _, signed = browser.call(
        "POST", "presign", {"bucket": bucket, "key": key, "method": "GET", **extra})
    assert status == 200, signed
    fetched = fetch(signed["url"])
    assert fetched.status == 200, fetched.body
    return fetched.body


def listed_keys(browser, bucket, prefix=""):
    status, _, body = browser.call("GET", f"objects?bucket={bucket}&prefix={prefix}")
    assert status == 200, body
    return [o["key"] for o in body["objects"]]


def test_an_owners_explicit_deny_holds_in_the_console(server):
    root = sign_in_root(server)
    user, _, client, browser = new_user(server, root, "owner")
    bucket = name("denied-delete")
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="docs/a.txt", Body=b"kept")
    deny = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
    status, _, body = root.call("PUT", f"iam/users/{user}/policies/no-delete",
                                {"document": json.dumps(deny)})
    assert status == 200, body

    # S3 refuses the delete; so does every console route that deletes.
    assert s3_code(client.delete_object, Bucket=bucket, Key="docs/a.txt") == "AccessDenied"
    assert_denied(browser.call("POST", "delete", {"bucket": bucket, "keys": ["docs/a.txt"]}))
    assert_denied(browser.call("POST", "folders/delete", {"bucket": bucket, "prefix": "docs/"}))
    assert_denied(browser.call("POST", "rename",
                               {"bucket": bucket, "from": "docs/a.txt", "to": "docs/b.txt"}))
    assert client.get_object(Bucket=bucket, Key="docs/a.txt")["Body"].read() == b"kept"
    assert s3_code(client.head_object, Bucket=bucket, Key="docs/b.txt") == "404"

    # A user governed by a policy lists buckets only when one allows s3:ListAllMyBuckets, in
    # the console as with ListBuckets; its bucket's own pages still open.
    assert s3_code(client.list_buckets) == "AccessDenied"
    assert_denied(browser.call("GET", "buckets"))

    # What the Deny does not name, the owner still does.
    assert listed_keys(browser, bucket, "docs/") == ["docs/a.txt"]
    assert download(browser, bucket, "docs/a.txt") == b"kept"
    status, _, body = browser.call("POST", "folders", {"bucket": bucket, "prefix": "new/"})
    assert status == 201, body
    status, _, body = browser.call("GET", f"object?bucket={bucket}&key=docs/a.txt")
    assert status == 200 and body["size"] == 4, body

    # Without the policy the console deletes again.
    assert root.call("DELETE", f"iam/users/{user}/policies/no-delete")[0] == 200
    status, _, body = browser.call("POST", "delete", {"bucket": bucket, "keys": ["docs/a.txt"]})
    assert status == 200 and body["deleted"] == ["docs/a.txt"], body


def test_a_bucket_policy_grant_works_in_the_console_within_its_actions(server, s3):
    root = sign_in_root(server)
    _, reader_arn, reader_s3, reader = new_user(server, root, "reader")
    bucket = name("shared")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="report.txt", Body=b"numbers")

    # Before the grant: the bucket exists, so S3 and the console answer AccessDenied.
    assert s3_code(reader_s3.list_objects_v2, Bucket=bucket) == "AccessDenied"
    assert_denied(reader.call("GET", f"objects?bucket={bucket}"))
    assert_denied(reader.call("POST", "presign",
                              {"bucket": bucket, "key": "report.txt", "method": "GET"}))

    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": reader_arn}, "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{bucket}"},
        {"Effect": "Allow", "Principal": {"AWS": reader_arn}, "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))

    assert listed_keys(reader, bucket) == ["report.txt"]
    assert download(reader, bucket, "report.txt") == b"numbers"
    status, _, body = reader.call("GET", f"object?bucket={bucket}&key=report.txt")
    assert status == 200 and body["size"] == 7, body
    assert body["versions"] == []  # listing versions (s3:ListBucketVersions) was not granted
    status, _, body = reader.call("GET", f"buckets/{bucket}/usage")
    assert status == 200 and body["objects"] == 1, body

    # Nothing the policy does not grant: uploads, folders, deletes, settings.
    assert_denied(reader.call("POST", "presign",
                              {"bucket": bucket, "key": "new.txt", "method": "PUT"}))
    assert_denied(reader.call("POST", "uploads/sign",
                              {"bucket": bucket, "key": "new.txt", "method": "POST"}))
    assert_denied(reader.call("POST", "folders", {"bucket": bucket, "prefix": "mine/"}))
    assert_denied(reader.call("POST", "delete", {"bucket": bucket, "keys": ["report.txt"]}))
    assert_denied(reader.call("PUT", f"buckets/{bucket}/versioning", {"status": "Enabled"}))
    assert_denied(reader.call("GET", f"buckets/{bucket}/access"))
    assert_denied(reader.call("DELETE", f"buckets/{bucket}"))
    assert_denied(reader.call("GET", f"objects?bucket={bucket}&deleted=true"))
    # As on S3.
    assert s3_code(reader_s3.put_object, Bucket=bucket, Key="new.txt", Body=b"x") == \
        "AccessDenied"
    assert s3_code(reader_s3.delete_object, Bucket=bucket, Key="report.txt") == "AccessDenied"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["report.txt"]

    # A grant limited by s3:prefix holds for the console's folder listings as for S3's.
    s3.put_object(Bucket=bucket, Key="public/a.txt", Body=b"a")
    policy["Statement"][0]["Condition"] = {"StringLike": {"s3:prefix": "public/*"}}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert listed_keys(reader, bucket, "public/") == ["public/a.txt"]
    assert_denied(reader.call("GET", f"objects?bucket={bucket}&prefix="))
    assert s3_code(reader_s3.list_objects_v2, Bucket=bucket, Prefix="") == "AccessDenied"
    assert reader_s3.list_objects_v2(Bucket=bucket, Prefix="public/", Delimiter="/")["KeyCount"] \
        == 1


def test_others_get_s3s_answers(server, s3):
    root = sign_in_root(server)
    _, _, stranger_s3, stranger = new_user(server, root, "stranger")
    bucket = name("private")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="secret.txt", Body=b"s")

    # Someone else's bucket: AccessDenied, as S3 says.
    assert s3_code(stranger_s3.list_objects_v2, Bucket=bucket) == "AccessDenied"
    assert_denied(stranger.call("GET", f"objects?bucket={bucket}"))
    assert_denied(stranger.call("GET", f"thumbnail?bucket={bucket}&key=secret.txt"))
    assert_denied(stranger.call("POST", "delete", {"bucket": bucket, "keys": ["secret.txt"]}))
    assert_denied(stranger.call("GET", f"buckets/{bucket}/notifications"))
    assert_denied(stranger.call("GET", f"buckets/{bucket}/backup"))
    assert_denied(stranger.call("PUT", f"buckets/{bucket}/policy", {"document": "{}"}))
    assert s3.get_object(Bucket=bucket, Key="secret.txt")["Body"].read() == b"s"

    # A bucket that does not exist: NoSuchBucket, as S3 says.
    missing = name("missing")
    assert s3_code(stranger_s3.list_objects_v2, Bucket=missing) == "NoSuchBucket"
    status, _, body = stranger.call("GET", f"objects?bucket={missing}")
    assert status == 404 and body["error"]["code"] == "NoSuchBucket", body
    assert body["error"]["message"] == "That bucket does not exist."
    status, _, body = stranger.call("DELETE", f"buckets/{missing}")
    assert status == 404 and body["error"]["code"] == "NoSuchBucket", body

    # A user without policies (a tenant) lists and creates its own buckets, as on S3.
    own = name("own")
    status, _, body = stranger.call("POST", "buckets", {"name": own})
    assert status == 201, body
    status, _, body = stranger.call("GET", "buckets")
    assert status == 200 and [b["name"] for b in body["buckets"]] == [own], body


def test_a_console_denial_and_its_reason_are_in_the_audit_trail(server_factory):
    instance = server_factory(name="console-access-trail")
    root = sign_in_root(instance)
    user, _, client, browser = new_user(instance, root, "audited")
    bucket = name("audited")
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    deny = {"Version": "2012-10-17", "Statement": [
        {"Sid": "KeepFiles", "Effect": "Deny", "Action": "s3:DeleteObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]}
    assert root.call("PUT", f"iam/users/{user}/policies/keep",
                     {"document": json.dumps(deny)})[0] == 200
    assert_denied(browser.call("POST", "delete", {"bucket": bucket, "keys": ["a.txt"]}))

    deadline = time.monotonic() + 5
    while True:
        records, _ = lookup(instance, "--event", "ConsoleDeleteObjects", "--error")
        if records or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(records) == 1, records
    record = records[0]
    assert record["eventSource"] == "console.cloudvault"
    assert record["errorCode"] == "AccessDenied"
    assert record["userIdentity"]["userName"] == user
    # What the page was told, then why: the action, the object and the statement that denied.
    message = record["errorMessage"]
    assert message.startswith("You do not have permission for s3:DeleteObject"), message
    assert f"arn:aws:s3:::{bucket}/a.txt" in message and "KeepFiles" in message, message
