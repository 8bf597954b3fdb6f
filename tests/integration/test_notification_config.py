"""Put/GetBucketNotificationConfiguration through boto3 and the aws CLI.

Until notification targets come from the server's configuration ([notify.targets.NAME]), the
server knows no target: a configuration naming one is refused as AWS refuses a destination it
cannot validate, and is stored only with x-amz-skip-destination-validation (boto3's
SkipDestinationValidation, the CLI's --skip-destination-validation), which the round-trip
tests below use.
"""

import json

import pytest
from botocore.exceptions import ClientError

HOOK_TOPIC = "arn:aws:sns:us-east-1:000000000000:hook"
MAIL_QUEUE = "arn:aws:sqs:us-east-1:000000000000:mail"
THUMBS_FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:thumbs"
UNVALIDATED = "Unable to validate the following destination configurations"
OVERLAP = (
    "Configurations overlap. Configurations on the same bucket cannot share a common event type."
)


def configuration_of(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def error_of(excinfo):
    return excinfo.value.response["Error"]


def put_skipping_validation(s3, bucket, config):
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration=config, SkipDestinationValidation=True
    )


def test_a_new_bucket_has_an_empty_configuration(s3, bucket, raw):
    assert configuration_of(s3.get_bucket_notification_configuration(Bucket=bucket)) == {}
    response = raw.request("GET", bucket, query=[("notification", None)])
    assert response.status == 200
    assert response.body.decode().endswith(
        '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>'
    )


def test_an_unknown_target_is_refused_as_aws_refuses_it(s3, bucket):
    config = {
        "TopicConfigurations": [
            {"Id": "uploads", "TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectCreated:*"]}
        ]
    }
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert error_of(excinfo)["Message"] == UNVALIDATED
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert configuration_of(s3.get_bucket_notification_configuration(Bucket=bucket)) == {}


def test_round_trip_of_every_kind_with_filters(s3, bucket):
    config = {
        "TopicConfigurations": [
            {
                "Id": "photos",
                "TopicArn": HOOK_TOPIC,
                "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"],
                "Filter": {
                    "Key": {
                        "FilterRules": [
                            {"Name": "Prefix", "Value": "photos/"},
                            {"Name": "Suffix", "Value": ".jpg"},
                        ]
                    }
                },
            }
        ],
        "QueueConfigurations": [
            {"Id": "removals", "QueueArn": MAIL_QUEUE, "Events": ["s3:ObjectRemoved:*"]}
        ],
        "LambdaFunctionConfigurations": [
            {
                "Id": "thumbs",
                "LambdaFunctionArn": THUMBS_FUNCTION,
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "raw/"}]}},
            }
        ],
    }
    put_skipping_validation(s3, bucket, config)
    got = configuration_of(s3.get_bucket_notification_configuration(Bucket=bucket))
    assert got["TopicConfigurations"] == config["TopicConfigurations"]
    assert got["QueueConfigurations"] == config["QueueConfigurations"]
    # Filter rule names come back as S3 writes them.
    assert got["LambdaFunctionConfigurations"] == [
        {
            "Id": "thumbs",
            "LambdaFunctionArn": THUMBS_FUNCTION,
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "raw/"}]}},
        }
    ]
    assert "EventBridgeConfiguration" not in got


def test_a_rule_without_id_gets_one(s3, bucket):
    put_skipping_validation(
        s3,
        bucket,
        {"QueueConfigurations": [{"QueueArn": MAIL_QUEUE, "Events": ["s3:ObjectCreated:*"]}]},
    )
    rules = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert len(rules) == 1
    assert len(rules[0]["Id"]) == 48


def test_event_bridge_configuration_is_kept(s3, bucket):
    put_skipping_validation(s3, bucket, {"EventBridgeConfiguration": {}})
    got = configuration_of(s3.get_bucket_notification_configuration(Bucket=bucket))
    assert got == {"EventBridgeConfiguration": {}}


def test_an_empty_configuration_removes_the_old_one(s3, bucket):
    put_skipping_validation(
        s3,
        bucket,
        {"TopicConfigurations": [{"TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectRemoved:*"]}]},
    )
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    assert configuration_of(s3.get_bucket_notification_configuration(Bucket=bucket)) == {}


def test_an_unknown_event_is_refused(s3, bucket):
    config = {"TopicConfigurations": [{"TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectCreated:*",
                                                                          "s3:ObjectMoved:*"]}]}
    with pytest.raises(ClientError) as excinfo:
        put_skipping_validation(s3, bucket, config)
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert error_of(excinfo)["Message"] == "The event is not supported for notifications"


def test_overlapping_rules_are_refused(s3, bucket):
    config = {
        "TopicConfigurations": [
            {"TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "photos/"}]}}},
        ],
        "QueueConfigurations": [
            {"QueueArn": MAIL_QUEUE, "Events": ["s3:ObjectCreated:Put"],
             "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "photos/2024/"}]}}},
        ],
    }
    with pytest.raises(ClientError) as excinfo:
        put_skipping_validation(s3, bucket, config)
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert error_of(excinfo)["Message"] == OVERLAP

    # Disjoint prefixes on the same events do not overlap.
    config["QueueConfigurations"][0]["Filter"]["Key"]["FilterRules"][0]["Value"] = "docs/"
    put_skipping_validation(s3, bucket, config)
    got = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert len(got["TopicConfigurations"]) == 1
    assert len(got["QueueConfigurations"]) == 1


def test_filter_rule_errors(s3, bucket):
    config = {"TopicConfigurations": [{"TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectCreated:*"],
                                       "Filter": {"Key": {"FilterRules": [
                                           {"Name": "Prefix", "Value": "a/"},
                                           {"Name": "prefix", "Value": "b/"}]}}}]}
    with pytest.raises(ClientError) as excinfo:
        put_skipping_validation(s3, bucket, config)
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert error_of(excinfo)["Message"] == "Cannot specify more than one prefix rule in a filter."


def test_malformed_xml_and_the_wrong_arn_service(raw, bucket):
    response = raw.request("PUT", bucket, query=[("notification", None)],
                           body=b"<NotificationConfiguration><Nope/></NotificationConfiguration>")
    assert response.status == 400
    assert b"<Code>MalformedXML</Code>" in response.body
    # An SNS topic ARN in a QueueConfiguration names no queue.
    body = (
        "<NotificationConfiguration><QueueConfiguration>"
        f"<Queue>{HOOK_TOPIC}</Queue><Event>s3:ObjectCreated:*</Event>"
        "</QueueConfiguration></NotificationConfiguration>"
    ).encode()
    response = raw.request("PUT", bucket, query=[("notification", None)], body=body,
                           headers={"x-amz-skip-destination-validation": "true"})
    assert response.status == 400
    assert b"<Code>InvalidArgument</Code>" in response.body
    assert UNVALIDATED.encode() in response.body
    assert f"<ArgumentName1>{HOOK_TOPIC}</ArgumentName1>".encode() in response.body


def test_only_the_bucket_owner(s3, bucket, other_user):
    with pytest.raises(ClientError) as excinfo:
        other_user.client.get_bucket_notification_configuration(Bucket=bucket)
    assert error_of(excinfo)["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as excinfo:
        other_user.client.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={}
        )
    assert error_of(excinfo)["Code"] == "AccessDenied"


def test_no_such_bucket(s3, unique_name):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_notification_configuration(Bucket=unique_name("missing"))
    assert error_of(excinfo)["Code"] == "NoSuchBucket"


def test_aws_cli_put_and_get(aws_cli, bucket, tmp_path):
    config = {
        "QueueConfigurations": [
            {
                "Id": "backup-receipts",
                "QueueArn": MAIL_QUEUE,
                "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
                "Filter": {"Key": {"FilterRules": [{"Name": "Suffix", "Value": ".pdf"}]}},
            }
        ]
    }
    path = tmp_path / "notification.json"
    path.write_text(json.dumps(config))

    refused = aws_cli("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
                      "--notification-configuration", f"file://{path}", check=False)
    assert refused.returncode != 0
    assert "InvalidArgument" in refused.stderr
    assert UNVALIDATED in refused.stderr

    aws_cli("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
            "--notification-configuration", f"file://{path}", "--skip-destination-validation")
    got = json.loads(
        aws_cli("s3api", "get-bucket-notification-configuration", "--bucket", bucket).stdout
    )
    assert got == config


def test_aws_cli_unknown_event(aws_cli, bucket):
    config = json.dumps({"TopicConfigurations": [{"TopicArn": HOOK_TOPIC,
                                                  "Events": ["s3:ObjectCreated:Get"]}]})
    refused = aws_cli("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
                      "--notification-configuration", config, "--skip-destination-validation",
                      check=False)
    assert refused.returncode != 0
    assert "InvalidArgument" in refused.stderr
    assert "The event is not supported for notifications" in refused.stderr


def test_a_target_defined_in_the_configuration_is_accepted(server_factory, tmp_path):
    config = tmp_path / "targets.toml"
    config.write_text('[notify.targets.hook]\ntype = "webhook"\nurl = "http://127.0.0.1:9/x"\n'
                      'secret = "s3cr3t-s3cr3t"\n')
    instance = server_factory(extra_args=("--config", str(config)), name="targets")
    from cvharness import error_of, make_client

    client = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    client.create_bucket(Bucket="with-targets")
    client.put_bucket_notification_configuration(
        Bucket="with-targets",
        NotificationConfiguration={
            "TopicConfigurations": [{"TopicArn": HOOK_TOPIC, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    got = client.get_bucket_notification_configuration(Bucket="with-targets")
    assert got["TopicConfigurations"][0]["TopicArn"] == HOOK_TOPIC
    # A target the configuration does not define is refused as S3 refuses an unknown ARN.
    other = HOOK_TOPIC.rsplit(":", 1)[0] + ":nohook"
    code, status, _ = error_of(lambda: client.put_bucket_notification_configuration(
        Bucket="with-targets",
        NotificationConfiguration={
            "TopicConfigurations": [{"TopicArn": other, "Events": ["s3:ObjectCreated:*"]}]
        },
    ))
    assert (code, status) == ("InvalidArgument", 400)
