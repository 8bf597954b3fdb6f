"""Issue 14, S3 behaviours: x-amz-version-id / x-amz-delete-marker only where S3 sends them,
and Content-Encoding with several codings kept byte for byte."""

import http.client

import pytest

from cvharness import s3_checksum, send, sign_headers


def headers_of(response):
    return response["ResponseMetadata"]["HTTPHeaders"]


def versioning(s3, bucket, status):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})


def test_never_versioned_bucket_sends_no_version_headers(s3, raw, bucket):
    data = b"x" * (6 * 1024 * 1024)
    responses = [
        s3.put_object(Bucket=bucket, Key="k", Body=b"body"),
        s3.get_object(Bucket=bucket, Key="k"),
        s3.head_object(Bucket=bucket, Key="k"),
        s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"}),
        s3.put_object_tagging(Bucket=bucket, Key="k",
                              Tagging={"TagSet": [{"Key": "a", "Value": "b"}]}),
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ETag"]),
        s3.delete_object(Bucket=bucket, Key="k"),
        s3.delete_object(Bucket=bucket, Key="never-there"),
    ]
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload_id, PartNumber=1,
                          Body=data)["ETag"]
    responses.append(s3.complete_multipart_upload(
        Bucket=bucket, Key="mp", UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}))
    for response in responses:
        headers = headers_of(response)
        assert "x-amz-version-id" not in headers, headers
        assert "x-amz-delete-marker" not in headers, headers
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "copy"}]})
    assert deleted["Deleted"] == [{"Key": "copy"}]


def test_versioned_bucket_sends_ids_and_markers(s3, bucket):
    versioning(s3, bucket, "Enabled")
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"v1")
    assert put["VersionId"] != "null"
    assert s3.head_object(Bucket=bucket, Key="k")["VersionId"] == put["VersionId"]
    marker = s3.delete_object(Bucket=bucket, Key="k")
    assert marker["DeleteMarker"] is True
    # Deleting a real version (not a marker) creates or removes no marker: no header.
    removed = s3.delete_object(Bucket=bucket, Key="k", VersionId=put["VersionId"])
    assert "x-amz-delete-marker" not in headers_of(removed)
    assert removed["VersionId"] == put["VersionId"]
    # Removing the marker itself says so.
    unmarked = s3.delete_object(Bucket=bucket, Key="k", VersionId=marker["VersionId"])
    assert unmarked["DeleteMarker"] is True
    assert unmarked["VersionId"] == marker["VersionId"]


def test_suspended_bucket_names_the_null_version(s3, bucket):
    versioning(s3, bucket, "Enabled")
    versioning(s3, bucket, "Suspended")
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"null version")
    assert put["VersionId"] == "null"
    assert s3.get_object(Bucket=bucket, Key="k")["VersionId"] == "null"
    marker = s3.delete_object(Bucket=bucket, Key="k")
    assert marker["DeleteMarker"] is True
    assert marker["VersionId"] == "null"


@pytest.mark.parametrize("encoding", ["gzip, br", "gzip,br", "identity", "br ,  gzip"])
def test_content_encoding_kept_byte_for_byte(s3, raw, bucket, encoding):
    response = raw.request("PUT", bucket, "k", body=b"payload",
                           headers={"Content-Encoding": encoding})
    assert response.status == 200, response.body
    got = raw.request("GET", bucket, "k")
    assert got.header("content-encoding") == encoding
    assert s3.head_object(Bucket=bucket, Key="k")["ContentEncoding"] == encoding


def test_repeated_content_encoding_headers_are_joined(server, s3, bucket):
    target = f"/{bucket}/k"
    url = f"http://127.0.0.1:{server.port}{target}"
    # SigV4 canonicalises repeated fields as their values joined by ",".
    signed = sign_headers("PUT", url, {"Content-Encoding": "gzip,br"}, b"payload",
                          server.access_key, server.secret_key)

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("PUT", target, skip_host=True, skip_accept_encoding=True)
        for name, value in signed.items():
            if name.lower() != "content-encoding":
                conn.putheader(name, value)
        conn.putheader("Content-Encoding", "gzip")
        conn.putheader("Content-Encoding", "br")
        conn.putheader("Host", f"127.0.0.1:{server.port}")
        conn.putheader("Content-Length", "7")
        conn.endheaders(b"payload")
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 200
    assert s3.head_object(Bucket=bucket, Key="k")["ContentEncoding"] == "gzip, br"


def unsigned_trailer_put(raw, bucket, key, data, headers, trailer):
    """PUTs `data` as one aws-chunked chunk with an unsigned trailer line."""
    path = f"/{bucket}/{key}"
    url = f"http://127.0.0.1:{raw.port}{path}"
    headers = {**headers, "x-amz-decoded-content-length": str(len(data))}
    signed = sign_headers("PUT", url, headers, b"", raw.access_key, raw.secret_key,
                          payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    signed["Host"] = f"127.0.0.1:{raw.port}"
    body = f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n" + trailer.encode() + b"\r\n\r\n"
    return send(raw.port, "PUT", path, signed, body)


def test_aws_chunked_is_dropped_and_the_other_codings_kept(s3, raw, bucket):
    crc = s3_checksum("CRC32", b"payload")
    response = unsigned_trailer_put(
        raw, bucket, "k", b"payload",
        {"Content-Encoding": "gzip, aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32"},
        f"x-amz-checksum-crc32:{crc}")
    assert response.status == 200, response.body
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert head["ContentEncoding"] == "gzip"
    assert head["ChecksumCRC32"] == crc
