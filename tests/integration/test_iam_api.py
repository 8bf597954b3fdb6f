"""The IAM query API on the S3 port (issue 14): `aws iam --endpoint-url ...` and boto3's iam
client against the real server — users, access keys (limit, status, last use), inline and
managed policies, groups, roles, the account summary, IAM's error documents, paging, and
the self-service rights of a non-root user."""

import json
import os
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from cvharness import make_client

AWS_BIN = "/usr/bin/aws"
IAM_NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"
ALLOW_S3 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    ],
}


def name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def iam_client(server, access_key, secret_key, region="us-east-1"):
    session = boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region
    )
    return session.client(
        "iam",
        endpoint_url=server.endpoint,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture(scope="module")
def iam(server):
    return iam_client(server, server.access_key, server.secret_key)


def cli_as(server, access_key, secret_key):
    """run(*args) -> (returncode, parsed JSON or None, stderr) for `aws iam` as the given key."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key,
            "AWS_DEFAULT_REGION": "eu-west-1",  # IAM is global: the CLI signs for us-east-1
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "AWS_MAX_ATTEMPTS": "1",
        }
    )

    def run(*args):
        result = subprocess.run(
            [AWS_BIN, "--endpoint-url", server.endpoint, "--no-cli-pager", "--output", "json",
             "iam", *map(str, args)],
            capture_output=True, text=True, env=env, timeout=120,
        )
        parsed = json.loads(result.stdout) if result.stdout.strip() else None
        return result.returncode, parsed, result.stderr

    return run


@pytest.fixture(scope="module")
def cli(server):
    run = cli_as(server, server.access_key, server.secret_key)

    def ok(*args):
        code, parsed, stderr = run(*args)
        assert code == 0, stderr
        return parsed

    def err(*args):
        code, parsed, stderr = run(*args)
        assert code != 0, parsed
        return stderr

    ok.err = err
    return ok


def raw_iam(server, access_key, secret_key, params, service="iam"):
    """A form POST signed with botocore's SigV4 for `service`; returns the requests response."""
    body = urllib.parse.urlencode(params)
    request = AWSRequest(
        method="POST",
        url=server.endpoint + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(access_key, secret_key), service, "us-east-1").add_auth(request)
    return requests.post(server.endpoint + "/", data=body, headers=dict(request.headers),
                         timeout=30)


def test_users_are_created_read_listed_and_deleted_with_the_cli(cli):
    user = name("ana")
    created = cli("create-user", "--user-name", user, "--path", "/eng/")["User"]
    assert created["UserName"] == user
    assert created["Path"] == "/eng/"
    assert created["UserId"].startswith("AIDA") and len(created["UserId"]) == 21
    assert created["Arn"].startswith("arn:aws:iam::") and created["Arn"].endswith(f":user/eng/{user}")
    got = cli("get-user", "--user-name", user)["User"]
    assert got["UserId"] == created["UserId"] and got["Arn"] == created["Arn"]
    listed = cli("list-users", "--path-prefix", "/eng/")["Users"]
    assert user in [u["UserName"] for u in listed]
    assert "root" not in [u["UserName"] for u in cli("list-users")["Users"]]
    assert cli("get-user")["User"]["Arn"].endswith(":root")  # no name: the caller
    assert "EntityAlreadyExists" in cli.err("create-user", "--user-name", user)
    assert "ValidationError" in cli.err("create-user", "--user-name", "bad name!")
    cli("delete-user", "--user-name", user)
    assert "NoSuchEntity" in cli.err("get-user", "--user-name", user)


def test_access_keys_limit_status_and_last_use(cli, server):
    user = name("kim")
    cli("create-user", "--user-name", user)
    first = cli("create-access-key", "--user-name", user)["AccessKey"]
    assert first["Status"] == "Active" and first["UserName"] == user
    second = cli("create-access-key", "--user-name", user)["AccessKey"]
    assert "LimitExceeded" in cli.err("create-access-key", "--user-name", user)
    keys = cli("list-access-keys", "--user-name", user)["AccessKeyMetadata"]
    assert sorted(k["AccessKeyId"] for k in keys) == sorted(
        [first["AccessKeyId"], second["AccessKeyId"]])

    s3 = make_client(server.endpoint, first["AccessKeyId"], first["SecretAccessKey"])
    never = cli("get-access-key-last-used", "--access-key-id", first["AccessKeyId"])
    assert never["UserName"] == user
    assert never["AccessKeyLastUsed"]["ServiceName"] == "N/A"
    s3.list_buckets()
    used = cli("get-access-key-last-used", "--access-key-id", first["AccessKeyId"])
    assert used["AccessKeyLastUsed"]["ServiceName"] == "s3"
    assert used["AccessKeyLastUsed"]["Region"] == "us-east-1"
    assert "LastUsedDate" in used["AccessKeyLastUsed"]

    cli("update-access-key", "--user-name", user, "--access-key-id", first["AccessKeyId"],
        "--status", "Inactive")
    statuses = {k["AccessKeyId"]: k["Status"]
                for k in cli("list-access-keys", "--user-name", user)["AccessKeyMetadata"]}
    assert statuses[first["AccessKeyId"]] == "Inactive"
    with pytest.raises(ClientError) as refused:
        s3.list_buckets()
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    cli("update-access-key", "--user-name", user, "--access-key-id", first["AccessKeyId"],
        "--status", "Active")
    s3.list_buckets()

    assert "DeleteConflict" in cli.err("delete-user", "--user-name", user)
    assert "NoSuchEntity" in cli.err("delete-access-key", "--user-name", "root",
                                     "--access-key-id", first["AccessKeyId"])
    for key in (first, second):
        cli("delete-access-key", "--user-name", user, "--access-key-id", key["AccessKeyId"])
    with pytest.raises(ClientError) as gone:
        s3.list_buckets()
    assert gone.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    cli("delete-user", "--user-name", user)


def test_inline_user_policy_round_trips(cli):
    user = name("pat")
    cli("create-user", "--user-name", user)
    document = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Mine", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": "arn:aws:s3:::b/café/${aws:username}/*"}]}
    cli("put-user-policy", "--user-name", user, "--policy-name", "own",
        "--policy-document", json.dumps(document))
    got = cli("get-user-policy", "--user-name", user, "--policy-name", "own")
    assert got["UserName"] == user and got["PolicyName"] == "own"
    assert got["PolicyDocument"] == document
    assert cli("list-user-policies", "--user-name", user)["PolicyNames"] == ["own"]
    assert "MalformedPolicyDocument" in cli.err(
        "put-user-policy", "--user-name", user, "--policy-name", "bad",
        "--policy-document", '{"Version": "2012-10-17"}')
    assert "DeleteConflict" in cli.err("delete-user", "--user-name", user)
    cli("delete-user-policy", "--user-name", user, "--policy-name", "own")
    assert "NoSuchEntity" in cli.err("get-user-policy", "--user-name", user, "--policy-name", "own")
    cli("delete-user", "--user-name", user)


def test_managed_policies_attach_to_users(cli):
    user = name("mo")
    policy_name = name("ReadB")
    cli("create-user", "--user-name", user)
    policy = cli("create-policy", "--policy-name", policy_name, "--policy-document",
                 json.dumps(ALLOW_S3), "--description", "reads b")["Policy"]
    arn = policy["Arn"]
    assert arn.endswith(f":policy/{policy_name}") and policy["PolicyId"].startswith("ANPA")
    assert policy["DefaultVersionId"] == "v1" and policy["AttachmentCount"] == 0
    cli("attach-user-policy", "--user-name", user, "--policy-arn", arn)
    attached = cli("list-attached-user-policies", "--user-name", user)["AttachedPolicies"]
    assert attached == [{"PolicyName": policy_name, "PolicyArn": arn}]
    assert cli("get-policy", "--policy-arn", arn)["Policy"]["AttachmentCount"] == 1
    version = cli("get-policy-version", "--policy-arn", arn, "--version-id", "v1")
    assert version["PolicyVersion"]["Document"] == ALLOW_S3
    assert arn in [p["Arn"] for p in cli("list-policies", "--scope", "Local")["Policies"]]
    assert "DeleteConflict" in cli.err("delete-policy", "--policy-arn", arn)
    cli("detach-user-policy", "--user-name", user, "--policy-arn", arn)
    assert "NoSuchEntity" in cli.err("detach-user-policy", "--user-name", user, "--policy-arn", arn)
    cli("delete-policy", "--policy-arn", arn)
    assert "NoSuchEntity" in cli.err("get-policy", "--policy-arn", arn)
    cli("delete-user", "--user-name", user)


def test_groups_members_and_group_policies(cli):
    user = name("gil")
    group = name("devs")
    cli("create-user", "--user-name", user)
    created = cli("create-group", "--group-name", group)["Group"]
    assert created["GroupId"].startswith("AGPA") and created["Arn"].endswith(f":group/{group}")
    cli("add-user-to-group", "--group-name", group, "--user-name", user)
    got = cli("get-group", "--group-name", group)
    assert [u["UserName"] for u in got["Users"]] == [user]
    assert group in [g["GroupName"] for g in cli("list-groups")["Groups"]]
    assert [g["GroupName"] for g in cli("list-groups-for-user", "--user-name", user)["Groups"]] \
        == [group]
    cli("put-group-policy", "--group-name", group, "--policy-name", "shared",
        "--policy-document", json.dumps(ALLOW_S3))
    assert cli("get-group-policy", "--group-name", group,
               "--policy-name", "shared")["PolicyDocument"] == ALLOW_S3
    policy = cli("create-policy", "--policy-name", name("G"),
                 "--policy-document", json.dumps(ALLOW_S3))["Policy"]
    cli("attach-group-policy", "--group-name", group, "--policy-arn", policy["Arn"])
    assert [p["PolicyArn"] for p in cli("list-attached-group-policies", "--group-name", group)[
        "AttachedPolicies"]] == [policy["Arn"]]
    assert "DeleteConflict" in cli.err("delete-group", "--group-name", group)
    assert "DeleteConflict" in cli.err("delete-user", "--user-name", user)
    cli("remove-user-from-group", "--group-name", group, "--user-name", user)
    cli("detach-group-policy", "--group-name", group, "--policy-arn", policy["Arn"])
    cli("delete-group-policy", "--group-name", group, "--policy-name", "shared")
    cli("delete-group", "--group-name", group)
    assert "NoSuchEntity" in cli.err("get-group", "--group-name", group)
    cli("delete-policy", "--policy-arn", policy["Arn"])
    cli("delete-user", "--user-name", user)


def test_roles_trust_policies_and_role_policies(cli):
    role = name("Reader")
    created = cli("create-role", "--role-name", role, "--path", "/svc/",
                  "--assume-role-policy-document", json.dumps(TRUST),
                  "--description", "reads", "--max-session-duration", "7200")["Role"]
    assert created["RoleId"].startswith("AROA")
    assert created["Arn"].endswith(f":role/svc/{role}")
    assert created["MaxSessionDuration"] == 7200
    got = cli("get-role", "--role-name", role)["Role"]
    assert got["AssumeRolePolicyDocument"] == TRUST and got["Description"] == "reads"
    narrowed = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": got["Arn"].split(":role/")[0] + ":root"},
         "Action": "sts:AssumeRole"}]}
    cli("update-assume-role-policy", "--role-name", role, "--policy-document",
        json.dumps(narrowed))
    assert cli("get-role", "--role-name", role)["Role"]["AssumeRolePolicyDocument"] == narrowed
    assert role in [r["RoleName"] for r in cli("list-roles", "--path-prefix", "/svc/")["Roles"]]
    cli("put-role-policy", "--role-name", role, "--policy-name", "r",
        "--policy-document", json.dumps(ALLOW_S3))
    assert cli("get-role-policy", "--role-name", role, "--policy-name", "r")[
        "PolicyDocument"] == ALLOW_S3
    assert cli("list-role-policies", "--role-name", role)["PolicyNames"] == ["r"]
    assert "DeleteConflict" in cli.err("delete-role", "--role-name", role)
    cli("delete-role-policy", "--role-name", role, "--policy-name", "r")
    assert "ValidationError" in cli.err(
        "create-role", "--role-name", name("x"), "--assume-role-policy-document",
        json.dumps(TRUST), "--max-session-duration", "50000")
    cli("delete-role", "--role-name", role)
    assert "NoSuchEntity" in cli.err("get-role", "--role-name", role)


def test_account_summary(cli):
    before = cli("get-account-summary")["SummaryMap"]
    user = name("sum")
    cli("create-user", "--user-name", user)
    after = cli("get-account-summary")["SummaryMap"]
    assert after["Users"] == before["Users"] + 1
    assert after["AccessKeysPerUserQuota"] == 2
    cli("delete-user", "--user-name", user)


def test_errors_are_iam_error_documents(server):
    response = raw_iam(server, server.access_key, server.secret_key,
                       {"Action": "GetUser", "Version": "2010-05-08", "UserName": "nobody-x"})
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == f"{IAM_NS}ErrorResponse"
    assert root.find(f"{IAM_NS}Error/{IAM_NS}Type").text == "Sender"
    assert root.find(f"{IAM_NS}Error/{IAM_NS}Code").text == "NoSuchEntity"
    assert "nobody-x" in root.find(f"{IAM_NS}Error/{IAM_NS}Message").text
    assert root.find(f"{IAM_NS}RequestId").text

    unknown = raw_iam(server, server.access_key, server.secret_key,
                      {"Action": "FlyToTheMoon", "Version": "2010-05-08"})
    assert unknown.status_code == 400
    assert ET.fromstring(unknown.content).find(f"{IAM_NS}Error/{IAM_NS}Code").text == \
        "InvalidAction"

    sts = raw_iam(server, server.access_key, server.secret_key,
                  {"Action": "AssumeRoleWithSAML", "Version": "2011-06-15"}, service="sts")
    assert sts.status_code == 400
    assert b"InvalidAction" in sts.content and b"sts.amazonaws.com" in sts.content  # not served

    forged = raw_iam(server, server.access_key, "wrong" * 8,
                     {"Action": "ListUsers", "Version": "2010-05-08"})
    assert forged.status_code == 403
    assert b"SignatureDoesNotMatch" in forged.content

    ok = raw_iam(server, server.access_key, server.secret_key,
                 {"Action": "ListUsers", "Version": "2010-05-08"})
    assert ok.status_code == 200
    root = ET.fromstring(ok.content)
    assert root.tag == f"{IAM_NS}ListUsersResponse"
    assert root.find(f"{IAM_NS}ListUsersResult/{IAM_NS}IsTruncated").text in ("true", "false")
    assert root.find(f"{IAM_NS}ResponseMetadata/{IAM_NS}RequestId").text


def test_boto3_pages_through_users(iam, server):
    path = f"/paging{uuid.uuid4().hex[:6]}/"
    names = sorted(name(f"u{i}") for i in range(5))
    for user in names:
        iam.create_user(UserName=user, Path=path)
    first = iam.list_users(PathPrefix=path, MaxItems=2)
    assert first["IsTruncated"] and len(first["Users"]) == 2 and first["Marker"]
    pages = list(iam.get_paginator("list_users").paginate(
        PathPrefix=path, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert [u["UserName"] for p in pages for u in p["Users"]] == names
    bad = raw_iam(server, server.access_key, server.secret_key,
                  {"Action": "ListUsers", "Version": "2010-05-08", "MaxItems": "0"})
    assert bad.status_code == 400 and b"<Code>ValidationError</Code>" in bad.content
    marker = raw_iam(server, server.access_key, server.secret_key,
                     {"Action": "ListUsers", "Version": "2010-05-08", "Marker": "zz"})
    assert marker.status_code == 400 and b"<Code>InvalidInput</Code>" in marker.content
    for user in names:
        iam.delete_user(UserName=user)


def test_a_user_manages_only_its_own_keys(cli, server, iam):
    user = name("self")
    cli("create-user", "--user-name", user)
    key = cli("create-access-key", "--user-name", user)["AccessKey"]
    own = iam_client(server, key["AccessKeyId"], key["SecretAccessKey"], region="eu-west-1")
    assert own.get_user()["User"]["UserName"] == user
    assert [k["AccessKeyId"] for k in own.list_access_keys()["AccessKeyMetadata"]] == [
        key["AccessKeyId"]]
    extra = own.create_access_key()["AccessKey"]
    own.update_access_key(AccessKeyId=extra["AccessKeyId"], Status="Inactive")
    own.delete_access_key(AccessKeyId=extra["AccessKeyId"])
    for call, kwargs in [
        (own.create_user, {"UserName": name("no")}),
        (own.list_users, {}),
        (own.get_user, {"UserName": "root"}),
        (own.list_access_keys, {"UserName": "root"}),
    ]:
        with pytest.raises(ClientError) as denied:
            call(**kwargs)
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
        assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=user)


def test_s3_still_refuses_a_request_signed_for_another_service(server):
    request = AWSRequest(method="GET", url=server.endpoint + "/", headers={})
    request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
    SigV4Auth(Credentials(server.access_key, server.secret_key), "ec2", "us-east-1").add_auth(
        request)
    response = requests.get(server.endpoint + "/", headers=dict(request.headers), timeout=30)
    assert response.status_code == 400
    assert b"AuthorizationHeaderMalformed" in response.content


def admin_json(server, *args):
    return json.loads(server.admin(*args).stdout)


def test_admin_cli_manages_the_same_identities(server, cli, tmp_path):
    user = name("cli")
    group = name("grp")
    role = name("role")
    policy_name = name("pol")
    document = tmp_path / "policy.json"
    document.write_text(json.dumps(ALLOW_S3))
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps(TRUST))

    server.admin("user", "add", user)
    listed = admin_json(server, "user", "list")
    assert {"root", user} <= {u["user"] for u in listed}
    assert next(u for u in listed if u["user"] == user)["arn"].endswith(f":user/{user}")
    key = admin_json(server, "key", "create", user)["access_key_id"]
    server.admin("key", "deactivate", key)
    assert next(k for k in admin_json(server, "key", "list")
                if k["access_key_id"] == key)["status"] == "Inactive"
    # The API sees what the CLI did, and the other way round.
    assert cli("list-access-keys", "--user-name", user)["AccessKeyMetadata"][0]["Status"] == \
        "Inactive"
    server.admin("key", "activate", key)
    refused = server.admin("user", "delete", user, check=False)
    assert refused.returncode == 1 and "DeleteConflict" in refused.stderr

    server.admin("group", "create", group)
    server.admin("group", "add-user", group, user)
    assert next(g for g in admin_json(server, "group", "list")
                if g["group"] == group)["users"] == [user]
    assert [u["UserName"] for u in cli("get-group", "--group-name", group)["Users"]] == [user]

    created = admin_json(server, "policy", "create", policy_name, "--file", str(document))
    assert created["arn"].endswith(f":policy/{policy_name}")
    server.admin("policy", "attach", policy_name, "--group", group)
    assert cli("list-attached-group-policies", "--group-name", group)["AttachedPolicies"][0][
        "PolicyName"] == policy_name
    assert next(p for p in admin_json(server, "policy", "list")
                if p["policy"] == policy_name)["attachments"] == 1
    assert "DeleteConflict" in server.admin("policy", "delete", policy_name, check=False).stderr
    server.admin("policy", "detach", policy_name, "--group", group)

    server.admin("user", "policy", "put", user, "own", "--file", str(document))
    assert json.loads(server.admin("user", "policy", "get", user, "own").stdout) == ALLOW_S3
    assert admin_json(server, "user", "policy", "list", user) == ["own"]
    assert cli("get-user-policy", "--user-name", user, "--policy-name", "own")[
        "PolicyDocument"] == ALLOW_S3
    server.admin("user", "policy", "delete", user, "own")

    made = admin_json(server, "role", "create", role, "--trust-file", str(trust),
                      "--max-session", "7200")
    assert made["id"].startswith("AROA")
    server.admin("role", "policy", "put", role, "r", "--file", str(document))
    shown = admin_json(server, "role", "get", role)
    assert json.loads(shown["trust_policy"]) == TRUST
    assert shown["max_session_seconds"] == 7200
    assert shown["policies"] == ["role inline policy 'r'"]
    assert cli("get-role", "--role-name", role)["Role"]["MaxSessionDuration"] == 7200
    assert "DeleteConflict" in server.admin("role", "delete", role, check=False).stderr
    server.admin("role", "policy", "delete", role, "r")
    server.admin("role", "delete", role)
    assert role not in [r["role"] for r in admin_json(server, "role", "list")]

    bad = server.admin("policy", "create", name("bad"), "--file", str(trust.parent / "missing"),
                       check=False)
    assert bad.returncode != 0

    server.admin("group", "remove-user", group, user)
    server.admin("group", "delete", group)
    server.admin("policy", "delete", policy_name)
    server.admin("key", "delete", key)
    server.admin("user", "delete", user)
    assert user not in [u["user"] for u in admin_json(server, "user", "list")]
