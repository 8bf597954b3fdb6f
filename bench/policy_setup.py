"""Sets up the policy phase of bench/run.sh (measure_policy): an IAM user governed by a
10-statement inline policy and a 20-statement bucket policy on BUCKET, shaped like real ones
(wildcards, conditions, a ${aws:username} variable, Deny statements that do not apply). The
request the phase makes (s3:GetObject on BUCKET/small/*) is allowed by the user policy's last
statement, so every statement of both policies is looked at. Prints the user's keys as JSON.

usage: policy_setup.py ENDPOINT BUCKET [--remove]   (root keys in $CLOUDVAULT_ROOT_ACCESS_KEY /
_SECRET_KEY); --remove deletes the bucket policy again (the owner-only run after the governed one).
"""

import json
import os
import sys

import boto3
from botocore.config import Config


def main():
    endpoint, bucket = sys.argv[1], sys.argv[2]
    session = boto3.session.Session(
        aws_access_key_id=os.environ["CLOUDVAULT_ROOT_ACCESS_KEY"],
        aws_secret_access_key=os.environ["CLOUDVAULT_ROOT_SECRET_KEY"],
        region_name="us-east-1",
    )
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    iam = session.client("iam", endpoint_url=endpoint, config=config)
    s3 = session.client("s3", endpoint_url=endpoint, config=config)
    if sys.argv[3:] == ["--remove"]:
        s3.delete_bucket_policy(Bucket=bucket)
        return

    user = "bench-reader"
    arn = iam.create_user(UserName=user)["User"]["Arn"]
    key = iam.create_access_key(UserName=user)["AccessKey"]
    account = arn.split(":")[4]

    user_statements = [
        {"Sid": f"Other{i}", "Effect": "Allow",
         "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
         "Resource": f"arn:aws:s3:::team-{i}-*/projects/*"}
        for i in range(6)
    ] + [
        {"Sid": "DenyOutsideOffice", "Effect": "Deny", "Action": "s3:PutObject",
         "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}}},
        {"Sid": "Home", "Effect": "Allow", "Action": "s3:*",
         "Resource": f"arn:aws:s3:::{bucket}/home/${{aws:username}}/*"},
        {"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}},
        {"Sid": "ReadSmall", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
         "Resource": f"arn:aws:s3:::{bucket}/small/*"},
    ]
    iam.put_user_policy(UserName=user, PolicyName="bench",
                        PolicyDocument=json.dumps({"Version": "2012-10-17",
                                                   "Statement": user_statements}))

    bucket_statements = []
    for i in range(16):
        bucket_statements.append({
            "Sid": f"Partner{i}", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:user/partner-{i}"},
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::{bucket}/partners/{i}/*",
        })
    bucket_statements += [
        {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"},
                       "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
        {"Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Principal": "*",
         "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}},
        {"Sid": "Auditors", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{account}:role/auditor"},
         "Action": ["s3:GetObject*", "s3:ListBucket*"],
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]},
        {"Sid": "DenyOldTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}}},
    ]
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17",
                                                           "Statement": bucket_statements}))
    print(json.dumps({"access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"],
                      "user_statements": len(user_statements),
                      "bucket_statements": len(bucket_statements)}))


if __name__ == "__main__":
    main()
