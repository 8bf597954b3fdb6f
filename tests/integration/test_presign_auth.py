"""Authentication: presigned URLs (with curl), SigV4 failures, clock skew, anonymous access,
request ids, and browser-style POST uploads under a SigV4 POST policy."""

import datetime
import subprocess
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import pytest

from cvharness import (
    KiB,
    expect_error,
    fetch,
    make_client,
    md5_hex,
    object_exists,
    quoted_md5,
    random_bytes,
    send,
    sign_headers,
    signing_clock,
)

CURL = "/usr/bin/curl"


def curl(*args):
    result = subprocess.run(
        [CURL, "--silent", "--show-error", "--globoff", *args],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


# --------------------------------------------------------------------------------------------
# Presigned URLs
# --------------------------------------------------------------------------------------------


def test_presigned_put_with_curl_then_get_with_curl(s3, bucket, tmp_path):
    data = random_bytes(300 * KiB + 1, seed=77)
    source = tmp_path / "upload.bin"
    source.write_bytes(data)
    key = "curl/upload file+ü.bin"
    put_url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=600
    )
    status = curl("--upload-file", str(source), "--output", "/dev/null",
                  "--write-out", "%{http_code}", put_url)
    assert status == "200"
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert s3.head_object(Bucket=bucket, Key=key)["ETag"] == quoted_md5(data)

    get_url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=600
    )
    target = tmp_path / "download.bin"
    status = curl("--output", str(target), "--write-out", "%{http_code}", get_url)
    assert status == "200"
    assert target.read_bytes() == data


def test_presigned_head_and_delete(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"12345")
    head_url = s3.generate_presigned_url("head_object", Params={"Bucket": bucket, "Key": "k"})
    head = fetch(head_url, method="HEAD")
    assert head.status == 200
    assert head.header("Content-Length") == "5"
    delete_url = s3.generate_presigned_url("delete_object", Params={"Bucket": bucket, "Key": "k"})
    assert fetch(delete_url, method="DELETE").status == 204
    assert not object_exists(s3, bucket, "k")


def test_presigned_url_is_bound_to_method_and_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    s3.put_object(Bucket=bucket, Key="other", Body=b"other")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    wrong_method = fetch(url, method="DELETE")
    assert wrong_method.status == 403
    assert wrong_method.error_code() == "SignatureDoesNotMatch"
    assert object_exists(s3, bucket, "k")
    tampered = fetch(url.replace(f"/{bucket}/k?", f"/{bucket}/other?"))
    assert tampered.status == 403
    assert tampered.error_code() == "SignatureDoesNotMatch"


def test_presigned_url_expired(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    with signing_clock(datetime.timedelta(hours=-2)):
        url = s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=3600
        )
    response = fetch(url)
    assert response.status == 403
    error = response.error()
    assert error["Code"] == "AccessDenied"
    assert "expired" in error["Message"].lower()


def test_presigned_expiry_limit(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    params = {"Bucket": bucket, "Key": "k"}
    week = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=604800)
    assert fetch(week).body == b"data"
    too_long = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=604801)
    response = fetch(too_long)
    assert response.status == 400
    assert response.error_code() == "AuthorizationQueryParametersError"


def test_presigned_with_wrong_secret_or_unknown_key(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    params = {"Bucket": bucket, "Key": "k"}
    wrong_secret = make_client(server.endpoint, server.access_key, "x" * 40)
    response = fetch(wrong_secret.generate_presigned_url("get_object", Params=params))
    assert response.status == 403
    assert response.error_code() == "SignatureDoesNotMatch"
    unknown = make_client(server.endpoint, "AKIAUNKNOWN000000000", "x" * 40)
    response = fetch(unknown.generate_presigned_url("get_object", Params=params))
    assert response.status == 403
    assert response.error_code() == "InvalidAccessKeyId"


# --------------------------------------------------------------------------------------------
# Header authentication
# --------------------------------------------------------------------------------------------


def test_wrong_secret_is_signature_mismatch(server, s3, bucket):
    client = make_client(server.endpoint, server.access_key, server.secret_key[:-1] + "?")
    expect_error(client.list_buckets, "SignatureDoesNotMatch", 403)
    expect_error(client.put_object, "SignatureDoesNotMatch", 403, Bucket=bucket, Key="k",
                 Body=b"x")
    assert not object_exists(s3, bucket, "k")


def test_unknown_access_key(server, bucket):
    client = make_client(server.endpoint, "AKIAUNKNOWN000000000", server.secret_key)
    expect_error(client.list_buckets, "InvalidAccessKeyId", 403)
    expect_error(client.get_object, "InvalidAccessKeyId", 403, Bucket=bucket, Key="k")


@pytest.mark.parametrize("minutes", [20, -20])
def test_clock_skew_is_rejected(s3, bucket, minutes):
    with signing_clock(datetime.timedelta(minutes=minutes)):
        expect_error(s3.list_buckets, "RequestTimeTooSkewed", 403)
        expect_error(s3.put_object, "RequestTimeTooSkewed", 403, Bucket=bucket, Key="k", Body=b"x")
    assert not object_exists(s3, bucket, "k")


def test_small_clock_skew_is_accepted(s3, bucket):
    with signing_clock(datetime.timedelta(minutes=10)):
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with signing_clock(datetime.timedelta(minutes=-10)):
        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_unsigned_payload(server, s3, raw, bucket):
    data = random_bytes(200 * KiB, seed=5)
    response = raw.request("PUT", bucket, "unsigned", body=data, payload_hash="UNSIGNED-PAYLOAD")
    assert response.status == 200, response.body
    assert s3.get_object(Bucket=bucket, Key="unsigned")["Body"].read() == data
    client = make_client(
        server.endpoint, server.access_key, server.secret_key, payload_signing_enabled=False
    )
    client.put_object(Bucket=bucket, Key="unsigned2", Body=data)
    assert client.get_object(Bucket=bucket, Key="unsigned2")["Body"].read() == data


def test_tampered_signed_header(raw, s3, bucket):
    # Sign with one Content-Type, send another: the signature covers it.
    url = f"http://127.0.0.1:{raw.port}/{bucket}/k"
    headers = sign_headers("PUT", url, {"Content-Type": "text/plain"}, b"x", raw.access_key,
                           raw.secret_key)
    headers["Content-Type"] = "text/html"
    headers["Host"] = f"127.0.0.1:{raw.port}"
    response = send(raw.port, "PUT", f"/{bucket}/k", headers, b"x")
    assert response.status == 403
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "k")


def test_anonymous_requests_are_denied(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="private", Body=b"secret")
    for method, key, query in [
        ("GET", "private", []),
        ("HEAD", "private", []),
        ("GET", None, [("list-type", "2")]),
        ("DELETE", "private", []),
    ]:
        response = raw.request(method, bucket, key, query=query, anonymous=True)
        assert response.status == 403, (method, key)
        if method != "HEAD":
            assert response.error_code() == "AccessDenied"
    service = raw.request("GET", anonymous=True)
    assert service.status == 403
    assert service.error_code() == "AccessDenied"
    put = raw.request("PUT", bucket, "anon", body=b"x", anonymous=True)
    assert put.status == 403
    assert put.error_code() == "AccessDenied"
    assert not object_exists(s3, bucket, "anon")
    assert s3.get_object(Bucket=bucket, Key="private")["Body"].read() == b"secret"


def test_request_id_on_every_response(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    responses = {
        "ok": raw.request("GET", bucket, "k"),
        "no such key": raw.request("GET", bucket, "missing"),
        "head 404": raw.request("HEAD", bucket, "missing"),
        "anonymous": raw.request("GET", bucket, "k", anonymous=True),
        "bad signature": raw.request("GET", bucket, "k", secret_key="wrong" * 8),
        "not implemented": raw.request("GET", bucket, query=[("website", None)]),
        "bad name": raw.request("PUT", path="/Bad_Name"),
        "preflight": raw.request(
            "OPTIONS",
            bucket,
            "k",
            anonymous=True,
            headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
        ),
        "list": raw.request("GET", bucket, query=[("list-type", "2")]),
        "service": raw.request("GET"),
    }
    ids = set()
    for name, response in responses.items():
        request_id = response.header("x-amz-request-id")
        assert request_id, name
        ids.add(request_id)
        if response.status >= 400 and response.body:
            assert response.error()["RequestId"] == request_id, name
    assert len(ids) == len(responses)
    assert responses["not implemented"].status == 501


# --------------------------------------------------------------------------------------------
# POST uploads (HTML forms under a SigV4 POST policy)
# --------------------------------------------------------------------------------------------


def post_form(url, fields, filename, data, file_type="application/octet-stream", headers=None):
    """multipart/form-data as a browser sends it: the fields, then the file last."""
    boundary = "----CloudVaultForm" + uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {file_type}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    chunks.append(f"--{boundary}--\r\n".encode())
    return fetch(
        url,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})},
        body=b"".join(chunks),
    )


def presigned_post(s3, bucket, fields=None, conditions=None, key="uploads/${filename}",
                   expires=600):
    fields = dict(fields or {})
    conditions = list(conditions or [])
    return s3.generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires
    )


BASE_FIELDS = {"Content-Type": "text/plain", "x-amz-meta-origin": "form"}
BASE_CONDITIONS = [
    {"Content-Type": "text/plain"},
    ["eq", "$x-amz-meta-origin", "form"],
    ["content-length-range", 1, 1024],
]


def test_post_upload_default_204(s3, bucket):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    assert post["url"].rstrip("/").endswith("/" + bucket)
    data = b"hello from a form"
    response = post_form(post["url"], post["fields"], "hello.txt", data)
    assert response.status == 204, response.body
    assert response.body == b""
    assert response.header("ETag") == quoted_md5(data)
    got = s3.get_object(Bucket=bucket, Key="uploads/hello.txt")
    assert got["Body"].read() == data
    assert got["ContentType"] == "text/plain"
    assert got["Metadata"] == {"origin": "form"}


def test_post_upload_status_201(s3, bucket):
    fields = dict(BASE_FIELDS, success_action_status="201")
    conditions = BASE_CONDITIONS + [{"success_action_status": "201"}]
    post = presigned_post(s3, bucket, fields, conditions)
    data = b"created"
    response = post_form(post["url"], post["fields"], "made.txt", data)
    assert response.status == 201, response.body
    root = ET.fromstring(response.body)
    values = {child.tag.split("}")[-1]: child.text for child in root}
    assert root.tag.split("}")[-1] == "PostResponse"
    assert values["Bucket"] == bucket
    assert values["Key"] == "uploads/made.txt"
    assert values["ETag"] == quoted_md5(data)
    assert values["Location"]
    assert s3.get_object(Bucket=bucket, Key="uploads/made.txt")["Body"].read() == data


def test_post_upload_redirect(s3, bucket):
    target = "http://127.0.0.1:9/after-upload?from=test"
    fields = dict(BASE_FIELDS, success_action_redirect=target)
    conditions = BASE_CONDITIONS + [{"success_action_redirect": target}]
    post = presigned_post(s3, bucket, fields, conditions)
    data = b"redirected"
    response = post_form(post["url"], post["fields"], "r.txt", data)
    assert response.status == 303, response.body
    location = response.header("Location")
    assert location.startswith("http://127.0.0.1:9/after-upload?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert query["from"] == ["test"]
    assert query["bucket"] == [bucket]
    assert query["key"] == ["uploads/r.txt"]
    assert query["etag"][0].strip('"') == md5_hex(data)
    assert s3.get_object(Bucket=bucket, Key="uploads/r.txt")["Body"].read() == data


def test_post_upload_key_outside_prefix(s3, bucket):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    fields = dict(post["fields"], key="elsewhere/x.txt")
    response = post_form(post["url"], fields, "x.txt", b"data")
    assert response.status == 403, response.body
    assert response.error_code() == "AccessDenied"
    assert not object_exists(s3, bucket, "elsewhere/x.txt")


@pytest.mark.parametrize(
    "size,code", [(2000, "EntityTooLarge"), (0, "EntityTooSmall")], ids=["large", "small"]
)
def test_post_upload_content_length_range(s3, bucket, size, code):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    response = post_form(post["url"], post["fields"], "sized.txt", b"z" * size)
    assert response.status == 400, response.body
    assert response.error_code() == code
    assert not object_exists(s3, bucket, "uploads/sized.txt")


def test_post_upload_field_not_in_policy(s3, bucket):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    for change in ({"x-amz-meta-sneaky": "v"}, {"x-amz-meta-origin": "forged"},
                   {"Content-Type": "text/html"}):
        fields = dict(post["fields"], **change)
        response = post_form(post["url"], fields, "f.txt", b"data")
        assert response.status == 403, (change, response.body)
        assert response.error_code() == "AccessDenied"
    assert not object_exists(s3, bucket, "uploads/f.txt")


def test_post_upload_bad_signature(s3, bucket):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    signature = post["fields"]["x-amz-signature"]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    fields = dict(post["fields"], **{"x-amz-signature": flipped})
    response = post_form(post["url"], fields, "s.txt", b"data")
    assert response.status == 403
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "uploads/s.txt")


def test_post_upload_expired_policy(s3, bucket):
    with signing_clock(datetime.timedelta(hours=-2)):
        post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS, expires=3600)
    response = post_form(post["url"], post["fields"], "late.txt", b"data")
    assert response.status == 403
    assert response.error_code() == "AccessDenied"
    assert not object_exists(s3, bucket, "uploads/late.txt")


def test_post_upload_exact_key(s3, bucket):
    post = presigned_post(s3, bucket, key="fixed/name.bin")
    data = random_bytes(200 * KiB, seed=8)
    response = post_form(post["url"], post["fields"], "ignored.bin", data)
    assert response.status == 204, response.body
    assert s3.get_object(Bucket=bucket, Key="fixed/name.bin")["Body"].read() == data
    assert not object_exists(s3, bucket, "ignored.bin")
