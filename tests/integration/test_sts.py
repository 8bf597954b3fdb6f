"""STS on the S3 port (issue 14): `aws sts assume-role`, `get-session-token` and
`get-caller-identity` with the aws CLI and boto3 against the real server, and the temporary
credentials they hand out used for S3 as the CLI and boto3 use them (x-amz-security-token in
the header, X-Amz-Security-Token in a presigned URL). Expiry to the nanosecond is covered by
tests/unit/iam/session_issuer_test.cc with a manual clock."""

import datetime
import json
import os
import subprocess
import uuid

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

AWS_BIN = "/usr/bin/aws"
ACCOUNT_ARN_PREFIX = "arn:aws:iam::"


def name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def session_of(access_key, secret_key, token=None):
    return boto3.session.Session(
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=token,
        region_name="us-east-1",
    )


def client(server, service, access_key, secret_key, token=None, validate=True):
    """A boto3 client; validate=False sends what botocore would refuse, for the server to judge."""
    return session_of(access_key, secret_key, token).client(
        service,
        endpoint_url=server.endpoint,
        config=Config(
            signature_version="s3v4" if service == "s3" else None,
            s3={"addressing_style": "path"},
            retries={"total_max_attempts": 1, "mode": "standard"},
            parameter_validation=validate,
        ),
    )


def s3_with(server, credentials):
    return client(server, "s3", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                  credentials["SessionToken"])


def cli(server, access_key, secret_key, *args, token=None):
    """`aws <args>` as the given credentials; returns (returncode, parsed JSON or None, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    if token:
        env["AWS_SESSION_TOKEN"] = token
    result = subprocess.run(
        [AWS_BIN, "--endpoint-url", server.endpoint, "--output", "json", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    parsed = json.loads(result.stdout) if result.stdout.strip() else None
    return result.returncode, parsed, result.stderr


def error_code(call, *args, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"]


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal_arn, condition=None):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal_arn},
                 "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return policy(statement)


@pytest.fixture(scope="module")
def iam(server):
    return client(server, "iam", server.access_key, server.secret_key)


@pytest.fixture(scope="module")
def root_s3(server):
    return client(server, "s3", server.access_key, server.secret_key)


@pytest.fixture(scope="module")
def data(root_s3):
    """A bucket of the root user with one object."""
    bucket = name("sts")
    root_s3.create_bucket(Bucket=bucket)
    root_s3.put_object(Bucket=bucket, Key="docs/a.txt", Body=b"alpha")
    return bucket


@pytest.fixture()
def user(iam):
    """A fresh IAM user with one key: (name, arn, access key, secret)."""
    user_name = name("u")
    arn = iam.create_user(UserName=user_name)["User"]["Arn"]
    key = iam.create_access_key(UserName=user_name)["AccessKey"]
    return user_name, arn, key["AccessKeyId"], key["SecretAccessKey"]


def make_role(iam, trust_policy, role_policy, max_seconds=3600):
    role_name = name("role")
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust_policy,
                           MaxSessionDuration=max_seconds)["Role"]
    iam.put_role_policy(RoleName=role_name, PolicyName="access", PolicyDocument=role_policy)
    return role_name, role["Arn"]


def read_only(bucket):
    return policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                   "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]})


def test_assume_role_with_the_cli_gives_credentials_the_cli_and_boto3_use(server, iam, data, user):
    _, user_arn, access_key, secret_key = user
    _, role_arn = make_role(iam, trust(user_arn), read_only(data))
    code, out, stderr = cli(server, access_key, secret_key, "sts", "assume-role",
                            "--role-arn", role_arn, "--role-session-name", "nightly",
                            "--duration-seconds", 900)
    assert code == 0, stderr
    credentials = out["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert out["AssumedRoleUser"]["Arn"].endswith(f":assumed-role/{role_arn.split('/')[-1]}/nightly")
    assert out["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    expires = datetime.datetime.fromisoformat(credentials["Expiration"].replace("Z", "+00:00"))
    remaining = expires - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(seconds=880) < remaining <= datetime.timedelta(seconds=901)

    # The aws CLI with AWS_SESSION_TOKEN: the role may read, not write.
    code, listed, stderr = cli(server, credentials["AccessKeyId"], credentials["SecretAccessKey"],
                               "s3api", "list-objects-v2", "--bucket", data,
                               token=credentials["SessionToken"])
    assert code == 0, stderr
    assert [o["Key"] for o in listed["Contents"]] == ["docs/a.txt"]
    code, _, stderr = cli(server, credentials["AccessKeyId"], credentials["SecretAccessKey"],
                          "s3api", "put-object", "--bucket", data, "--key", "x",
                          token=credentials["SessionToken"])
    assert code != 0 and "AccessDenied" in stderr

    # boto3 with aws_session_token, and a presigned URL carrying X-Amz-Security-Token.
    s3 = s3_with(server, credentials)
    assert s3.get_object(Bucket=data, Key="docs/a.txt")["Body"].read() == b"alpha"
    assert error_code(s3.put_object, Bucket=data, Key="x", Body=b"no") == "AccessDenied"
    url = s3.generate_presigned_url("get_object", Params={"Bucket": data, "Key": "docs/a.txt"},
                                    ExpiresIn=300)
    assert "X-Amz-Security-Token=" in url
    assert requests.get(url, timeout=30).content == b"alpha"
    # The same key with a token of nobody's making is refused.
    forged = s3_with(server, dict(credentials, SessionToken=credentials["SessionToken"][:-8] + "AAAAAAA="))
    assert error_code(forged.get_object, Bucket=data, Key="docs/a.txt") in (
        "InvalidToken", "InvalidAccessKeyId")


def test_caller_identity_of_root_a_user_and_a_role_session(server, iam, data, user):
    user_name, user_arn, access_key, secret_key = user
    root = client(server, "sts", server.access_key, server.secret_key).get_caller_identity()
    assert root["Arn"].endswith(":root") and root["UserId"] == root["Account"]
    own = client(server, "sts", access_key, secret_key).get_caller_identity()
    assert own["Arn"] == user_arn and own["UserId"].startswith("AIDA")
    assert own["Account"] == root["Account"]
    role_name, role_arn = make_role(iam, trust(user_arn), read_only(data))
    assumed = client(server, "sts", access_key, secret_key).assume_role(
        RoleArn=role_arn, RoleSessionName="who")
    credentials = assumed["Credentials"]
    session = client(server, "sts", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                     credentials["SessionToken"]).get_caller_identity()
    assert session["Arn"] == assumed["AssumedRoleUser"]["Arn"]
    assert session["Arn"] == f"arn:aws:sts::{root['Account']}:assumed-role/{role_name}/who"
    assert session["UserId"] == assumed["AssumedRoleUser"]["AssumedRoleId"]


def test_a_trust_policy_that_does_not_name_the_caller_refuses(server, iam, data, user):
    _, _, access_key, secret_key = user
    other = iam.create_user(UserName=name("other"))["User"]["Arn"]
    _, role_arn = make_role(iam, trust(other), read_only(data))
    code, _, stderr = cli(server, access_key, secret_key, "sts", "assume-role",
                          "--role-arn", role_arn, "--role-session-name", "s1")
    assert code != 0
    assert "AccessDenied" in stderr and "is not authorized to perform: sts:AssumeRole" in stderr
    # Root may not assume roles at all, as on AWS.
    sts_root = client(server, "sts", server.access_key, server.secret_key)
    assert error_code(sts_root.assume_role, RoleArn=role_arn, RoleSessionName="s1") == "AccessDenied"


def test_an_external_id_condition_and_the_parameter_limits(server, iam, data, user):
    _, user_arn, access_key, secret_key = user
    _, role_arn = make_role(iam, trust(user_arn, {"StringEquals": {"sts:ExternalId": "cloudproof-7"}}),
                            read_only(data), max_seconds=7200)
    sts = client(server, "sts", access_key, secret_key, validate=False)
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1") == "AccessDenied"
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                      ExternalId="guess") == "AccessDenied"
    code, out, stderr = cli(server, access_key, secret_key, "sts", "assume-role", "--role-arn",
                            role_arn, "--role-session-name", "s1", "--external-id", "cloudproof-7",
                            "--duration-seconds", 7200)
    assert code == 0, stderr
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                      ExternalId="cloudproof-7", DurationSeconds=7201) == "ValidationError"
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                      ExternalId="cloudproof-7", DurationSeconds=899) == "ValidationError"
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="bad name",
                      ExternalId="cloudproof-7") == "ValidationError"


def test_a_session_policy_narrows_what_the_role_allows(server, iam, data, user):
    _, user_arn, access_key, secret_key = user
    everything = policy({"Effect": "Allow", "Action": "s3:*",
                         "Resource": [f"arn:aws:s3:::{data}", f"arn:aws:s3:::{data}/*"]})
    _, role_arn = make_role(iam, trust(user_arn), everything)
    sts = client(server, "sts", access_key, secret_key)
    # Without a session policy the role writes.
    wide = s3_with(server, sts.assume_role(RoleArn=role_arn, RoleSessionName="wide")["Credentials"])
    wide.put_object(Bucket=data, Key="wide.txt", Body=b"w")
    narrowed = sts.assume_role(
        RoleArn=role_arn, RoleSessionName="narrow",
        Policy=policy({"Effect": "Allow", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{data}/docs/*"}))
    assert 0 < narrowed["PackedPolicySize"] <= 100
    narrow = s3_with(server, narrowed["Credentials"])
    assert narrow.get_object(Bucket=data, Key="docs/a.txt")["Body"].read() == b"alpha"
    assert error_code(narrow.get_object, Bucket=data, Key="wide.txt") == "AccessDenied"
    assert error_code(narrow.put_object, Bucket=data, Key="n.txt", Body=b"n") == "AccessDenied"
    assert error_code(sts.assume_role, RoleArn=role_arn, RoleSessionName="bad",
                      Policy="{not json") == "MalformedPolicyDocument"


def test_deleting_the_role_stops_its_sessions(server, iam, data, user):
    _, user_arn, access_key, secret_key = user
    role_name, role_arn = make_role(iam, trust(user_arn), read_only(data))
    credentials = client(server, "sts", access_key, secret_key).assume_role(
        RoleArn=role_arn, RoleSessionName="doomed")["Credentials"]
    s3 = s3_with(server, credentials)
    assert s3.get_object(Bucket=data, Key="docs/a.txt")["Body"].read() == b"alpha"
    iam.delete_role_policy(RoleName=role_name, PolicyName="access")
    iam.delete_role(RoleName=role_name)
    assert error_code(s3.get_object, Bucket=data, Key="docs/a.txt") == "InvalidAccessKeyId"
    # Created again under the same name, the role does not revive the old session.
    make_role_again = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust(user_arn))
    assert make_role_again["Role"]["RoleId"] != role_arn
    iam.put_role_policy(RoleName=role_name, PolicyName="access", PolicyDocument=read_only(data))
    assert error_code(s3.get_object, Bucket=data, Key="docs/a.txt") == "InvalidAccessKeyId"


def test_get_session_token_acts_as_the_user_until_the_user_is_deleted(server, iam, data, user):
    user_name, user_arn, access_key, secret_key = user
    iam.put_user_policy(UserName=user_name, PolicyName="read", PolicyDocument=read_only(data))
    code, out, stderr = cli(server, access_key, secret_key, "sts", "get-session-token",
                            "--duration-seconds", 900)
    assert code == 0, stderr
    credentials = out["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    s3 = s3_with(server, credentials)
    assert s3.get_object(Bucket=data, Key="docs/a.txt")["Body"].read() == b"alpha"
    assert error_code(s3.put_object, Bucket=data, Key="s.txt", Body=b"s") == "AccessDenied"
    session_sts = client(server, "sts", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                         credentials["SessionToken"])
    assert session_sts.get_caller_identity()["Arn"] == user_arn
    assert error_code(session_sts.get_session_token) == "AccessDenied"
    sts = client(server, "sts", access_key, secret_key, validate=False)
    assert error_code(sts.get_session_token, DurationSeconds=129601) == "ValidationError"

    iam.delete_user_policy(UserName=user_name, PolicyName="read")
    iam.delete_access_key(UserName=user_name, AccessKeyId=access_key)
    iam.delete_user(UserName=user_name)
    assert error_code(s3.get_object, Bucket=data, Key="docs/a.txt") == "InvalidAccessKeyId"


def test_unknown_sts_actions_and_anonymous_callers(server):
    response = requests.post(server.endpoint + "/", data={"Action": "GetCallerIdentity",
                                                          "Version": "2011-06-15"}, timeout=30)
    # Unsigned: not an STS request at all for the front door, so S3 answers it.
    assert response.status_code in (400, 403, 405)
    sts = client(server, "sts", server.access_key, server.secret_key)
    assert error_code(sts.decode_authorization_message, EncodedMessage="x") == "InvalidAction"
