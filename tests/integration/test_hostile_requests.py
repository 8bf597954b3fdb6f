"""Requests a hostile client sends (issue 11): headers the signature does not cover, keys that
XML cannot carry, XML bodies with DTDs or too many elements, DeleteObjects without an
integrity header. Each test sends the exact bytes over a raw socket or through boto3."""

import base64
import concurrent.futures
import hashlib
import xml.etree.ElementTree as ET

import pytest

from cvharness import (
    NS,
    expect_error,
    fetch,
    object_exists,
    send,
    sign_headers,
)
from test_presign_auth import BASE_CONDITIONS, BASE_FIELDS, post_form, presigned_post

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def signed_then_added(server, method, target, extra, body=b"", payload_hash=None, signed=None):
    """Signs the request (host, x-amz-content-sha256, x-amz-date and `signed`), then adds the
    `extra` headers the signature does not cover, and sends it."""
    host = f"127.0.0.1:{server.port}"
    headers = sign_headers(method, f"http://{host}{target}", dict(signed or {}), body,
                           server.access_key, server.secret_key, payload_hash=payload_hash)
    headers["Host"] = host
    headers.update(extra)
    return send(server.port, method, target, headers, body)


def assert_not_signed(response, names):
    assert response.status == 403, response.body
    error = response.error()
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == "There were headers present in the request which were not signed"
    assert error["HeadersNotSigned"] == names


# --------------------------------------------------------------------------------------------
# Unsigned x-amz-* headers
# --------------------------------------------------------------------------------------------


def test_unsigned_copy_source_is_refused(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="secret", Body=b"top secret")
    response = signed_then_added(server, "PUT", f"/{bucket}/cpdst",
                                 {"x-amz-copy-source": f"/{bucket}/secret"})
    assert_not_signed(response, "x-amz-copy-source")
    assert not object_exists(s3, bucket, "cpdst")


@pytest.mark.parametrize("payload_hash", [None, "UNSIGNED-PAYLOAD"])
def test_unsigned_metadata_and_tagging_are_refused(server, s3, bucket, payload_hash):
    response = signed_then_added(
        server, "PUT", f"/{bucket}/tagged",
        {"x-amz-meta-owner": "mallory", "x-amz-tagging": "a=b"},
        body=b"data", payload_hash=payload_hash)
    assert_not_signed(response, "x-amz-meta-owner, x-amz-tagging")
    assert not object_exists(s3, bucket, "tagged")


def test_signed_amz_headers_are_honoured(server, s3, bucket):
    response = signed_then_added(server, "PUT", f"/{bucket}/meta", {}, body=b"data",
                                 signed={"x-amz-meta-owner": "alice", "x-amz-tagging": "a=b"})
    assert response.status == 200, response.body
    assert s3.head_object(Bucket=bucket, Key="meta")["Metadata"] == {"owner": "alice"}
    tags = s3.get_object_tagging(Bucket=bucket, Key="meta")["TagSet"]
    assert tags == [{"Key": "a", "Value": "b"}]


def test_presigned_url_refuses_unsigned_amz_header(s3, bucket):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pre"},
                                    ExpiresIn=600)
    response = fetch(url, "PUT", headers={"x-amz-meta-evil": "1"}, body=b"data")
    assert_not_signed(response, "x-amz-meta-evil")
    assert not object_exists(s3, bucket, "pre")
    # Content-Type and Content-MD5 need not be signed on a pre-signed URL, as on S3.
    body = b"data"
    response = fetch(url, "PUT", body=body, headers={
        "Content-Type": "text/plain",
        "Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
    assert response.status == 200, response.body
    assert s3.head_object(Bucket=bucket, Key="pre")["ContentType"] == "text/plain"


def test_presigned_url_with_signed_metadata_header(s3, bucket):
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "pre-meta", "Metadata": {"a": "1"}},
        ExpiresIn=600)
    response = fetch(url, "PUT", headers={"x-amz-meta-a": "1"}, body=b"x")
    assert response.status == 200, response.body
    assert s3.head_object(Bucket=bucket, Key="pre-meta")["Metadata"] == {"a": "1"}


def test_post_form_refuses_amz_http_headers(s3, bucket):
    post = presigned_post(s3, bucket, BASE_FIELDS, BASE_CONDITIONS)
    response = post_form(post["url"], post["fields"], "evil.txt", b"data",
                         headers={"x-amz-tagging": "a=b"})
    assert_not_signed(response, "x-amz-tagging")
    assert not object_exists(s3, bucket, "uploads/evil.txt")


# --------------------------------------------------------------------------------------------
# Keys XML 1.0 cannot carry
# --------------------------------------------------------------------------------------------

CONTROL_KEYS = ["nul\x00key", "bell\x07key", "cr\rkey", "esc\x1bkey", "tab\tkey", "lf\nkey"]


def test_nul_key_listed_as_stored(raw, bucket):
    assert raw.request("PUT", path=f"/{bucket}/nul%00key", body=b"n").status == 200
    response = raw.request("GET", bucket, query=[("list-type", "2")])
    assert response.status == 200
    assert b"<Key>nul&#x0;key</Key>" in response.body
    assert b"<Key>nul</Key>" not in response.body


def test_control_characters_written_as_s3_does(s3, raw, bucket):
    for key in CONTROL_KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    for query in ([("list-type", "2")], [], [("versions", None)]):
        body = raw.request("GET", bucket, query=query).body
        for expected in (b"nul&#x0;key", b"bell&#x7;key", b"cr&#xd;key", b"esc&#x1b;key",
                         b"tab\tkey", b"lf\nkey"):
            assert b"<Key>" + expected + b"</Key>" in body, (query, body)
        assert b"&#0" not in body and b"&#1" not in body  # no decimal references


def test_control_character_keys_round_trip_with_boto3(s3, bucket):
    for key in CONTROL_KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    listed = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(listed) == sorted(CONTROL_KEYS)
    for key in listed:
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    # Quiet: S3's DeleteResult would echo the key as &#x7;, which boto3's parser refuses.
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "bell\x07key"}], "Quiet": True})
    remaining = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert "bell\x07key" not in remaining and len(remaining) == len(CONTROL_KEYS) - 1


def test_whitespace_keys_deleted_by_delete_objects(s3, bucket):
    keys = [" ", "  ", "\t"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"w")
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(item["Key"] for item in result["Deleted"]) == sorted(keys)
    assert "Errors" not in result
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


# --------------------------------------------------------------------------------------------
# DeleteObjects needs an integrity header
# --------------------------------------------------------------------------------------------


def delete_body(*keys):
    objects = "".join(f"<Object><Key>{key}</Key></Object>" for key in keys)
    return f"<Delete><Quiet>true</Quiet>{objects}</Delete>".encode()


def test_delete_objects_without_content_md5_is_refused(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"k")
    response = raw.request("POST", bucket, query=[("delete", None)], body=delete_body("keep"))
    assert response.status == 400, response.body
    assert response.error()["Code"] == "InvalidRequest"
    assert response.error()["Message"] == "Missing required header for this request: Content-MD5"
    assert object_exists(s3, bucket, "keep")


def test_delete_objects_with_md5_or_checksum(raw, s3, bucket):
    for key in ("a", "b"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    body = delete_body("a")
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers={"Content-MD5": wrong})
    assert response.status == 400 and response.error_code() == "BadDigest"
    assert object_exists(s3, bucket, "a")
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers={"Content-MD5": md5})
    assert response.status == 200, response.body
    assert not object_exists(s3, bucket, "a")
    body = delete_body("b")
    sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers={"x-amz-checksum-sha256": sha})
    assert response.status == 200, response.body
    assert not object_exists(s3, bucket, "b")


def test_xml_bodies_are_verified_against_their_signed_hash(raw, bucket):
    body = b'<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>'
    raw.request("PUT", bucket, "t", body=b"x")
    response = raw.request("PUT", bucket, "t", query=[("tagging", None)], body=body,
                           payload_hash=hashlib.sha256(b"something else").hexdigest())
    assert response.status == 400, response.body
    assert response.error_code() == "XAmzContentSHA256Mismatch"


# --------------------------------------------------------------------------------------------
# XML: DTDs, entities, size of the tree
# --------------------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10))
    + b"]>\n<Tagging><TagSet><Tag><Key>&lol9;</Key><Value>v</Value></Tag></TagSet></Tagging>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<Tagging><TagSet><Tag><Key>&xxe;</Key><Value>v</Value></Tag></TagSet></Tagging>"
)
UNDECLARED_ENTITY = b"<Tagging><TagSet><Tag><Key>&lol9;</Key><Value>v</Value></Tag></TagSet></Tagging>"


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, UNDECLARED_ENTITY],
                         ids=["billion-laughs", "external-entity", "undeclared-entity"])
def test_xml_with_dtd_or_unknown_entity_is_malformed(raw, s3, bucket, body):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x")
    response = raw.request("PUT", bucket, "t", query=[("tagging", None)], body=body)
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == []
    md5 = base64.b64encode(hashlib.md5(body.replace(b"Tagging", b"Delete")).digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)],
                           body=body.replace(b"Tagging", b"Delete"), headers={"Content-MD5": md5})
    assert response.error_code() == "MalformedXML"


def test_predefined_entities_and_character_references_still_parse(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x")
    body = (b"<Tagging><TagSet><Tag><Key>a&amp;b&lt;&#x41;&#66;</Key><Value>v</Value></Tag>"
            b"</TagSet></Tagging>")
    response = raw.request("PUT", bucket, "t", query=[("tagging", None)], body=body)
    assert response.status == 200, response.body
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == [
        {"Key": "a&b<AB", "Value": "v"}]


def test_deeply_nested_xml_is_refused(raw, bucket):
    body = b"<Delete>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Delete>"
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers={"Content-MD5": md5})
    assert response.status == 400
    assert response.error_code() == "MalformedXML"
    assert "nested deeper than 32" in response.error()["Message"]


def test_xml_with_too_many_elements_is_refused(raw, bucket):
    body = b"<Delete>" + b"<Object><Key>k</Key></Object>" * 6000 + b"</Delete>"
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    response = raw.request("POST", bucket, query=[("delete", None)], body=body,
                           headers={"Content-MD5": md5})
    assert response.status == 400
    assert response.error_code() == "MalformedXML"
    assert "more than 10000 elements" in response.error()["Message"]


def rss_bytes(server):
    number, unit = server.proc_status()["VmRSS"].split()
    assert unit == "kB"
    return int(number) * 1024


def test_memory_returns_to_baseline_after_large_xml_bodies(server_factory):
    """64 concurrent CompleteMultipartUpload bodies of nearly 1 MiB and 60,000 elements each
    (the largest tree a request may build): RSS afterwards stays near its baseline."""
    server = server_factory(name="xmlmemory")
    from cvharness import RawClient, make_client
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    client.create_bucket(Bucket="mem")
    upload = client.create_multipart_upload(Bucket="mem", Key="big")["UploadId"]
    raw = RawClient(server.port, server.access_key, server.secret_key)
    part = b"<Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
    body = b"<CompleteMultipartUpload>" + part * 19_000 + b"</CompleteMultipartUpload>"
    assert len(body) < 1024 * 1024

    def complete(_):
        return raw.request("POST", "mem", "big", query=[("uploadId", upload)], body=body)

    complete(0)  # warm: thread pools, caches, first arenas
    baseline = rss_bytes(server)
    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        responses = list(pool.map(complete, range(64)))
    assert all(r.status == 400 for r in responses), {r.status for r in responses}
    after = rss_bytes(server)
    print(f"RSS baseline {baseline >> 20} MiB, after 64 concurrent bodies {after >> 20} MiB")
    assert after - baseline < 24 * 1024 * 1024, (baseline, after)
