"""Identity policies doing real work (issue 14): a least-privilege user confined to its own
prefix by `${aws:username}`, with the aws CLI and boto3, and s3:ExistingObjectTag/<key>
deciding reads by the stored object's tags."""

import json
import os
import subprocess
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cvharness import make_client

AWS_BIN = "/usr/bin/aws"


def error_code(call, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def iam(server):
    return boto3.session.Session(
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
    ).client("iam", endpoint_url=server.endpoint,
             config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def new_user(iam, server, document):
    """An IAM user governed by `document` (a dict with ${aws:username} left for the server)."""
    name = f"lp-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="scoped", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return name, key["AccessKeyId"], key["SecretAccessKey"]


def home_policy(bucket):
    """The AWS documentation's "home folder" policy: list and use home/<username>/ only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListOwnHome",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*",
                                                           "home/${aws:username}/"]}},
            },
            {
                "Sid": "UseOwnHome",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": f"arn:aws:s3:::{bucket}/home/${{aws:username}}/*",
            },
        ],
    }


@pytest.fixture(scope="module")
def shared_bucket(server):
    root = make_client(server.endpoint, server.access_key, server.secret_key)
    bucket = f"homes-{uuid.uuid4().hex[:8]}"
    root.create_bucket(Bucket=bucket)
    root.put_object(Bucket=bucket, Key="home/someone-else/secret.txt", Body=b"not yours")
    root.put_object(Bucket=bucket, Key="top.txt", Body=b"top")
    return bucket


def test_a_user_limited_by_aws_username_reads_and_writes_only_its_home(
        server, iam, shared_bucket, tmp_path):
    name, access_key, secret_key = new_user(iam, server, home_policy(shared_bucket))
    s3 = make_client(server.endpoint, access_key, secret_key)
    home = f"home/{name}/"

    s3.put_object(Bucket=shared_bucket, Key=home + "notes.txt", Body=b"mine")
    assert s3.get_object(Bucket=shared_bucket, Key=home + "notes.txt")["Body"].read() == b"mine"
    listed = s3.list_objects_v2(Bucket=shared_bucket, Prefix=home)
    assert [o["Key"] for o in listed["Contents"]] == [home + "notes.txt"]

    # Everything outside the home folder is refused: reads, writes, listings, deletes.
    assert error_code(s3.get_object, Bucket=shared_bucket,
                      Key="home/someone-else/secret.txt") == "AccessDenied"
    assert error_code(s3.put_object, Bucket=shared_bucket, Key="home/someone-else/x",
                      Body=b"x") == "AccessDenied"
    assert error_code(s3.put_object, Bucket=shared_bucket, Key="top-level.txt",
                      Body=b"x") == "AccessDenied"
    assert error_code(s3.list_objects_v2, Bucket=shared_bucket) == "AccessDenied"
    assert error_code(s3.list_objects_v2, Bucket=shared_bucket,
                      Prefix="home/someone-else/") == "AccessDenied"
    assert error_code(s3.delete_object, Bucket=shared_bucket, Key="top.txt") == "AccessDenied"
    # A missing key is 404 only for a caller allowed s3:ListBucket on the bucket; this one is
    # allowed listing only with an s3:prefix, which a GET does not carry: 403, as on AWS.
    assert error_code(s3.get_object, Bucket=shared_bucket, Key=home + "absent") == "AccessDenied"
    # No bucket creation or other buckets for a user whose policies do not allow it.
    assert error_code(s3.create_bucket, Bucket=f"lp-own-{uuid.uuid4().hex[:8]}") == "AccessDenied"

    # The same with the aws CLI: cp into the home folder works, ls of it works, elsewhere not.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": ""})
    local = tmp_path / "upload.txt"
    local.write_bytes(b"from the cli")

    def aws(*args):
        return subprocess.run([AWS_BIN, "--endpoint-url", server.endpoint, *args],
                              capture_output=True, text=True, env=env, timeout=120)

    done = aws("s3", "cp", str(local), f"s3://{shared_bucket}/{home}cli.txt")
    assert done.returncode == 0, done.stderr
    shown = aws("s3", "ls", f"s3://{shared_bucket}/{home}")
    assert shown.returncode == 0 and "cli.txt" in shown.stdout and "notes.txt" in shown.stdout
    refused = aws("s3", "cp", str(local), f"s3://{shared_bucket}/elsewhere.txt")
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr
    refused = aws("s3", "ls", f"s3://{shared_bucket}/")
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr


def test_two_users_with_the_same_policy_stay_apart(server, iam, shared_bucket):
    first, key1, secret1 = new_user(iam, server, home_policy(shared_bucket))
    second, key2, secret2 = new_user(iam, server, home_policy(shared_bucket))
    one = make_client(server.endpoint, key1, secret1)
    two = make_client(server.endpoint, key2, secret2)
    one.put_object(Bucket=shared_bucket, Key=f"home/{first}/a", Body=b"1")
    assert error_code(two.get_object, Bucket=shared_bucket, Key=f"home/{first}/a") == "AccessDenied"
    assert error_code(two.delete_object, Bucket=shared_bucket,
                      Key=f"home/{first}/a") == "AccessDenied"
    two.put_object(Bucket=shared_bucket, Key=f"home/{second}/a", Body=b"2")
    assert one.get_object(Bucket=shared_bucket, Key=f"home/{first}/a")["Body"].read() == b"1"


def test_existing_object_tags_decide_reads(server, iam, shared_bucket):
    root = make_client(server.endpoint, server.access_key, server.secret_key)
    root.put_object(Bucket=shared_bucket, Key="tagged/blue.txt", Body=b"blue",
                    Tagging="team=blue")
    root.put_object(Bucket=shared_bucket, Key="tagged/red.txt", Body=b"red", Tagging="team=red")
    root.put_object(Bucket=shared_bucket, Key="tagged/none.txt", Body=b"none")
    document = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectTagging"],
            "Resource": f"arn:aws:s3:::{shared_bucket}/tagged/*",
            "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "blue"}},
        }],
    }
    _, access_key, secret_key = new_user(iam, server, document)
    s3 = make_client(server.endpoint, access_key, secret_key)
    assert s3.get_object(Bucket=shared_bucket, Key="tagged/blue.txt")["Body"].read() == b"blue"
    assert s3.get_object_tagging(Bucket=shared_bucket, Key="tagged/blue.txt")["TagSet"] == [
        {"Key": "team", "Value": "blue"}]
    assert error_code(s3.get_object, Bucket=shared_bucket, Key="tagged/red.txt") == "AccessDenied"
    assert error_code(s3.get_object, Bucket=shared_bucket, Key="tagged/none.txt") == "AccessDenied"
    # Retagging the object changes the answer at once.
    root.put_object_tagging(Bucket=shared_bucket, Key="tagged/red.txt",
                            Tagging={"TagSet": [{"Key": "team", "Value": "blue"}]})
    assert s3.get_object(Bucket=shared_bucket, Key="tagged/red.txt")["Body"].read() == b"red"
