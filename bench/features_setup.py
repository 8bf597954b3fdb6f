"""Sets up the "features on" half of bench/run.sh's measure_features (issue 16): on BUCKET,
versioning, a replication rule into REPLICA (versioned), a notification rule for every created
object to the server's [notify.targets.sink], a 20-statement bucket policy, and an IAM user
governed by a 10-statement inline policy whose last statement allows s3:PutObject and
s3:GetObject on BUCKET/small/* (so every statement of both policies is looked at). With --off,
only versioning on BUCKET (the same object model without any of the features). Prints the
keys the phase signs with as JSON.

usage: features_setup.py ENDPOINT BUCKET REPLICA [--off]   (root keys in
$CLOUDVAULT_ROOT_ACCESS_KEY / _SECRET_KEY)
"""

import json
import os
import sys

import boto3
from botocore.config import Config


def main():
    endpoint, bucket, replica = sys.argv[1], sys.argv[2], sys.argv[3]
    root_key = os.environ["CLOUDVAULT_ROOT_ACCESS_KEY"]
    root_secret = os.environ["CLOUDVAULT_ROOT_SECRET_KEY"]
    session = boto3.session.Session(aws_access_key_id=root_key,
                                    aws_secret_access_key=root_secret, region_name="us-east-1")
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    iam = session.client("iam", endpoint_url=endpoint, config=config)
    s3 = session.client("s3", endpoint_url=endpoint, config=config)
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    if sys.argv[4:] == ["--off"]:
        print(json.dumps({"access_key": root_key, "secret_key": root_secret}))
        return

    s3.create_bucket(Bucket=replica)
    s3.put_bucket_versioning(Bucket=replica, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(Bucket=bucket, ReplicationConfiguration={
        "Role": "arn:aws:iam::000000000000:role/replication",
        "Rules": [{"ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
                   "DeleteMarkerReplication": {"Status": "Disabled"},
                   "Destination": {"Bucket": f"arn:aws:s3:::{replica}"}}]})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"Id": "bench", "QueueArn": "arn:aws:sqs:us-east-1:000000000000:sink",
                                 "Events": ["s3:ObjectCreated:*"]}]})

    user = "bench-writer"
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
        {"Sid": "Small", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": f"arn:aws:s3:::{bucket}/small/*"},
    ]
    iam.put_user_policy(UserName=user, PolicyName="bench",
                        PolicyDocument=json.dumps({"Version": "2012-10-17",
                                                   "Statement": user_statements}))
    bucket_statements = [{
        "Sid": f"Partner{i}", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:user/partner-{i}"},
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": f"arn:aws:s3:::{bucket}/partners/{i}/*",
    } for i in range(17)]
    bucket_statements += [
        {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"},
                       "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
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
