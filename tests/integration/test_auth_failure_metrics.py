"""Authentication failures (issue 15, metrics): cloudvault_authentication_failures_total{api}
moves by exactly one for each request refused for its credentials — a signature that does not
match, an unknown access key, an expired pre-signed URL, a bad aws-chunked chunk signature, a
failed console sign-in, IAM and STS calls signed with a wrong secret — and not at all for
anonymous requests, signed requests that succeed or requests refused for other reasons."""

import datetime
import http.client
import json
import re
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cvharness import fetch, make_client, signing_clock

SERIES = re.compile(r'^cloudvault_authentication_failures_total\{([^}]*)\}\s+(\S+)$')


def failures(server):
    """{api: count} of cloudvault_authentication_failures_total."""
    with urllib.request.urlopen(f"{server.endpoint}/metrics", timeout=30) as response:
        text = response.read().decode()
    counts = {}
    for line in text.splitlines():
        match = SERIES.match(line)
        if match:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
            counts[labels["api"]] = float(match.group(2))
    return counts


def delta(server, action):
    """What `action` added to each API's count."""
    before = failures(server)
    action()
    after = failures(server)
    return {api: after[api] - before.get(api, 0) for api in after
            if after[api] != before.get(api, 0)}


def refused(call, code):
    with pytest.raises(ClientError) as error:
        call()
    assert error.value.response["Error"]["Code"] == code


def query_client(server, service, access_key, secret_key):
    session = boto3.session.Session(aws_access_key_id=access_key,
                                    aws_secret_access_key=secret_key, region_name="us-east-1")
    return session.client(service, endpoint_url=server.endpoint,
                          config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def console_sign_in(server, access_key, secret):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    body = json.dumps({"accessKeyId": access_key, "secretAccessKey": secret})
    connection.request("POST", "/_console/api/session", body=body,
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def test_s3_credential_refusals_count_once_each(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    wrong_secret = make_client(server.endpoint, server.access_key, "x" * 40)
    assert delta(server, lambda: refused(lambda: wrong_secret.get_object(Bucket=bucket, Key="k"),
                                         "SignatureDoesNotMatch")) == {"s3": 1}
    unknown_key = make_client(server.endpoint, "CVNOSUCHKEY000000000", "x" * 40)
    assert delta(server, lambda: refused(lambda: unknown_key.list_buckets(),
                                         "InvalidAccessKeyId")) == {"s3": 1}

    def expired_presigned_url():
        with signing_clock(datetime.timedelta(hours=-2)):
            url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                            ExpiresIn=3600)
        response = fetch(url)
        assert response.status == 403 and "expired" in response.error()["Message"].lower()

    assert delta(server, expired_presigned_url) == {"s3": 1}

    def tampered_presigned_url():
        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
        response = fetch(url.replace("/k?", "/other?"))
        assert response.error_code() == "SignatureDoesNotMatch"

    assert delta(server, tampered_presigned_url) == {"s3": 1}


def test_a_bad_chunk_signature_counts(server, raw, bucket):
    from test_chunked import chunked_put

    def bad_chunk():
        response = chunked_put(raw, bucket, "chunked", b"x" * (200 * 1024),
                               corrupt_signature_of=1)
        assert response.status == 403 and response.error_code() == "SignatureDoesNotMatch"

    assert delta(server, bad_chunk) == {"s3": 1}
    # A good one does not.
    assert delta(server, lambda: chunked_put(raw, bucket, "chunked", b"x" * 100)) == {}


def test_requests_refused_for_other_reasons_do_not_count(server, s3, bucket):
    def others():
        s3.put_object(Bucket=bucket, Key="k", Body=b"data")  # signed, accepted
        refused(lambda: s3.get_object(Bucket=bucket, Key="missing"), "NoSuchKey")
        anonymous = fetch(f"{server.endpoint}/{bucket}/k")  # no credentials at all
        assert anonymous.status == 403 and anonymous.error_code() == "AccessDenied"

    assert delta(server, others) == {}


def test_console_sign_in_failures_count(server):
    assert delta(server, lambda: console_sign_in(server, server.access_key, "wrong")) == \
        {"console": 1}
    # A good sign-in does not.
    assert delta(server, lambda: console_sign_in(server, server.access_key,
                                                 server.secret_key)) == {}


def test_iam_and_sts_signature_failures_count_by_service(server):
    iam = query_client(server, "iam", server.access_key, "x" * 40)
    assert delta(server, lambda: refused(iam.list_users, "SignatureDoesNotMatch")) == {"iam": 1}
    sts = query_client(server, "sts", server.access_key, "x" * 40)
    assert delta(server, lambda: refused(sts.get_caller_identity,
                                         "SignatureDoesNotMatch")) == {"sts": 1}
    good = query_client(server, "sts", server.access_key, server.secret_key)
    assert delta(server, good.get_caller_identity) == {}
