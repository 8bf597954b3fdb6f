"""Issue 14, S3 behaviours: GetObject / HeadObject with partNumber (boto3 and raw HTTP)."""

import pytest

from cvharness import KiB, MiB, expect_error, random_bytes


def status_of(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def multipart_object(s3, bucket):
    parts = [random_bytes(5 * MiB, seed=61), random_bytes(5 * MiB, seed=62),
             random_bytes(3 * KiB, seed=63)]
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload_id, PartNumber=n,
                            Body=body)["ETag"] for n, body in enumerate(parts, start=1)]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="mp", UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e}
                                   for n, e in enumerate(etags, start=1)]})
    return parts


def test_each_part_with_its_range_and_count(s3, bucket, multipart_object):
    parts = multipart_object
    total = sum(map(len, parts))
    offset = 0
    for number, body in enumerate(parts, start=1):
        got = s3.get_object(Bucket=bucket, Key="mp", PartNumber=number)
        assert status_of(got) == 206
        assert got["PartsCount"] == 3
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{total}"
        assert got["Body"].read() == body
        head = s3.head_object(Bucket=bucket, Key="mp", PartNumber=number)
        assert status_of(head) == 206
        assert head["ContentLength"] == len(body)
        assert head["PartsCount"] == 3
        offset += len(body)


def test_missing_part_of_a_multipart_object(s3, raw, bucket, multipart_object):
    response = expect_error(s3.get_object, "InvalidPartNumber", 416, Bucket=bucket, Key="mp",
                            PartNumber=4)
    assert "partnumber is not satisfiable" in response["Error"]["Message"]
    assert raw.request("HEAD", bucket, "mp", query=[("partNumber", "4")]).status == 416


def test_part_number_out_of_range_or_not_a_number(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for value in ("0", "10001", "one", "-1"):
        response = raw.request("GET", bucket, "k", query=[("partNumber", value)])
        assert response.status == 400, value
        assert response.error_code() == "InvalidArgument", value


def test_simple_object_part_one_is_the_whole_and_two_is_not_satisfiable(s3, bucket):
    s3.put_object(Bucket=bucket, Key="simple", Body=b"whole object")
    got = s3.get_object(Bucket=bucket, Key="simple", PartNumber=1)
    assert got["Body"].read() == b"whole object"
    assert got["ContentLength"] == 12
    assert "PartsCount" not in got
    expect_error(s3.get_object, "InvalidPartNumber", 416, Bucket=bucket, Key="simple",
                 PartNumber=2)


def test_empty_object_part_one(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty", PartNumber=1)
    assert got["Body"].read() == b""
    assert got["ContentLength"] == 0


def test_part_number_and_range_together_are_refused(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    response = raw.request("GET", bucket, "k", query=[("partNumber", "1")],
                           headers={"Range": "bytes=0-3"})
    assert response.status == 400
    assert response.error_code() == "InvalidRequest"
