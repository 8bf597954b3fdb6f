"""Prometheus metrics (issue 15, first part): GET /metrics in the text exposition format,
checked by Debian's promtool; request counters that move by exactly the requests made; who
may scrape (loopback without a token, a bearer token when one is configured); a signed
GET /metrics is still S3's (a bucket named "metrics")."""

import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')


def scrape(server, token=None):
    request = urllib.request.Request(f"{server.endpoint}/metrics")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("content-type"), response.read().decode()


def value(text, name, **labels):
    """The sample of `name` whose labels include `labels` (0 when absent)."""
    for line in text.splitlines():
        match = SERIES.match(line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(3))
    return 0.0


def eventually(check, seconds=10):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def test_the_exposition_passes_promtool(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    status, content_type, text = scrape(server)
    assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
    assert "cloudvault_requests_total" in text
    checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_request_counters_move_by_exactly_the_requests_made(server, s3, bucket):
    labels = {"api": "s3", "operation": "PutObject", "status_class": "2xx"}
    before = value(scrape(server)[2], "cloudvault_requests_total", **labels)
    sent_before = value(scrape(server)[2], "cloudvault_request_body_bytes_received_total",
                        api="s3", operation="PutObject")
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"m{i}", Body=b"0123456789")
    assert eventually(lambda: value(scrape(server)[2], "cloudvault_requests_total", **labels)
                      == before + 3)
    text = scrape(server)[2]
    assert value(text, "cloudvault_request_body_bytes_received_total", api="s3",
                 operation="PutObject") == sent_before + 30
    assert value(text, "cloudvault_request_duration_seconds_count", api="s3",
                 operation="PutObject") >= 3
    # A refused request counts under its status class.
    missing_before = value(text, "cloudvault_requests_total", api="s3", operation="GetObject",
                           status_class="4xx")
    with pytest.raises(ClientError):
        s3.get_object(Bucket=bucket, Key="no-such-key")
    assert eventually(lambda: value(scrape(server)[2], "cloudvault_requests_total", api="s3",
                                    operation="GetObject", status_class="4xx")
                      == missing_before + 1)


def test_a_bearer_token_guards_the_endpoint(server_factory, monkeypatch):
    monkeypatch.setenv("CLOUDVAULT_METRICS_TOKEN", "s3cr3t-metrics")
    guarded = server_factory(name="metrics-token")
    with pytest.raises(urllib.error.HTTPError) as refused:
        scrape(guarded)
    assert refused.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as wrong:
        scrape(guarded, token="wrong")
    assert wrong.value.code == 401
    status, _, text = scrape(guarded, token="s3cr3t-metrics")
    assert status == 200 and "cloudvault_requests_in_flight" in text


def test_a_signed_get_of_metrics_is_s3s(s3):
    try:
        s3.create_bucket(Bucket="metrics")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    s3.put_object(Bucket="metrics", Key="a", Body=b"a")
    listed = s3.list_objects_v2(Bucket="metrics")
    assert [o["Key"] for o in listed["Contents"]] == ["a"]


def test_console_and_iam_requests_are_named(server):
    import boto3
    from botocore.config import Config

    console_before = value(scrape(server)[2], "cloudvault_requests_total", api="console",
                           operation="ConsoleGetSession", status_class="4xx")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{server.endpoint}/_console/api/session", timeout=30)
    iam_before = value(scrape(server)[2], "cloudvault_requests_total", api="iam",
                       operation="ListUsers", status_class="2xx")
    boto3.session.Session(
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
    ).client("iam", endpoint_url=server.endpoint,
             config=Config(retries={"total_max_attempts": 1, "mode": "standard"})).list_users()
    assert eventually(lambda: value(scrape(server)[2], "cloudvault_requests_total", api="iam",
                                    operation="ListUsers", status_class="2xx") == iam_before + 1)
    assert value(scrape(server)[2], "cloudvault_requests_total", api="console",
                 operation="ConsoleGetSession", status_class="4xx") == console_before + 1
