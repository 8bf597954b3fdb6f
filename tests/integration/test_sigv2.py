"""AWS Signature Version 2: boto3's legacy 's3' signer (Authorization: AWS AKID:signature), a
v2 presigned URL fetched with curl, a v2 POST form uploaded with curl -F, the errors S3 gives,
and the [auth] sigv2 switch."""

import subprocess
import time
import urllib.parse

import boto3
import pytest
from botocore.auth import HmacV1Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from cvharness import REGION, expect_error, fetch, make_client, md5_hex, random_bytes, send

PLEASE_USE_V4 = (
    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
)


def make_v2_client(endpoint, access_key, secret_key):
    """boto3 signing with SigV2 (botocore's legacy 's3' signer, HmacV1Auth): path style, no
    retries."""
    config = Config(signature_version="s3", s3={"addressing_style": "path"},
                    retries={"total_max_attempts": 1, "mode": "standard"})
    session = boto3.session.Session(aws_access_key_id=access_key,
                                    aws_secret_access_key=secret_key, region_name=REGION)
    return session.client("s3", endpoint_url=endpoint, config=config)


@pytest.fixture(scope="module")
def v2(server):
    return make_v2_client(server.endpoint, server.access_key, server.secret_key)


def v2_request(server, method, target, body=b"", headers=None, host=None, auth_path=None):
    """`target` ("/bucket/key?sub=resource") signed with botocore's SigV2 signer and sent as
    is. (boto3's own SigV2 client signs path-style requests whose operation carries a
    sub-resource, such as ?tagging or ?uploads, with the query twice: boto/boto3#4433.)
    `auth_path`: the resource path signed, for virtual-hosted style ("/bucket/key")."""
    host = host or f"127.0.0.1:{server.port}"
    request = AWSRequest(method=method, url=f"http://{host}{target}", data=body,
                         headers=dict(headers or {}))
    request.auth_path = auth_path
    HmacV1Auth(Credentials(server.access_key, server.secret_key)).add_auth(request)
    sent = dict(request.headers.items())
    sent["Host"] = host
    return send(server.port, method, target, sent, body)


def test_boto3_v2_put_get_list_and_delete(v2, s3, bucket):
    data = random_bytes(100 * 1024, seed=21)
    put = v2.put_object(Bucket=bucket, Key="dir/v2 object+1.bin", Body=data,
                        ContentType="application/x-test", Metadata={"who": "v2"})
    assert put["ETag"] == f'"{md5_hex(data)}"'
    got = v2.get_object(Bucket=bucket, Key="dir/v2 object+1.bin")
    assert got["Body"].read() == data
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"who": "v2"}
    # A response override is a sub-resource: part of the signed resource.
    ranged = v2.get_object(Bucket=bucket, Key="dir/v2 object+1.bin", Range="bytes=0-9",
                           ResponseContentType="text/plain")
    assert ranged["Body"].read() == data[:10]
    assert ranged["ContentType"] == "text/plain"
    listed = v2.list_objects(Bucket=bucket, Prefix="dir/")
    assert [o["Key"] for o in listed["Contents"]] == ["dir/v2 object+1.bin"]
    assert bucket in [b["Name"] for b in v2.list_buckets()["Buckets"]]
    v2.delete_object(Bucket=bucket, Key="dir/v2 object+1.bin")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    v2.create_bucket(Bucket=bucket[:50] + "-v2")  # a bucket request signs "/bucket/"
    assert v2.head_bucket(Bucket=bucket[:50] + "-v2")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_v2_sub_resources_tagging_and_multipart(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    tagging = (b'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag>'
               b"<Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>")
    put = v2_request(server, "PUT", f"/{bucket}/k?tagging", tagging,
                     {"Content-Type": "application/xml"})
    assert put.status == 200, put.body
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "k", "Value": "v"}]

    created = v2_request(server, "POST", f"/{bucket}/mp?uploads")
    assert created.status == 200, created.body
    upload = created.xml().findtext("{http://s3.amazonaws.com/doc/2006-03-01/}UploadId")
    part = random_bytes(5 * 1024 * 1024, seed=4)
    etags = []
    for number in (1, 2):
        sent = v2_request(server, "PUT", f"/{bucket}/mp?partNumber={number}&uploadId={upload}",
                          part)
        assert sent.status == 200, sent.body
        etags.append(sent.header("ETag"))
    complete = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"
                       for n, e in zip((1, 2), etags))
    done = v2_request(server, "POST", f"/{bucket}/mp?uploadId={upload}",
                      f"<CompleteMultipartUpload>{complete}</CompleteMultipartUpload>".encode())
    assert done.status == 200, done.body
    assert s3.head_object(Bucket=bucket, Key="mp")["ContentLength"] == 2 * len(part)


def test_v2_virtual_hosted_style(server_factory):
    domain = "s3.localhost.test"
    server = server_factory(name="v2vhost", extra_args=["--domain", domain])
    make_client(server.endpoint, server.access_key, server.secret_key).create_bucket(Bucket="vhost-v2")
    host = f"vhost-v2.{domain}:{server.port}"
    # The signed resource names the bucket: "/vhost-v2/a%20b.txt".
    put = v2_request(server, "PUT", "/a%20b.txt", b"virtual v2", host=host,
                     auth_path="/vhost-v2/a%20b.txt")
    assert put.status == 200, put.body
    got = v2_request(server, "GET", "/a%20b.txt", host=host, auth_path="/vhost-v2/a%20b.txt")
    assert got.status == 200 and got.body == b"virtual v2"
    unnamed = v2_request(server, "GET", "/a%20b.txt", host=host)  # "/a%20b.txt" signed
    assert unnamed.status == 403 and unnamed.error_code() == "SignatureDoesNotMatch"
    listing = v2_request(server, "GET", "/?prefix=a", host=host, auth_path="/vhost-v2/")
    assert listing.status == 200, listing.body
    assert b"<Key>a b.txt</Key>" in listing.body


def test_v2_wrong_secret_is_signature_does_not_match_with_string_to_sign(server, bucket):
    wrong = make_v2_client(server.endpoint, server.access_key, "not-the-secret")
    with pytest.raises(wrong.exceptions.ClientError) as refused:
        wrong.get_object(Bucket=bucket, Key="anything")
    error = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == "SignatureDoesNotMatch"
    assert error["StringToSign"].startswith("GET\n\n\n")
    assert error["StringToSign"].endswith(f"\n/{bucket}/anything")
    assert error["AWSAccessKeyId"] == server.access_key
    unknown = make_v2_client(server.endpoint, "CVNOSUCHKEY000000000", "x")
    expect_error(lambda: unknown.list_buckets(), "InvalidAccessKeyId", 403)


def test_v2_header_request_too_far_from_the_clock_is_refused(server, bucket):
    from email.utils import formatdate

    class SkewedSigner(HmacV1Auth):
        def _get_date(self):
            return formatdate(time.time() - 16 * 60, usegmt=True)

    url = f"{server.endpoint}/{bucket}"
    request = AWSRequest(method="GET", url=url, headers={})
    SkewedSigner(Credentials(server.access_key, server.secret_key)).add_auth(request)
    response = fetch(url, headers=dict(request.headers.items()))
    assert response.status == 403
    assert response.error_code() == "RequestTimeTooSkewed"


def test_v2_presigned_url_with_curl_and_expiry(v2, s3, bucket):
    s3.put_object(Bucket=bucket, Key="shared.txt", Body=b"shared by a v2 link")
    url = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "shared.txt"},
                                    ExpiresIn=300)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert set(query) == {"AWSAccessKeyId", "Expires", "Signature"}
    fetched = subprocess.run(["curl", "-sS", "--fail", url], capture_output=True, timeout=60)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == b"shared by a v2 link"
    # A tampered key is refused; an expired URL says so.
    tampered = url.replace("shared.txt", "other.txt")
    assert fetch(tampered).error_code() == "SignatureDoesNotMatch"
    expired = v2.generate_presigned_url("get_object",
                                        Params={"Bucket": bucket, "Key": "shared.txt"},
                                        ExpiresIn=-5)
    response = fetch(expired)
    assert response.status == 403
    assert response.error_code() == "AccessDenied"
    assert response.error()["Message"] == "Request has expired"


def test_v2_post_form_with_curl(v2, s3, bucket, tmp_path):
    post = v2.generate_presigned_post(
        Bucket=bucket, Key="forms/${filename}", Fields={"Content-Type": "text/plain"},
        Conditions=[{"Content-Type": "text/plain"}, ["starts-with", "$key", "forms/"],
                    ["content-length-range", 1, 1000]],
        ExpiresIn=600)
    assert "AWSAccessKeyId" in post["fields"] and "signature" in post["fields"]
    assert "x-amz-algorithm" not in post["fields"]
    upload = tmp_path / "note.txt"
    upload.write_bytes(b"posted with signature v2")
    args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"]
    for name, value in post["fields"].items():
        args += ["-F", f"{name}={value}"]
    args += ["-F", f"file=@{upload}", post["url"]]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.stdout == "204", result.stderr
    got = s3.get_object(Bucket=bucket, Key="forms/note.txt")
    assert got["Body"].read() == b"posted with signature v2"
    assert got["ContentType"] == "text/plain"

    # A wrong signature stores nothing.
    args = ["curl", "-sS", "-w", "\n%{http_code}"]
    for name, value in post["fields"].items():
        if name == "signature":
            value = "AAAAAAAAAAAAAAAAAAAAAAAAAAA="
        args += ["-F", f"{name}={value}"]
    upload.write_bytes(b"forged")
    args += ["-F", f"file=@{upload}", post["url"]]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.stdout.endswith("\n403"), result.stdout
    assert "<Code>SignatureDoesNotMatch</Code>" in result.stdout
    assert s3.get_object(Bucket=bucket, Key="forms/note.txt")["Body"].read() == (
        b"posted with signature v2")


def test_sigv2_switched_off(server_factory, tmp_path):
    config = tmp_path / "nov2.toml"
    config.write_text("[auth]\nsigv2 = false\n")
    server = server_factory(name="nov2", extra_args=["--config", str(config)])
    v4 = make_client(server.endpoint, server.access_key, server.secret_key)
    v4.create_bucket(Bucket="nov2")
    v4.put_object(Bucket="nov2", Key="k", Body=b"x")
    v2 = make_v2_client(server.endpoint, server.access_key, server.secret_key)
    with pytest.raises(v2.exceptions.ClientError) as refused:
        v2.get_object(Bucket="nov2", Key="k")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    assert refused.value.response["Error"]["Message"] == PLEASE_USE_V4
    url = v2.generate_presigned_url("get_object", Params={"Bucket": "nov2", "Key": "k"})
    response = fetch(url)
    assert response.status == 400 and response.error_code() == "InvalidRequest"
    post = v2.generate_presigned_post(Bucket="nov2", Key="p", ExpiresIn=600)
    args = ["curl", "-sS"]
    for name, value in post["fields"].items():
        args += ["-F", f"{name}={value}"]
    args += ["-F", "file=@/dev/null;filename=x", post["url"]]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert "<Code>InvalidRequest</Code>" in result.stdout
    assert [o["Key"] for o in v4.list_objects_v2(Bucket="nov2")["Contents"]] == ["k"]
