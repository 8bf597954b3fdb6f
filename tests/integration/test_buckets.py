"""Bucket operations: create, list, head, delete, location, names, ownership."""

import datetime
import urllib.parse
import uuid

import pytest

from cvharness import expect_error


def test_create_list_head_delete(s3, unique_name):
    name = unique_name()
    created = s3.create_bucket(Bucket=name)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert created["Location"] == "/" + name

    head = s3.head_bucket(Bucket=name)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert head["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region") == "us-east-1"

    listed = {b["Name"]: b for b in s3.list_buckets()["Buckets"]}
    assert name in listed
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - listed[name]["CreationDate"]).total_seconds()) < 300

    deleted = s3.delete_bucket(Bucket=name)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.head_bucket, "404", 404, Bucket=name)
    assert name not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def test_list_buckets_is_sorted_and_has_owner(s3, unique_name):
    names = [unique_name(tag) for tag in ("c", "a", "b")]
    for name in names:
        s3.create_bucket(Bucket=name)
    listing = s3.list_buckets()
    listed = [b["Name"] for b in listing["Buckets"]]
    assert listed == sorted(listed)
    assert set(names) <= set(listed)
    owner = listing["Owner"]
    assert owner["ID"]
    assert owner.get("DisplayName")


def test_create_existing_own_bucket(s3, bucket):
    # In us-east-1 S3 answers the owner's re-creation with 200 (other regions: see
    # test_s3_gaps_buckets.py).
    assert s3.create_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_create_bucket_owned_by_someone_else(s3, other_user, bucket):
    expect_error(other_user.client.create_bucket, "BucketAlreadyExists", 409, Bucket=bucket)


@pytest.mark.parametrize(
    "name",
    [
        "ab",  # too short
        "a" * 64,  # too long
        "UpperCase",
        "under_score",
        "-leadingdash",
        "trailingdash-",
        ".leadingdot",
        "trailingdot.",
        "double..dot",
        "dot.-dash",
        "192.168.10.20",  # formatted as an IP address
        "xn--prefixed",
        "sthree-prefixed",
        "ends-with-s3alias",
        "ends-with--ol-s3",
        "spa ce",
        "bang!",
    ],
)
def test_invalid_bucket_names(raw, name):
    # Raw requests: boto3 would refuse some of these names itself.
    response = raw.request("PUT", path="/" + urllib.parse.quote(name, safe=""))
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidBucketName"


@pytest.mark.parametrize("shape", ["dotted", "digit-first", "max-length", "min-length"])
def test_valid_bucket_names(s3, shape):
    tag = uuid.uuid4().hex[:8]
    name = {
        "dotted": f"a.b-c.{tag}",
        "digit-first": f"0{tag}",
        "max-length": tag + "x" * 55,
        "min-length": tag[:3],
    }[shape]
    s3.create_bucket(Bucket=name)
    s3.head_bucket(Bucket=name)
    s3.delete_bucket(Bucket=name)


def test_delete_non_empty_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)
    s3.head_bucket(Bucket=bucket)
    s3.delete_object(Bucket=bucket, Key="keep")
    s3.delete_bucket(Bucket=bucket)
    expect_error(s3.head_bucket, "404", 404, Bucket=bucket)


def test_no_such_bucket(s3, raw, unique_name):
    name = unique_name("missing")
    for call, kwargs in [
        (s3.list_objects_v2, {}),
        (s3.list_objects, {}),
        (s3.get_object, {"Key": "k"}),
        (s3.put_object, {"Key": "k", "Body": b"x"}),
        (s3.delete_bucket, {}),
        (s3.get_bucket_location, {}),
        (s3.create_multipart_upload, {"Key": "k"}),
    ]:
        expect_error(call, "NoSuchBucket", 404, Bucket=name, **kwargs)
    expect_error(s3.head_bucket, "404", 404, Bucket=name)
    response = raw.request("GET", name, "k")
    assert response.status == 404
    error = response.error()
    assert error["Code"] == "NoSuchBucket"
    assert error.get("BucketName") == name


def test_get_bucket_location(s3, raw, bucket):
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None
    response = raw.request("GET", bucket, query=[("location", None)])
    assert response.status == 200
    root = response.xml()
    assert root.tag == "{http://s3.amazonaws.com/doc/2006-03-01/}LocationConstraint"
    assert (root.text or "") == ""


def test_other_users_bucket_is_denied(s3, other_user, bucket):
    s3.put_object(Bucket=bucket, Key="secret.txt", Body=b"root only")
    client = other_user.client
    for call, kwargs in [
        (client.list_objects_v2, {}),
        (client.list_objects, {}),
        (client.get_object, {"Key": "secret.txt"}),
        (client.put_object, {"Key": "intruder.txt", "Body": b"x"}),
        (client.delete_object, {"Key": "secret.txt"}),
        (client.delete_bucket, {}),
        (client.get_bucket_location, {}),
        (client.get_bucket_cors, {}),
        (client.create_multipart_upload, {"Key": "intruder.bin"}),
        (client.list_multipart_uploads, {}),
    ]:
        expect_error(call, "AccessDenied", 403, Bucket=bucket, **kwargs)
    expect_error(client.head_bucket, "403", 403, Bucket=bucket)
    expect_error(client.head_object, "403", 403, Bucket=bucket, Key="secret.txt")
    expect_error(
        client.copy_object,
        "AccessDenied",
        403,
        Bucket=bucket,
        Key="copy.txt",
        CopySource={"Bucket": bucket, "Key": "secret.txt"},
    )
    # Nothing changed, and the bucket is not in the other user's list.
    assert s3.get_object(Bucket=bucket, Key="secret.txt")["Body"].read() == b"root only"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["secret.txt"]
    assert bucket not in {b["Name"] for b in client.list_buckets()["Buckets"]}


def test_copy_from_other_users_bucket_is_denied(s3, other_user, unique_name, bucket):
    s3.put_object(Bucket=bucket, Key="private", Body=b"root data")
    mine = unique_name("mine")
    other_user.client.create_bucket(Bucket=mine)
    expect_error(
        other_user.client.copy_object,
        "AccessDenied",
        403,
        Bucket=mine,
        Key="stolen",
        CopySource={"Bucket": bucket, "Key": "private"},
    )
    assert "Contents" not in other_user.client.list_objects_v2(Bucket=mine)


def test_owner_in_listings(s3, other_user, unique_name):
    client = other_user.client
    name = unique_name()
    client.create_bucket(Bucket=name)
    client.put_object(Bucket=name, Key="mine.txt", Body=b"hello")

    listing = client.list_buckets()
    owner = listing["Owner"]
    assert owner["DisplayName"] == other_user.display_name
    assert owner["ID"]
    assert owner["ID"] != s3.list_buckets()["Owner"]["ID"]
    names = [b["Name"] for b in listing["Buckets"]]
    assert name in names
    assert not set(names) & {b["Name"] for b in s3.list_buckets()["Buckets"]}

    v2 = client.list_objects_v2(Bucket=name, FetchOwner=True)
    assert v2["Contents"][0]["Owner"] == {"ID": owner["ID"], "DisplayName": owner["DisplayName"]}
    assert "Owner" not in client.list_objects_v2(Bucket=name)["Contents"][0]
    v1 = client.list_objects(Bucket=name)
    assert v1["Contents"][0]["Owner"]["ID"] == owner["ID"]
