"""Object operations through boto3 (and raw HTTP where boto3 hides the wire)."""

import base64
import datetime
import email.utils
import gzip
import hashlib

import pytest

from cvharness import (
    KiB,
    MiB,
    expect_error,
    fetch,
    object_exists,
    quoted_md5,
    random_bytes,
    s3_checksum,
)


def status_of(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def headers_of(response):
    return response["ResponseMetadata"]["HTTPHeaders"]


# --------------------------------------------------------------------------------------------
# PUT / GET / HEAD / DELETE
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 200 * KiB, 10 * MiB], ids=["0B", "1B", "200KiB", "10MiB"])
def test_put_get_round_trip(s3, bucket, size):
    data = random_bytes(size, seed=size)
    put = s3.put_object(Bucket=bucket, Key="obj", Body=data)
    assert put["ETag"] == quoted_md5(data)

    got = s3.get_object(Bucket=bucket, Key="obj")
    assert got["Body"].read() == data
    assert got["ContentLength"] == size
    assert got["ETag"] == quoted_md5(data)
    assert headers_of(got).get("accept-ranges") == "bytes"

    head = s3.head_object(Bucket=bucket, Key="obj")
    assert head["ContentLength"] == size
    assert head["ETag"] == quoted_md5(data)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - head["LastModified"]).total_seconds()) < 300


def test_overwrite_replaces_content_and_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"first", Metadata={"v": "1"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"second!", ContentType="text/plain")
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["Body"].read() == b"second!"
    assert got["Metadata"] == {}
    assert got["ContentType"] == "text/plain"
    assert got["ETag"] == quoted_md5(b"second!")


def test_default_content_type(raw, bucket):
    put = raw.request("PUT", bucket, "no-type", body=b"abc")
    assert put.status == 200, put.body
    head = raw.request("HEAD", bucket, "no-type")
    assert head.status == 200
    assert head.header("Content-Type") == "binary/octet-stream"
    assert head.header("Content-Length") == "3"
    assert head.header("ETag") == quoted_md5(b"abc")
    assert head.header("Last-Modified")
    assert head.body == b""


def test_metadata_headers_round_trip(s3, bucket):
    body = gzip.compress(b"hello metadata " * 100)
    expires = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    s3.put_object(
        Bucket=bucket,
        Key="meta.txt.gz",
        Body=body,
        ContentType="text/plain; charset=utf-8",
        CacheControl="max-age=60, private",
        ContentDisposition='attachment; filename="meta.txt"',
        ContentEncoding="gzip",
        ContentLanguage="en-GB",
        Expires=expires,
        Metadata={"color": "blue", "Mixed-Case": "Value With Spaces"},
    )
    for response in (
        s3.head_object(Bucket=bucket, Key="meta.txt.gz"),
        s3.get_object(Bucket=bucket, Key="meta.txt.gz"),
    ):
        assert response["ContentType"] == "text/plain; charset=utf-8"
        assert response["CacheControl"] == "max-age=60, private"
        assert response["ContentDisposition"] == 'attachment; filename="meta.txt"'
        assert response["ContentEncoding"] == "gzip"
        assert response["ContentLanguage"] == "en-GB"
        raw_expires = headers_of(response)["expires"]
        assert email.utils.parsedate_to_datetime(raw_expires) == expires
        # S3 lower-cases user metadata names and keeps values as sent.
        assert response["Metadata"] == {"color": "blue", "mixed-case": "Value With Spaces"}
    # The stored bytes are the gzip bytes: the server does not decode them.
    got = s3.get_object(Bucket=bucket, Key="meta.txt.gz")["Body"].read()
    assert got == body


def test_head_and_get_missing_key(s3, raw, bucket):
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="missing")
    error = expect_error(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="missing")
    assert error["Error"].get("Key") == "missing"

    response = raw.request("GET", bucket, "dir/missing key")
    assert response.status == 404
    assert response.header("Content-Type").startswith("application/xml")
    body = response.error()
    assert body["Code"] == "NoSuchKey"
    assert body["Key"] == "dir/missing key"
    assert body["Message"]
    assert body["RequestId"] == response.header("x-amz-request-id")

    head = raw.request("HEAD", bucket, "missing")
    assert head.status == 404
    assert head.body == b""


def test_delete_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="gone", Body=b"data")
    response = s3.delete_object(Bucket=bucket, Key="gone")
    assert status_of(response) == 204
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="gone")
    # Deleting a key that does not exist is not an error.
    assert status_of(s3.delete_object(Bucket=bucket, Key="gone")) == 204
    assert status_of(s3.delete_object(Bucket=bucket, Key="never-existed")) == 204


# --------------------------------------------------------------------------------------------
# Content-MD5 and checksums
# --------------------------------------------------------------------------------------------


def test_content_md5_good(s3, bucket):
    data = random_bytes(300 * KiB, seed=1)
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    put = s3.put_object(Bucket=bucket, Key="md5", Body=data, ContentMD5=md5)
    assert put["ETag"] == quoted_md5(data)
    assert s3.get_object(Bucket=bucket, Key="md5")["Body"].read() == data


@pytest.mark.parametrize("size", [10, 300 * KiB], ids=["inline", "blob"])
def test_content_md5_mismatch_is_bad_digest(s3, bucket, size):
    data = random_bytes(size, seed=2)
    wrong = base64.b64encode(hashlib.md5(data + b"x").digest()).decode()
    expect_error(
        s3.put_object, "BadDigest", 400, Bucket=bucket, Key="bad", Body=data, ContentMD5=wrong
    )
    assert not object_exists(s3, bucket, "bad")


@pytest.mark.parametrize(
    "value", ["not base64!", base64.b64encode(b"short").decode(), "AAAA"]
)
def test_content_md5_malformed_is_invalid_digest(raw, s3, bucket, value):
    response = raw.request("PUT", bucket, "bad", headers={"Content-MD5": value}, body=b"data")
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidDigest"
    assert not object_exists(s3, bucket, "bad")


ALGORITHMS = ["CRC32", "CRC32C", "SHA1", "SHA256"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_checksum_algorithms_are_verified_and_returned(s3, bucket, algorithm):
    data = random_bytes(70 * KiB, seed=algorithm)
    expected = s3_checksum(algorithm, data)
    field = "Checksum" + algorithm
    put = s3.put_object(Bucket=bucket, Key="sum", Body=data, ChecksumAlgorithm=algorithm)
    assert put[field] == expected
    got = s3.get_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert got[field] == expected
    assert got["Body"].read() == data
    head = s3.head_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert head[field] == expected


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_checksum_given_by_value(s3, bucket, algorithm):
    data = b"checksum given as a header value"
    field = "Checksum" + algorithm
    value = s3_checksum(algorithm, data)
    put = s3.put_object(Bucket=bucket, Key="given", Body=data, **{field: value})
    assert put[field] == s3_checksum(algorithm, data)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_checksum_mismatch_is_rejected(s3, bucket, algorithm):
    data = random_bytes(200 * KiB, seed=3)
    wrong = s3_checksum(algorithm, data + b"tamper")
    expect_error(
        s3.put_object,
        "BadDigest",
        400,
        Bucket=bucket,
        Key="wrong-sum",
        Body=data,
        **{"Checksum" + algorithm: wrong},
    )
    assert not object_exists(s3, bucket, "wrong-sum")


def test_checksum_header_malformed(raw, s3, bucket):
    response = raw.request(
        "PUT", bucket, "bad-sum", headers={"x-amz-checksum-crc32": "not-a-crc"}, body=b"data"
    )
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidRequest"
    assert response.error()["Message"] == "Value for x-amz-checksum-crc32 header is invalid."
    assert not object_exists(s3, bucket, "bad-sum")


# --------------------------------------------------------------------------------------------
# Tagging
# --------------------------------------------------------------------------------------------


def tags_of(response):
    return {t["Key"]: t["Value"] for t in response["TagSet"]}


def test_tagging_on_put_and_tagging_api(s3, bucket):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x", Tagging="project=alpha&team=x%20y")
    assert tags_of(s3.get_object_tagging(Bucket=bucket, Key="t")) == {
        "project": "alpha",
        "team": "x y",
    }
    assert s3.get_object(Bucket=bucket, Key="t")["TagCount"] == 2

    s3.put_object_tagging(
        Bucket=bucket,
        Key="t",
        Tagging={"TagSet": [{"Key": "stage", "Value": "prod"}, {"Key": "a/b", "Value": "c=d"}]},
    )
    assert tags_of(s3.get_object_tagging(Bucket=bucket, Key="t")) == {
        "stage": "prod",
        "a/b": "c=d",
    }
    assert s3.head_object(Bucket=bucket, Key="t")["ResponseMetadata"]["HTTPHeaders"].get(
        "x-amz-tagging-count"
    ) == "2"

    deleted = s3.delete_object_tagging(Bucket=bucket, Key="t")
    assert status_of(deleted) == 204
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == []
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="t")
    # The object itself is untouched.
    assert s3.get_object(Bucket=bucket, Key="t")["Body"].read() == b"x"


def test_tagging_missing_key(s3, bucket):
    expect_error(s3.get_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="nope")
    expect_error(
        s3.put_object_tagging,
        "NoSuchKey",
        404,
        Bucket=bucket,
        Key="nope",
        Tagging={"TagSet": [{"Key": "a", "Value": "b"}]},
    )


# --------------------------------------------------------------------------------------------
# DeleteObjects
# --------------------------------------------------------------------------------------------


def test_delete_objects_verbose(s3, bucket):
    for key in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    response = s3.delete_objects(
        Bucket=bucket,
        Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "missing"}]},
    )
    assert sorted(d["Key"] for d in response["Deleted"]) == ["a", "b", "missing"]
    assert response.get("Errors", []) == []
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]


def test_delete_objects_quiet(s3, bucket):
    keys = [f"q/{i}" for i in range(20)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"q")
    response = s3.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True}
    )
    assert status_of(response) == 200
    assert response.get("Deleted", []) == []
    assert response.get("Errors", []) == []
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_delete_objects_more_than_1000_keys(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k0", Body=b"x")
    expect_error(
        s3.delete_objects,
        "MalformedXML",
        400,
        Bucket=bucket,
        Delete={"Objects": [{"Key": f"k{i}"} for i in range(1001)]},
    )
    assert object_exists(s3, bucket, "k0")


def test_delete_objects_exactly_1000_keys(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k999", Body=b"x")
    response = s3.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": f"k{i}"} for i in range(1000)]}
    )
    assert len(response["Deleted"]) == 1000
    assert not object_exists(s3, bucket, "k999")


# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [100, 300 * KiB], ids=["inline", "blob"])
def test_ranges(s3, bucket, size):
    data = random_bytes(size, seed=size + 5)
    s3.put_object(Bucket=bucket, Key="r", Body=data)
    cases = [
        ("bytes=0-9", 0, 9),
        ("bytes=-5", size - 5, size - 1),
        ("bytes=10-", 10, size - 1),
        ("bytes=5-5", 5, 5),
        (f"bytes=7-{size * 3}", 7, size - 1),  # an end past the object is clamped
        (f"bytes=-{size * 2}", 0, size - 1),  # so is a suffix longer than the object
    ]
    for header, first, last in cases:
        got = s3.get_object(Bucket=bucket, Key="r", Range=header)
        assert status_of(got) == 206, header
        assert got["ContentRange"] == f"bytes {first}-{last}/{size}", header
        assert got["ContentLength"] == last - first + 1, header
        assert got["Body"].read() == data[first : last + 1], header
        assert got["ETag"] == quoted_md5(data)


def test_unsatisfiable_range(s3, raw, bucket):
    data = random_bytes(1000, seed=9)
    s3.put_object(Bucket=bucket, Key="r", Body=data)
    for header in ("bytes=1000-", "bytes=5000-6000"):
        expect_error(s3.get_object, "InvalidRange", 416, Bucket=bucket, Key="r", Range=header)
    response = raw.request("GET", bucket, "r", headers={"Range": "bytes=1000-1001"})
    assert response.status == 416
    assert response.error_code() == "InvalidRange"


def test_invalid_range_syntax_is_ignored(raw, s3, bucket):
    data = b"0123456789"
    s3.put_object(Bucket=bucket, Key="r", Body=data)
    response = raw.request("GET", bucket, "r", headers={"Range": "bytes=abc"})
    assert response.status == 200
    assert response.body == data


# --------------------------------------------------------------------------------------------
# Conditional requests
# --------------------------------------------------------------------------------------------


def test_conditional_get(s3, bucket):
    data = b"conditional body"
    s3.put_object(Bucket=bucket, Key="c", Body=data)
    head = s3.head_object(Bucket=bucket, Key="c")
    etag, modified = head["ETag"], head["LastModified"]
    past = modified - datetime.timedelta(days=1)

    def get(**conditions):
        return s3.get_object(Bucket=bucket, Key="c", **conditions)

    assert get(IfMatch=etag)["Body"].read() == data
    expect_error(get, "PreconditionFailed", 412, IfMatch='"0123456789abcdef0123456789abcdef"')

    not_modified = expect_error(get, "304", 304, IfNoneMatch=etag)
    assert not_modified["ResponseMetadata"]["HTTPHeaders"].get("etag") == etag
    assert get(IfNoneMatch='"0123456789abcdef0123456789abcdef"')["Body"].read() == data

    assert get(IfModifiedSince=past)["Body"].read() == data
    expect_error(get, "304", 304, IfModifiedSince=modified)

    assert get(IfUnmodifiedSince=modified)["Body"].read() == data
    expect_error(get, "PreconditionFailed", 412, IfUnmodifiedSince=past)

    # S3's documented combinations: If-Match wins over a failing If-Unmodified-Since, and a
    # failing If-None-Match wins over a passing If-Modified-Since.
    assert get(IfMatch=etag, IfUnmodifiedSince=past)["Body"].read() == data
    expect_error(get, "304", 304, IfNoneMatch=etag, IfModifiedSince=past)


def test_conditional_head(s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"x")
    etag = s3.head_object(Bucket=bucket, Key="c")["ETag"]
    expect_error(s3.head_object, "304", 304, Bucket=bucket, Key="c", IfNoneMatch=etag)
    expect_error(s3.head_object, "412", 412, Bucket=bucket, Key="c", IfMatch='"nope"')
    assert s3.head_object(Bucket=bucket, Key="c", IfMatch=etag)["ETag"] == etag


# --------------------------------------------------------------------------------------------
# response-content-* overrides
# --------------------------------------------------------------------------------------------


OVERRIDES = {
    "ResponseContentType": ("content-type", "application/x-override"),
    "ResponseContentDisposition": ("content-disposition", 'attachment; filename="dl.bin"'),
    "ResponseCacheControl": ("cache-control", "no-store"),
    "ResponseContentLanguage": ("content-language", "fr-CA"),
    "ResponseContentEncoding": ("content-encoding", "identity"),
}


def test_response_overrides_with_presigned_get(s3, bucket):
    data = b"override me"
    s3.put_object(Bucket=bucket, Key="o", Body=data, ContentType="text/plain")
    params = {"Bucket": bucket, "Key": "o"}
    params.update({name: value for name, (_, value) in OVERRIDES.items()})
    url = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=300)
    response = fetch(url)
    assert response.status == 200, response.body
    assert response.body == data
    for header, value in OVERRIDES.values():
        assert response.header(header) == value, header


def test_response_overrides_with_signed_get(s3, bucket):
    s3.put_object(Bucket=bucket, Key="o", Body=b"x", ContentType="text/plain")
    got = s3.get_object(
        Bucket=bucket,
        Key="o",
        ResponseContentType="image/png",
        ResponseContentDisposition="inline",
    )
    assert got["ContentType"] == "image/png"
    assert got["ContentDisposition"] == "inline"
    # The stored metadata is unchanged.
    assert s3.head_object(Bucket=bucket, Key="o")["ContentType"] == "text/plain"


# --------------------------------------------------------------------------------------------
# partNumber on GET / HEAD
# --------------------------------------------------------------------------------------------


def test_get_by_part_number(s3, bucket):
    parts = [random_bytes(5 * MiB, seed=11), random_bytes(100 * KiB, seed=12)]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    etags = [
        s3.upload_part(
            Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=n + 1, Body=body
        )["ETag"]
        for n, body in enumerate(parts)
    ]
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key="mp",
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]},
    )
    total = sum(len(p) for p in parts)
    offset = 0
    for number, body in enumerate(parts, start=1):
        got = s3.get_object(Bucket=bucket, Key="mp", PartNumber=number)
        assert status_of(got) == 206
        assert got["PartsCount"] == 2
        assert got["ContentLength"] == len(body)
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{total}"
        assert got["Body"].read() == body
        head = s3.head_object(Bucket=bucket, Key="mp", PartNumber=number)
        assert head["ContentLength"] == len(body)
        assert head["PartsCount"] == 2
        offset += len(body)
    expect_error(s3.get_object, "InvalidPartNumber", 416, Bucket=bucket, Key="mp", PartNumber=3)


def test_part_number_one_of_simple_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="simple", Body=b"whole object")
    got = s3.get_object(Bucket=bucket, Key="simple", PartNumber=1)
    assert got["Body"].read() == b"whole object"
    assert got["ContentLength"] == len(b"whole object")


# --------------------------------------------------------------------------------------------
# CopyObject
# --------------------------------------------------------------------------------------------


@pytest.fixture
def source(s3, bucket):
    data = random_bytes(300 * KiB, seed=21)
    s3.put_object(
        Bucket=bucket,
        Key="src/ünï code+x.bin",
        Body=data,
        ContentType="text/plain",
        CacheControl="max-age=5",
        Metadata={"origin": "source"},
        Tagging="t=1",
    )
    return {"Bucket": bucket, "Key": "src/ünï code+x.bin", "data": data}


def copy_source(source):
    return {"Bucket": source["Bucket"], "Key": source["Key"]}


def test_copy_with_copy_directive(s3, bucket, source):
    response = s3.copy_object(
        Bucket=bucket,
        Key="dst",
        CopySource=copy_source(source),
        Metadata={"ignored": "yes"},  # ignored: the directive is COPY
    )
    assert response["CopyObjectResult"]["ETag"] == quoted_md5(source["data"])
    assert response["CopyObjectResult"]["LastModified"]
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == source["data"]
    assert got["ContentType"] == "text/plain"
    assert got["CacheControl"] == "max-age=5"
    assert got["Metadata"] == {"origin": "source"}
    assert tags_of(s3.get_object_tagging(Bucket=bucket, Key="dst")) == {"t": "1"}


def test_copy_with_replace_directive(s3, bucket, source):
    s3.copy_object(
        Bucket=bucket,
        Key="dst",
        CopySource=copy_source(source),
        MetadataDirective="REPLACE",
        ContentType="application/json",
        Metadata={"fresh": "new"},
        TaggingDirective="REPLACE",
        Tagging="u=2",
    )
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == source["data"]
    assert got["ContentType"] == "application/json"
    assert got["Metadata"] == {"fresh": "new"}
    assert "CacheControl" not in got
    assert tags_of(s3.get_object_tagging(Bucket=bucket, Key="dst")) == {"u": "2"}
    # The source is unchanged.
    assert s3.head_object(**copy_source(source))["Metadata"] == {"origin": "source"}


def test_copy_across_buckets(s3, unique_name, source):
    other = unique_name("dst")
    s3.create_bucket(Bucket=other)
    s3.copy_object(Bucket=other, Key="copied", CopySource=copy_source(source))
    assert s3.get_object(Bucket=other, Key="copied")["Body"].read() == source["data"]


def test_copy_source_conditions(s3, bucket, source):
    etag = quoted_md5(source["data"])
    modified = s3.head_object(**copy_source(source))["LastModified"]
    past = modified - datetime.timedelta(days=1)
    src = copy_source(source)
    failing = [
        {"CopySourceIfMatch": '"0123456789abcdef0123456789abcdef"'},
        {"CopySourceIfNoneMatch": etag},
        {"CopySourceIfUnmodifiedSince": past},
        {"CopySourceIfModifiedSince": modified},
    ]
    for condition in failing:
        expect_error(
            s3.copy_object, "PreconditionFailed", 412, Bucket=bucket, Key="dst", CopySource=src,
            **condition
        )
        assert not object_exists(s3, bucket, "dst"), condition
    s3.copy_object(Bucket=bucket, Key="dst", CopySource=src, CopySourceIfMatch=etag)
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == source["data"]


def test_copy_to_itself(s3, bucket, source):
    src = copy_source(source)
    expect_error(s3.copy_object, "InvalidRequest", 400, CopySource=src, **src)
    s3.copy_object(
        CopySource=src, MetadataDirective="REPLACE", Metadata={"rev": "2"}, ContentType="a/b", **src
    )
    got = s3.get_object(**src)
    assert got["Metadata"] == {"rev": "2"}
    assert got["ContentType"] == "a/b"
    assert got["Body"].read() == source["data"]


def test_copy_missing_source(s3, bucket, unique_name):
    expect_error(
        s3.copy_object,
        "NoSuchKey",
        404,
        Bucket=bucket,
        Key="dst",
        CopySource={"Bucket": bucket, "Key": "absent"},
    )
    expect_error(
        s3.copy_object,
        "NoSuchBucket",
        404,
        Bucket=bucket,
        Key="dst",
        CopySource={"Bucket": unique_name("absent"), "Key": "absent"},
    )


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


ODD_KEYS = [
    "with space.txt",
    "ünïcödé/файл/日本語.txt",
    "a+b=c&d",
    "100%/literal%20percent",
    "semi;colon,comma:colon@at$dollar",
    "tilde~/star*/quote'/paren()",
    "dir//double/slash",
    "trailing/",
    ".dotstart",
    "emoji-😀",
    "question?mark#hash",
    "brackets[]{}<>|^`\\",
]


@pytest.mark.parametrize("key", ODD_KEYS)
def test_key_round_trip(s3, bucket, key):
    data = key.encode() * 3
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(data)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [key]
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == [key]
    s3.delete_object(Bucket=bucket, Key=key)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_key_length_limit(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k" * 1024, Body=b"ok")
    assert s3.get_object(Bucket=bucket, Key="k" * 1024)["Body"].read() == b"ok"
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="k" * 1025, Body=b"x")
    # The limit is in UTF-8 bytes: 513 two-byte characters are 1026 bytes.
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="é" * 513, Body=b"x")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["k" * 1024]
