"""Bucket replication configuration: PutBucketReplication, GetBucketReplication and
DeleteBucketReplication through boto3, the aws CLI and raw signed HTTP; S3's validation errors
and our extensions (cloudvault:suffix / cloudvault:content-type filter tags, <Account> naming a
remote). (What replication does to objects is tested with the replication worker.)"""

import hashlib
import json

import pytest

from cvharness import NS, b64, expect_error, s3_checksum

ROLE = "arn:aws:iam::123456789012:role/replication"


def versioned(s3, name):
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


@pytest.fixture
def source(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return bucket


@pytest.fixture
def backup(s3, unique_name):
    return versioned(s3, unique_name("backup"))


def v2_rule(rule_id, priority, destination, filter_=None, delete_markers="Disabled", **extra):
    return {"ID": rule_id, "Priority": priority, "Status": "Enabled",
            "Filter": {"Prefix": ""} if filter_ is None else filter_,
            "DeleteMarkerReplication": {"Status": delete_markers},
            "Destination": {"Bucket": f"arn:aws:s3:::{destination}"}, **extra}


def config_of(*rules):
    return {"Role": ROLE, "Rules": list(rules)}


def replication_of(s3, bucket):
    return s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------


def test_v2_round_trip_with_filters(s3, source, backup, unique_name):
    archive = versioned(s3, unique_name("archive"))
    config = config_of(
        v2_rule("photos", 2, backup, {"Prefix": "photos/"}, delete_markers="Enabled",
                ExistingObjectReplication={"Status": "Enabled"}),
        v2_rule("tagged", 1, archive, {"Tag": {"Key": "backup", "Value": "yes"}}),
        {**v2_rule("both", 3, archive,
                   {"And": {"Prefix": "docs/",
                            "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}}),
         "Status": "Disabled"},
        {**v2_rule("classy", 4, backup, {}),
         "Destination": {"Bucket": f"arn:aws:s3:::{backup}", "StorageClass": "STANDARD_IA",
                         "EncryptionConfiguration": {"ReplicaKmsKeyID": "key-1"},
                         "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                         "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}},
         "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"},
                                     "ReplicaModifications": {"Status": "Disabled"}}},
    )
    put = s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert replication_of(s3, source) == config


def test_v1_rule_round_trip(s3, source, backup):
    config = config_of({"ID": "legacy", "Prefix": "logs/", "Status": "Enabled",
                        "Destination": {"Bucket": f"arn:aws:s3:::{backup}"}})
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config)
    assert replication_of(s3, source) == config


def test_rules_without_id_get_one(s3, source, backup):
    rule = v2_rule("x", 1, backup)
    del rule["ID"]
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config_of(rule))
    got = replication_of(s3, source)["Rules"][0]
    assert len(got["ID"]) == 48


def test_aws_cli_put_get_delete(aws_cli, s3, source, backup, tmp_path):
    config = config_of(v2_rule("cli", 1, backup, {"Prefix": "photos/"}))
    path = tmp_path / "replication.json"
    path.write_text(json.dumps(config))
    aws_cli("s3api", "put-bucket-replication", "--bucket", source,
            "--replication-configuration", f"file://{path}")
    got = json.loads(aws_cli("s3api", "get-bucket-replication", "--bucket", source).stdout)
    assert got["ReplicationConfiguration"] == config
    assert replication_of(s3, source) == config

    aws_cli("s3api", "delete-bucket-replication", "--bucket", source)
    missing = aws_cli("s3api", "get-bucket-replication", "--bucket", source, check=False)
    assert missing.returncode != 0
    assert "ReplicationConfigurationNotFoundError" in missing.stderr


def test_aws_cli_extension_round_trip(aws_cli, source, backup, tmp_path):
    config = config_of(
        v2_rule("pdfs", 1, backup, {"Tag": {"Key": "cloudvault:suffix", "Value": ".pdf"}},
                delete_markers="Enabled"),
        v2_rule("photos", 2, backup,
                {"And": {"Prefix": "camera/",
                         "Tags": [{"Key": "cloudvault:content-type", "Value": "image/*"}]}}))
    path = tmp_path / "replication.json"
    path.write_text(json.dumps(config))
    aws_cli("s3api", "put-bucket-replication", "--bucket", source,
            "--replication-configuration", f"file://{path}")
    got = json.loads(aws_cli("s3api", "get-bucket-replication", "--bucket", source).stdout)
    assert got["ReplicationConfiguration"] == config


def test_extension_round_trip_boto3(s3, source, backup):
    config = config_of(
        v2_rule("suffix", 1, backup, {"Tag": {"Key": "cloudvault:suffix", "Value": ".jpg"}}),
        v2_rule("type", 2, backup,
                {"Tag": {"Key": "cloudvault:content-type", "Value": "application/pdf"}}))
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config)
    assert replication_of(s3, source) == config


def test_a_thousand_rules_to_many_destinations(s3, source, backup, unique_name):
    others = [versioned(s3, unique_name(f"d{i}")) for i in range(3)]
    rules = [v2_rule(f"r{i}", i, ([backup] + others)[i % 4], {"Prefix": f"p{i}/"})
             for i in range(1000)]
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config_of(*rules))
    assert len(replication_of(s3, source)["Rules"]) == 1000
    rules.append(v2_rule("r1000", 1000, backup))
    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=source,
                            ReplicationConfiguration=config_of(*rules))
    assert "1000" in response["Error"]["Message"]


# --------------------------------------------------------------------------------------------
# Absent configurations, versioning, destinations
# --------------------------------------------------------------------------------------------


def test_delete_then_not_found(s3, source, backup):
    response = expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError",
                            404, Bucket=source)
    assert response["Error"]["Message"] == "The replication configuration was not found"
    assert response["Error"]["BucketName"] == source
    deleted = s3.delete_bucket_replication(Bucket=source)  # none: still 204, as on S3
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204

    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config_of(
        v2_rule("r", 1, backup)))
    deleted = s3.delete_bucket_replication(Bucket=source)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket=source)


def test_source_versioning_required(s3, bucket, backup):
    config = config_of(v2_rule("r", 1, backup))
    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=bucket,
                            ReplicationConfiguration=config)
    assert response["Error"]["Message"] == (
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=bucket,
                 ReplicationConfiguration=config)
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket=bucket)


def test_local_destination_must_exist_with_versioning(s3, source, unique_name):
    missing = unique_name("missing")
    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=source,
                            ReplicationConfiguration=config_of(v2_rule("r", 1, missing)))
    assert response["Error"]["Message"] == "Destination bucket must exist."

    plain = unique_name("plain")
    s3.create_bucket(Bucket=plain)
    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=source,
                            ReplicationConfiguration=config_of(v2_rule("r", 1, plain)))
    assert response["Error"]["Message"] == "Destination bucket must have versioning enabled."

    s3.put_bucket_versioning(Bucket=plain, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(Bucket=source,
                              ReplicationConfiguration=config_of(v2_rule("r", 1, plain)))

    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=source,
                            ReplicationConfiguration=config_of(v2_rule("r", 1, source)))
    assert "same as the source bucket" in response["Error"]["Message"]


def test_versioning_cannot_be_suspended_while_configured(s3, source, backup):
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config_of(
        v2_rule("r", 1, backup)))
    response = expect_error(s3.put_bucket_versioning, "InvalidBucketState", 409, Bucket=source,
                            VersioningConfiguration={"Status": "Suspended"})
    assert response["Error"]["Message"].startswith(
        "A replication configuration is present on this bucket")
    assert s3.get_bucket_versioning(Bucket=source)["Status"] == "Enabled"
    s3.delete_bucket_replication(Bucket=source)
    s3.put_bucket_versioning(Bucket=source, VersioningConfiguration={"Status": "Suspended"})


def test_unknown_remote_is_refused(s3, source):
    rule = v2_rule("r", 1, "offsite-bucket")
    rule["Destination"]["Account"] = "nosuchremote"
    response = expect_error(s3.put_bucket_replication, "InvalidRequest", 400, Bucket=source,
                            ReplicationConfiguration=config_of(rule))
    assert "[replication.remotes.nosuchremote]" in response["Error"]["Message"]


def test_missing_bucket(s3, unique_name):
    name = unique_name("absent")
    expect_error(s3.get_bucket_replication, "NoSuchBucket", 404, Bucket=name)
    expect_error(s3.put_bucket_replication, "NoSuchBucket", 404, Bucket=name,
                 ReplicationConfiguration=config_of(v2_rule("r", 1, "whatever")))
    expect_error(s3.delete_bucket_replication, "NoSuchBucket", 404, Bucket=name)


def test_only_the_owner_may_touch_it(s3, source, backup, other_user):
    config = config_of(v2_rule("r", 1, backup))
    s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=config)
    client = other_user.client
    expect_error(client.get_bucket_replication, "AccessDenied", 403, Bucket=source)
    expect_error(client.put_bucket_replication, "AccessDenied", 403, Bucket=source,
                 ReplicationConfiguration=config)
    expect_error(client.delete_bucket_replication, "AccessDenied", 403, Bucket=source)
    assert replication_of(s3, source) == config


def test_a_recreated_bucket_has_no_configuration(s3, backup, unique_name):
    name = versioned(s3, unique_name())
    s3.put_bucket_replication(Bucket=name, ReplicationConfiguration=config_of(
        v2_rule("r", 1, backup)))
    replication_of(s3, name)
    s3.delete_bucket(Bucket=name)
    versioned(s3, name)
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket=name)


# --------------------------------------------------------------------------------------------
# Validation through boto3
# --------------------------------------------------------------------------------------------


def _without(rule, key):
    rule = dict(rule)
    del rule[key]
    return rule


INVALID = {
    "no-priority-with-filter": (lambda b: [_without(v2_rule("r", 1, b), "Priority")],
                                "InvalidRequest", "Priority must be specified"),
    "no-delete-marker-replication": (
        lambda b: [_without(v2_rule("r", 1, b), "DeleteMarkerReplication")],
        "InvalidRequest", "DeleteMarkerReplication must be specified"),
    "duplicate-priority": (lambda b: [v2_rule("a", 1, b, {"Prefix": "a"}),
                                      v2_rule("b", 1, b, {"Prefix": "b"})],
                           "InvalidRequest", "duplicate priority 1"),
    "duplicate-ids": (lambda b: [v2_rule("same", 1, b), v2_rule("same", 2, b)],
                      "InvalidArgument", "Rule ID must be unique"),
    "id-too-long": (lambda b: [v2_rule("a" * 256, 1, b)], "InvalidArgument", "255"),
    "v1-with-priority": (lambda b: [{"ID": "r", "Prefix": "", "Priority": 1, "Status": "Enabled",
                                     "Destination": {"Bucket": f"arn:aws:s3:::{b}"}}],
                         "InvalidRequest", "Priority cannot be used"),
    "v1-with-delete-markers": (
        lambda b: [{"ID": "r", "Prefix": "", "Status": "Enabled",
                    "DeleteMarkerReplication": {"Status": "Enabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{b}"}}],
        "InvalidRequest", "DeleteMarkerReplication cannot be used"),
    "delete-markers-with-tags": (
        lambda b: [v2_rule("r", 1, b, {"Tag": {"Key": "k", "Value": "v"}},
                           delete_markers="Enabled")],
        "InvalidRequest", "Delete marker replication is not supported if any Tag filter"),
    "duplicate-tag-keys": (
        lambda b: [v2_rule("r", 1, b, {"And": {"Prefix": "", "Tags": [
            {"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]}})],
        "InvalidRequest", "Duplicate Tag Keys"),
    "bad-arn": (lambda b: [{**v2_rule("r", 1, b), "Destination": {"Bucket": b}}],
                "InvalidArgument", "Invalid bucket ARN."),
    "class-not-kept": (
        lambda b: [{**v2_rule("r", 1, b),
                    "Destination": {"Bucket": f"arn:aws:s3:::{b}",
                                    "StorageClass": "DEEP_ARCHIVE"}}],
        "InvalidStorageClass", ""),
    "translation-without-account": (
        lambda b: [{**v2_rule("r", 1, b),
                    "Destination": {"Bucket": f"arn:aws:s3:::{b}",
                                    "AccessControlTranslation": {"Owner": "Destination"}}}],
        "InvalidRequest", "Account must be specified"),
    "empty-extension-value": (
        lambda b: [v2_rule("r", 1, b, {"Tag": {"Key": "cloudvault:suffix", "Value": ""}})],
        "InvalidArgument", "cloudvault:suffix"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_configurations(s3, source, backup, case):
    rules, code, message = INVALID[case]
    response = expect_error(s3.put_bucket_replication, code, 400, Bucket=source,
                            ReplicationConfiguration=config_of(*rules(backup)))
    assert message in response["Error"]["Message"]
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket=source)


# --------------------------------------------------------------------------------------------
# Raw requests: integrity header, schema errors
# --------------------------------------------------------------------------------------------


def replication_xml(backup, extra=""):
    return (f'<ReplicationConfiguration xmlns="{NS["s3"]}"><Role>{ROLE}</Role>'
            f"<Rule><ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>"
            f"<Destination><Bucket>arn:aws:s3:::{backup}</Bucket></Destination>"
            f"<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>"
            f"{extra}</Rule></ReplicationConfiguration>").encode()


def put_raw(raw, bucket, body, headers=None):
    if headers is None:
        headers = {"Content-MD5": b64(hashlib.md5(body).digest())}
    return raw.request("PUT", bucket, query=[("replication", None)], headers=headers, body=body)


def test_content_md5_or_a_checksum_is_required(raw, s3, source, backup):
    body = replication_xml(backup)
    response = put_raw(raw, source, body, headers={})
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidRequest"
    assert "Content-MD5" in response.error()["Message"]
    response = put_raw(raw, source, body,
                       headers={"Content-MD5": b64(hashlib.md5(b"other").digest())})
    assert response.status == 400
    assert response.error_code() == "BadDigest"
    response = put_raw(raw, source, body,
                       headers={"x-amz-checksum-crc32": s3_checksum("CRC32", body)})
    assert response.status == 200, response.body
    assert put_raw(raw, source, body).status == 200
    assert replication_of(s3, source)["Rules"][0]["ID"] == "r"


@pytest.mark.parametrize("extra", ["<Unknown/>", "<Priority>2</Priority>",
                                   "<ExistingObjectReplication><Status>Maybe</Status>"
                                   "</ExistingObjectReplication>"])
def test_schema_errors_are_malformed_xml(raw, source, backup, extra):
    response = put_raw(raw, source, replication_xml(backup, extra))
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"
