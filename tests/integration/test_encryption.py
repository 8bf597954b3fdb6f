"""Encryption at rest: SSE-S3, SSE-C (put/get/head/copy/multipart and S3's errors), bucket
default encryption, what lands on disk, damaged stored data, and master key rotation; through
boto3, raw HTTP and the aws CLI."""

import base64
import hashlib
import http.client
import json
import os
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from cvharness import (
    KiB,
    MiB,
    error_of,
    expect_error,
    fetch,
    make_client,
    md5_hex,
    object_path,
    random_bytes,
    sign_headers,
)

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

SSE_C_REQUIRED = (
    "The object was stored using a form of Server Side Encryption. The correct parameters must "
    "be provided to retrieve the object."
)


def headers_of(response):
    return response["ResponseMetadata"]["HTTPHeaders"]


def sse_c(key):
    """boto3 arguments for SSE-C with a raw 32-byte key (boto3 base64-encodes it and adds the
    MD5)."""
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}


def copy_source_sse_c(key):
    return {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": key}


def key_md5(key):
    return base64.b64encode(hashlib.md5(key).digest()).decode()


def sse_c_headers(key, md5=None, prefix="x-amz-server-side-encryption-customer-"):
    return {
        prefix + "algorithm": "AES256",
        prefix + "key": base64.b64encode(key).decode(),
        prefix + "key-MD5": md5 if md5 is not None else key_md5(key),
    }


def upload_multipart(s3, bucket, key, parts, **extra):
    """Creates an upload, uploads `parts` (bytes each), completes; returns the three
    responses (create, [part...], complete)."""
    created = s3.create_multipart_upload(Bucket=bucket, Key=key, **extra)
    uploaded = []
    for number, data in enumerate(parts, start=1):
        uploaded.append(
            s3.upload_part(
                Bucket=bucket,
                Key=key,
                UploadId=created["UploadId"],
                PartNumber=number,
                Body=data,
                **extra,
            )
        )
    completed = s3.complete_multipart_upload(
        Bucket=bucket,
        Key=key,
        UploadId=created["UploadId"],
        MultipartUpload={
            "Parts": [{"PartNumber": n, "ETag": p["ETag"]} for n, p in enumerate(uploaded, 1)]
        },
    )
    return created, uploaded, completed


def files_under(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def files_containing(root, needle):
    return [path for path in files_under(root) if needle in path.read_bytes()]


def blob_files(data_dir):
    return [p for p in files_under(Path(data_dir) / "blobs")]


def flip_bit(path, offset):
    with open(path, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)[0]
        handle.seek(offset)
        handle.write(bytes([byte ^ 0x08]))


def raw_get_stream(server, bucket, key, timeout=60):
    """A signed GET read chunk by chunk: (status, bytes received, whether the body ended early
    or the connection broke)."""
    target = object_path(bucket, key)
    host = f"127.0.0.1:{server.port}"
    headers = sign_headers(
        "GET", f"http://{host}{target}", {}, b"", server.access_key, server.secret_key
    )
    headers["Host"] = host
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    received = b""
    broken = False
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        status = response.status
        expected = int(response.getheader("Content-Length") or 0)
        try:
            while True:
                chunk = response.read1(64 * KiB)
                if not chunk:
                    break
                received += chunk
        except (http.client.IncompleteRead, ConnectionError, OSError):
            broken = True
        if status == 200 and len(received) < expected:
            broken = True
    finally:
        connection.close()
    return status, received, broken


# --------------------------------------------------------------------------------------------
# SSE-S3
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1 * KiB, 300 * KiB], ids=["empty", "inline", "blob"])
def test_sse_s3_put_get_head(s3, bucket, size):
    data = random_bytes(size, seed=size + 1)
    put = s3.put_object(Bucket=bucket, Key="k", Body=data, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256"
    assert put["ETag"] == f'"{md5_hex(data)}"'  # SSE-S3 ETags are MD5s, as in S3
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == size
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["ServerSideEncryption"] == "AES256"
    assert got["Body"].read() == data
    if size:
        ranged = s3.get_object(Bucket=bucket, Key="k", Range=f"bytes=1-{size - 2}")
        assert ranged["Body"].read() == data[1 : size - 1]
    # A plain object says nothing about encryption.
    s3.put_object(Bucket=bucket, Key="plain", Body=data)
    assert "ServerSideEncryption" not in s3.head_object(Bucket=bucket, Key="plain")


def test_sse_s3_multipart_with_ranges(s3, bucket):
    parts = [random_bytes(5 * MiB + 3, seed=21), random_bytes(5 * MiB, seed=22),
             random_bytes(1 * MiB + 7, seed=23)]
    whole = b"".join(parts)
    created = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="AES256")
    assert created["ServerSideEncryption"] == "AES256"
    etags = []
    for number, data in enumerate(parts, start=1):
        part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=created["UploadId"],
                              PartNumber=number, Body=data)
        assert part["ServerSideEncryption"] == "AES256"
        assert part["ETag"] == f'"{md5_hex(data)}"'
        etags.append(part["ETag"])
    completed = s3.complete_multipart_upload(
        Bucket=bucket, Key="mp", UploadId=created["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]},
    )
    assert completed["ServerSideEncryption"] == "AES256"
    head = s3.head_object(Bucket=bucket, Key="mp")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(whole)
    got = s3.get_object(Bucket=bucket, Key="mp")
    assert got["ServerSideEncryption"] == "AES256"
    assert hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(whole).digest()
    first = len(parts[0])
    ranges = [
        (0, 0),
        (65535, 65536),                      # across a segment boundary
        (first - 100, first + 100),          # across the first part boundary
        (first - 1, first),
        (first + len(parts[1]) - 5, len(whole) - 1),  # last part to the end
        (3 * MiB + 11, 3 * MiB + 11 + 2 * MiB),       # large, within part 1 and into part 2
        (123456, 123456 + 70000),
    ]
    for start, end in ranges:
        ranged = s3.get_object(Bucket=bucket, Key="mp", Range=f"bytes={start}-{end}")
        assert ranged["Body"].read() == whole[start : end + 1], (start, end)
    second = s3.get_object(Bucket=bucket, Key="mp", PartNumber=2)
    assert second["Body"].read() == parts[1]


def test_sse_request_errors(s3, raw, bucket):
    response = raw.request("PUT", bucket, "kms", headers={"x-amz-server-side-encryption": "aws:kms"},
                           body=b"x")
    assert response.status == 501, response.body
    assert response.error_code() == "NotImplemented"
    assert "KMS" in response.error()["Message"]
    response = raw.request("PUT", bucket, "bogus", headers={"x-amz-server-side-encryption": "DES"},
                           body=b"x")
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    key = os.urandom(32)
    both = {"x-amz-server-side-encryption": "AES256", **sse_c_headers(key)}
    response = raw.request("PUT", bucket, "both", headers=both, body=b"x")
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    # GET takes no x-amz-server-side-encryption header.
    s3.put_object(Bucket=bucket, Key="k", Body=b"v", ServerSideEncryption="AES256")
    response = raw.request("GET", bucket, "k", headers={"x-amz-server-side-encryption": "AES256"})
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    # Nothing was stored by the refused writes.
    keys = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == ["k"]


# --------------------------------------------------------------------------------------------
# SSE-C
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [100, 200 * KiB], ids=["inline", "blob"])
def test_sse_c_put_get_head(s3, bucket, size):
    key = os.urandom(32)
    data = random_bytes(size, seed=size)
    put = s3.put_object(Bucket=bucket, Key="c", Body=data, **sse_c(key))
    assert put["SSECustomerAlgorithm"] == "AES256"
    assert put["SSECustomerKeyMD5"] == key_md5(key)
    assert "ServerSideEncryption" not in put
    assert put["ETag"] != f'"{md5_hex(data)}"'  # S3's SSE-C ETags are not the MD5
    head = s3.head_object(Bucket=bucket, Key="c", **sse_c(key))
    assert head["SSECustomerAlgorithm"] == "AES256"
    assert head["SSECustomerKeyMD5"] == key_md5(key)
    assert head["ContentLength"] == size
    got = s3.get_object(Bucket=bucket, Key="c", **sse_c(key))
    assert got["Body"].read() == data
    assert got["SSECustomerKeyMD5"] == key_md5(key)
    ranged = s3.get_object(Bucket=bucket, Key="c", Range="bytes=10-89", **sse_c(key))
    assert ranged["Body"].read() == data[10:90]


def test_sse_c_errors(s3, raw, bucket):
    key = os.urandom(32)
    data = random_bytes(150 * KiB, seed=3)
    s3.put_object(Bucket=bucket, Key="c", Body=data, **sse_c(key))
    # Without the key: 400 InvalidRequest, for GET and HEAD.
    response = expect_error(s3.get_object, "InvalidRequest", 400, Bucket=bucket, Key="c")
    assert response["Error"]["Message"] == SSE_C_REQUIRED
    code, status, _ = error_of(s3.head_object, Bucket=bucket, Key="c")
    assert status == 400
    # The wrong key: 403 AccessDenied.
    expect_error(s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="c",
                 **sse_c(os.urandom(32)))
    code, status, _ = error_of(s3.head_object, Bucket=bucket, Key="c", **sse_c(os.urandom(32)))
    assert status == 403
    # SSE-C headers on objects that are not SSE-C: 400 InvalidRequest.
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    s3.put_object(Bucket=bucket, Key="s3", Body=b"s3", ServerSideEncryption="AES256")
    for other in ("plain", "s3"):
        response = expect_error(s3.get_object, "InvalidRequest", 400, Bucket=bucket, Key=other,
                                **sse_c(key))
        assert "not applicable" in response["Error"]["Message"]
    # Malformed SSE-C headers on PUT, as S3 words them.
    response = raw.request("PUT", bucket, "bad", body=b"x",
                           headers=sse_c_headers(key, md5=key_md5(os.urandom(32))))
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    assert "MD5" in response.error()["Message"]
    response = raw.request("PUT", bucket, "bad", body=b"x", headers=sse_c_headers(os.urandom(16)))
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    headers = sse_c_headers(key)
    del headers["x-amz-server-side-encryption-customer-key-MD5"]
    response = raw.request("PUT", bucket, "bad", body=b"x", headers=headers)
    assert response.status == 400 and response.error_code() == "InvalidArgument"
    headers = sse_c_headers(key)
    headers["x-amz-server-side-encryption-customer-algorithm"] = "AES128"
    response = raw.request("PUT", bucket, "bad", body=b"x", headers=headers)
    assert response.status == 400
    assert response.error_code() == "InvalidEncryptionAlgorithmError"
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="bad")
    # A GET with the key but without its MD5 is accepted, as S3 does.
    headers = sse_c_headers(key)
    del headers["x-amz-server-side-encryption-customer-key-MD5"]
    response = raw.request("GET", bucket, "c", headers=headers)
    assert response.status == 200 and response.body == data
    # The key is not kept: it appears nowhere in a listing or in the responses.
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["ETag"] for o in listed if o["Key"] == "c"] != [f'"{md5_hex(data)}"']


def test_sse_c_copy_and_upload_part_copy(s3, bucket):
    source_key, target_key = os.urandom(32), os.urandom(32)
    data = random_bytes(6 * MiB, seed=5)
    s3.put_object(Bucket=bucket, Key="src", Body=data, **sse_c(source_key))
    src = {"Bucket": bucket, "Key": "src"}
    # The source's key is needed: 400 without it, 403 with another.
    response = expect_error(s3.copy_object, "InvalidRequest", 400, Bucket=bucket, Key="dst",
                            CopySource=src)
    assert response["Error"]["Message"] == SSE_C_REQUIRED
    expect_error(s3.copy_object, "AccessDenied", 403, Bucket=bucket, Key="dst", CopySource=src,
                 **copy_source_sse_c(os.urandom(32)))
    # To SSE-S3.
    copied = s3.copy_object(Bucket=bucket, Key="to-s3", CopySource=src,
                            ServerSideEncryption="AES256", **copy_source_sse_c(source_key))
    assert copied["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="to-s3")["Body"].read() == data
    # To SSE-C under another key.
    copied = s3.copy_object(Bucket=bucket, Key="to-c", CopySource=src,
                            **copy_source_sse_c(source_key), **sse_c(target_key))
    assert copied["SSECustomerKeyMD5"] == key_md5(target_key)
    assert s3.get_object(Bucket=bucket, Key="to-c", **sse_c(target_key))["Body"].read() == data
    expect_error(s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="to-c",
                 **sse_c(source_key))
    # To plain.
    s3.copy_object(Bucket=bucket, Key="to-plain", CopySource=src, **copy_source_sse_c(source_key))
    plain = s3.get_object(Bucket=bucket, Key="to-plain")
    assert "ServerSideEncryption" not in plain and plain["Body"].read() == data
    # Re-encrypting an object onto itself is a legal copy (the encryption changes).
    s3.put_object(Bucket=bucket, Key="self", Body=b"self body")
    s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"},
                   ServerSideEncryption="AES256")
    assert s3.head_object(Bucket=bucket, Key="self")["ServerSideEncryption"] == "AES256"
    # UploadPartCopy from the SSE-C source into an SSE-C upload under the target key.
    upload = s3.create_multipart_upload(Bucket=bucket, Key="parts", **sse_c(target_key))
    assert upload["SSECustomerKeyMD5"] == key_md5(target_key)
    part_args = {"Bucket": bucket, "Key": "parts", "UploadId": upload["UploadId"],
                 "CopySource": src}
    expect_error(s3.upload_part_copy, "InvalidRequest", 400, PartNumber=1,
                 CopySourceRange="bytes=0-5242879", **part_args, **sse_c(target_key))
    first = s3.upload_part_copy(PartNumber=1, CopySourceRange="bytes=0-5242879", **part_args,
                                **copy_source_sse_c(source_key), **sse_c(target_key))
    assert first["SSECustomerKeyMD5"] == key_md5(target_key)
    second = s3.upload_part_copy(PartNumber=2, CopySourceRange=f"bytes=5242880-{len(data) - 1}",
                                 **part_args, **copy_source_sse_c(source_key),
                                 **sse_c(target_key))
    s3.complete_multipart_upload(
        Bucket=bucket, Key="parts", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [
            {"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
            {"PartNumber": 2, "ETag": second["CopyPartResult"]["ETag"]},
        ]},
    )
    assert s3.get_object(Bucket=bucket, Key="parts", **sse_c(target_key))["Body"].read() == data


def test_sse_c_multipart(s3, bucket):
    key = os.urandom(32)
    parts = [random_bytes(5 * MiB, seed=31), random_bytes(2 * MiB + 5, seed=32)]
    whole = b"".join(parts)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", **sse_c(key))
    assert upload["SSECustomerAlgorithm"] == "AES256"
    args = {"Bucket": bucket, "Key": "mp", "UploadId": upload["UploadId"]}
    response = expect_error(s3.upload_part, "InvalidRequest", 400, PartNumber=1, Body=parts[0],
                            **args)
    assert "must include the appropriate encryption parameters" in response["Error"]["Message"]
    response = expect_error(s3.upload_part, "InvalidRequest", 400, PartNumber=1, Body=parts[0],
                            **args, **sse_c(os.urandom(32)))
    assert "did not match" in response["Error"]["Message"]
    etags = []
    for number, data in enumerate(parts, start=1):
        part = s3.upload_part(PartNumber=number, Body=data, **args, **sse_c(key))
        assert part["SSECustomerKeyMD5"] == key_md5(key)
        etags.append(part["ETag"])
    completed = s3.complete_multipart_upload(
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]},
        **args,
    )
    assert headers_of(completed)["x-amz-server-side-encryption-customer-key-md5"] == key_md5(key)
    got = s3.get_object(Bucket=bucket, Key="mp", **sse_c(key))
    assert got["Body"].read() == whole
    ranged = s3.get_object(Bucket=bucket, Key="mp", Range="bytes=5242000-5243999", **sse_c(key))
    assert ranged["Body"].read() == whole[5242000:5244000]
    expect_error(s3.get_object, "InvalidRequest", 400, Bucket=bucket, Key="mp")


# --------------------------------------------------------------------------------------------
# Bucket default encryption
# --------------------------------------------------------------------------------------------

AES256_CONFIG = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}


def test_bucket_default_encryption(s3, bucket):
    response = expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError",
                            404, Bucket=bucket)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=AES256_CONFIG)
    config = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert config["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert config["Rules"][0]["BucketKeyEnabled"] is False

    # Writes that name no encryption are encrypted anyway, and say so.
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"defaulted")
    assert put["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == b"defaulted"
    copied = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"})
    assert headers_of(copied)["x-amz-server-side-encryption"] == "AES256"
    created, uploaded, completed = upload_multipart(s3, bucket, "mp", [b"one part"])
    assert created["ServerSideEncryption"] == "AES256"
    assert uploaded[0]["ServerSideEncryption"] == "AES256"
    assert completed["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"one part"
    # POST object (a browser form) too.
    post = s3.generate_presigned_post(Bucket=bucket, Key="posted", ExpiresIn=600)
    boundary = "----CloudVaultForm" + uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in post["fields"].items()
    ) + (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
         "Content-Type: text/plain\r\n\r\n").encode() + b"posted body\r\n" + (
        f"--{boundary}--\r\n".encode())
    posted = fetch(post["url"], method="POST",
                   headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)
    assert posted.status == 204, posted.body
    assert posted.header("x-amz-server-side-encryption") == "AES256"
    assert s3.head_object(Bucket=bucket, Key="posted")["ServerSideEncryption"] == "AES256"
    # SSE-C asked for explicitly wins over the default.
    key = os.urandom(32)
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"customer", **sse_c(key))
    assert "ServerSideEncryption" not in put and put["SSECustomerAlgorithm"] == "AES256"

    # SSE-KMS is refused precisely; the configuration stays as it was.
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}
    response = expect_error(s3.put_bucket_encryption, "NotImplemented", 501, Bucket=bucket,
                            ServerSideEncryptionConfiguration=kms)
    assert "KMS" in response["Error"]["Message"]
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]

    deleted = s3.delete_bucket_encryption(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404,
                 Bucket=bucket)
    put = s3.put_object(Bucket=bucket, Key="after", Body=b"plain again")
    assert "ServerSideEncryption" not in put
    # Objects written under the default keep their encryption.
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"


def test_bucket_encryption_configuration_errors(s3, raw, bucket):
    def put_config(xml):
        return raw.request("PUT", bucket, query=[("encryption", None)], body=xml.encode())

    response = put_config("<ServerSideEncryptionConfiguration><Rule/>"
                          "</ServerSideEncryptionConfiguration>")
    assert response.status == 400 and response.error_code() == "MalformedXML"
    response = put_config(
        "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
        "<SSEAlgorithm>ROT13</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"
        "</ServerSideEncryptionConfiguration>")
    assert response.status == 400 and response.error_code() == "MalformedXML"
    response = put_config("not xml")
    assert response.status == 400 and response.error_code() == "MalformedXML"
    response = put_config(
        '<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
        "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
        "</ServerSideEncryptionConfiguration>")
    assert response.status == 200, response.body
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["BucketKeyEnabled"] is True
    expect_error(s3.get_bucket_encryption, "NoSuchBucket", 404, Bucket=bucket + "-missing")


# --------------------------------------------------------------------------------------------
# The aws CLI
# --------------------------------------------------------------------------------------------


def test_aws_cli_sse_s3_and_sse_c(aws_cli, s3, bucket, tmp_path):
    small = tmp_path / "small.bin"
    small.write_bytes(random_bytes(50 * KiB, seed=41))
    large = tmp_path / "large.bin"  # above the CLI's 8 MiB multipart threshold
    large.write_bytes(random_bytes(9 * MiB + 17, seed=42))
    key_file = tmp_path / "customer.key"
    key = os.urandom(32)
    key_file.write_bytes(key)

    for source in (small, large):
        aws_cli("s3", "cp", source, f"s3://{bucket}/s3/{source.name}", "--sse", "AES256")
        head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key",
                                  f"s3/{source.name}").stdout)
        assert head["ServerSideEncryption"] == "AES256"
        out = tmp_path / ("back-" + source.name)
        aws_cli("s3", "cp", f"s3://{bucket}/s3/{source.name}", out)
        assert out.read_bytes() == source.read_bytes()

        aws_cli("s3", "cp", source, f"s3://{bucket}/c/{source.name}", "--sse-c", "AES256",
                "--sse-c-key", f"fileb://{key_file}")
        head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key",
                                  f"c/{source.name}", "--sse-customer-algorithm", "AES256",
                                  "--sse-customer-key", f"fileb://{key_file}").stdout)
        assert head["SSECustomerKeyMD5"] == key_md5(key)
        out = tmp_path / ("back-c-" + source.name)
        aws_cli("s3", "cp", f"s3://{bucket}/c/{source.name}", out, "--sse-c", "AES256",
                "--sse-c-key", f"fileb://{key_file}")
        assert out.read_bytes() == source.read_bytes()
        failed = aws_cli("s3", "cp", f"s3://{bucket}/c/{source.name}", tmp_path / "nokey",
                         check=False)
        assert failed.returncode != 0
        assert not (tmp_path / "nokey").exists() or (tmp_path / "nokey").read_bytes() != \
            source.read_bytes()
    # The large upload was a multipart one.
    head = s3.head_object(Bucket=bucket, Key="s3/large.bin")
    assert head["ETag"].strip('"').endswith("-2")


# --------------------------------------------------------------------------------------------
# On disk
# --------------------------------------------------------------------------------------------


def test_plaintext_never_reaches_the_disk(server_factory):
    server = server_factory(name="on-disk")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="secrets")
    s3.create_bucket(Bucket="defaulted")
    s3.put_bucket_encryption(Bucket="defaulted", ServerSideEncryptionConfiguration=AES256_CONFIG)
    key = os.urandom(32)
    bodies = {
        "inline": random_bytes(3 * KiB, seed=51),
        "blob": random_bytes(400 * KiB, seed=52),
        "customer": random_bytes(300 * KiB, seed=53),
        "multipart": [random_bytes(5 * MiB, seed=54), random_bytes(1 * MiB, seed=55)],
        "default": random_bytes(200 * KiB, seed=56),
        "control": random_bytes(2 * KiB, seed=57),
        "control-blob": random_bytes(200 * KiB, seed=58),
    }
    s3.put_object(Bucket="secrets", Key="inline", Body=bodies["inline"],
                  ServerSideEncryption="AES256")
    s3.put_object(Bucket="secrets", Key="blob", Body=bodies["blob"], ServerSideEncryption="AES256")
    s3.put_object(Bucket="secrets", Key="customer", Body=bodies["customer"], **sse_c(key))
    created = s3.create_multipart_upload(Bucket="secrets", Key="multipart",
                                         ServerSideEncryption="AES256")
    etags = [s3.upload_part(Bucket="secrets", Key="multipart", UploadId=created["UploadId"],
                            PartNumber=n, Body=d)["ETag"]
             for n, d in enumerate(bodies["multipart"], 1)]
    s3.complete_multipart_upload(
        Bucket="secrets", Key="multipart", UploadId=created["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]})
    s3.put_object(Bucket="defaulted", Key="default", Body=bodies["default"])
    s3.put_object(Bucket="secrets", Key="control", Body=bodies["control"])
    s3.put_object(Bucket="secrets", Key="control-blob", Body=bodies["control-blob"])
    assert server.terminate() == 0  # everything acknowledged is on disk; nothing is cached

    def needles(data):
        # Pieces from the start, the middle and the end of each body (and of each part).
        parts = data if isinstance(data, list) else [data]
        return [p[i : i + 48] for p in parts for i in (0, len(p) // 2, len(p) - 48)]

    files = files_under(server.data_dir)
    assert any(p.name == "meta.db" for p in files)
    assert blob_files(server.data_dir)
    for name, data in bodies.items():
        for needle in needles(data):
            holders = [p for p in files if needle in p.read_bytes()]
            if name.startswith("control"):
                assert holders, f"the search must find the plain control object {name}"
            else:
                assert not holders, f"plaintext of {name} found in {holders}"
    assert not [p for p in files if key in p.read_bytes()], "the SSE-C key was stored"


def test_damaged_stored_data_fails_instead_of_returning_wrong_bytes(server_factory):
    server = server_factory(name="tamper")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="damaged")
    small_blob = random_bytes(200 * KiB, seed=61)
    large_blob = random_bytes(1 * MiB, seed=62)
    inline = random_bytes(2 * KiB, seed=63)
    s3.put_object(Bucket="damaged", Key="small-blob", Body=small_blob,
                  ServerSideEncryption="AES256")
    before = set(blob_files(server.data_dir))
    s3.put_object(Bucket="damaged", Key="large-blob", Body=large_blob,
                  ServerSideEncryption="AES256")
    (large_file,) = set(blob_files(server.data_dir)) - before
    (small_file,) = before
    s3.put_object(Bucket="damaged", Key="inline", Body=inline, ServerSideEncryption="AES256")
    s3.put_object(Bucket="damaged", Key="intact", Body=inline, ServerSideEncryption="AES256")
    assert server.terminate() == 0

    segment = 64 * KiB + 16
    flip_bit(small_file, 8 + segment + 1000)           # in the second segment
    flip_bit(large_file, 8 + 12 * segment + 5)         # well into the streamed part
    with sqlite3.connect(server.data_dir / "meta.db") as db:
        (row_id, stored) = db.execute(
            "SELECT id, inline_data FROM objects WHERE key = ?", (b"inline",)).fetchone()
        assert inline not in stored
        damaged = bytearray(stored)
        damaged[len(damaged) // 2] ^= 0x01
        db.execute("UPDATE objects SET inline_data = ? WHERE id = ?", (bytes(damaged), row_id))
    server = server_factory(data_dir=server.data_dir, access_key=server.access_key,
                            secret_key=server.secret_key, name="tamper-again")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)

    # Bodies read whole before the response (<= 256 KiB) fail with a 500 before any byte.
    expect_error(s3.get_object, "InternalError", 500, Bucket="damaged", Key="inline")
    expect_error(s3.get_object, "InternalError", 500, Bucket="damaged", Key="small-blob")
    # A streamed body stops at the damaged segment: never a wrong byte.
    status, received, broken = raw_get_stream(server, "damaged", "large-blob")
    assert status == 200
    assert broken
    assert len(received) < len(large_blob)
    assert received == large_blob[: len(received)]
    # Ranges away from the damage still read; the undamaged object reads.
    first = s3.get_object(Bucket="damaged", Key="large-blob", Range="bytes=0-65535")
    assert first["Body"].read() == large_blob[:65536]
    expect_error(s3.get_object, "InternalError", 500, Bucket="damaged", Key="large-blob",
                 Range=f"bytes={12 * 65536}-{12 * 65536 + 10}")
    assert s3.get_object(Bucket="damaged", Key="intact")["Body"].read() == inline


# --------------------------------------------------------------------------------------------
# Master key rotation
# --------------------------------------------------------------------------------------------


def test_rotate_master_key(server_factory):
    server = server_factory(name="rotate")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="rotated")
    s3.create_bucket(Bucket="by-default")
    s3.put_bucket_encryption(Bucket="by-default", ServerSideEncryptionConfiguration=AES256_CONFIG)
    server.admin("user", "add", "carol")
    carol = json.loads(server.admin("key", "create", "carol").stdout)
    customer_key = os.urandom(32)
    objects = {
        "inline": random_bytes(1 * KiB, seed=71),
        "blob": random_bytes(300 * KiB, seed=72),
        "plain": random_bytes(10 * KiB, seed=73),
    }
    s3.put_object(Bucket="rotated", Key="inline", Body=objects["inline"],
                  ServerSideEncryption="AES256")
    s3.put_object(Bucket="rotated", Key="blob", Body=objects["blob"], ServerSideEncryption="AES256")
    s3.put_object(Bucket="rotated", Key="plain", Body=objects["plain"])
    s3.put_object(Bucket="rotated", Key="customer", Body=b"customer body", **sse_c(customer_key))
    s3.put_object(Bucket="by-default", Key="d", Body=b"default body")
    parts = [random_bytes(5 * MiB, seed=74), random_bytes(100 * KiB, seed=75)]
    created = s3.create_multipart_upload(Bucket="rotated", Key="mp", ServerSideEncryption="AES256")
    first = s3.upload_part(Bucket="rotated", Key="mp", UploadId=created["UploadId"],
                           PartNumber=1, Body=parts[0])
    key_path = server.data_dir / "master.key"
    old_key = key_path.read_bytes()

    # Refused while the server runs; nothing changes.
    refused = server.admin("key", "rotate-master", check=False)
    assert refused.returncode != 0
    assert "in use" in refused.stderr
    assert key_path.read_bytes() == old_key
    assert not (server.data_dir / "master.key.next").exists()

    assert server.terminate() == 0
    blobs_before = {p: p.read_bytes() for p in blob_files(server.data_dir)}
    rotated = server.admin("key", "rotate-master")
    report = json.loads(rotated.stdout)
    assert report["rotated"] is True and report["resumed"] is False
    # Root's and carol's keys, inline, blob, by-default, the upload: at least 6.
    assert report["secrets_resealed"] >= 6
    new_key = key_path.read_bytes()
    assert len(new_key) == 32 and new_key != old_key
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert not (server.data_dir / "master.key.next").exists()
    # No object body was rewritten.
    assert {p: p.read_bytes() for p in blob_files(server.data_dir)} == blobs_before

    server = server_factory(data_dir=server.data_dir, access_key=server.access_key,
                            secret_key=server.secret_key, name="rotate-again")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    for name, data in objects.items():
        assert s3.get_object(Bucket="rotated", Key=name)["Body"].read() == data
    assert s3.get_object(Bucket="rotated", Key="customer",
                         **sse_c(customer_key))["Body"].read() == b"customer body"
    assert s3.get_object(Bucket="by-default", Key="d")["Body"].read() == b"default body"
    # The upload in progress continues under its resealed key.
    second = s3.upload_part(Bucket="rotated", Key="mp", UploadId=created["UploadId"],
                            PartNumber=2, Body=parts[1])
    s3.complete_multipart_upload(
        Bucket="rotated", Key="mp", UploadId=created["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": first["ETag"]},
                                   {"PartNumber": 2, "ETag": second["ETag"]}]})
    assert s3.get_object(Bucket="rotated", Key="mp")["Body"].read() == b"".join(parts)
    # Access keys still work.
    carol_client = make_client(server.endpoint, carol["access_key_id"], carol["secret_key"])
    carol_client.list_buckets()
    # New SSE-S3 writes use the new key.
    s3.put_object(Bucket="rotated", Key="after", Body=b"after", ServerSideEncryption="AES256")
    assert s3.get_object(Bucket="rotated", Key="after")["Body"].read() == b"after"


def test_master_key_file_from_the_environment(server_factory, tmp_path, monkeypatch):
    key_dir = tmp_path / "keys"
    key_dir.mkdir()
    key_file = key_dir / "cloudvault.key"
    monkeypatch.setenv("CLOUDVAULT_MASTER_KEY_FILE", str(key_file))
    server = server_factory(name="env-key")
    assert key_file.exists() and len(key_file.read_bytes()) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not (server.data_dir / "master.key").exists()
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="env-key")
    s3.put_object(Bucket="env-key", Key="k", Body=b"sealed", ServerSideEncryption="AES256")
    assert server.terminate() == 0
    old = key_file.read_bytes()
    server.admin("key", "rotate-master")
    assert key_file.read_bytes() != old
    server = server_factory(data_dir=server.data_dir, access_key=server.access_key,
                            secret_key=server.secret_key, name="env-key-again")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    assert s3.get_object(Bucket="env-key", Key="k")["Body"].read() == b"sealed"
