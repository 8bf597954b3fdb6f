"""Bad input gets an S3 error (never a crash, never a half-written object)."""

import base64
import hashlib
import http.client
import socket

import pytest

from cvharness import KiB, expect_error, object_exists, random_bytes, send, sign_headers


def md5_header(body):
    return {"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()}


MALFORMED = [
    b"<Delete><Object><Key>unterminated",
    b"this is not xml at all",
    b"<?xml version='1.0'?><Wrong><Thing/></Wrong>",
]
MALFORMED_IDS = ["truncated", "text", "wrong-root"]


@pytest.mark.parametrize("body", MALFORMED, ids=MALFORMED_IDS)
def test_delete_objects_malformed_xml(raw, s3, bucket, body):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers=md5_header(body))
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"
    assert object_exists(s3, bucket, "keep")


@pytest.mark.parametrize(
    "body",
    MALFORMED + [b"<CompleteMultipartUpload></CompleteMultipartUpload>"],
    ids=MALFORMED_IDS + ["no-parts"],
)
def test_complete_multipart_malformed_xml(raw, s3, bucket, body):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload_id, PartNumber=1, Body=b"part")
    response = raw.request("POST", bucket, "mp", query=[("uploadId", upload_id)], body=body)
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"
    assert not object_exists(s3, bucket, "mp")
    # The upload survives a bad completion request.
    assert [p["PartNumber"] for p in
            s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload_id)["Parts"]] == [1]


@pytest.mark.parametrize("body", MALFORMED, ids=MALFORMED_IDS)
def test_put_cors_malformed_xml(raw, s3, bucket, body):
    response = raw.request("PUT", bucket, query=[("cors", None)], body=body,
                           headers=md5_header(body))
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"


@pytest.mark.parametrize("target", ["delete", "cors", "complete"])
def test_empty_xml_body(raw, s3, bucket, target):
    if target == "complete":
        upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
        response = raw.request("POST", bucket, "mp", query=[("uploadId", upload_id)], body=b"")
    elif target == "delete":
        response = raw.request("POST", bucket, query=[("delete", None)], body=b"",
                               headers=md5_header(b""))
    else:
        response = raw.request("PUT", bucket, query=[("cors", None)], body=b"",
                               headers=md5_header(b""))
    assert response.status == 400, response.body
    assert response.error_code() in ("MalformedXML", "MissingRequestBodyError")


def test_put_tagging_malformed_xml(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    body = b"<Tagging><TagSet><Tag><Key>a</Key>"
    response = raw.request("PUT", bucket, "k", query=[("tagging", None)], body=body,
                           headers=md5_header(body))
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"


@pytest.mark.parametrize(
    "method,key,query",
    [
        ("GET", None, "website"),
        ("PUT", None, "accelerate"),
        ("GET", None, "requestPayment"),
        ("GET", None, "inventory"),
        ("GET", "k", "torrent"),
        ("GET", None, "analytics"),
    ],
)
def test_unknown_operation_is_not_implemented(raw, bucket, method, key, query):
    body = b"<x/>" if method == "PUT" else b""
    response = raw.request(method, bucket, key, query=[(query, None)], body=body)
    assert response.status == 501, response.body
    assert response.error_code() == "NotImplemented"
    assert response.header("x-amz-request-id")


@pytest.mark.parametrize("size", [1 * KiB, 512 * KiB], ids=["inline", "blob"])
def test_short_body_then_close_leaves_no_object(server, s3, bucket, size):
    path = f"/{bucket}/short"
    host = f"127.0.0.1:{server.port}"
    headers = sign_headers("PUT", f"http://{host}{path}", {}, b"", server.access_key,
                           server.secret_key, payload_hash="UNSIGNED-PAYLOAD")
    headers["Host"] = host
    headers["Content-Length"] = str(size * 2)
    request = f"PUT {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request.encode() + b"\r\n" + random_bytes(size, seed=size))
        sock.shutdown(socket.SHUT_WR)
        # Wait until the server has dealt with the connection (answered or closed it).
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    if reply:
        status = int(reply.split(b" ", 2)[1])
        assert 400 <= status < 500, reply[:200]
    assert not object_exists(s3, bucket, "short")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_mismatched_content_sha256(raw, s3, bucket):
    signed_for = random_bytes(300 * KiB, seed=1)
    sent = random_bytes(300 * KiB, seed=2)
    response = raw.request(
        "PUT", bucket, "mismatch", body=sent,
        payload_hash=hashlib.sha256(signed_for).hexdigest(),
    )
    assert response.status == 400, response.body
    assert response.error_code() == "XAmzContentSHA256Mismatch"
    assert not object_exists(s3, bucket, "mismatch")


def test_invalid_content_sha256_value(raw, s3, bucket):
    response = raw.request("PUT", bucket, "bad", body=b"x", payload_hash="not-a-hash")
    assert response.status == 400, response.body
    assert response.error_code() in ("InvalidArgument", "XAmzContentSHA256Mismatch")
    assert not object_exists(s3, bucket, "bad")


def test_malformed_authorization_header(raw, s3, bucket):
    for value in ("AWS4-HMAC-SHA256 garbage", "Bearer token", "AWS4-HMAC-SHA256 Credential=x"):
        response = send(raw.port, "GET", f"/{bucket}", {"Authorization": value,
                                                         "x-amz-date": "20260101T000000Z"})
        assert 400 <= response.status < 500, (value, response.body)
        assert response.error_code() in (
            "AuthorizationHeaderMalformed", "InvalidArgument", "AccessDenied",
            "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidRequest",
        )


def test_server_still_serves_after_garbage(server, s3, bucket):
    # Nonsense on the wire must not take the server down.
    for garbage in (b"\x00\x01\x02 not http\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"PUT /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            try:
                sock.sendall(garbage)
                sock.shutdown(socket.SHUT_WR)
                while sock.recv(65536):
                    pass
            except (ConnectionResetError, BrokenPipeError):
                pass
    assert server.running()
    s3.put_object(Bucket=bucket, Key="alive", Body=b"yes")
    assert s3.get_object(Bucket=bucket, Key="alive")["Body"].read() == b"yes"


def test_oversized_header_is_rejected(server, raw, s3, bucket):
    try:
        response = raw.request("PUT", bucket, "big-header", body=b"x",
                               headers={"x-amz-meta-big": "v" * (64 * KiB)})
        assert 400 <= response.status < 500
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        pass  # closing the connection on an oversized header is also a fair answer
    assert server.running()
    assert not object_exists(s3, bucket, "big-header")


def test_user_metadata_limit(s3, bucket):
    # S3 limits user metadata to 2 KB.
    expect_error(s3.put_object, "MetadataTooLarge", 400, Bucket=bucket, Key="meta",
                 Body=b"x", Metadata={"big": "v" * 2100})
    assert not object_exists(s3, bucket, "meta")


def test_unknown_http_method(raw, bucket):
    response = raw.request("PATCH", bucket, "k", body=b"x")
    assert response.status in (405, 501)
