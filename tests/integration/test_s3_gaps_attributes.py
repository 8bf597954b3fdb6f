"""Issue 14, S3 behaviours: GetObjectAttributes (boto3 and raw HTTP)."""

import base64
import hashlib
import os

from cvharness import MiB, expect_error, random_bytes, s3_checksum

ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]


def sse_c(key):
    """boto3 arguments for SSE-C with a raw 32-byte key (boto3 encodes it and adds the MD5)."""
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}


def sse_c_encoded(key):
    """The same, encoded here: Debian's botocore encodes SSE-C keys for PUT/GET, not for
    GetObjectAttributes."""
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64encode(key).decode(),
            "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(key).digest()).decode()}


def status_of(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def test_simple_object_attributes(s3, bucket):
    data = b"attributes of a simple object"
    put = s3.put_object(Bucket=bucket, Key="k", Body=data, ChecksumAlgorithm="SHA256")
    got = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=ALL)
    assert status_of(got) == 200
    assert got["ETag"] == put["ETag"].strip('"')
    assert got["ObjectSize"] == len(data)
    assert got["StorageClass"] == "STANDARD"
    assert got["Checksum"]["ChecksumSHA256"] == s3_checksum("SHA256", data)
    assert "ObjectParts" not in got  # not a multipart object
    head = s3.head_object(Bucket=bucket, Key="k")
    assert got["LastModified"] == head["LastModified"]
    assert "VersionId" not in got  # never-versioned bucket


def test_only_the_named_attributes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"12345")
    got = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert got["ObjectSize"] == 5
    assert "ETag" not in got and "StorageClass" not in got


def test_bad_attribute_names(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    response = raw.request("GET", bucket, "k", query=[("attributes", None)],
                           headers={"x-amz-object-attributes": "ETag,Colour"})
    assert response.status == 400
    assert response.error_code() == "InvalidArgument"
    response = raw.request("GET", bucket, "k", query=[("attributes", None)])
    assert response.status == 400
    assert response.error_code() == "InvalidArgument"


def test_multipart_parts_are_paged(s3, bucket):
    sizes = [5 * MiB, 5 * MiB, 5 * MiB, 1234]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", ChecksumAlgorithm="CRC32")
    parts = []
    for number, size in enumerate(sizes, start=1):
        data = random_bytes(size, seed=number)
        part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                              PartNumber=number, Body=data, ChecksumAlgorithm="CRC32")
        parts.append({"PartNumber": number, "ETag": part["ETag"],
                      "ChecksumCRC32": part["ChecksumCRC32"]})
        assert part["ChecksumCRC32"] == s3_checksum("CRC32", data)
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": parts})
    got = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=ALL, MaxParts=3)
    assert got["ObjectSize"] == sum(sizes)
    assert got["ETag"].endswith("-4")
    assert got["Checksum"]["ChecksumCRC32"].endswith("-4")
    object_parts = got["ObjectParts"]
    assert object_parts["TotalPartsCount"] == 4
    assert object_parts["MaxParts"] == 3
    assert object_parts["IsTruncated"] is True
    assert object_parts["NextPartNumberMarker"] == 3
    assert [p["PartNumber"] for p in object_parts["Parts"]] == [1, 2, 3]
    assert [p["Size"] for p in object_parts["Parts"]] == sizes[:3]
    assert [p["ChecksumCRC32"] for p in object_parts["Parts"]] == [
        p["ChecksumCRC32"] for p in parts[:3]]
    rest = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=["ObjectParts"],
                                    MaxParts=3, PartNumberMarker=3)["ObjectParts"]
    assert rest["IsTruncated"] is False
    assert [(p["PartNumber"], p["Size"]) for p in rest["Parts"]] == [(4, 1234)]


def test_versions_and_delete_markers(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=bucket, Key="k", Body=b"first")["VersionId"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"second version")
    got = s3.get_object_attributes(Bucket=bucket, Key="k", VersionId=first,
                                   ObjectAttributes=["ObjectSize"])
    assert got["ObjectSize"] == 5
    assert got["VersionId"] == first
    marker = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    response = expect_error(s3.get_object_attributes, "NoSuchKey", 404, Bucket=bucket, Key="k",
                            ObjectAttributes=["ETag"])
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-delete-marker"] == "true"
    assert headers["x-amz-version-id"] == marker
    expect_error(s3.get_object_attributes, "NoSuchKey", 404, Bucket=bucket, Key="nothing",
                 ObjectAttributes=["ETag"])


def test_sse_c_object_needs_its_key(s3, bucket):
    key = os.urandom(32)
    s3.put_object(Bucket=bucket, Key="secret", Body=b"hidden", **sse_c(key))
    expect_error(s3.get_object_attributes, "InvalidRequest", 400, Bucket=bucket, Key="secret",
                 ObjectAttributes=["ObjectSize"])
    got = s3.get_object_attributes(Bucket=bucket, Key="secret", ObjectAttributes=["ObjectSize"],
                                   **sse_c_encoded(key))
    assert got["ObjectSize"] == 6
