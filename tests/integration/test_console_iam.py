"""The console's IAM and Permissions routes (/_console/api/iam/..., keys, buckets/<name>/access,
/policy, /public-access-block) against the real server: what the console saves is what the S3
API then enforces (a user's key and inline policy work with boto3 within the policy and not
beyond it; a bucket policy and Block Public Access decide anonymous requests), IAM's and S3's
refusals come back with their codes and messages, only root manages users and policies, and
every user manages their own keys."""

import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from cvharness import expect_error, fetch, make_client
from test_console_api import Browser


def name(tag):
    return f"{tag}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def root(server):
    browser = Browser(server)
    status, _, body = browser.sign_in(server.access_key, server.secret_key)
    assert status == 201 and body["root"] is True
    return browser


def create_user(root, user):
    status, _, body = root.call("POST", "iam/users", {"name": user})
    assert status == 201, body
    status, _, key = root.call("POST", f"iam/users/{user}/keys")
    assert status == 201, key
    return key


def read_only_policy(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}]})


def s3_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def test_root_gives_a_user_a_key_and_an_inline_policy_that_s3_enforces(server, s3, root):
    user = name("ann")
    allowed, other = name("allowed"), name("other")
    s3.create_bucket(Bucket=allowed)
    s3.create_bucket(Bucket=other)

    status, _, body = root.call("POST", "iam/users", {"name": user})
    assert status == 201, body
    assert body["name"] == user and body["arn"].endswith(f":user/{user}")
    assert body["id"].startswith("AIDA") and body["accessKeys"] == [] and body["keys"] == 0
    status, _, body = root.call("POST", "iam/users", {"name": user.upper()})
    assert status == 409 and body["error"]["code"] == "EntityAlreadyExists"
    status, _, body = root.call("POST", "iam/users", {"name": "no spaces"})
    assert status == 400 and body["error"]["code"] == "ValidationError"

    status, _, key = root.call("POST", f"iam/users/{user}/keys")
    assert status == 201 and key["user"] == user and key["secretAccessKey"]
    status, _, listed = root.call("GET", "iam/users")
    assert status == 200
    entry = next(u for u in listed["users"] if u["name"] == user)
    assert entry["keys"] == 1 and entry["groups"] == []
    # The secret is shown once: the user's page lists the key without it.
    status, _, detail = root.call("GET", f"iam/users/{user}")
    assert [k["accessKeyId"] for k in detail["accessKeys"]] == [key["accessKeyId"]]
    assert detail["accessKeys"][0]["status"] == "Active"
    assert "secretAccessKey" not in json.dumps(detail)

    client = make_client(server.endpoint, key["accessKeyId"], key["secretAccessKey"])
    # No policy yet: the user may do nothing in root's buckets.
    assert s3_code(client.put_object, Bucket=allowed, Key="a.txt", Body=b"a") == "AccessDenied"

    # A malformed document is refused with IAM's reason, and nothing is stored.
    status, _, body = root.call("PUT", f"iam/users/{user}/policies/files", {
        "document": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}'})
    assert status == 400 and body["error"]["code"] == "MalformedPolicyDocument"
    assert body["error"]["message"]
    assert root.call("GET", f"iam/users/{user}")[2]["inlinePolicies"] == []

    status, _, detail = root.call("PUT", f"iam/users/{user}/policies/files",
                                  {"document": read_only_policy(allowed)})
    assert status == 200 and detail["inlinePolicies"] == ["files"]
    status, _, got = root.call("GET", f"iam/users/{user}/policies/files")
    assert status == 200 and json.loads(got["document"]) == json.loads(read_only_policy(allowed))

    client.put_object(Bucket=allowed, Key="a.txt", Body=b"within")
    assert client.get_object(Bucket=allowed, Key="a.txt")["Body"].read() == b"within"
    assert s3_code(client.put_object, Bucket=other, Key="a.txt", Body=b"x") == "AccessDenied"
    assert s3_code(client.delete_object, Bucket=allowed, Key="a.txt") == "AccessDenied"
    # The key's last use is shown.
    used = root.call("GET", f"iam/users/{user}")[2]["accessKeys"][0]
    assert used["lastUsed"] and used["lastUsedService"] == "s3"

    # Inactive: the key stops working at once; Active again: it works.
    status, _, detail = root.call("PUT", f"iam/users/{user}/keys/{key['accessKeyId']}",
                                  {"status": "Inactive"})
    assert status == 200 and detail["accessKeys"][0]["status"] == "Inactive"
    assert s3_code(client.list_objects_v2, Bucket=allowed) == "InvalidAccessKeyId"
    status, _, body = root.call("PUT", f"iam/users/{user}/keys/{key['accessKeyId']}",
                                {"status": "Sleeping"})
    assert status == 400 and body["error"]["code"] == "ValidationError"
    root.call("PUT", f"iam/users/{user}/keys/{key['accessKeyId']}", {"status": "Active"})
    assert client.list_objects_v2(Bucket=allowed)["KeyCount"] == 1

    # Deleting the inline policy takes the permission away.
    status, _, detail = root.call("DELETE", f"iam/users/{user}/policies/files")
    assert status == 200 and detail["inlinePolicies"] == []
    assert s3_code(client.get_object, Bucket=allowed, Key="a.txt") == "AccessDenied"

    # A user with keys cannot be deleted (IAM's DeleteConflict) unless the console removes
    # them first (force).
    status, _, body = root.call("DELETE", f"iam/users/{user}")
    assert status == 409 and body["error"]["code"] == "DeleteConflict"
    status, _, _ = root.call("DELETE", f"iam/users/{user}?force=true")
    assert status == 204
    status, _, body = root.call("GET", f"iam/users/{user}")
    assert status == 404 and body["error"]["code"] == "NoSuchEntity"
    assert s3_code(client.list_objects_v2, Bucket=allowed) == "InvalidAccessKeyId"


def test_a_key_of_another_user_is_not_found_under_this_user(root):
    first, second = name("first"), name("second")
    create_user(root, first)
    key = create_user(root, second)
    status, _, body = root.call("DELETE", f"iam/users/{first}/keys/{key['accessKeyId']}")
    assert status == 404 and body["error"]["code"] == "NoSuchEntity"
    assert len(root.call("GET", f"iam/users/{second}")[2]["accessKeys"]) == 1
    for user in (first, second):
        assert root.call("DELETE", f"iam/users/{user}?force=true")[0] == 204


def test_groups_and_managed_policies_attach_to_users(server, s3, root):
    user, group, policy = name("bob"), name("readers"), name("ReadAll")
    bucket = name("shared")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    key = create_user(root, user)
    client = make_client(server.endpoint, key["accessKeyId"], key["secretAccessKey"])

    status, _, body = root.call("POST", "iam/policies", {"name": policy, "document": "{"})
    assert status == 400 and body["error"]["code"] == "MalformedPolicyDocument"
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}]})
    status, _, created = root.call("POST", "iam/policies", {
        "name": policy, "document": document, "description": "read everything"})
    assert status == 201 and created["arn"].endswith(f":policy/{policy}")
    assert created["attachments"] == 0 and created["document"] == document
    listed = root.call("GET", "iam/policies")[2]["policies"]
    assert any(p["name"] == policy and "document" not in p for p in listed)

    status, _, detail = root.call("POST", f"iam/users/{user}/attached", {"arn": created["arn"]})
    assert status == 200 and detail["attachedPolicies"] == [{"name": policy,
                                                             "arn": created["arn"]}]
    assert client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    status, _, body = root.call("DELETE", f"iam/policies/{policy}")
    assert status == 409 and body["error"]["code"] == "DeleteConflict"

    status, _, groups = root.call("POST", "iam/groups", {"name": group})
    assert status == 201 and any(g["name"] == group for g in groups["groups"])
    status, _, detail = root.call("PUT", f"iam/users/{user}/groups/{group}")
    assert status == 200 and detail["groups"] == [group]
    status, _, body = root.call("PUT", f"iam/users/{user}/groups/{name('nogroup')}")
    assert status == 404 and body["error"]["code"] == "NoSuchEntity"

    status, _, detail = root.call("DELETE", f"iam/users/{user}/attached?arn={created['arn']}")
    assert status == 200 and detail["attachedPolicies"] == []
    assert s3_code(client.get_object, Bucket=bucket, Key="k") == "AccessDenied"
    assert root.call("DELETE", f"iam/policies/{policy}")[0] == 204
    assert root.call("GET", f"iam/policies/{policy}")[0] == 404
    # force removes the key and the membership first.
    assert root.call("DELETE", f"iam/users/{user}?force=true")[0] == 204


def test_roles_with_a_trust_policy_and_an_inline_policy(server, root):
    role = name("deployer")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
        "Action": "sts:AssumeRole"}]})
    status, _, body = root.call("POST", "iam/roles", {"name": role, "trustPolicy": "[]"})
    assert status == 400 and body["error"]["code"] == "MalformedPolicyDocument"
    status, _, body = root.call("POST", "iam/roles", {"name": role, "trustPolicy": trust,
                                                      "maxSessionSeconds": 60})
    assert status == 400 and body["error"]["code"] == "ValidationError"
    status, _, created = root.call("POST", "iam/roles", {
        "name": role, "trustPolicy": trust, "description": "ships builds"})
    assert status == 201, created
    assert created["arn"].endswith(f":role/{role}") and created["maxSessionSeconds"] == 3600
    assert json.loads(created["trustPolicy"]) == json.loads(trust)
    listed = root.call("GET", "iam/roles")[2]
    assert any(r["name"] == role for r in listed["roles"])
    assert created["arn"].startswith(f"arn:aws:iam::{listed['accountId']}:role/")

    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]})
    status, _, detail = root.call("PUT", f"iam/roles/{role}/policies/list", {"document": policy})
    assert status == 200 and detail["inlinePolicies"] == ["list"]
    assert root.call("GET", f"iam/roles/{role}/policies/list")[2]["document"] == policy

    status, _, body = root.call("DELETE", f"iam/roles/{role}")
    assert status == 409 and body["error"]["code"] == "DeleteConflict"
    assert root.call("DELETE", f"iam/roles/{role}?force=true")[0] == 204
    assert root.call("GET", f"iam/roles/{role}")[0] == 404


def test_a_user_manages_its_own_keys_but_not_other_users(server, root):
    user = name("carol")
    key = create_user(root, user)
    other = create_user(root, name("dave"))
    browser = Browser(server)
    status, _, session = browser.sign_in(key["accessKeyId"], key["secretAccessKey"])
    assert status == 201 and session["root"] is False and session["userName"] == user

    for method, route in [("GET", "iam/users"), ("POST", "iam/users"),
                          ("GET", f"iam/users/{user}"), ("GET", "iam/policies"),
                          ("POST", "iam/roles"), ("GET", "iam/groups")]:
        status, _, body = browser.call(method, route, {} if method == "POST" else None)
        assert status == 403 and body["error"]["code"] == "AccessDenied", (method, route)

    status, _, own = browser.call("GET", "keys")
    assert status == 200 and own["user"] == user and own["sessionKey"] == key["accessKeyId"]
    assert [k["accessKeyId"] for k in own["keys"]] == [key["accessKeyId"]]

    status, _, second = browser.call("POST", "keys")
    assert status == 201 and second["secretAccessKey"]
    client = make_client(server.endpoint, second["accessKeyId"], second["secretAccessKey"])
    client.list_buckets()
    status, _, body = browser.call("POST", "keys")
    assert status == 409 and body["error"]["code"] == "LimitExceeded"

    status, _, own = browser.call("PUT", f"keys/{second['accessKeyId']}", {"status": "Inactive"})
    assert status == 200
    assert {k["accessKeyId"]: k["status"] for k in own["keys"]}[second["accessKeyId"]] == \
        "Inactive"
    expect_error(client.list_buckets, "InvalidAccessKeyId", 403)
    status, _, own = browser.call("DELETE", f"keys/{second['accessKeyId']}")
    assert status == 200 and len(own["keys"]) == 1
    # Another user's key is not one of "my keys".
    status, _, body = browser.call("DELETE", f"keys/{other['accessKeyId']}")
    assert status == 404 and body["error"]["code"] == "NoSuchEntity"
    assert len(root.call("GET", f"iam/users/{other['user']}")[2]["accessKeys"]) == 1

    # Deleting the key the session signed in with ends the session.
    status, _, _ = browser.call("DELETE", f"keys/{key['accessKeyId']}")
    assert status == 200
    status, _, body = browser.call("GET", "keys")
    assert status == 401 and body["error"]["code"] == "SignInRequired"
    for created in (user, other["user"]):
        assert root.call("DELETE", f"iam/users/{created}?force=true")[0] == 204


def anonymous_get(server, bucket, key):
    return fetch(f"{server.endpoint}/{bucket}/{key}")


def public_read(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]})


ALL_OFF = {"blockPublicAcls": False, "ignorePublicAcls": False, "blockPublicPolicy": False,
           "restrictPublicBuckets": False}
ALL_ON = {name: True for name in ALL_OFF}


def test_bucket_policy_and_block_public_access_from_the_permissions_panel(server, s3, root):
    bucket = name("site")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>hi</h1>")

    status, _, state = root.call("GET", f"buckets/{bucket}/access")
    assert status == 200
    assert state == {"policy": None, "public": False, "block": ALL_ON, "account": None,
                     "inForce": ALL_ON}

    status, _, body = root.call("PUT", f"buckets/{bucket}/policy", {"document": "{"})
    assert status == 400 and body["error"]["code"] == "MalformedPolicy"
    # A public policy while BlockPublicPolicy is on: S3's AccessDenied, with the reason.
    status, _, body = root.call("PUT", f"buckets/{bucket}/policy",
                                {"document": public_read(bucket)})
    assert status == 403 and body["error"]["code"] == "AccessDenied"
    assert "BlockPublicPolicy" in body["error"]["message"]
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
    assert anonymous_get(server, bucket, "index.html").status == 403

    status, _, state = root.call("PUT", f"buckets/{bucket}/public-access-block", ALL_OFF)
    assert status == 200 and state["block"] == ALL_OFF and state["inForce"] == ALL_OFF
    status, _, body = root.call("PUT", f"buckets/{bucket}/public-access-block",
                                {"blockPublicAcls": True})
    assert status == 400 and body["error"]["code"] == "InvalidRequest"
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False}

    status, _, state = root.call("PUT", f"buckets/{bucket}/policy",
                                 {"document": public_read(bucket)})
    assert status == 200 and state["public"] is True
    assert json.loads(state["policy"]) == json.loads(public_read(bucket))
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(
        public_read(bucket))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    page = anonymous_get(server, bucket, "index.html")
    assert page.status == 200 and page.body == b"<h1>hi</h1>"

    # RestrictPublicBuckets takes the public grant away again.
    status, _, state = root.call("PUT", f"buckets/{bucket}/public-access-block",
                                 dict(ALL_OFF, restrictPublicBuckets=True))
    assert status == 200 and state["inForce"]["restrictPublicBuckets"] is True
    assert anonymous_get(server, bucket, "index.html").status == 403

    status, _, state = root.call("DELETE", f"buckets/{bucket}/public-access-block")
    assert status == 200 and state["block"] is None
    expect_error(s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", 404,
                 Bucket=bucket)
    assert anonymous_get(server, bucket, "index.html").status == 200
    status, _, state = root.call("DELETE", f"buckets/{bucket}/policy")
    assert status == 200 and state["policy"] is None and state["public"] is False
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
    assert anonymous_get(server, bucket, "index.html").status == 403


def test_the_account_block_is_shown_and_applies(server, s3, root):
    bucket = name("acct")
    s3.create_bucket(Bucket=bucket)
    root.call("PUT", f"buckets/{bucket}/public-access-block", ALL_OFF)
    server.admin("public-access-block", "put", "--block-public-acls", "false",
                 "--ignore-public-acls", "false", "--block-public-policy", "true",
                 "--restrict-public-buckets", "false")
    try:
        state = root.call("GET", f"buckets/{bucket}/access")[2]
        assert state["account"] == dict(ALL_OFF, blockPublicPolicy=True)
        assert state["block"] == ALL_OFF and state["inForce"]["blockPublicPolicy"] is True
        status, _, body = root.call("PUT", f"buckets/{bucket}/policy",
                                    {"document": public_read(bucket)})
        assert status == 403 and body["error"]["code"] == "AccessDenied"
    finally:
        server.admin("public-access-block", "delete")
    assert root.call("GET", f"buckets/{bucket}/access")[2]["account"] is None


def test_root_sets_the_account_block_in_the_console(server, s3, root):
    bucket = name("acct-console")
    s3.create_bucket(Bucket=bucket)
    s3.delete_public_access_block(Bucket=bucket)
    assert root.call("GET", "account/public-access-block")[2] == {"account": None}
    status, _, body = root.call("PUT", "account/public-access-block",
                                dict(ALL_OFF, blockPublicPolicy=True))
    try:
        assert status == 200 and body == {"account": dict(ALL_OFF, blockPublicPolicy=True)}
        # It binds every bucket at once, through S3 too.
        with pytest.raises(ClientError) as refused:
            s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
        assert root.call("GET", f"buckets/{bucket}/access")[2]["inForce"]["blockPublicPolicy"]
        # Only root may see or change it; a malformed body changes nothing.
        key = create_user(root, name("mallory"))
        other = Browser(server)
        assert other.sign_in(key["accessKeyId"], key["secretAccessKey"])[0] == 201
        for method, payload in (("GET", None), ("PUT", ALL_OFF), ("DELETE", None)):
            status, _, answer = other.call(method, "account/public-access-block", payload)
            assert status == 403 and answer["error"]["code"] == "AccessDenied", method
        status, _, answer = root.call("PUT", "account/public-access-block", {"blockPublicAcls": 1})
        assert status == 400 and answer["error"]["code"] == "InvalidRequest"
        assert root.call("DELETE", f"iam/users/{key['user']}?force=true")[0] == 204
    finally:
        status, _, body = root.call("DELETE", "account/public-access-block")
    assert status == 200 and body == {"account": None}
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))


def test_only_the_bucket_owner_sees_its_permissions(server, s3, root):
    bucket = name("mine")
    s3.create_bucket(Bucket=bucket)
    key = create_user(root, name("eve"))
    browser = Browser(server)
    assert browser.sign_in(key["accessKeyId"], key["secretAccessKey"])[0] == 201
    for method, route, body in [("GET", "access", None), ("PUT", "policy", {"document": "{}"}),
                                ("DELETE", "policy", None),
                                ("PUT", "public-access-block", ALL_OFF)]:
        status, _, answer = browser.call(method, f"buckets/{bucket}/{route}", body)
        assert status == 403 and answer["error"]["code"] == "AccessDenied", route
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"][
        "BlockPublicPolicy"] is True
    assert root.call("DELETE", f"iam/users/{key['user']}?force=true")[0] == 204


def test_each_call_is_in_the_audit_trail_without_documents_or_secrets(server, root):
    user = name("audited")
    key = create_user(root, user)
    marker = name("Sid")
    document = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": marker.replace("-", ""), "Effect": "Allow", "Action": "s3:ListAllMyBuckets",
        "Resource": "*"}]})
    assert root.call("PUT", f"iam/users/{user}/policies/p", {"document": document})[0] == 200
    browser = Browser(server)
    assert browser.sign_in(key["accessKeyId"], key["secretAccessKey"])[0] == 201
    assert browser.call("GET", "iam/users")[0] == 403

    def records(event):
        status, _, body = root.call("GET", f"trail?event={event}&max=50")
        assert status == 200, body
        return body["records"]

    # Who did it, to whom (the path's names as requestParameters), and a refusal's code.
    wanted = {
        "ConsoleCreateUser": lambda r: r["requestParameters"].get("userName") == user,
        "ConsoleCreateAccessKey": lambda r: r["requestParameters"].get("userName") == user,
        "ConsolePutUserPolicy": lambda r: r["requestParameters"].get("userName") == user
        and r["requestParameters"].get("policyName") == "p",
        "ConsoleListUsers": lambda r: r["userIdentity"].get("accessKeyId") == key["accessKeyId"],
    }
    deadline = time.monotonic() + 20
    found = {}
    while time.monotonic() < deadline and len(found) < len(wanted):
        for event, matches in wanted.items():
            mine = [r for r in records(event) if matches(r)]
            if mine:
                found[event] = mine[0]
        time.sleep(0.1)
    assert set(found) == set(wanted), found.keys()
    assert found["ConsoleListUsers"]["errorCode"] == "AccessDenied"
    assert found["ConsolePutUserPolicy"]["userIdentity"]["type"] == "Root"
    everything = json.dumps(found)
    assert key["secretAccessKey"] not in everything
    assert marker.replace("-", "") not in everything
