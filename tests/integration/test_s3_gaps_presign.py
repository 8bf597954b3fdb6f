"""Issue 14, S3 behaviours: pre-signed URL expiry limits, with curl as the client."""

import datetime
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from cvharness import signing_clock


def curl(url, method="GET"):
    """(status, body) of one request by curl."""
    result = subprocess.run(
        ["curl", "-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}", url],
        capture_output=True, check=True, timeout=60,
    )
    body, _, status = result.stdout.rpartition(b"\n")
    return int(status), body


def error_of(body):
    root = ET.fromstring(body)
    return root.findtext("Code"), root.findtext("Message")


@pytest.fixture
def presigned(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"presigned body")
    return s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                     ExpiresIn=600)


def test_curl_reads_a_fresh_url(presigned):
    assert curl(presigned) == (200, b"presigned body")


@pytest.mark.parametrize(
    "expires, message",
    [
        ("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
        ("-1", "X-Amz-Expires must be non-negative"),
        ("0", None),
    ],
)
def test_curl_expiry_out_of_range(presigned, expires, message):
    url = re.sub(r"X-Amz-Expires=\d+", f"X-Amz-Expires={expires}", presigned)
    status, body = curl(url)
    assert status == 400, body
    code, text = error_of(body)
    assert code == "AuthorizationQueryParametersError"
    if message:
        assert text == message


def test_curl_week_long_url_works(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"a week")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                    ExpiresIn=604800)
    assert curl(url) == (200, b"a week")


def test_curl_expired_url_is_access_denied(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"old")
    with signing_clock(datetime.timedelta(seconds=-120)):
        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                        ExpiresIn=60)
    status, body = curl(url)
    assert status == 403
    assert error_of(body) == ("AccessDenied", "Request has expired")
    # The same request signed now is fine, so it was the expiry that refused it.
    fresh = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                      ExpiresIn=60)
    assert curl(fresh) == (200, b"old")
