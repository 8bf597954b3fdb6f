"""S3 Object Lock against the real server: buckets created with object lock, the bucket's
configuration and default retention, per-version retention (GOVERNANCE, COMPLIANCE) and legal
hold, the lock headers on PUT / COPY / multipart / GET / HEAD, deletes refused while a version is
protected (governance bypass only with the header), Content-MD5 / checksum requirements, and the
lifecycle worker skipping a locked version (driven with `admin lifecycle run --days-ahead`).
With boto3, the aws CLI and raw signed HTTP."""

import base64
import datetime as dt
import hashlib
import json

import boto3
import pytest

from cvharness import error_of, expect_error

UTC = dt.timezone.utc


def in_days(days):
    return (dt.datetime.now(UTC) + dt.timedelta(days=days)).replace(microsecond=0)


@pytest.fixture
def lock_bucket(s3, unique_name):
    name = unique_name("lock")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    return name


def put_version(s3, bucket, key, body=b"data", **kwargs):
    return s3.put_object(Bucket=bucket, Key=key, Body=body, **kwargs)["VersionId"]


def version_ids(s3, bucket, key):
    listed = s3.list_object_versions(Bucket=bucket, Prefix=key)
    return [v["VersionId"] for v in listed.get("Versions", []) if v["Key"] == key]


def boto3_user_arn(s3, user):
    """The IAM ARN of `user` (sts:GetCallerIdentity with its own key)."""
    return boto3.session.Session(
        aws_access_key_id=user.access_key, aws_secret_access_key=user.secret_key,
        region_name="us-east-1",
    ).client("sts", endpoint_url=s3.meta.endpoint_url).get_caller_identity()["Arn"]


def md5_b64(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode()


# --- buckets and configuration ---------------------------------------------------------------


def test_bucket_created_with_object_lock_is_versioned_and_cannot_be_suspended(s3, lock_bucket):
    assert s3.get_bucket_versioning(Bucket=lock_bucket)["Status"] == "Enabled"
    config = s3.get_object_lock_configuration(Bucket=lock_bucket)["ObjectLockConfiguration"]
    assert config == {"ObjectLockEnabled": "Enabled"}
    expect_error(
        s3.put_bucket_versioning,
        "InvalidBucketState",
        409,
        Bucket=lock_bucket,
        VersioningConfiguration={"Status": "Suspended"},
    )
    assert s3.get_bucket_versioning(Bucket=lock_bucket)["Status"] == "Enabled"


def test_a_bucket_without_lock_answers_as_aws(s3, bucket):
    expect_error(s3.get_object_lock_configuration, "ObjectLockConfigurationNotFoundError", 404,
                 Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    response = expect_error(s3.get_object_retention, "InvalidRequest", 400, Bucket=bucket, Key="k")
    assert response["Error"]["Message"] == "Bucket is missing Object Lock Configuration"
    expect_error(s3.put_object_legal_hold, "InvalidRequest", 400, Bucket=bucket, Key="k",
                 LegalHold={"Status": "ON"})
    response = expect_error(s3.put_object, "InvalidRequest", 400, Bucket=bucket, Key="k2",
                            Body=b"x", ObjectLockMode="GOVERNANCE",
                            ObjectLockRetainUntilDate=in_days(1))
    assert response["Error"]["Message"] == "Bucket is missing Object Lock Configuration"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="k2")
    # Object lock on an existing bucket needs versioning Enabled first, as on AWS.
    expect_error(s3.put_object_lock_configuration, "InvalidBucketState", 409, Bucket=bucket,
                 ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object_lock_configuration(Bucket=bucket,
                                     ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    assert s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled"}


def test_lock_configuration_with_aws_cli_and_its_errors(aws_cli, s3, lock_bucket):
    aws_cli("s3api", "put-object-lock-configuration", "--bucket", lock_bucket,
            "--object-lock-configuration",
            json.dumps({"ObjectLockEnabled": "Enabled",
                        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}}))
    shown = json.loads(aws_cli("s3api", "get-object-lock-configuration", "--bucket",
                               lock_bucket).stdout)
    assert shown["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}}
    for rule in ({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, {"Mode": "GOVERNANCE"},
                 {"Mode": "FOREVER", "Days": 1}):
        code, status, _ = error_of(
            s3.put_object_lock_configuration, Bucket=lock_bucket,
            ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                     "Rule": {"DefaultRetention": rule}})
        assert (code, status) == ("MalformedXML", 400), rule
    code, status, _ = error_of(
        s3.put_object_lock_configuration, Bucket=lock_bucket,
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                 "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 0}}})
    assert (code, status) == ("InvalidArgument", 400)
    # The rule in force is unchanged by the refused ones.
    rule = s3.get_object_lock_configuration(Bucket=lock_bucket)["ObjectLockConfiguration"]["Rule"]
    assert rule == {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}


def test_configuration_documents_need_content_md5(raw, lock_bucket):
    body = (b'<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>")
    refused = raw.request("PUT", lock_bucket, query=[("object-lock", "")], body=body)
    assert refused.status == 400 and refused.error_code() == "InvalidRequest"
    accepted = raw.request("PUT", lock_bucket, query=[("object-lock", "")], body=body,
                           headers={"Content-MD5": md5_b64(body)})
    assert accepted.status == 200, accepted.body


# --- retention and legal hold ------------------------------------------------------------------


def test_default_retention_applies_to_new_versions(s3, lock_bucket):
    s3.put_object_lock_configuration(
        Bucket=lock_bucket,
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                 "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 2}}})
    before = dt.datetime.now(UTC)
    version = put_version(s3, lock_bucket, "defaulted")
    retention = s3.get_object_retention(Bucket=lock_bucket, Key="defaulted",
                                        VersionId=version)["Retention"]
    assert retention["Mode"] == "COMPLIANCE"
    until = retention["RetainUntilDate"]
    assert before + dt.timedelta(days=2) - dt.timedelta(seconds=5) <= until
    assert until <= dt.datetime.now(UTC) + dt.timedelta(days=2, seconds=5)
    head = s3.head_object(Bucket=lock_bucket, Key="defaulted")
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] == until
    # An explicit retention wins over the default.
    five_days = in_days(5)
    explicit = put_version(s3, lock_bucket, "explicit", ObjectLockMode="GOVERNANCE",
                           ObjectLockRetainUntilDate=five_days)
    got = s3.get_object(Bucket=lock_bucket, Key="explicit", VersionId=explicit)
    assert got["ObjectLockMode"] == "GOVERNANCE"
    assert got["ObjectLockRetainUntilDate"] == five_days
    assert s3.get_object_retention(Bucket=lock_bucket, Key="explicit")["Retention"][
        "Mode"] == "GOVERNANCE"


def test_retention_refuses_deletes_of_the_version_but_not_delete_markers(s3, lock_bucket):
    version = put_version(s3, lock_bucket, "kept", ObjectLockMode="COMPLIANCE",
                          ObjectLockRetainUntilDate=in_days(1))
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=lock_bucket, Key="kept",
                 VersionId=version)
    # Not even with the bypass header, nor as root: COMPLIANCE.
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=lock_bucket, Key="kept",
                 VersionId=version, BypassGovernanceRetention=True)
    marker = s3.delete_object(Bucket=lock_bucket, Key="kept")
    assert marker["DeleteMarker"] is True
    assert version_ids(s3, lock_bucket, "kept") == [version]
    assert s3.get_object(Bucket=lock_bucket, Key="kept", VersionId=version)["Body"].read() == b"data"


def test_compliance_cannot_be_shortened_or_changed_even_by_root(s3, aws_cli, lock_bucket):
    until = in_days(2)
    version = put_version(s3, lock_bucket, "c", ObjectLockMode="COMPLIANCE",
                          ObjectLockRetainUntilDate=until)
    for retention in ({"Mode": "COMPLIANCE", "RetainUntilDate": in_days(1)},
                      {"Mode": "GOVERNANCE", "RetainUntilDate": in_days(3)}):
        expect_error(s3.put_object_retention, "AccessDenied", 403, Bucket=lock_bucket, Key="c",
                     VersionId=version, Retention=retention, BypassGovernanceRetention=True)
    assert s3.get_object_retention(Bucket=lock_bucket, Key="c")["Retention"] == {
        "Mode": "COMPLIANCE", "RetainUntilDate": until}
    # Extending is allowed, with the aws CLI.
    later = in_days(4)
    aws_cli("s3api", "put-object-retention", "--bucket", lock_bucket, "--key", "c",
            "--version-id", version, "--retention",
            json.dumps({"Mode": "COMPLIANCE", "RetainUntilDate": later.isoformat()}))
    shown = json.loads(aws_cli("s3api", "get-object-retention", "--bucket", lock_bucket, "--key",
                               "c", "--version-id", version).stdout)["Retention"]
    assert shown["Mode"] == "COMPLIANCE"
    assert dt.datetime.fromisoformat(shown["RetainUntilDate"].replace("Z", "+00:00")) == later


def test_governance_bypass_needs_the_header(s3, lock_bucket):
    version = put_version(s3, lock_bucket, "g", ObjectLockMode="GOVERNANCE",
                          ObjectLockRetainUntilDate=in_days(2))
    # Shortening or removing without the header: refused; extending: allowed.
    expect_error(s3.put_object_retention, "AccessDenied", 403, Bucket=lock_bucket, Key="g",
                 VersionId=version,
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)})
    s3.put_object_retention(Bucket=lock_bucket, Key="g", VersionId=version,
                            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(3)})
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=lock_bucket, Key="g",
                 VersionId=version)
    shorter = in_days(1)
    s3.put_object_retention(Bucket=lock_bucket, Key="g", VersionId=version,
                            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": shorter},
                            BypassGovernanceRetention=True)
    assert s3.get_object_retention(Bucket=lock_bucket, Key="g", VersionId=version)["Retention"][
        "RetainUntilDate"] == shorter
    s3.delete_object(Bucket=lock_bucket, Key="g", VersionId=version, BypassGovernanceRetention=True)
    assert version_ids(s3, lock_bucket, "g") == []


def test_governance_bypass_needs_the_permission(s3, other_user, lock_bucket):
    version = put_version(s3, lock_bucket, "g2", ObjectLockMode="GOVERNANCE",
                          ObjectLockRetainUntilDate=in_days(2))
    user_arn = boto3_user_arn(s3, other_user)
    deleter = {"Effect": "Allow", "Principal": {"AWS": user_arn},
               "Action": ["s3:DeleteObjectVersion", "s3:GetObjectRetention"],
               "Resource": f"arn:aws:s3:::{lock_bucket}/*"}
    s3.put_bucket_policy(Bucket=lock_bucket,
                         Policy=json.dumps({"Version": "2012-10-17", "Statement": [deleter]}))
    # May delete versions, may not bypass governance: the header changes nothing.
    expect_error(other_user.client.delete_object, "AccessDenied", 403, Bucket=lock_bucket,
                 Key="g2", VersionId=version, BypassGovernanceRetention=True)
    assert version_ids(s3, lock_bucket, "g2") == [version]
    # Granted s3:BypassGovernanceRetention by the bucket policy, the same request removes it.
    bypass = dict(deleter, Action=["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"])
    s3.put_bucket_policy(Bucket=lock_bucket,
                         Policy=json.dumps({"Version": "2012-10-17", "Statement": [bypass]}))
    expect_error(other_user.client.delete_object, "AccessDenied", 403, Bucket=lock_bucket,
                 Key="g2", VersionId=version)  # still needs the header
    other_user.client.delete_object(Bucket=lock_bucket, Key="g2", VersionId=version,
                                    BypassGovernanceRetention=True)
    assert version_ids(s3, lock_bucket, "g2") == []


def test_legal_hold_refuses_deletes_until_removed(s3, aws_cli, lock_bucket):
    version = put_version(s3, lock_bucket, "held", ObjectLockLegalHoldStatus="ON")
    assert s3.head_object(Bucket=lock_bucket, Key="held")["ObjectLockLegalHoldStatus"] == "ON"
    assert s3.get_object_legal_hold(Bucket=lock_bucket, Key="held")["LegalHold"] == {"Status": "ON"}
    expect_error(s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                 Bucket=lock_bucket, Key="held")
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=lock_bucket, Key="held",
                 VersionId=version, BypassGovernanceRetention=True)
    aws_cli("s3api", "put-object-legal-hold", "--bucket", lock_bucket, "--key", "held",
            "--version-id", version, "--legal-hold", "Status=OFF")
    assert s3.get_object_legal_hold(Bucket=lock_bucket, Key="held",
                                    VersionId=version)["LegalHold"] == {"Status": "OFF"}
    s3.delete_object(Bucket=lock_bucket, Key="held", VersionId=version)
    assert version_ids(s3, lock_bucket, "held") == []


def test_delete_objects_refuses_locked_entries_one_by_one(s3, lock_bucket):
    locked = put_version(s3, lock_bucket, "a", ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=in_days(1))
    free = put_version(s3, lock_bucket, "b")
    result = s3.delete_objects(Bucket=lock_bucket, Delete={"Objects": [
        {"Key": "a", "VersionId": locked}, {"Key": "b", "VersionId": free}]})
    assert [(e["Key"], e["Code"]) for e in result.get("Errors", [])] == [("a", "AccessDenied")]
    assert [d["Key"] for d in result["Deleted"]] == ["b"]
    assert version_ids(s3, lock_bucket, "a") == [locked]
    # With the bypass header, a GOVERNANCE entry goes.
    result = s3.delete_objects(Bucket=lock_bucket, BypassGovernanceRetention=True,
                               Delete={"Objects": [{"Key": "a", "VersionId": locked}]})
    assert "Errors" not in result
    assert version_ids(s3, lock_bucket, "a") == []


def test_retention_requests_are_checked(s3, raw, lock_bucket):
    version = put_version(s3, lock_bucket, "r")
    expect_error(s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                 Bucket=lock_bucket, Key="r")
    past = dt.datetime.now(UTC) - dt.timedelta(days=1)
    expect_error(s3.put_object_retention, "InvalidArgument", 400, Bucket=lock_bucket, Key="r",
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": past})
    expect_error(s3.put_object_retention, "NoSuchVersion", 404, Bucket=lock_bucket, Key="r",
                 VersionId="0000000000000000deadbeefdeadbeef",
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)})
    body = (b"<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>"
            + in_days(1).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
            + b"</RetainUntilDate></Retention>")
    no_md5 = raw.request("PUT", lock_bucket, "r", query=[("retention", "")], body=body)
    assert no_md5.status == 400 and no_md5.error_code() == "InvalidRequest"
    hold = b"<LegalHold><Status>ON</Status></LegalHold>"
    no_md5 = raw.request("PUT", lock_bucket, "r", query=[("legal-hold", "")], body=hold)
    assert no_md5.status == 400 and no_md5.error_code() == "InvalidRequest"
    bad_mode = body.replace(b"GOVERNANCE", b"FOREVER")
    refused = raw.request("PUT", lock_bucket, "r", query=[("retention", "")], body=bad_mode,
                          headers={"Content-MD5": md5_b64(bad_mode)})
    assert refused.status == 400 and refused.error_code() == "MalformedXML"
    ok = raw.request("PUT", lock_bucket, "r", query=[("retention", "")], body=body,
                     headers={"Content-MD5": md5_b64(body)})
    assert ok.status == 200, ok.body
    assert s3.get_object_retention(Bucket=lock_bucket, Key="r", VersionId=version)[
        "Retention"]["Mode"] == "GOVERNANCE"


# --- lock headers on writes ----------------------------------------------------------------------


def test_put_with_lock_headers_needs_content_md5_or_a_checksum(raw, s3, lock_bucket):
    until = in_days(1).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {"x-amz-object-lock-mode": "GOVERNANCE",
               "x-amz-object-lock-retain-until-date": until}
    refused = raw.request("PUT", lock_bucket, "m", headers=headers, body=b"payload")
    assert refused.status == 400 and refused.error_code() == "InvalidRequest"
    assert "Content-MD5 OR x-amz-checksum- HTTP header is required" in refused.error()["Message"]
    assert version_ids(s3, lock_bucket, "m") == []
    with_md5 = raw.request("PUT", lock_bucket, "m", body=b"payload",
                           headers={**headers, "Content-MD5": md5_b64(b"payload")})
    assert with_md5.status == 200, with_md5.body
    assert with_md5.header("x-amz-version-id")
    # Without lock headers and without a default retention, none is needed.
    plain = raw.request("PUT", lock_bucket, "plain", body=b"payload")
    assert plain.status == 200
    # Malformed headers.
    for bad in ({"x-amz-object-lock-mode": "GOVERNANCE"},
                {**headers, "x-amz-object-lock-mode": "SOMETIMES"},
                {**headers, "x-amz-object-lock-retain-until-date": "tomorrow"},
                {"x-amz-object-lock-legal-hold": "MAYBE"}):
        response = raw.request("PUT", lock_bucket, "bad", body=b"x",
                               headers={**bad, "Content-MD5": md5_b64(b"x")})
        assert response.status == 400 and response.error_code() == "InvalidArgument", bad


def test_copy_and_multipart_take_lock_headers(s3, lock_bucket):
    source = put_version(s3, lock_bucket, "src", ObjectLockMode="COMPLIANCE",
                         ObjectLockRetainUntilDate=in_days(1))
    copied = s3.copy_object(Bucket=lock_bucket, Key="copy", CopySource={
        "Bucket": lock_bucket, "Key": "src", "VersionId": source},
        ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=in_days(2),
        ObjectLockLegalHoldStatus="ON")
    head = s3.head_object(Bucket=lock_bucket, Key="copy", VersionId=copied["VersionId"])
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockLegalHoldStatus"] == "ON"
    # A copy without lock headers does not inherit the source's retention.
    plain = s3.copy_object(Bucket=lock_bucket, Key="copy2", CopySource={
        "Bucket": lock_bucket, "Key": "src"})
    assert "ObjectLockMode" not in s3.head_object(Bucket=lock_bucket, Key="copy2",
                                                  VersionId=plain["VersionId"])

    upload = s3.create_multipart_upload(Bucket=lock_bucket, Key="mp",
                                        ObjectLockMode="COMPLIANCE",
                                        ObjectLockRetainUntilDate=in_days(1))
    part = s3.upload_part(Bucket=lock_bucket, Key="mp", UploadId=upload["UploadId"],
                          PartNumber=1, Body=b"z" * 1024)
    done = s3.complete_multipart_upload(
        Bucket=lock_bucket, Key="mp", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object_retention(Bucket=lock_bucket, Key="mp")["Retention"][
        "Mode"] == "COMPLIANCE"
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=lock_bucket, Key="mp",
                 VersionId=done["VersionId"], BypassGovernanceRetention=True)


# --- lifecycle --------------------------------------------------------------------------------------


def test_lifecycle_expiration_skips_a_locked_version_until_its_date(server, s3, lock_bucket):
    locked = put_version(s3, lock_bucket, "old", body=b"v1", ObjectLockMode="COMPLIANCE",
                         ObjectLockRetainUntilDate=in_days(3))
    held = put_version(s3, lock_bucket, "old", body=b"v2", ObjectLockLegalHoldStatus="ON")
    put_version(s3, lock_bucket, "old", body=b"v3")  # the two above are noncurrent now
    s3.put_bucket_lifecycle_configuration(Bucket=lock_bucket, LifecycleConfiguration={"Rules": [{
        "ID": "expire-old", "Status": "Enabled", "Filter": {"Prefix": ""},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    report = json.loads(server.admin("lifecycle", "run", "--days-ahead", "2").stdout)
    assert report["locked_deferred"] >= 2, report
    assert set(version_ids(s3, lock_bucket, "old")) >= {locked, held}
    # After the retain-until date the retention no longer protects; the legal hold still does.
    report = json.loads(server.admin("lifecycle", "run", "--days-ahead", "4").stdout)
    assert report["failures"] == 0, report
    remaining = version_ids(s3, lock_bucket, "old")
    assert locked not in remaining
    assert held in remaining
    s3.put_object_legal_hold(Bucket=lock_bucket, Key="old", VersionId=held,
                             LegalHold={"Status": "OFF"})
    json.loads(server.admin("lifecycle", "run", "--days-ahead", "4").stdout)
    assert held not in version_ids(s3, lock_bucket, "old")


# --- immutable backups ----------------------------------------------------------------------------


def test_backup_with_lock_days_writes_copies_nobody_can_delete(server, s3, unique_name):
    from test_replication import wait_status

    source, destination = unique_name("src"), unique_name("dst")
    s3.create_bucket(Bucket=source)
    created = json.loads(server.admin("backup", "create", "--from", source, "--to", destination,
                                      "--lock-days", "2").stdout)
    assert created["lock_days"] == 2
    # The destination was created with object lock.
    assert s3.get_object_lock_configuration(Bucket=destination)["ObjectLockConfiguration"][
        "ObjectLockEnabled"] == "Enabled"
    before = dt.datetime.now(UTC)
    s3.put_object(Bucket=source, Key="db.dump", Body=b"precious")
    wait_status(s3, source, "db.dump", "COMPLETED")
    [copy] = version_ids(s3, destination, "db.dump")
    retention = s3.get_object_retention(Bucket=destination, Key="db.dump",
                                        VersionId=copy)["Retention"]
    assert retention["Mode"] == "COMPLIANCE"
    assert retention["RetainUntilDate"] >= before + dt.timedelta(days=2) - dt.timedelta(seconds=5)
    expect_error(s3.delete_object, "AccessDenied", 403, Bucket=destination, Key="db.dump",
                 VersionId=copy, BypassGovernanceRetention=True)
    assert s3.get_object(Bucket=destination, Key="db.dump")["Body"].read() == b"precious"


def test_backup_lock_days_needs_a_destination_with_object_lock(server, s3, unique_name):
    source, destination = unique_name("src"), unique_name("dst")
    s3.create_bucket(Bucket=source)
    s3.create_bucket(Bucket=destination)
    refused = server.admin("backup", "create", "--from", source, "--to", destination,
                           "--lock-days", "1", check=False)
    assert refused.returncode != 0
    assert "does not have object lock enabled" in refused.stdout + refused.stderr
    # Nothing was set up.
    expect_error(s3.get_bucket_replication, "ReplicationConfigurationNotFoundError", 404,
                 Bucket=source)
