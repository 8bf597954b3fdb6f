"""Issue 14, S3 behaviours: bucket tagging and CreateBucket's answers (boto3, raw HTTP)."""

import base64
import hashlib

import boto3
import pytest
from botocore.config import Config

from cvharness import expect_error, make_client

TAGGING_XML = (
    '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>{}</TagSet></Tagging>'
)


def tag_xml(pairs):
    return TAGGING_XML.format(
        "".join(f"<Tag><Key>{k}</Key><Value>{v}</Value></Tag>" for k, v in pairs)
    ).encode()


def md5_header(body):
    return {"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()}


# --------------------------------------------------------------------------------------------
# Bucket tagging
# --------------------------------------------------------------------------------------------


def test_bucket_tagging_round_trip(s3, bucket):
    expect_error(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
    tags = [{"Key": "team", "Value": "storage"}, {"Key": "cost centre", "Value": "4/2 & é"}]
    put = s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags
    # A new set replaces the old one entirely.
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "only", "Value": ""}]})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "only", "Value": ""}]
    deleted = s3.delete_bucket_tagging(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
    # Deleting again is not an error, as S3.
    s3.delete_bucket_tagging(Bucket=bucket)


def test_bucket_tagging_survives_a_restart(server_factory):
    server = server_factory(name="tags")
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    client.create_bucket(Bucket="kept-tags")
    client.put_bucket_tagging(Bucket="kept-tags",
                              Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    server.terminate()
    server.start()
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    assert client.get_bucket_tagging(Bucket="kept-tags")["TagSet"] == [{"Key": "a", "Value": "1"}]


@pytest.mark.parametrize(
    "pairs, message",
    [
        ([(f"k{i}", "v") for i in range(51)], "greater than 50"),
        ([("k" * 129, "v")], "TagKey"),
        ([("k", "v" * 257)], "TagValue"),
        ([("dup", "1"), ("dup", "2")], "same key"),
        ([("aws:createdBy", "me")], "System tags"),
    ],
    ids=["51-tags", "long-key", "long-value", "duplicate-key", "aws-prefix"],
)
def test_bucket_tagging_refuses_what_s3_refuses(s3, raw, bucket, pairs, message):
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "before", "Value": "x"}]})
    body = tag_xml(pairs)
    response = raw.request("PUT", bucket, query=[("tagging", None)], body=body,
                           headers=md5_header(body))
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidTag"
    assert message in response.error()["Message"]
    # Nothing of the refused set was stored.
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "before", "Value": "x"}]


def test_bucket_tagging_needs_content_md5_and_well_formed_xml(raw, bucket):
    body = tag_xml([("a", "b")])
    response = raw.request("PUT", bucket, query=[("tagging", None)], body=body)
    assert response.status == 400
    assert response.error_code() == "InvalidRequest"
    broken = b"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"
    response = raw.request("PUT", bucket, query=[("tagging", None)], body=broken,
                           headers=md5_header(broken))
    assert response.status == 400
    assert response.error_code() == "MalformedXML"


def test_bucket_tagging_is_for_the_owner_only(s3, other_user, bucket):
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    expect_error(other_user.client.get_bucket_tagging, "AccessDenied", 403, Bucket=bucket)
    expect_error(other_user.client.delete_bucket_tagging, "AccessDenied", 403, Bucket=bucket)
    expect_error(s3.get_bucket_tagging, "NoSuchBucket", 404, Bucket=bucket + "-missing")


def test_aws_cli_bucket_tagging(aws_cli, bucket):
    aws_cli("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging",
            "TagSet=[{Key=env,Value=prod}]")
    out = aws_cli("s3api", "get-bucket-tagging", "--bucket", bucket).stdout
    assert '"Key": "env"' in out and '"Value": "prod"' in out


# --------------------------------------------------------------------------------------------
# CreateBucket: re-creation, LocationConstraint, GetBucketLocation
# --------------------------------------------------------------------------------------------


def test_recreating_own_bucket_in_us_east_1_succeeds_and_keeps_contents(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"kept")
    again = s3.create_bucket(Bucket=bucket)
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"kept"


def test_someone_elses_bucket_is_taken(other_user, bucket):
    expect_error(other_user.client.create_bucket, "BucketAlreadyExists", 409, Bucket=bucket)


def test_location_constraint_of_our_region_or_another(s3, unique_name):
    name = unique_name()
    expect_error(s3.create_bucket, "IllegalLocationConstraintException", 400, Bucket=name,
                 CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # Nothing was created.
    expect_error(s3.head_bucket, "404", 404, Bucket=name)


def test_explicit_location_in_us_east_1_is_accepted(raw, s3, unique_name):
    name = unique_name()
    body = (b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>")
    response = raw.request("PUT", name, body=body)
    assert response.status == 200, response.body
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None


@pytest.fixture
def eu_server(server_factory, tmp_path):
    config = tmp_path / "eu.toml"
    config.write_text('[server]\nregion = "eu-west-1"\n')
    return server_factory(name="eu", extra_args=["--config", str(config)])


def eu_client(server, access_key=None, secret_key=None):
    return boto3.client(
        "s3", endpoint_url=server.endpoint, region_name="eu-west-1",
        aws_access_key_id=access_key or server.access_key,
        aws_secret_access_key=secret_key or server.secret_key,
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
    )


def test_other_region_answers_already_owned_and_returns_its_location(eu_server):
    client = eu_client(eu_server)
    client.create_bucket(Bucket="eu-bucket",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert client.get_bucket_location(Bucket="eu-bucket")["LocationConstraint"] == "eu-west-1"
    expect_error(client.create_bucket, "BucketAlreadyOwnedByYou", 409, Bucket="eu-bucket",
                 CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    expect_error(client.create_bucket, "IllegalLocationConstraintException", 400,
                 Bucket="eu-other", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
