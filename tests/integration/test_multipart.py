"""Multipart uploads: create, parts, complete, copy parts, errors, listings, a 100 MiB file."""

import hashlib
import os

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from cvharness import (
    KiB,
    MiB,
    expect_error,
    file_sha256,
    object_exists,
    quoted_md5,
    random_bytes,
)


def multipart_etag(parts):
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def upload_parts(s3, bucket, key, parts, **create_args):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key, **create_args)["UploadId"]
    completed = []
    for number, body in enumerate(parts, start=1):
        response = s3.upload_part(
            Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body
        )
        assert response["ETag"] == quoted_md5(body)
        completed.append({"PartNumber": number, "ETag": response["ETag"]})
    return upload_id, completed


def complete(s3, bucket, key, upload_id, parts):
    return s3.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
    )


def test_complete_upload(s3, bucket):
    parts = [random_bytes(5 * MiB, 1), random_bytes(5 * MiB, 2), random_bytes(KiB + 3, 3)]
    upload_id, completed = upload_parts(
        s3, bucket, "big/object.bin", parts, ContentType="video/mp4", Metadata={"kind": "mp"}
    )
    listed = s3.list_parts(Bucket=bucket, Key="big/object.bin", UploadId=upload_id)
    assert [p["PartNumber"] for p in listed["Parts"]] == [1, 2, 3]
    assert [p["Size"] for p in listed["Parts"]] == [len(p) for p in parts]
    assert [p["ETag"] for p in listed["Parts"]] == [c["ETag"] for c in completed]
    assert listed["UploadId"] == upload_id
    assert listed["IsTruncated"] is False

    done = complete(s3, bucket, "big/object.bin", upload_id, completed)
    assert done["ETag"] == multipart_etag(parts)
    assert done["Bucket"] == bucket
    assert done["Key"] == "big/object.bin"
    assert done["Location"]

    got = s3.get_object(Bucket=bucket, Key="big/object.bin")
    assert got["ETag"] == multipart_etag(parts)
    assert got["ContentLength"] == sum(map(len, parts))
    assert got["ContentType"] == "video/mp4"
    assert got["Metadata"] == {"kind": "mp"}
    assert hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(b"".join(parts)).digest()
    listing = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [(o["Key"], o["Size"], o["ETag"]) for o in listing] == [
        ("big/object.bin", sum(map(len, parts)), multipart_etag(parts))
    ]
    uploads = s3.list_multipart_uploads(Bucket=bucket)
    assert uploads.get("Uploads", []) == []
    expect_error(
        s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="big/object.bin", UploadId=upload_id
    )


def test_single_small_part(s3, bucket):
    parts = [b"only part, smaller than 5 MiB is fine when it is the last"]
    upload_id, completed = upload_parts(s3, bucket, "one", parts)
    assert complete(s3, bucket, "one", upload_id, completed)["ETag"] == multipart_etag(parts)
    assert s3.get_object(Bucket=bucket, Key="one")["Body"].read() == parts[0]


def test_reuploaded_part_and_subset_of_parts(s3, bucket):
    key = "subset"
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    bodies = {n: random_bytes(5 * MiB, 10 + n) for n in (1, 3, 7)}
    s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1, Body=b"old" * 10)
    etags = {
        n: s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=n, Body=body)[
            "ETag"
        ]
        for n, body in bodies.items()
    }
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(n, 5 * MiB) for n in (1, 3, 7)]
    # Complete with parts 1 and 7 only: part 3 is dropped.
    done = complete(
        s3, bucket, key, upload_id, [{"PartNumber": n, "ETag": etags[n]} for n in (1, 7)]
    )
    assert done["ETag"] == multipart_etag([bodies[1], bodies[7]])
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == bodies[1] + bodies[7]


def test_large_upload_file_and_download(s3, bucket, tmp_path):
    size = 100 * MiB + 123
    source = tmp_path / "source.bin"
    md5s = []
    with open(source, "wb") as handle:
        remaining = size
        while remaining:
            chunk = os.urandom(min(8 * MiB, remaining))
            md5s.append(hashlib.md5(chunk).digest())
            handle.write(chunk)
            remaining -= len(chunk)
    expected_etag = f'"{hashlib.md5(b"".join(md5s)).hexdigest()}-{len(md5s)}"'
    config = TransferConfig(
        multipart_threshold=8 * MiB, multipart_chunksize=8 * MiB, max_concurrency=4
    )
    s3.upload_file(str(source), bucket, "large.bin", Config=config)

    head = s3.head_object(Bucket=bucket, Key="large.bin")
    assert head["ContentLength"] == size
    assert head["ETag"] == expected_etag
    assert len(md5s) == 13

    target = tmp_path / "target.bin"
    s3.download_file(bucket, "large.bin", str(target), Config=config)
    assert target.stat().st_size == size
    assert file_sha256(target) == file_sha256(source)
    # A streamed GET (one request) gives the same bytes.
    digest = hashlib.sha256()
    for chunk in s3.get_object(Bucket=bucket, Key="large.bin")["Body"].iter_chunks(MiB):
        digest.update(chunk)
    assert digest.hexdigest() == file_sha256(source)
    source.unlink()
    target.unlink()


def test_upload_part_copy_with_ranges(s3, bucket):
    data = random_bytes(10 * MiB + 100 * KiB, 40)
    s3.put_object(Bucket=bucket, Key="copy-src", Body=data)
    small = b"small tail object"
    s3.put_object(Bucket=bucket, Key="tail", Body=small)
    key = "assembled"
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    ranges = [(0, 5 * MiB - 1), (5 * MiB, len(data) - 1)]
    parts, expected = [], []
    for number, (first, last) in enumerate(ranges, start=1):
        response = s3.upload_part_copy(
            Bucket=bucket,
            Key=key,
            UploadId=upload_id,
            PartNumber=number,
            CopySource={"Bucket": bucket, "Key": "copy-src"},
            CopySourceRange=f"bytes={first}-{last}",
        )
        assert response["CopyPartResult"]["ETag"] == quoted_md5(data[first : last + 1])
        parts.append({"PartNumber": number, "ETag": response["CopyPartResult"]["ETag"]})
        expected.append(data[first : last + 1])
    # A whole object (no range) as the last part.
    response = s3.upload_part_copy(
        Bucket=bucket,
        Key=key,
        UploadId=upload_id,
        PartNumber=3,
        CopySource={"Bucket": bucket, "Key": "tail"},
    )
    parts.append({"PartNumber": 3, "ETag": response["CopyPartResult"]["ETag"]})
    expected.append(small)
    done = complete(s3, bucket, key, upload_id, parts)
    assert done["ETag"] == multipart_etag(expected)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"".join(expected)


def test_upload_part_copy_range_outside_source(s3, bucket):
    s3.put_object(Bucket=bucket, Key="short", Body=b"0123456789")
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="x")["UploadId"]
    with pytest.raises(ClientError) as caught:
        s3.upload_part_copy(
            Bucket=bucket,
            Key="x",
            UploadId=upload_id,
            PartNumber=1,
            CopySource={"Bucket": bucket, "Key": "short"},
            CopySourceRange="bytes=5-100",
        )
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] in (400, 416)
    assert response["Error"]["Code"] in ("InvalidArgument", "InvalidRange")


def test_invalid_part(s3, bucket):
    # Every part listed is large enough, so the ETag or number is the only thing wrong.
    parts = [random_bytes(5 * MiB, 50), random_bytes(5 * MiB, 55)]
    upload_id, completed = upload_parts(s3, bucket, "k", parts)
    wrong_etag = [completed[0], {"PartNumber": 2, "ETag": quoted_md5(b"something else")}]
    expect_error(complete, "InvalidPart", 400, s3=s3, bucket=bucket, key="k",
                 upload_id=upload_id, parts=wrong_etag)
    never_uploaded = [completed[0], {"PartNumber": 3, "ETag": quoted_md5(b"x")}]
    expect_error(complete, "InvalidPart", 400, s3=s3, bucket=bucket, key="k",
                 upload_id=upload_id, parts=never_uploaded)
    assert not object_exists(s3, bucket, "k")
    # The upload is still usable after the failed attempts.
    assert complete(s3, bucket, "k", upload_id, completed)["ETag"] == multipart_etag(parts)


def test_invalid_part_order(s3, bucket):
    # Both parts are large enough, so the order is the only thing wrong.
    parts = [random_bytes(5 * MiB, 51), random_bytes(5 * MiB, 54)]
    upload_id, completed = upload_parts(s3, bucket, "k", parts)
    expect_error(complete, "InvalidPartOrder", 400, s3=s3, bucket=bucket, key="k",
                 upload_id=upload_id, parts=list(reversed(completed)))
    assert not object_exists(s3, bucket, "k")


def test_entity_too_small(s3, bucket):
    parts = [random_bytes(KiB, 52), random_bytes(KiB, 53)]
    upload_id, completed = upload_parts(s3, bucket, "k", parts)
    expect_error(complete, "EntityTooSmall", 400, s3=s3, bucket=bucket, key="k",
                 upload_id=upload_id, parts=completed)
    assert not object_exists(s3, bucket, "k")


def test_part_number_limits(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    for number in (0, 10001):
        expect_error(s3.upload_part, "InvalidArgument", 400, Bucket=bucket, Key="k",
                     UploadId=upload_id, PartNumber=number, Body=b"x")
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=10000, Body=b"x")


def test_abort(s3, bucket):
    upload_id, completed = upload_parts(s3, bucket, "k", [b"part one"])
    aborted = s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    assert aborted["ResponseMetadata"]["HTTPStatusCode"] == 204
    common = {"Bucket": bucket, "Key": "k", "UploadId": upload_id}
    expect_error(s3.list_parts, "NoSuchUpload", 404, **common)
    expect_error(s3.upload_part, "NoSuchUpload", 404, PartNumber=2, Body=b"x", **common)
    expect_error(s3.complete_multipart_upload, "NoSuchUpload", 404,
                 MultipartUpload={"Parts": completed}, **common)
    expect_error(s3.abort_multipart_upload, "NoSuchUpload", 404, **common)
    assert not object_exists(s3, bucket, "k")
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_unknown_upload_id(s3, bucket):
    common = {"Bucket": bucket, "Key": "k", "UploadId": "no-such-upload-id"}
    expect_error(s3.upload_part, "NoSuchUpload", 404, PartNumber=1, Body=b"x", **common)
    expect_error(s3.list_parts, "NoSuchUpload", 404, **common)
    # An upload id belongs to its key.
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="right")["UploadId"]
    expect_error(s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key="wrong",
                 UploadId=upload_id, PartNumber=1, Body=b"x")


def test_list_parts_paging(s3, bucket):
    upload_id, completed = upload_parts(s3, bucket, "k", [b"a", b"b", b"c"])
    first = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id, MaxParts=2)
    assert [p["PartNumber"] for p in first["Parts"]] == [1, 2]
    assert first["IsTruncated"] is True
    assert first["NextPartNumberMarker"] == 2
    assert first["MaxParts"] == 2
    second = s3.list_parts(
        Bucket=bucket, Key="k", UploadId=upload_id, MaxParts=2, PartNumberMarker=2
    )
    assert [p["PartNumber"] for p in second["Parts"]] == [3]
    assert second["Parts"][0]["ETag"] == quoted_md5(b"c")
    assert second["IsTruncated"] is False


def test_list_multipart_uploads(s3, bucket):
    created = []
    for key in ("mpu/b", "mpu/a", "other/c", "mpu/a"):
        created.append((key, s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]))
    listing = s3.list_multipart_uploads(Bucket=bucket)
    listed = [(u["Key"], u["UploadId"]) for u in listing["Uploads"]]
    assert sorted(listed) == sorted(created)
    assert [k for k, _ in listed] == ["mpu/a", "mpu/a", "mpu/b", "other/c"]
    for upload in listing["Uploads"]:
        assert upload["Initiated"]

    prefixed = s3.list_multipart_uploads(Bucket=bucket, Prefix="mpu/")
    assert sorted(u["Key"] for u in prefixed["Uploads"]) == ["mpu/a", "mpu/a", "mpu/b"]

    grouped = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in grouped.get("CommonPrefixes", [])] == ["mpu/", "other/"]
    assert grouped.get("Uploads", []) == []

    page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1)
    assert len(page["Uploads"]) == 1
    assert page["IsTruncated"] is True
    rest = s3.list_multipart_uploads(
        Bucket=bucket, KeyMarker=page["NextKeyMarker"], UploadIdMarker=page["NextUploadIdMarker"]
    )
    assert len(rest["Uploads"]) == 3
    assert (page["Uploads"][0]["Key"], page["Uploads"][0]["UploadId"]) not in [
        (u["Key"], u["UploadId"]) for u in rest["Uploads"]
    ]

    for key, upload_id in created:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
