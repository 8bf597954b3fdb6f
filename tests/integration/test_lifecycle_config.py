"""Bucket lifecycle configuration: PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration
and DeleteBucketLifecycle through boto3, the aws CLI and raw signed HTTP; S3's validation errors.
(What the rules do to objects is tested in test_lifecycle.py.)"""

import hashlib
import json
from datetime import datetime, timezone

import pytest

from cvharness import NS, b64, error_of, expect_error, s3_checksum

MINIMUM_SIZE_HEADER = "x-amz-transition-default-minimum-object-size"

SEED_PLAN = {
    "Rules": [
        {
            "ID": "seed-plan",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Transitions": [
                {"Days": 30, "StorageClass": "STANDARD_IA"},
                {"Days": 60, "StorageClass": "GLACIER"},
            ],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        }
    ]
}


def days_rule(rule_id, filter_, days=1, **extra):
    return {"ID": rule_id, "Status": "Enabled", "Filter": filter_,
            "Expiration": {"Days": days}, **extra}


def rules_by_id(s3, bucket):
    return {rule["ID"]: rule for rule in
            s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}


def lifecycle_xml(rules_xml):
    return (f'<LifecycleConfiguration xmlns="{NS["s3"]}">{rules_xml}'
            "</LifecycleConfiguration>").encode()


GOOD_RULE = ("<Rule><ID>r</ID><Filter/><Status>Enabled</Status>"
             "<Expiration><Days>1</Days></Expiration></Rule>")

def put_raw(raw, bucket, body, headers=None):
    if headers is None:
        headers = {"Content-MD5": b64(hashlib.md5(body).digest())}
    return raw.request("PUT", bucket, query=[("lifecycle", None)], headers=headers, body=body)


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------


def test_seed_plan_round_trip(s3, bucket):
    put = s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["ResponseMetadata"]["HTTPHeaders"][MINIMUM_SIZE_HEADER] == "all_storage_classes_128K"

    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["Rules"] == SEED_PLAN["Rules"]
    assert got["ResponseMetadata"]["HTTPHeaders"][MINIMUM_SIZE_HEADER] == (
        "all_storage_classes_128K")


def test_every_filter_shape_round_trips(s3, bucket):
    filters = {
        "empty": {},
        "prefix": {"Prefix": "logs/"},
        "tag": {"Tag": {"Key": "project", "Value": "apollo"}},
        "bigger": {"ObjectSizeGreaterThan": 1024},
        "smaller": {"ObjectSizeLessThan": 4096},
        "prefix-and-tags": {"And": {"Prefix": "data/", "Tags": [
            {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
        "sizes": {"And": {"ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 20}},
        "everything": {"And": {"Prefix": "x/", "Tags": [{"Key": "k", "Value": "v"}],
                               "ObjectSizeGreaterThan": 0, "ObjectSizeLessThan": 5 * 2**30}},
    }
    rules = [days_rule(rule_id, filter_) for rule_id, filter_ in filters.items()]
    rules.append({"ID": "legacy", "Status": "Enabled", "Prefix": "old/",
                  "Expiration": {"Days": 3}})
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})

    got = rules_by_id(s3, bucket)
    assert set(got) == set(filters) | {"legacy"}
    for rule_id, filter_ in filters.items():
        assert got[rule_id]["Filter"] == filter_, rule_id
        assert got[rule_id]["Expiration"] == {"Days": 1}
        assert "Prefix" not in got[rule_id]
    assert got["legacy"]["Prefix"] == "old/"
    assert "Filter" not in got["legacy"]


def test_every_action_round_trips(s3, bucket):
    rules = [
        {"ID": "dated", "Status": "Enabled", "Filter": {"Prefix": "d/"},
         "Transitions": [{"Date": datetime(2031, 1, 1, tzinfo=timezone.utc),
                          "StorageClass": "GLACIER"}],
         "Expiration": {"Date": datetime(2031, 6, 1, tzinfo=timezone.utc)}},
        {"ID": "markers", "Status": "Disabled", "Filter": {},
         "Expiration": {"ExpiredObjectDeleteMarker": True},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
        {"ID": "noncurrent", "Status": "Enabled", "Filter": {"Prefix": "n/"},
         "NoncurrentVersionTransitions": [
             {"NoncurrentDays": 30, "StorageClass": "STANDARD_IA", "NewerNoncurrentVersions": 2},
             {"NoncurrentDays": 60, "StorageClass": "GLACIER"}],
         "NoncurrentVersionExpiration": {"NoncurrentDays": 90, "NewerNoncurrentVersions": 5}},
        {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "e/"},
         "Transitions": [{"Days": 0, "StorageClass": "GLACIER"}],
         "Expiration": {"Days": 365}},
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    got = rules_by_id(s3, bucket)
    for rule in rules:
        assert got[rule["ID"]] == rule, rule["ID"]


def test_a_rule_without_an_id_gets_one(s3, bucket):
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={"Rules": [
            {"Status": "Enabled", "Filter": {}, "Expiration": {"Days": 5}},
            {"Status": "Enabled", "Filter": {"Prefix": "b/"}, "Expiration": {"Days": 6}},
        ]},
    )
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    ids = [rule["ID"] for rule in rules]
    assert len(ids) == 2 and all(ids) and ids[0] != ids[1]
    assert all(len(rule_id) <= 255 for rule_id in ids)
    # Stable: the same ids come back on the next read.
    assert [r["ID"] for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]] == ids


def test_put_replaces_the_whole_configuration(s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    replacement = {"Rules": [days_rule("only", {"Prefix": "tmp/"}, days=2)]}
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=replacement)
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == replacement["Rules"]


def test_transition_default_minimum_object_size(raw, s3, bucket):
    # Debian's botocore predates the parameter, so the header goes on a raw request.
    body = lifecycle_xml(GOOD_RULE)
    put = put_raw(raw, bucket, body, headers={
        "Content-MD5": b64(hashlib.md5(body).digest()),
        MINIMUM_SIZE_HEADER: "varies_by_storage_class"})
    assert put.status == 200, put.body
    assert put.header(MINIMUM_SIZE_HEADER) == "varies_by_storage_class"
    got = raw.request("GET", bucket, query=[("lifecycle", None)])
    assert got.header(MINIMUM_SIZE_HEADER) == "varies_by_storage_class"
    # Leaving the header out of a put goes back to the default.
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["ResponseMetadata"]["HTTPHeaders"][MINIMUM_SIZE_HEADER] == (
        "all_storage_classes_128K")


def test_raw_xml_on_the_wire(raw, bucket):
    body = lifecycle_xml(
        "<Rule><ID>wire</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value>"
        "</Tag></And></Filter><Status>Enabled</Status><Transition><Days>30</Days>"
        "<StorageClass>STANDARD_IA</StorageClass></Transition></Rule>")
    assert put_raw(raw, bucket, body).status == 200
    response = raw.request("GET", bucket, query=[("lifecycle", None)])
    assert response.status == 200
    assert response.header("content-type") == "application/xml"
    root = response.xml()
    assert root.tag == f"{{{NS['s3']}}}LifecycleConfiguration"
    [rule] = root.findall("s3:Rule", NS)
    assert rule.findtext("s3:ID", namespaces=NS) == "wire"
    assert rule.findtext("s3:Status", namespaces=NS) == "Enabled"
    assert rule.findtext("s3:Filter/s3:And/s3:Prefix", namespaces=NS) == "p/"
    assert rule.findtext("s3:Filter/s3:And/s3:Tag/s3:Key", namespaces=NS) == "k"
    assert rule.findtext("s3:Transition/s3:Days", namespaces=NS) == "30"
    assert rule.findtext("s3:Transition/s3:StorageClass", namespaces=NS) == "STANDARD_IA"


def test_aws_cli_put_get_delete(aws_cli, s3, bucket, tmp_path):
    config = tmp_path / "lifecycle.json"
    config.write_text(json.dumps(SEED_PLAN))
    aws_cli("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket,
            "--lifecycle-configuration", f"file://{config}")
    got = json.loads(aws_cli("s3api", "get-bucket-lifecycle-configuration",
                             "--bucket", bucket).stdout)
    assert got["Rules"] == SEED_PLAN["Rules"]
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == SEED_PLAN["Rules"]

    aws_cli("s3api", "delete-bucket-lifecycle", "--bucket", bucket)
    missing = aws_cli("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket,
                      check=False)
    assert missing.returncode != 0
    assert "NoSuchLifecycleConfiguration" in missing.stderr


# --------------------------------------------------------------------------------------------
# Absent configurations and buckets, access
# --------------------------------------------------------------------------------------------


def test_no_configuration_then_delete(s3, bucket):
    response = expect_error(s3.get_bucket_lifecycle_configuration,
                            "NoSuchLifecycleConfiguration", 404, Bucket=bucket)
    assert response["Error"]["Resource"] == bucket
    # Deleting when there is none succeeds, as on S3.
    deleted = s3.delete_bucket_lifecycle(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204

    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    deleted = s3.delete_bucket_lifecycle(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration", 404,
                 Bucket=bucket)


def test_missing_bucket(s3, unique_name):
    name = unique_name("absent")
    expect_error(s3.get_bucket_lifecycle_configuration, "NoSuchBucket", 404, Bucket=name)
    expect_error(s3.put_bucket_lifecycle_configuration, "NoSuchBucket", 404, Bucket=name,
                 LifecycleConfiguration=SEED_PLAN)
    expect_error(s3.delete_bucket_lifecycle, "NoSuchBucket", 404, Bucket=name)


def test_a_recreated_bucket_has_no_configuration(s3, unique_name):
    name = unique_name()
    s3.create_bucket(Bucket=name)
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=SEED_PLAN)
    s3.get_bucket_lifecycle_configuration(Bucket=name)
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    expect_error(s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration", 404,
                 Bucket=name)


def test_only_the_owner_may_touch_it(s3, bucket, other_user):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    client = other_user.client
    expect_error(client.get_bucket_lifecycle_configuration, "AccessDenied", 403, Bucket=bucket)
    expect_error(client.put_bucket_lifecycle_configuration, "AccessDenied", 403, Bucket=bucket,
                 LifecycleConfiguration=SEED_PLAN)
    expect_error(client.delete_bucket_lifecycle, "AccessDenied", 403, Bucket=bucket)
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == SEED_PLAN["Rules"]


# --------------------------------------------------------------------------------------------
# Validation through boto3
# --------------------------------------------------------------------------------------------

MIDNIGHT = datetime(2031, 1, 1, tzinfo=timezone.utc)

INVALID = {
    "expiration-days-zero": ([days_rule("r", {}, days=0)], "InvalidArgument"),
    "standard-ia-before-30-days": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Transitions": [{"Days": 29, "StorageClass": "STANDARD_IA"}]}], "InvalidArgument"),
    "glacier-too-soon-after-ia": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"},
                          {"Days": 40, "StorageClass": "GLACIER"}]}], "InvalidArgument"),
    "expiration-not-after-transition": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
          "Expiration": {"Days": 30}}], "InvalidArgument"),
    "unsupported-class": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Transitions": [{"Days": 30, "StorageClass": "DEEP_ARCHIVE"}]}], "InvalidStorageClass"),
    "same-class-twice": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Transitions": [{"Days": 30, "StorageClass": "GLACIER"},
                          {"Days": 90, "StorageClass": "GLACIER"}]}], "InvalidRequest"),
    "noncurrent-ia-before-30-days": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "NoncurrentVersionTransitions": [{"NoncurrentDays": 7,
                                            "StorageClass": "STANDARD_IA"}]}], "InvalidArgument"),
    "noncurrent-days-zero": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "NoncurrentVersionExpiration": {"NoncurrentDays": 0}}], "InvalidArgument"),
    "duplicate-ids": ([days_rule("same", {}), days_rule("same", {"Prefix": "x"})],
                      "InvalidArgument"),
    "id-too-long": ([days_rule("a" * 256, {})], "InvalidArgument"),
    "no-action": ([{"ID": "r", "Status": "Enabled", "Filter": {}}], "InvalidRequest"),
    "date-not-midnight": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Expiration": {"Date": datetime(2031, 1, 1, 12, tzinfo=timezone.utc)}}],
        "InvalidArgument"),
    "days-and-date": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Expiration": {"Days": 3, "Date": MIDNIGHT}}], "MalformedXML"),
    "marker-with-days": (
        [{"ID": "r", "Status": "Enabled", "Filter": {},
          "Expiration": {"Days": 3, "ExpiredObjectDeleteMarker": True}}], "MalformedXML"),
    "bad-status": ([{"ID": "r", "Status": "enabled", "Filter": {},
                     "Expiration": {"Days": 3}}], "MalformedXML"),
    "no-filter-no-prefix": ([{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 3}}],
                            "MalformedXML"),
    "abort-with-tags": (
        [{"ID": "r", "Status": "Enabled", "Filter": {"Tag": {"Key": "k", "Value": "v"}},
          "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}}], "InvalidRequest"),
    "sizes-reversed": (
        [days_rule("r", {"And": {"ObjectSizeGreaterThan": 100, "ObjectSizeLessThan": 50}})],
        "InvalidArgument"),
    "duplicate-tag-keys": (
        [days_rule("r", {"And": {"Tags": [{"Key": "k", "Value": "1"},
                                          {"Key": "k", "Value": "2"}]}})], "InvalidRequest"),
    "too-many-rules": ([days_rule(f"r{i}", {}) for i in range(1001)], "MalformedXML"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_configurations_are_refused(s3, bucket, case):
    rules, code = INVALID[case]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=SEED_PLAN)
    expect_error(s3.put_bucket_lifecycle_configuration, code, 400, Bucket=bucket,
                 LifecycleConfiguration={"Rules": rules})
    # The previous configuration stays.
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == SEED_PLAN["Rules"]


def test_error_messages_follow_s3(s3, bucket):
    _, _, response = error_of(
        s3.put_bucket_lifecycle_configuration, Bucket=bucket,
        LifecycleConfiguration={"Rules": INVALID["standard-ia-before-30-days"][0]})
    assert response["Error"]["Message"] == (
        "'Days' in Transition action must be greater than or equal to 30 for storageClass "
        "'STANDARD_IA'")
    _, _, response = error_of(s3.put_bucket_lifecycle_configuration, Bucket=bucket,
                              LifecycleConfiguration={"Rules": INVALID["no-action"][0]})
    assert response["Error"]["Message"] == "At least one action needs to be specified in a rule"


# --------------------------------------------------------------------------------------------
# Validation and integrity on the wire
# --------------------------------------------------------------------------------------------

MALFORMED = {
    "not-well-formed": b"<LifecycleConfiguration><Rule>",
    "other-root": b"<CORSConfiguration/>",
    "no-rules": lifecycle_xml(""),
    "unknown-element": lifecycle_xml(GOOD_RULE.replace("<Filter/>", "<Filter/><Color>red</Color>")),
    "two-conditions-outside-and": lifecycle_xml(GOOD_RULE.replace(
        "<Filter/>", "<Filter><Prefix>a/</Prefix><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>"
        "</Filter>")),
    "prefix-and-filter": lifecycle_xml(GOOD_RULE.replace("<Filter/>", "<Prefix/><Filter/>")),
    "days-and-date": lifecycle_xml(GOOD_RULE.replace(
        "<Days>1</Days>", "<Days>1</Days><Date>2031-01-01T00:00:00Z</Date>")),
    "days-not-a-number": lifecycle_xml(GOOD_RULE.replace("<Days>1</Days>", "<Days>one</Days>")),
    "date-not-iso8601": lifecycle_xml(GOOD_RULE.replace("<Days>1</Days>",
                                                        "<Date>20310101</Date>")),
    "transition-to-standard": lifecycle_xml(GOOD_RULE.replace(
        "<Expiration><Days>1</Days></Expiration>",
        "<Transition><Days>1</Days><StorageClass>STANDARD</StorageClass></Transition>")),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_documents(raw, bucket, case):
    response = put_raw(raw, bucket, MALFORMED[case])
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"


def test_content_md5_or_a_checksum_is_required(raw, bucket):
    body = lifecycle_xml(GOOD_RULE)
    response = put_raw(raw, bucket, body, headers={})
    assert response.status == 400
    assert response.error_code() == "InvalidRequest"
    assert "Content-MD5" in response.error()["Message"]

    response = put_raw(raw, bucket, body,
                       headers={"Content-MD5": b64(hashlib.md5(b"other").digest())})
    assert response.status == 400
    assert response.error_code() == "BadDigest"

    response = put_raw(raw, bucket, body, headers={"Content-MD5": "not base64!"})
    assert response.status == 400
    assert response.error_code() == "InvalidDigest"

    response = put_raw(raw, bucket, body,
                       headers={"x-amz-checksum-crc32": s3_checksum("CRC32", b"other")})
    assert response.status == 400
    assert response.error_code() == "BadDigest"

    raw_get = raw.request("GET", bucket, query=[("lifecycle", None)])
    assert raw_get.status == 404  # nothing was stored by the refused requests

    for algorithm in ("CRC32", "SHA256"):
        response = put_raw(raw, bucket, body, headers={
            f"x-amz-checksum-{algorithm.lower()}": s3_checksum(algorithm, body)})
        assert response.status == 200, response.body
    assert raw.request("GET", bucket, query=[("lifecycle", None)]).status == 200


def test_unknown_minimum_size_header_is_refused(raw, bucket):
    body = lifecycle_xml(GOOD_RULE)
    response = put_raw(raw, bucket, body, headers={
        "Content-MD5": b64(hashlib.md5(body).digest()), MINIMUM_SIZE_HEADER: "tiny"})
    assert response.status == 400
    assert response.error_code() == "InvalidArgument"
