"""ACLs and Object Ownership (issue 14): Put/Get/DeleteBucketOwnershipControls, canned ACLs
and grants on PUT / COPY / CreateBucket / CreateMultipartUpload, Get/PutBucketAcl and
Get/PutObjectAcl, and what the ACLs let other users and anonymous callers do.

The session server has the shipped defaults (new buckets are BucketOwnerEnforced: ACLs off);
`rgw` is a server started with the permissive, Ceph-RGW-like defaults
(`object_ownership_default = "ObjectWriter"`, `block_public_access_default = false`).
"""

import json
import os
import subprocess
import uuid
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

import conftest
from cvharness import RawClient, expect_error, make_client, server_binary

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"


def canonical_id(client):
    return client.list_buckets()["Owner"]["ID"]


def grants_of(acl):
    """(grantee kind, id or URI, permission) triples of a boto3 Get*Acl answer, sorted."""
    triples = []
    for grant in acl["Grants"]:
        grantee = grant["Grantee"]
        key = grantee.get("ID") or grantee.get("URI") or grantee.get("EmailAddress")
        triples.append((grantee["Type"], key, grant["Permission"]))
    return sorted(triples)


def curl(url, *args):
    """Anonymous curl: (status, body)."""
    result = subprocess.run(
        ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", *args, url],
        capture_output=True,
        timeout=60,
        check=True,
    )
    body, _, status = result.stdout.rpartition(b"\n")
    return int(status), body


def aws_runner(server, tmp_path, access_key, secret_key):
    home = tmp_path / f"awscli-{access_key[-6:]}"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config"
    config.write_text("[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n")
    env = conftest._tool_env(
        server,
        {
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(config),
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "AWS_MAX_ATTEMPTS": "1",
        },
    )
    return conftest._runner(
        [conftest.AWS_BIN, "--endpoint-url", server.endpoint, "--no-cli-pager"], env
    )


def add_user(server, name):
    email = f"{name}@example.test"
    server.admin("user", "add", name, "--email", email)
    created = json.loads(server.admin("key", "create", name).stdout)
    client = make_client(server.endpoint, created["access_key_id"], created["secret_key"])
    return SimpleNamespace(
        name=name,
        email=email,
        access_key=created["access_key_id"],
        secret_key=created["secret_key"],
        client=client,
        id=canonical_id(client),
    )


@pytest.fixture(scope="module")
def rgw(tmp_path_factory):
    """A server with the permissive defaults, its root client, two more users and aws CLIs."""
    base = tmp_path_factory.mktemp("acl-rgw")
    config = base / "rgw.toml"
    config.write_text(
        '[access]\nobject_ownership_default = "ObjectWriter"\nblock_public_access_default = false\n'
    )
    server = conftest._start_server(base, extra_args=["--config", str(config)])
    root = make_client(server.endpoint, server.access_key, server.secret_key)
    reader = add_user(server, "reader-" + uuid.uuid4().hex[:6])
    writer = add_user(server, "writer-" + uuid.uuid4().hex[:6])
    yield SimpleNamespace(
        server=server,
        root=root,
        root_id=canonical_id(root),
        reader=reader,
        writer=writer,
        raw=RawClient(server.port, server.access_key, server.secret_key),
        aws=aws_runner(server, base, server.access_key, server.secret_key),
    )
    server.terminate()


def url_of(server, bucket, key=""):
    return f"{server.endpoint}/{bucket}/{key}" if key else f"{server.endpoint}/{bucket}"


# --------------------------------------------------------------------------------------------
# Ownership controls and the shipped default (BucketOwnerEnforced)
# --------------------------------------------------------------------------------------------


def test_ownership_controls_put_get_delete_with_the_aws_cli(aws_cli, s3, unique_name):
    bucket = unique_name()
    aws_cli("s3api", "create-bucket", "--bucket", bucket)
    shown = json.loads(aws_cli("s3api", "get-bucket-ownership-controls", "--bucket", bucket).stdout)
    assert shown["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]

    for setting in ("ObjectWriter", "BucketOwnerPreferred", "BucketOwnerEnforced"):
        aws_cli(
            "s3api", "put-bucket-ownership-controls", "--bucket", bucket,
            "--ownership-controls", f"Rules=[{{ObjectOwnership={setting}}}]",
        )
        shown = s3.get_bucket_ownership_controls(Bucket=bucket)
        assert shown["OwnershipControls"]["Rules"] == [{"ObjectOwnership": setting}]

    aws_cli("s3api", "delete-bucket-ownership-controls", "--bucket", bucket)
    expect_error(s3.get_bucket_ownership_controls, "OwnershipControlsNotFoundError", 404,
                 Bucket=bucket)
    failed = aws_cli("s3api", "get-bucket-ownership-controls", "--bucket", bucket, check=False)
    assert failed.returncode != 0 and "OwnershipControlsNotFoundError" in failed.stderr
    # Without controls the bucket behaves as ObjectWriter: ACLs are accepted, public ones once
    # the bucket's Block Public Access is lifted.
    expect_error(s3.put_object, "AccessDenied", 403, Bucket=bucket, Key="k", Body=b"x",
                 ACL="public-read")
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="public-read")
    assert ("Group", ALL_USERS, "READ") in grants_of(s3.get_object_acl(Bucket=bucket, Key="k"))


def test_ownership_controls_refuse_bad_documents(raw, bucket):
    for body in (
        b"<OwnershipControls/>",
        b"<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule>"
        b"</OwnershipControls>",
        b"not xml",
    ):
        response = raw.request("PUT", bucket, query=[("ownershipControls", None)], body=body)
        assert response.status == 400, body
        assert response.error_code() == "MalformedXML", body
    missing = raw.request("GET", "no-such-bucket-" + uuid.uuid4().hex[:8],
                          query=[("ownershipControls", None)])
    assert missing.status == 404 and missing.error_code() == "NoSuchBucket"


def test_bucket_owner_enforced_refuses_acls(s3, bucket, unique_name):
    owner = canonical_id(s3)
    for acl in ("public-read", "authenticated-read", "public-read-write"):
        expect_error(s3.put_object, "AccessControlListNotSupported", 400, Bucket=bucket,
                     Key="k", Body=b"x", ACL=acl)
    expect_error(s3.put_object, "AccessControlListNotSupported", 400, Bucket=bucket, Key="k",
                 Body=b"x", GrantRead=f'uri="{ALL_USERS}"')
    # Nothing half-written.
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="k")
    # bucket-owner-full-control, and private from the bucket owner, say nothing more.
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="bucket-owner-full-control")
    s3.put_object(Bucket=bucket, Key="k2", Body=b"x", ACL="private")
    s3.put_object(Bucket=bucket, Key="k3", Body=b"x", GrantFullControl=f'id="{owner}"')
    expect_error(s3.put_bucket_acl, "AccessControlListNotSupported", 400, Bucket=bucket,
                 ACL="public-read")
    expect_error(s3.put_object_acl, "AccessControlListNotSupported", 400, Bucket=bucket,
                 Key="k", ACL="public-read")
    expect_error(s3.create_multipart_upload, "AccessControlListNotSupported", 400,
                 Bucket=bucket, Key="m", ACL="public-read")
    expect_error(s3.copy_object, "AccessControlListNotSupported", 400, Bucket=bucket, Key="c",
                 CopySource={"Bucket": bucket, "Key": "k"}, ACL="public-read-write")
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    # Reads of ACLs still work and show the bucket owner with FULL_CONTROL.
    for acl in (s3.get_bucket_acl(Bucket=bucket), s3.get_object_acl(Bucket=bucket, Key="k")):
        assert acl["Owner"]["ID"] == owner
        assert grants_of(acl) == [("CanonicalUser", owner, "FULL_CONTROL")]

    # CreateBucket with a public ACL: refused as AWS does; with ObjectWriter named, accepted.
    refused = unique_name("refused")
    expect_error(s3.create_bucket, "InvalidBucketAclWithObjectOwnership", 400, Bucket=refused,
                 ACL="public-read")
    expect_error(s3.head_bucket, "404", 404, Bucket=refused)
    # With ObjectWriter named, a public ACL still meets the Block Public Access every new bucket
    # starts with here (as on AWS since 2023); a private one is accepted.
    blocked = unique_name("writer")
    expect_error(s3.create_bucket, "AccessDenied", 403, Bucket=blocked, ACL="public-read",
                 ObjectOwnership="ObjectWriter")
    expect_error(s3.head_bucket, "404", 404, Bucket=blocked)
    opted_in = unique_name("writer")
    s3.create_bucket(Bucket=opted_in, ACL="private", ObjectOwnership="ObjectWriter")
    assert grants_of(s3.get_bucket_acl(Bucket=opted_in)) == [("CanonicalUser", owner, "FULL_CONTROL")]
    expect_error(s3.create_bucket, "InvalidArgument", 400, Bucket=unique_name("bad"),
                 ObjectOwnership="Everyone")


def test_turning_acls_off_needs_a_private_bucket_acl(s3, unique_name):
    bucket = unique_name()
    s3.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    expect_error(
        s3.put_bucket_ownership_controls, "InvalidBucketAclWithObjectOwnership", 400,
        Bucket=bucket,
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )


def test_enforced_acls_are_ignored_for_others(s3, other_user, unique_name):
    bucket = unique_name()
    s3.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"shared", ACL="public-read")
    assert other_user.client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"shared"
    # Turning ACLs off needs only the bucket's ACL private; the object's stays, unused.
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    expect_error(other_user.client.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")


# --------------------------------------------------------------------------------------------
# Ceph-RGW-like defaults: ObjectWriter, ACLs on
# --------------------------------------------------------------------------------------------


def test_new_buckets_take_the_configured_default(rgw):
    bucket = "default-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    rules = rgw.root.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "ObjectWriter"}]


def test_public_read_object_is_served_to_anonymous_curl(rgw):
    bucket = "public-" + uuid.uuid4().hex[:8]
    rgw.aws("s3api", "create-bucket", "--bucket", bucket)
    rgw.root.put_object(Bucket=bucket, Key="secret.txt", Body=b"secret")
    body = rgw.server.data_dir.parent / "hello.txt"
    body.write_bytes(b"hello, world\n")
    rgw.aws("s3api", "put-object", "--bucket", bucket, "--key", "hello.txt", "--body", body,
            "--acl", "public-read")

    assert curl(url_of(rgw.server, bucket, "hello.txt")) == (200, b"hello, world\n")
    status, _ = curl(url_of(rgw.server, bucket, "hello.txt"), "-I")
    assert status == 200
    status, denied = curl(url_of(rgw.server, bucket, "secret.txt"))
    assert status == 403 and b"<Code>AccessDenied</Code>" in denied
    # Writing, listing and reading a missing key stay closed: the bucket's ACL is private.
    status, _ = curl(url_of(rgw.server, bucket, "new.txt"), "-X", "PUT", "--data-binary", "x")
    assert status == 403
    status, _ = curl(url_of(rgw.server, bucket))
    assert status == 403
    status, missing = curl(url_of(rgw.server, bucket, "missing.txt"))
    assert status == 403 and b"AccessDenied" in missing
    # A bucket that does not exist answers NoSuchBucket, as on S3.
    status, gone = curl(url_of(rgw.server, "no-such-bucket-" + uuid.uuid4().hex[:8], "k"))
    assert status == 404 and b"NoSuchBucket" in gone

    # A public-read bucket can be listed, and a missing key is then a plain 404.
    rgw.aws("s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "public-read")
    status, listing = curl(url_of(rgw.server, bucket) + "?list-type=2")
    assert status == 200 and b"<Key>hello.txt</Key>" in listing
    status, missing = curl(url_of(rgw.server, bucket, "missing.txt"))
    assert status == 404 and b"NoSuchKey" in missing
    # The object ACL still decides reads of objects.
    status, _ = curl(url_of(rgw.server, bucket, "secret.txt"))
    assert status == 403


def test_block_public_acls_refuses_writes_that_set_public_acls(rgw):
    bucket = "bpa-block-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    rgw.root.put_object(Bucket=bucket, Key="k", Body=b"x")
    rgw.root.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    for call, kwargs in (
        (rgw.root.put_object, {"Key": "p", "Body": b"p", "ACL": "public-read"}),
        (rgw.root.put_object, {"Key": "p", "Body": b"p", "GrantRead": f'uri="{ALL_USERS}"'}),
        (rgw.root.put_object_acl, {"Key": "k", "ACL": "public-read"}),
        (rgw.root.put_bucket_acl, {"ACL": "authenticated-read"}),
        (rgw.root.create_multipart_upload, {"Key": "m", "ACL": "public-read-write"}),
        (rgw.root.copy_object, {"Key": "c", "CopySource": {"Bucket": bucket, "Key": "k"},
                                "ACL": "public-read"}),
    ):
        expect_error(call, "AccessDenied", 403, Bucket=bucket, **kwargs)
    expect_error(rgw.root.head_object, "404", 404, Bucket=bucket, Key="p")
    # Private ACLs and grants to users still go through.
    rgw.root.put_object(Bucket=bucket, Key="q", Body=b"q", ACL="private")
    rgw.root.put_object_acl(Bucket=bucket, Key="k", GrantRead=f'id="{rgw.reader.id}"')
    assert rgw.reader.client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_ignore_public_acls_makes_public_grants_count_for_nothing(rgw):
    bucket = "bpa-ignore-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket, ACL="public-read")
    rgw.root.put_object(Bucket=bucket, Key="open.txt", Body=b"open", ACL="public-read")
    rgw.root.put_object(Bucket=bucket, Key="shared.txt", Body=b"shared",
                        GrantRead=f'id="{rgw.reader.id}"')
    assert curl(url_of(rgw.server, bucket, "open.txt")) == (200, b"open")
    rgw.root.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    status, _ = curl(url_of(rgw.server, bucket, "open.txt"))
    assert status == 403
    status, _ = curl(url_of(rgw.server, bucket) + "?list-type=2")
    assert status == 403
    # A grant to a named user is not public: it still counts.
    assert rgw.reader.client.get_object(Bucket=bucket, Key="shared.txt")["Body"].read() == b"shared"
    # The ACLs themselves are kept: lifting the block opens the object again.
    assert ("Group", ALL_USERS, "READ") in grants_of(
        rgw.root.get_object_acl(Bucket=bucket, Key="open.txt"))
    rgw.root.delete_public_access_block(Bucket=bucket)
    assert curl(url_of(rgw.server, bucket, "open.txt")) == (200, b"open")


def test_grants_by_id_email_and_uri_with_the_aws_cli(rgw):
    bucket = "grants-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    rgw.aws(
        "s3api", "put-bucket-acl", "--bucket", bucket,
        "--grant-full-control", f'id="{rgw.root_id}"',
        "--grant-read", f'id="{rgw.reader.id}"',
        "--grant-write", f'emailAddress="{rgw.writer.email}"',
        "--grant-read-acp", f'uri="{LOG_DELIVERY}"',
    )
    shown = json.loads(rgw.aws("s3api", "get-bucket-acl", "--bucket", bucket).stdout)
    assert grants_of(shown) == sorted([
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL"),
        ("CanonicalUser", rgw.reader.id, "READ"),
        ("CanonicalUser", rgw.writer.id, "WRITE"),  # the e-mail address resolved to the user
        ("Group", LOG_DELIVERY, "READ_ACP"),
    ])
    # READ on the bucket lists it; WRITE lets the writer add objects (which it owns).
    listed = rgw.reader.client.list_objects_v2(Bucket=bucket)
    assert listed["KeyCount"] == 0
    expect_error(rgw.reader.client.put_object, "AccessDenied", 403, Bucket=bucket, Key="r",
                 Body=b"x")
    rgw.writer.client.put_object(Bucket=bucket, Key="w.txt", Body=b"written")
    assert rgw.root.get_object_acl(Bucket=bucket, Key="w.txt")["Owner"]["ID"] == rgw.writer.id
    expect_error(rgw.writer.client.list_objects_v2, "AccessDenied", 403, Bucket=bucket)

    rgw.root.put_object(Bucket=bucket, Key="doc.txt", Body=b"doc")
    rgw.aws(
        "s3api", "put-object-acl", "--bucket", bucket, "--key", "doc.txt",
        "--grant-full-control", f'id="{rgw.root_id}"',
        "--grant-read", f'emailAddress="{rgw.reader.email}", uri="{AUTHENTICATED_USERS}"',
    )
    # The document as S3 writes it: namespaces, xsi:type, display names.
    response = rgw.raw.request("GET", bucket, "doc.txt", query=[("acl", None)])
    assert response.status == 200
    assert response.header("content-type") == "application/xml"
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in response.body
    root = ET.fromstring(response.body)
    assert root.tag == f"{S3_NS}AccessControlPolicy"
    assert root.findtext(f"{S3_NS}Owner/{S3_NS}ID") == rgw.root_id
    assert root.findtext(f"{S3_NS}Owner/{S3_NS}DisplayName")
    grants = []
    for grant in root.iter(f"{S3_NS}Grant"):
        grantee = grant.find(f"{S3_NS}Grantee")
        grants.append((
            grantee.get(XSI_TYPE),
            grantee.findtext(f"{S3_NS}ID") or grantee.findtext(f"{S3_NS}URI"),
            grant.findtext(f"{S3_NS}Permission"),
        ))
    assert sorted(grants) == sorted([
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL"),
        ("CanonicalUser", rgw.reader.id, "READ"),
        ("Group", AUTHENTICATED_USERS, "READ"),
    ])
    shown = json.loads(
        rgw.aws("s3api", "get-object-acl", "--bucket", bucket, "--key", "doc.txt").stdout
    )
    assert shown["Owner"]["ID"] == rgw.root_id


def test_another_user_given_read_can_get_but_not_put(rgw):
    bucket = "read-only-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    rgw.root.put_object(Bucket=bucket, Key="k", Body=b"readable",
                        GrantRead=f'id="{rgw.reader.id}"')
    reader = rgw.reader.client
    assert reader.get_object(Bucket=bucket, Key="k")["Body"].read() == b"readable"
    assert reader.head_object(Bucket=bucket, Key="k")["ContentLength"] == 8
    expect_error(reader.put_object, "AccessDenied", 403, Bucket=bucket, Key="k", Body=b"mine")
    expect_error(reader.delete_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    expect_error(reader.get_object_acl, "AccessDenied", 403, Bucket=bucket, Key="k")
    expect_error(reader.put_object_acl, "AccessDenied", 403, Bucket=bucket, Key="k",
                 ACL="public-read")
    expect_error(reader.get_bucket_acl, "AccessDenied", 403, Bucket=bucket)
    expect_error(reader.get_object_tagging, "AccessDenied", 403, Bucket=bucket, Key="k")
    # Others (and nobody) still cannot read it.
    expect_error(rgw.writer.client.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    assert rgw.root.get_object(Bucket=bucket, Key="k")["Body"].read() == b"readable"
    # The reader may copy what it may read into a bucket of its own; the copy is private.
    own = "reader-own-" + uuid.uuid4().hex[:8]
    reader.create_bucket(Bucket=own)
    reader.copy_object(Bucket=own, Key="copy", CopySource={"Bucket": bucket, "Key": "k"})
    assert reader.get_object(Bucket=own, Key="copy")["Body"].read() == b"readable"
    expect_error(rgw.writer.client.copy_object, "AccessDenied", 403, Bucket=own, Key="x",
                 CopySource={"Bucket": bucket, "Key": "k"})


def test_authenticated_read(rgw):
    bucket = "authenticated-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    rgw.root.put_object(Bucket=bucket, Key="k", Body=b"members", ACL="authenticated-read")
    assert rgw.writer.client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"members"
    status, _ = curl(url_of(rgw.server, bucket, "k"))
    assert status == 403
    assert grants_of(rgw.root.get_object_acl(Bucket=bucket, Key="k")) == sorted([
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL"),
        ("Group", AUTHENTICATED_USERS, "READ"),
    ])


def test_a_bucket_write_grant_lets_delete_objects_remove_keys(rgw):
    bucket = "multi-delete-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket)
    for key in ("a", "b"):
        rgw.root.put_object(Bucket=bucket, Key=key, Body=b"x")
    refused = rgw.writer.client.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert sorted((e["Key"], e["Code"]) for e in refused["Errors"]) == [
        ("a", "AccessDenied"), ("b", "AccessDenied")]
    rgw.root.put_bucket_acl(Bucket=bucket, GrantWrite=f'id="{rgw.writer.id}"',
                            GrantFullControl=f'id="{rgw.root_id}"')
    done = rgw.writer.client.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert sorted(d["Key"] for d in done["Deleted"]) == ["a", "b"] and not done.get("Errors")
    assert rgw.root.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_bucket_owner_preferred_takes_objects_written_with_full_control(rgw):
    bucket = "preferred-" + uuid.uuid4().hex[:8]
    rgw.root.create_bucket(Bucket=bucket, ObjectOwnership="BucketOwnerPreferred")
    rgw.root.put_bucket_acl(Bucket=bucket, GrantWrite=f'id="{rgw.writer.id}"',
                            GrantFullControl=f'id="{rgw.root_id}"')
    writer = rgw.writer.client
    writer.put_object(Bucket=bucket, Key="given", Body=b"x", ACL="bucket-owner-full-control")
    writer.put_object(Bucket=bucket, Key="kept", Body=b"x")
    assert rgw.root.get_object_acl(Bucket=bucket, Key="given")["Owner"]["ID"] == rgw.root_id
    kept = rgw.root.get_object_acl(Bucket=bucket, Key="kept")
    assert kept["Owner"]["ID"] == rgw.writer.id
    assert grants_of(kept) == [("CanonicalUser", rgw.writer.id, "FULL_CONTROL")]
    listing = rgw.root.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"]
    assert {o["Key"]: o["Owner"]["ID"] for o in listing} == {
        "given": rgw.root_id, "kept": rgw.writer.id
    }
    # With ObjectWriter the same header leaves the writer the owner, the bucket owner granted.
    rgw.root.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    writer.put_object(Bucket=bucket, Key="written", Body=b"x", ACL="bucket-owner-full-control")
    written = rgw.root.get_object_acl(Bucket=bucket, Key="written")
    assert written["Owner"]["ID"] == rgw.writer.id
    assert grants_of(written) == sorted([
        ("CanonicalUser", rgw.writer.id, "FULL_CONTROL"),
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL"),
    ])


def test_multipart_and_copy_carry_the_requests_acl(rgw):
    bucket = "mpu-" + uuid.uuid4().hex[:8]
    root = rgw.root
    root.create_bucket(Bucket=bucket)
    upload = root.create_multipart_upload(Bucket=bucket, Key="big", ACL="public-read")
    part = root.upload_part(Bucket=bucket, Key="big", UploadId=upload["UploadId"], PartNumber=1,
                            Body=b"multipart body")
    root.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )
    assert curl(url_of(rgw.server, bucket, "big")) == (200, b"multipart body")
    # CopyObject does not copy the source's ACL: the copy has the request's (none: private).
    root.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "big"})
    assert curl(url_of(rgw.server, bucket, "copy"))[0] == 403
    root.copy_object(Bucket=bucket, Key="public-copy", ACL="public-read",
                     CopySource={"Bucket": bucket, "Key": "big"})
    assert curl(url_of(rgw.server, bucket, "public-copy")) == (200, b"multipart body")


def test_object_acl_per_version(rgw):
    bucket = "versions-" + uuid.uuid4().hex[:8]
    root = rgw.root
    root.create_bucket(Bucket=bucket)
    root.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = root.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    root.put_object(Bucket=bucket, Key="k", Body=b"two")
    root.put_object_acl(Bucket=bucket, Key="k", VersionId=first, ACL="public-read")
    assert curl(url_of(rgw.server, bucket, "k") + f"?versionId={first}") == (200, b"one")
    assert curl(url_of(rgw.server, bucket, "k"))[0] == 403
    assert grants_of(root.get_object_acl(Bucket=bucket, Key="k")) == [
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL")
    ]
    expect_error(root.put_object_acl, "NoSuchVersion", 404, Bucket=bucket, Key="k",
                 VersionId="0" * 32, ACL="public-read")


def test_bad_acl_requests(rgw):
    bucket = "bad-" + uuid.uuid4().hex[:8]
    root = rgw.root
    root.create_bucket(Bucket=bucket)
    root.put_object(Bucket=bucket, Key="k", Body=b"x")
    expect_error(root.put_object_acl, "UnresolvableGrantByEmailAddress", 400, Bucket=bucket,
                 Key="k", GrantRead='emailAddress="nobody@nowhere.test"')
    expect_error(root.put_bucket_acl, "InvalidArgument", 400, Bucket=bucket,
                 GrantRead='id="' + "f" * 64 + '"')
    expect_error(root.put_object, "InvalidArgument", 400, Bucket=bucket, Key="k2", Body=b"x",
                 ACL="everyone-read")
    expect_error(root.put_object, "UnresolvableGrantByEmailAddress", 400, Bucket=bucket,
                 Key="k2", Body=b"x", GrantRead='emailAddress="nobody@nowhere.test"')
    expect_error(root.head_object, "404", 404, Bucket=bucket, Key="k2")
    both = rgw.raw.request("PUT", bucket, "k2", body=b"x",
                           headers={"x-amz-acl": "private",
                                    "x-amz-grant-read": f'id="{rgw.reader.id}"'})
    assert both.status == 400 and both.error_code() == "InvalidRequest"
    for body in (b"<AccessControlPolicy><Owner/></AccessControlPolicy>", b"<nope",
                 b"<AccessControlPolicy><Owner><ID>" + rgw.root_id.encode() +
                 b"</ID></Owner><AccessControlList><Grant><Permission>READ</Permission>"
                 b"</Grant></AccessControlList></AccessControlPolicy>"):
        response = rgw.raw.request("PUT", bucket, "k", query=[("acl", None)], body=body)
        assert response.status == 400, body
        assert response.error_code() == "MalformedACLError", body
    # The ACL of someone else's object cannot name a new owner.
    foreign = rgw.raw.request(
        "PUT", bucket, "k", query=[("acl", None)],
        body=(f"<AccessControlPolicy><Owner><ID>{rgw.reader.id}</ID></Owner>"
              "<AccessControlList/></AccessControlPolicy>").encode(),
    )
    assert foreign.status == 403 and foreign.error_code() == "AccessDenied"
    assert grants_of(root.get_object_acl(Bucket=bucket, Key="k")) == [
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL")
    ]


def test_put_bucket_acl_with_an_access_control_policy(rgw):
    bucket = "policy-" + uuid.uuid4().hex[:8]
    root = rgw.root
    root.create_bucket(Bucket=bucket)
    root.put_bucket_acl(
        Bucket=bucket,
        AccessControlPolicy={
            "Owner": {"ID": rgw.root_id},
            "Grants": [
                {"Grantee": {"Type": "CanonicalUser", "ID": rgw.root_id},
                 "Permission": "FULL_CONTROL"},
                {"Grantee": {"Type": "AmazonCustomerByEmail",
                             "EmailAddress": rgw.reader.email},
                 "Permission": "READ"},
                {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ_ACP"},
            ],
        },
    )
    assert grants_of(root.get_bucket_acl(Bucket=bucket)) == sorted([
        ("CanonicalUser", rgw.root_id, "FULL_CONTROL"),
        ("CanonicalUser", rgw.reader.id, "READ"),
        ("Group", ALL_USERS, "READ_ACP"),
    ])
    # READ_ACP for everyone: the bucket's ACL can be read anonymously, the bucket not listed.
    status, body = curl(url_of(rgw.server, bucket) + "?acl")
    assert status == 200 and b"AccessControlPolicy" in body
    assert curl(url_of(rgw.server, bucket))[0] == 403
    assert rgw.reader.client.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_access_settings_are_validated(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[access]\nobject_ownership_default = "Everyone"\n')
    result = subprocess.run(
        [server_binary(), "server", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "data"),
         "--config", str(config)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "access.object_ownership_default" in result.stderr
    config.write_text("[access]\nblock_public_access_default = \"no\"\n")
    result = subprocess.run(
        [server_binary(), "server", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "data"),
         "--config", str(config)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "access.block_public_access_default" in result.stderr
