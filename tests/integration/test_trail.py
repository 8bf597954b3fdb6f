"""The audit trail against the real server: the public key at its well-known URL and from
`cloudvault trail key`, `trail flush` while the server runs (files and a signed digest),
`trail validate` catching a changed, deleted or inserted log file, `trail lookup` filters and
pages, the console's trail route, and the trail bucket. Records come from admin verbs (each
leaves one record, eventSource admin.cloudvault)."""

import datetime
import gzip
import hashlib
import http.client
import json
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import (Encoding, PublicFormat,
                                                          load_pem_public_key)

from cvharness import make_client
from openapi_check import OpenApi


def trail(server, *args, check=True, config=None):
    cmd = [server.binary, "trail", *args, "--data", str(server.data_dir)]
    if config is not None:
        cmd += ["--config", str(config)]
    result = subprocess.run(cmd, capture_output=True, text=True, env=server.env(), timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode}\n"
                             f"stdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def trail_files(server, kind):
    root = server.data_dir / "trail" / "AWSLogs"
    return sorted(p for p in root.glob(f"*/{kind}/us-east-1/*/*/*/*.json.gz"))


def gunzip_json(path):
    return json.loads(gzip.decompress(Path(path).read_bytes()))


def http_get(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def lookup(server, *args):
    lines = trail(server, "lookup", "--json", *args).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    nxt = None
    if records and set(records[-1]) == {"next"}:
        nxt = records.pop()["next"]
    return records, nxt


def test_trail_key_is_the_one_at_the_well_known_url(fresh_server):
    printed = trail(fresh_server, "key").stdout
    pem, _, fingerprint_line = printed.partition("-----END PUBLIC KEY-----\n")
    pem += "-----END PUBLIC KEY-----\n"
    status, headers, body = http_get(fresh_server, "/_cloudvault/trail/public-key")
    assert status == 200
    assert body.decode() == pem
    key = load_pem_public_key(body)
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert len(raw) == 32
    assert fingerprint_line.strip() == "fingerprint: " + hashlib.sha256(raw).hexdigest()


def test_flush_while_the_server_runs_writes_a_log_file_and_a_signed_digest(fresh_server):
    fresh_server.admin("user", "add", "trail-alice")
    trail(fresh_server, "flush")
    logs = trail_files(fresh_server, "CloudTrail")
    digests = trail_files(fresh_server, "CloudTrail-Digest")
    assert len(logs) == 1 and len(digests) == 1
    account = logs[0].relative_to(fresh_server.data_dir / "trail").parts[1]
    assert len(account) == 12 and account.isdigit()
    assert logs[0].name.startswith(f"{account}_CloudTrail_us-east-1_")
    records = gunzip_json(logs[0])["Records"]
    added = [r for r in records if r["eventName"] == "AdminUserAdd"]
    assert len(added) == 1
    record = added[0]
    assert record["eventSource"] == "admin.cloudvault"
    assert record["userAgent"] == "cloudvault-cli"
    assert record["sourceIPAddress"] == "127.0.0.1"
    assert record["userIdentity"]["type"] == "Root"
    assert record["userIdentity"]["accountId"] == account
    assert record["eventVersion"] == "1.09"
    # The digest lists the file with the SHA-256 of its uncompressed bytes and is signed with
    # the published key over CloudTrail's signing string.
    digest_bytes = gzip.decompress(digests[0].read_bytes())
    digest = json.loads(digest_bytes)
    key = digest["digestS3Object"]
    assert digests[0].relative_to(fresh_server.data_dir / "trail").as_posix() == key
    [listed] = digest["logFiles"]
    assert listed["s3Object"] == logs[0].relative_to(fresh_server.data_dir / "trail").as_posix()
    assert listed["hashValue"] == hashlib.sha256(gzip.decompress(logs[0].read_bytes())).hexdigest()
    assert digest["previousDigestSignature"] is None
    signature = bytes.fromhex(Path(str(digests[0]) + ".sig").read_text().strip())
    message = "\n".join([digest["digestEndTime"], "/" + key,
                         hashlib.sha256(digest_bytes).hexdigest(), "null"]).encode()
    _, _, pem = http_get(fresh_server, "/_cloudvault/trail/public-key")
    load_pem_public_key(pem).verify(signature, message)  # raises when it does not verify
    # A second flush chains to the first digest.
    fresh_server.admin("user", "add", "trail-bob")
    trail(fresh_server, "flush")
    digests = trail_files(fresh_server, "CloudTrail-Digest")
    # Two digests; three when the clock passed an hour boundary between the flushes (one
    # digest per hour boundary passed, then the flush's), each chained to the one before.
    assert len(digests) in (2, 3)
    second = gunzip_json(digests[1])
    assert second["previousDigestS3Object"] == key
    assert second["previousDigestHashValue"] == hashlib.sha256(digest_bytes).hexdigest()
    assert second["previousDigestSignature"] == signature.hex()
    assert second["digestStartTime"] == digest["digestEndTime"]
    if len(digests) == 3:
        assert second["digestEndTime"].endswith(":00:00Z")
        third = gunzip_json(digests[2])
        assert third["previousDigestS3Object"] == second["digestS3Object"]
        assert third["digestStartTime"] == second["digestEndTime"]


def test_validate_passes_then_reports_tampering_with_exit_status_1(fresh_server):
    for name in ("val-a", "val-b"):
        fresh_server.admin("user", "add", name)
        trail(fresh_server, "flush")
    intact = trail(fresh_server, "validate")
    assert "trail intact" in intact.stdout
    logs = trail_files(fresh_server, "CloudTrail")
    assert len(logs) == 2
    target = logs[0]
    original = target.read_bytes()
    relative = target.relative_to(fresh_server.data_dir / "trail").as_posix()

    # Changed: one record's event name rewritten.
    document = json.loads(gzip.decompress(original))
    document["Records"][0]["eventName"] = "Nothing"
    target.write_bytes(gzip.compress(json.dumps(document).encode()))
    changed = trail(fresh_server, "validate", check=False)
    assert changed.returncode == 1
    assert f"log file {relative} changed" in changed.stdout
    target.write_bytes(original)
    assert trail(fresh_server, "validate", check=False).returncode == 0

    # Deleted.
    target.unlink()
    deleted = trail(fresh_server, "validate", check=False)
    assert deleted.returncode == 1
    assert relative in deleted.stdout and "missing (deleted)" in deleted.stdout
    target.write_bytes(original)

    # Inserted: a file no digest lists.
    forged = target.with_name(target.name.replace(target.name.split("_")[-1],
                                                  "FORGEDFORGEDFORG.json.gz"))
    forged.write_bytes(gzip.compress(b'{"Records":[]}'))
    inserted = trail(fresh_server, "validate", check=False)
    assert inserted.returncode == 1
    assert "listed by no digest (inserted)" in inserted.stdout
    assert forged.name in inserted.stdout
    forged.unlink()

    # A digest deleted: the next one names it.
    digests = trail_files(fresh_server, "CloudTrail-Digest")
    saved = digests[0].read_bytes()
    digests[0].unlink()
    gone = trail(fresh_server, "validate", check=False)
    assert gone.returncode == 1
    assert digests[0].name in gone.stdout and "missing (deleted)" in gone.stdout
    digests[0].write_bytes(saved)
    assert trail(fresh_server, "validate").returncode == 0


def test_validate_refuses_a_malformed_time(fresh_server):
    bad = trail(fresh_server, "validate", "--from", "yesterday", check=False)
    assert bad.returncode == 2
    assert "2026-12-06T10:00:00Z" in bad.stderr


def test_lookup_filters_and_pages_from_the_index(fresh_server):
    fresh_server.admin("user", "add", "lookup-carol")
    fresh_server.admin("key", "list")
    failed = fresh_server.admin("key", "delete", "NOSUCHKEYNOSUCHKEY", check=False)
    assert failed.returncode != 0

    added, _ = lookup(fresh_server, "--event", "AdminUserAdd")
    assert [r["eventName"] for r in added] == ["AdminUserAdd"]
    assert added[0]["requestParameters"] == {"command": "admin user add"}
    errors, _ = lookup(fresh_server, "--error")
    assert [r["eventName"] for r in errors] == ["AdminKeyDelete"]
    assert errors[0]["errorCode"] == "CommandFailed"
    everything, _ = lookup(fresh_server, "--user", "root")
    names = [r["eventName"] for r in everything]
    # Newest first; each lookup leaves its own record too.
    assert names[:3] == ["TrailLookup", "TrailLookup", "AdminKeyDelete"]
    assert "AdminKeyList" in names and "AdminUserAdd" in names
    assert lookup(fresh_server, "--user", "nobody-at-all")[0] == []
    assert lookup(fresh_server, "--bucket", "no-such-bucket")[0] == []
    # Paging: one record at a time, the token leads on, no record twice.
    seen = []
    first, token = lookup(fresh_server, "--event", "TrailLookup", "--max", "1")
    seen += [r["eventID"] for r in first]
    while token:
        page, token = lookup(fresh_server, "--event", "TrailLookup", "--max", "1",
                             "--next", token)
        seen += [r["eventID"] for r in page]
    assert len(seen) == len(set(seen)) >= 4
    bad = trail(fresh_server, "lookup", "--read-only", "maybe", check=False)
    assert bad.returncode == 2


def test_the_console_trail_route_shows_root_everything_and_others_their_own(fresh_server):
    fresh_server.admin("user", "add", "console-dave")
    created = json.loads(fresh_server.admin("key", "create", "console-dave").stdout)
    api = OpenApi()

    def console(access_key, secret, query):
        connection = http.client.HTTPConnection("127.0.0.1", fresh_server.port, timeout=30)
        host = {"Host": f"127.0.0.1:{fresh_server.port}", "Content-Type": "application/json"}
        connection.request("POST", "/_console/api/session", headers=host, body=json.dumps(
            {"accessKeyId": access_key, "secretAccessKey": secret}))
        response = connection.getresponse()
        response.read()
        assert response.status == 201
        cookie = response.getheader("Set-Cookie").split(";")[0]
        connection.request("GET", "/_console/api/trail" + query,
                           headers={"Host": host["Host"], "Cookie": cookie})
        response = connection.getresponse()
        body = json.loads(response.read())
        connection.close()
        api.check("GET", "trail", response.status, body)  # as docs/openapi.yaml says
        return response.status, body

    status, body = console(fresh_server.access_key, fresh_server.secret_key,
                           "?event=AdminUserAdd&max=5")
    assert status == 200
    assert [r["eventName"] for r in body["records"]] == ["AdminUserAdd"]
    assert body["next"] is None
    status, body = console(fresh_server.access_key, fresh_server.secret_key, "?max=1")
    assert status == 200 and len(body["records"]) == 1 and body["next"]
    status, body = console(created["access_key_id"], created["secret_key"], "?user=root")
    assert status == 200
    assert body["records"] == []  # dave sees only his own records, and has none yet
    status, body = console(fresh_server.access_key, fresh_server.secret_key, "?from=noon")
    assert status == 400
    # Dates as the console's trail browser sends them: to= a date includes that day.
    today = datetime.datetime.now(datetime.timezone.utc).date()
    tomorrow = today + datetime.timedelta(days=1)
    status, body = console(fresh_server.access_key, fresh_server.secret_key,
                           f"?event=AdminUserAdd&from={today}&to={today}")
    assert status == 200 and len(body["records"]) == 1
    status, body = console(fresh_server.access_key, fresh_server.secret_key,
                           f"?event=AdminUserAdd&from={tomorrow}")
    assert status == 200 and body["records"] == []


def test_the_trail_bucket_gets_the_files_and_the_digest_signature(server_factory, tmp_path):
    config = tmp_path / "trail.toml"
    config.write_text('[trail]\nbucket = "audit-trail"\n')
    instance = server_factory(name="trail-bucket", extra_args=["--config", str(config)])
    instance.admin("user", "add", "bucket-erin")
    trail(instance, "flush", config=config)
    client = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="audit-trail")["Contents"])
    [log_key] = [k for k in keys if "/CloudTrail/" in k]
    [digest_key] = [k for k in keys if "/CloudTrail-Digest/" in k]
    folder = instance.data_dir / "trail"
    assert client.get_object(Bucket="audit-trail", Key=log_key)["Body"].read() == \
        (folder / log_key).read_bytes()
    head = client.head_object(Bucket="audit-trail", Key=digest_key)
    assert head["Metadata"]["signature-algorithm"] == "Ed25519"
    assert head["Metadata"]["signature"] == Path(str(folder / digest_key) + ".sig").read_text()
    digest = gunzip_json(folder / digest_key)
    assert digest["digestS3Bucket"] == "audit-trail"
    assert trail(instance, "validate", config=config).returncode == 0


def test_flush_without_a_server_rolls_the_stored_records_itself(fresh_server):
    fresh_server.admin("user", "add", "offline-frank")
    assert fresh_server.terminate() == 0
    fresh_server.admin("user", "add", "offline-grace")  # appended by the CLI alone
    flushed = trail(fresh_server, "flush")
    assert "trail flushed" in flushed.stdout
    names = [r["eventName"] for path in trail_files(fresh_server, "CloudTrail")
             for r in gunzip_json(path)["Records"]]
    assert names.count("AdminUserAdd") == 2
    assert len(trail_files(fresh_server, "CloudTrail-Digest")) >= 1
    assert trail(fresh_server, "validate").returncode == 0


def test_iam_and_sts_calls_are_recorded_with_who_made_them(fresh_server):
    import time
    import uuid

    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    def client(service, key, secret, token=None):
        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
            region_name="us-east-1",
        ).client(service, endpoint_url=fresh_server.endpoint,
                 config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    iam = client("iam", fresh_server.access_key, fresh_server.secret_key)
    user = f"trail-{uuid.uuid4().hex[:6]}"
    user_arn = iam.create_user(UserName=user)["User"]["Arn"]
    key = iam.create_access_key(UserName=user)["AccessKey"]
    role = f"auditor-{uuid.uuid4().hex[:6]}"
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": user_arn},
                                                "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=role, PolicyName="list", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets",
                                                "Resource": "*"}]}))
    credentials = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).assume_role(
        RoleArn=f"{user_arn.split(':user/')[0]}:role/{role}", RoleSessionName="audit")["Credentials"]
    client("s3", credentials["AccessKeyId"], credentials["SecretAccessKey"],
           credentials["SessionToken"]).list_buckets()
    with pytest.raises(ClientError):
        iam.get_user(UserName="nobody-" + user)

    def records_of(event):
        deadline = time.monotonic() + 30
        while True:
            found, _ = lookup(fresh_server, "--event", event)
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    created = records_of("CreateUser")
    assert len(created) == 1
    assert created[0]["eventSource"] == "iam.amazonaws.com"
    assert created[0]["userIdentity"]["type"] == "Root"
    assert created[0]["requestParameters"] == {"userName": user}
    assert created[0]["readOnly"] is False and created[0]["managementEvent"] is True

    assumed = records_of("AssumeRole")
    assert len(assumed) == 1
    assert assumed[0]["eventSource"] == "sts.amazonaws.com"
    assert assumed[0]["userIdentity"]["type"] == "IAMUser"
    assert assumed[0]["userIdentity"]["userName"] == user
    assert assumed[0]["requestParameters"]["roleSessionName"] == "audit"

    listed = [r for r in records_of("ListBuckets")
              if r["userIdentity"].get("accessKeyId") == credentials["AccessKeyId"]]
    assert len(listed) == 1
    identity = listed[0]["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["arn"].endswith(f":assumed-role/{role}/audit")
    assert identity["principalId"].startswith("AROA") and identity["principalId"].endswith(":audit")
    assert identity["sessionContext"]["sessionIssuer"]["userName"] == role
    assert identity["sessionContext"]["sessionIssuer"]["type"] == "Role"

    failed = records_of("GetUser")
    assert [(r["errorCode"], r["eventSource"]) for r in failed] == [
        ("NoSuchEntity", "iam.amazonaws.com")]
