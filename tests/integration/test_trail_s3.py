"""S3 calls in the audit trail against the real server: PutObject/GetObject records with their
fields, a denied request and a request refused as malformed HTTP with their error codes, and
the crash bound — every PUT acknowledged more than 1 s before a kill -9 is in the trail after a
restart."""

import json
import re
import socket
import time


from cvharness import expect_error, make_client
from test_trail import lookup, trail, trail_files, gunzip_json


def lookup_all(server, *args):
    records, token = lookup(server, "--max", "1000", *args)
    while token:
        page, token = lookup(server, "--max", "1000", "--next", token, *args)
        records += page
    return records


def wait_for_records(server, deadline_seconds, *args):
    """Polls the lookup until it finds a record (records are stored within ~100 ms)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        records = lookup_all(server, *args)
        if records or time.monotonic() > deadline:
            return records
        time.sleep(0.05)


def require_capture(server, client, name):
    client.create_bucket(Bucket=name)
    client.put_object(Bucket=name, Key="probe", Body=b"p")
    assert wait_for_records(server, 3, "--bucket", name, "--event", "PutObject")


def test_a_request_refused_as_malformed_http_is_recorded(fresh_server):
    with socket.create_connection(("127.0.0.1", fresh_server.port), timeout=10) as connection:
        connection.sendall(b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                           b"Content-Length: 2\r\n\r\nab")
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400")
    request_id = re.search(rb"<RequestId>([^<]+)</RequestId>", answer)[1].decode()
    records = wait_for_records(fresh_server, 3, "--error", "--event", "UnknownOperation")
    refused = [r for r in records if r["requestID"] == request_id]
    assert len(refused) == 1, records
    assert refused[0]["errorCode"] == "BadRequest"
    assert refused[0]["sourceIPAddress"] == "127.0.0.1"
    assert refused[0]["userIdentity"]["type"] == "AWSAccount"


def test_put_and_get_object_are_recorded_with_their_fields(fresh_server):
    client = make_client(fresh_server.endpoint, fresh_server.access_key, fresh_server.secret_key)
    bucket = "trail-s3-fields"
    require_capture(fresh_server, client, bucket)
    client.put_object(Bucket=bucket, Key="docs/a.txt", Body=b"hello trail")
    assert client.get_object(Bucket=bucket, Key="docs/a.txt")["Body"].read() == b"hello trail"
    gets = wait_for_records(fresh_server, 3, "--bucket", bucket, "--event", "GetObject")
    assert len(gets) == 1
    get = gets[0]
    assert get["eventSource"] == "s3.amazonaws.com"
    assert get["requestParameters"]["bucketName"] == bucket
    assert get["requestParameters"]["key"] == "docs/a.txt"
    assert get["userIdentity"]["accessKeyId"] == fresh_server.access_key
    assert get["readOnly"] is True
    assert get["eventCategory"] == "Data"
    assert get["additionalEventData"]["bytesTransferredOut"] == len(b"hello trail")
    assert get["sourceIPAddress"] == "127.0.0.1"
    puts = lookup_all(fresh_server, "--bucket", bucket, "--prefix", "docs/", "--event",
                      "PutObject")
    assert [p["requestParameters"]["key"] for p in puts] == ["docs/a.txt"]
    assert puts[0]["readOnly"] is False
    assert puts[0]["additionalEventData"]["bytesTransferredIn"] == len(b"hello trail")
    # Rolled into a log file by a flush.
    trail(fresh_server, "flush")
    ids = {r["eventID"] for path in trail_files(fresh_server, "CloudTrail")
           for r in gunzip_json(path)["Records"]}
    assert get["eventID"] in ids and puts[0]["eventID"] in ids
    assert trail(fresh_server, "validate").returncode == 0


def test_a_denied_request_is_recorded_with_its_error_code(fresh_server):
    client = make_client(fresh_server.endpoint, fresh_server.access_key, fresh_server.secret_key)
    bucket = "trail-s3-denied"
    require_capture(fresh_server, client, bucket)
    fresh_server.admin("user", "add", "trail-mallory")
    created = json.loads(fresh_server.admin("key", "create", "trail-mallory").stdout)
    mallory = make_client(fresh_server.endpoint, created["access_key_id"], created["secret_key"])
    expect_error(lambda: mallory.get_object(Bucket=bucket, Key="probe"), "AccessDenied", 403)
    denied = wait_for_records(fresh_server, 3, "--error", "--bucket", bucket)
    assert [d["errorCode"] for d in denied] == ["AccessDenied"]
    assert denied[0]["userIdentity"]["accessKeyId"] == created["access_key_id"]
    assert lookup_all(fresh_server, "--access-key", created["access_key_id"], "--error")


def test_every_put_acknowledged_a_second_before_a_kill_9_is_in_the_trail(server_factory):
    server = server_factory(name="trail-crash")
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    bucket = "trail-crash"
    require_capture(server, client, bucket)
    acknowledged = []  # (key, monotonic time of the answer)
    started = time.monotonic()
    while time.monotonic() - started < 3:
        key = f"k{len(acknowledged):05d}"
        client.put_object(Bucket=bucket, Key=key, Body=b"x")
        acknowledged.append((key, time.monotonic()))
    server.kill()
    killed_at = time.monotonic()
    restarted = server_factory(name="trail-crash-again", data_dir=server.data_dir,
                               access_key=server.access_key, secret_key=server.secret_key)
    trail(restarted, "flush")
    recorded = {r["requestParameters"]["key"]
                for r in lookup_all(restarted, "--bucket", bucket, "--event", "PutObject")}
    due = [key for key, at in acknowledged if killed_at - at > 1.0]
    assert len(due) > 10
    missing = [key for key in due if key not in recorded]
    assert missing == []
    assert trail(restarted, "validate").returncode == 0
