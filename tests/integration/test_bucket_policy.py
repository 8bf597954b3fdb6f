"""Bucket policies and Block Public Access against the real server: Put/Get/Delete
BucketPolicy, GetBucketPolicyStatus, Put/Get/DeletePublicAccessBlock (all four settings on
for every new bucket), the account's block through `cloudvault admin`, anonymous callers
evaluated against the bucket policy, conditions (aws:SourceIp, aws:SecureTransport), explicit
deny over allow, and `cloudvault admin policy simulate`."""

import json
import re

import pytest

from cvharness import expect_error, fetch


def public_read(bucket, prefix=""):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
            }
        ],
    }


def grant_to(user_arn, bucket, actions, condition=None, effect="Allow", resource=None):
    statement = {
        "Effect": effect,
        "Principal": {"AWS": user_arn},
        "Action": actions,
        "Resource": resource or [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def user_arn(server, name):
    out = server.admin("policy", "simulate", "--user", name, "--action", "s3:ListAllMyBuckets",
                       "--resource", "*", check=False)
    return json.loads(out.stdout)["principal"]


def anonymous_get(server, bucket, key):
    return fetch(f"{server.endpoint}/{bucket}/{key}")


def test_a_new_bucket_blocks_public_access(s3, bucket):
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }


def test_public_access_block_put_get_delete(s3, bucket):
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={"BlockPublicAcls": True, "RestrictPublicBuckets": False,
                                        "IgnorePublicAcls": False, "BlockPublicPolicy": False},
    )
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] is True
    assert block["BlockPublicPolicy"] is False
    s3.delete_public_access_block(Bucket=bucket)
    expect_error(s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", 404,
                 Bucket=bucket)
    s3.delete_public_access_block(Bucket=bucket)  # none left: still 204


def test_malformed_public_access_block_is_refused(raw, bucket):
    body = (b'<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>")
    response = raw.request("PUT", bucket, query=[("publicAccessBlock", "")], body=body)
    assert response.status == 400
    assert response.error_code() == "MalformedXML"


def test_bucket_policy_round_trip_and_status(s3, bucket):
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
    expect_error(s3.get_bucket_policy_status, "NoSuchBucketPolicy", 404, Bucket=bucket)
    document = json.dumps(grant_to("arn:aws:iam::123456789012:user/nobody", bucket,
                                   ["s3:GetObject"]), indent=2)
    s3.put_bucket_policy(Bucket=bucket, Policy=document)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == document  # kept as given
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False
    s3.delete_bucket_policy(Bucket=bucket)
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)


@pytest.mark.parametrize(
    "document, reason",
    [
        ("not json", "JSON"),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}), "Principal"),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*",
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}), "Effect"),
        (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                     "Condition": {"StringSortOf": {"aws:username": "x"}}}]}), "StringSortOf"),
    ],
)
def test_malformed_policies_are_refused_with_the_reason(s3, raw, bucket, document, reason):
    response = raw.request("PUT", bucket, query=[("policy", "")], body=document.encode())
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedPolicy"
    assert reason.lower() in response.error()["Message"].lower()
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)


def test_public_read_works_only_with_block_public_access_off(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="site/index.html", Body=b"<h1>hello</h1>")
    s3.put_object(Bucket=bucket, Key="private.txt", Body=b"secret")
    assert anonymous_get(server, bucket, "site/index.html").status == 403
    # BlockPublicPolicy refuses the public policy itself.
    expect_error(s3.put_bucket_policy, "AccessDenied", 403, Bucket=bucket,
                 Policy=json.dumps(public_read(bucket, "site/")))
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket, "site/")))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    page = anonymous_get(server, bucket, "site/index.html")
    assert page.status == 200
    assert page.body == b"<h1>hello</h1>"
    # Only what the policy names: no other key, no listing, no writes.
    assert anonymous_get(server, bucket, "private.txt").status == 403
    assert fetch(f"{server.endpoint}/{bucket}").status == 403
    assert fetch(f"{server.endpoint}/{bucket}/site/new.html", method="PUT",
                 body=b"x").status == 403
    # A key that does not exist: 403, since the policy does not let anyone list the bucket.
    missing = anonymous_get(server, bucket, "site/missing.html")
    assert missing.status == 403
    assert missing.error_code() == "AccessDenied"
    # RestrictPublicBuckets takes the public policy's grants away again.
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={"BlockPublicAcls": False, "IgnorePublicAcls": False,
                                        "BlockPublicPolicy": False, "RestrictPublicBuckets": True},
    )
    assert anonymous_get(server, bucket, "site/index.html").status == 403


def test_anonymous_requests_name_missing_buckets_and_hide_private_ones(server, bucket, unique_name):
    missing = fetch(f"{server.endpoint}/{unique_name('gone')}/key")
    assert missing.status == 404
    assert missing.error_code() == "NoSuchBucket"
    denied = fetch(f"{server.endpoint}/{bucket}/key")
    assert denied.status == 403
    assert denied.error_code() == "AccessDenied"
    assert denied.error()["Message"] == "Access Denied"


def test_a_bucket_policy_grants_another_user_and_an_explicit_deny_wins(server, s3, bucket,
                                                                        other_user):
    s3.put_object(Bucket=bucket, Key="shared/report.txt", Body=b"report")
    s3.put_object(Bucket=bucket, Key="shared/secret/plans.txt", Body=b"plans")
    client = other_user.client
    expect_error(client.get_object, "AccessDenied", 403, Bucket=bucket, Key="shared/report.txt")
    arn = user_arn(server, other_user.name)
    policy = grant_to(arn, bucket, ["s3:GetObject", "s3:ListBucket"])
    policy["Statement"].append({
        "Sid": "NotTheSecrets",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/shared/secret/*",
    })
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert client.get_object(Bucket=bucket, Key="shared/report.txt")["Body"].read() == b"report"
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert "shared/report.txt" in keys
    expect_error(client.get_object, "AccessDenied", 403, Bucket=bucket,
                 Key="shared/secret/plans.txt")
    # The deny names everyone: the owner too.
    expect_error(s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="shared/secret/plans.txt")
    # With s3:ListBucket, a missing key is a 404.
    expect_error(client.get_object, "NoSuchKey", 404, Bucket=bucket, Key="shared/none.txt")
    # Not granted: writes.
    expect_error(client.put_object, "AccessDenied", 403, Bucket=bucket, Key="shared/x", Body=b"x")
    # The owner can always take the policy away (lock-out protection).
    s3.delete_bucket_policy(Bucket=bucket)
    expect_error(client.get_object, "AccessDenied", 403, Bucket=bucket, Key="shared/report.txt")


def test_source_ip_condition(server, s3, bucket, other_user):
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    arn = user_arn(server, other_user.name)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(grant_to(
        arn, bucket, ["s3:GetObject"], {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})))
    expect_error(other_user.client.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(grant_to(
        arn, bucket, ["s3:GetObject"], {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8",
                                                                        "127.0.0.0/8"]}})))
    assert other_user.client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"


def test_secure_transport_deny_refuses_plain_http_even_to_the_owner(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    }))
    expect_error(s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    expect_error(s3.put_object, "AccessDenied", 403, Bucket=bucket, Key="k2", Body=b"x")
    # ...but the owner may still read and remove the policy.
    assert "TlsOnly" in s3.get_bucket_policy(Bucket=bucket)["Policy"]
    s3.delete_bucket_policy(Bucket=bucket)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"


def test_the_account_block_applies_to_every_bucket(server, s3, bucket):
    s3.delete_public_access_block(Bucket=bucket)
    out = json.loads(server.admin("public-access-block", "get").stdout)
    assert out == {"account": None}
    server.admin("public-access-block", "put", "--block-public-acls", "false",
                 "--ignore-public-acls", "false", "--block-public-policy", "true",
                 "--restrict-public-buckets", "false")
    try:
        out = json.loads(server.admin("public-access-block", "get").stdout)
        assert out["account"]["BlockPublicPolicy"] is True
        expect_error(s3.put_bucket_policy, "AccessDenied", 403, Bucket=bucket,
                     Policy=json.dumps(public_read(bucket)))
    finally:
        server.admin("public-access-block", "delete")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))


def test_aws_cli_bucket_policy_and_public_access_block(aws_cli, bucket, tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(grant_to("arn:aws:iam::123456789012:user/x", bucket,
                                        ["s3:GetObject"])))
    aws_cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", f"file://{path}")
    got = json.loads(aws_cli("s3api", "get-bucket-policy", "--bucket", bucket).stdout)
    assert json.loads(got["Policy"])["Statement"][0]["Action"] == ["s3:GetObject"]
    aws_cli("s3api", "put-public-access-block", "--bucket", bucket,
            "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,"
            "RestrictPublicBuckets=false")
    got = json.loads(aws_cli("s3api", "get-public-access-block", "--bucket", bucket).stdout)
    assert got["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is False


def test_policy_simulate_explains_the_statement(server, s3, bucket, other_user):
    arn = user_arn(server, other_user.name)
    policy = grant_to(arn, bucket, ["s3:GetObject"])
    policy["Statement"][0]["Sid"] = "ReadForTester"
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    allowed = server.admin("policy", "simulate", "--user", other_user.name, "--action",
                           "s3:GetObject", "--resource", f"arn:aws:s3:::{bucket}/a.txt",
                           check=False)
    assert allowed.returncode == 0, allowed.stderr
    decision = json.loads(allowed.stdout)
    assert decision["decision"] == "allowed"
    assert "ReadForTester" in decision["explanation"]
    denied = server.admin("policy", "simulate", "--user", other_user.name, "--action",
                          "s3:PutObject", "--resource", f"arn:aws:s3:::{bucket}/a.txt",
                          check=False)
    assert denied.returncode == 3
    assert json.loads(denied.stdout)["decision"] == "denied"
    # Conditions take their values from --context.
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(grant_to(
        arn, bucket, ["s3:GetObject"], {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})))
    near = server.admin("policy", "simulate", "--user", other_user.name, "--action",
                        "s3:GetObject", "--resource", f"arn:aws:s3:::{bucket}/a.txt",
                        "--context", "aws:SourceIp=192.0.2.7", check=False)
    assert json.loads(near.stdout)["decision"] == "allowed"
    far = server.admin("policy", "simulate", "--user", other_user.name, "--action",
                       "s3:GetObject", "--resource", f"arn:aws:s3:::{bucket}/a.txt",
                       "--context", "aws:SourceIp=198.51.100.1", check=False)
    assert json.loads(far.stdout)["decision"] == "denied"


def test_a_denied_request_is_explained_in_the_trail_not_to_the_client(server, bucket):
    denied = fetch(f"{server.endpoint}/{bucket}/k")
    assert denied.error()["Message"] == "Access Denied"
    # The reason is in the server's log (and in the trail's record, test_trail_s3.py).
    server.wait_for_log(re.escape(f"s3:GetObject on arn:aws:s3:::{bucket}/k for anonymous"),
                        timeout=10)
