"""aws-chunked uploads (SigV4 streaming): signed chunks, signed and unsigned trailers.

boto3 does not send these, so the bodies are built here following the SigV4 streaming spec;
the AWS SDK for JavaScript v3 (test_clients.py) sends the trailer form for real.
"""

import pytest

from cvharness import (
    KiB,
    chunk_signature,
    object_exists,
    quoted_md5,
    random_bytes,
    s3_checksum,
    seed_signature,
    send,
    sign_headers,
    trailer_signature,
)

SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
CHUNK = 64 * KiB


def chunked_put(
    raw,
    bucket,
    key,
    data,
    mode=SIGNED,
    corrupt_signature_of=None,
    corrupt_data_of=None,
    checksum=None,
    bad_trailer_signature=False,
    decoded_length=None,
):
    """PUTs `data` as an aws-chunked body; the knobs break one thing each."""
    if decoded_length is None:
        decoded_length = len(data)
    headers = {
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(decoded_length),
    }
    if mode != SIGNED:
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    path = f"/{bucket}/{key}"
    url = f"http://127.0.0.1:{raw.port}{path}"
    signed = sign_headers("PUT", url, headers, b"", raw.access_key, raw.secret_key,
                          payload_hash=mode)
    timestamp = signed["X-Amz-Date"]
    previous = seed_signature(signed["Authorization"])

    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] + [b""]
    body = b""
    for index, chunk in enumerate(chunks):
        if mode == UNSIGNED_TRAILER:
            header = f"{len(chunk):x}\r\n"
        else:
            signature = chunk_signature(raw.secret_key, timestamp, previous, chunk)
            previous = signature
            if index == corrupt_signature_of:
                signature = ("0" if signature[0] != "0" else "1") + signature[1:]
            header = f"{len(chunk):x};chunk-signature={signature}\r\n"
        if index == corrupt_data_of:
            chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
        body += header.encode() + chunk
        if chunk:
            body += b"\r\n"
    if mode == SIGNED:
        body += b"\r\n"
    else:
        value = checksum or s3_checksum("CRC32", data)
        trailer = f"x-amz-checksum-crc32:{value}"
        body += trailer.encode() + b"\r\n"
        if mode == SIGNED_TRAILER:
            signature = trailer_signature(raw.secret_key, timestamp, previous, trailer + "\n")
            if bad_trailer_signature:
                signature = ("0" if signature[0] != "0" else "1") + signature[1:]
            body += f"x-amz-trailer-signature:{signature}\r\n".encode()
        body += b"\r\n"
    signed["Host"] = f"127.0.0.1:{raw.port}"
    return send(raw.port, "PUT", path, signed, body)


@pytest.mark.parametrize("mode", [SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER])
@pytest.mark.parametrize(
    "size", [0, 100, 3 * CHUNK + 17], ids=["empty", "one-chunk", "four-chunks"]
)
def test_chunked_upload(s3, raw, bucket, mode, size):
    data = random_bytes(size, seed=size)
    response = chunked_put(raw, bucket, "chunked", data, mode=mode)
    assert response.status == 200, response.body
    assert response.header("ETag") == quoted_md5(data)
    got = s3.get_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ContentLength"] == size
    # aws-chunked is a transfer detail, never stored as the object's encoding.
    assert "aws-chunked" not in got.get("ContentEncoding", "")
    if mode != SIGNED:
        assert got["ChecksumCRC32"] == s3_checksum("CRC32", data)


def test_bad_chunk_signature(s3, raw, bucket):
    data = random_bytes(3 * CHUNK, seed=1)
    response = chunked_put(raw, bucket, "bad", data, corrupt_signature_of=1)
    assert response.status == 403, response.body
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "bad")


def test_bad_final_chunk_signature(s3, raw, bucket):
    data = random_bytes(CHUNK + 5, seed=2)
    response = chunked_put(raw, bucket, "bad", data, corrupt_signature_of=2)
    assert response.status == 403, response.body
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "bad")


def test_tampered_chunk_data(s3, raw, bucket):
    data = random_bytes(2 * CHUNK, seed=3)
    response = chunked_put(raw, bucket, "bad", data, corrupt_data_of=1)
    assert response.status == 403, response.body
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "bad")


def test_bad_trailer_signature(s3, raw, bucket):
    data = random_bytes(CHUNK, seed=4)
    response = chunked_put(raw, bucket, "bad", data, mode=SIGNED_TRAILER,
                           bad_trailer_signature=True)
    assert response.status == 403, response.body
    assert response.error_code() == "SignatureDoesNotMatch"
    assert not object_exists(s3, bucket, "bad")


@pytest.mark.parametrize("mode", [SIGNED_TRAILER, UNSIGNED_TRAILER])
def test_wrong_trailer_checksum(s3, raw, bucket, mode):
    data = random_bytes(CHUNK + 1, seed=5)
    wrong = s3_checksum("CRC32", data + b"!")
    response = chunked_put(raw, bucket, "bad", data, mode=mode, checksum=wrong)
    assert response.status == 400, response.body
    assert response.error_code() == "BadDigest"
    assert not object_exists(s3, bucket, "bad")


@pytest.mark.parametrize("declared", [CHUNK * 2 + 10, CHUNK])
def test_decoded_length_mismatch(s3, raw, bucket, declared):
    data = random_bytes(CHUNK * 2, seed=6)
    response = chunked_put(raw, bucket, "bad", data, decoded_length=declared)
    assert 400 <= response.status < 500, response.body
    assert not object_exists(s3, bucket, "bad")
