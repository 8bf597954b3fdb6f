"""Users, access keys and root credentials: the admin CLI against a running server, and how
secrets are kept in the data folder."""

import json
import stat
import uuid

from cvharness import expect_error, make_client


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file())


def files_containing(root, needle):
    return [path for path in files_under(root) if needle in path.read_bytes()]


def test_admin_keys_work_at_once_and_can_be_deleted(server, s3, unique_name):
    user = "keyed-" + unique_name()[-8:]
    server.admin("user", "add", user)
    access_key, secret_key = "CVBYOKEY" + unique_name()[-8:].upper() + "XYZW", "s" * 40
    created = json.loads(
        server.admin(
            "key", "create", user, "--access-key", access_key, "--secret-key", secret_key
        ).stdout
    )
    assert created == {"user": user, "access_key_id": access_key, "secret_key": secret_key}
    listed = json.loads(server.admin("key", "list").stdout)
    assert {"user": user, "access_key_id": access_key} in [
        {"user": k["user"], "access_key_id": k["access_key_id"]} for k in listed
    ]
    # The running server accepts the new key immediately.
    client = make_client(server.endpoint, access_key, secret_key)
    name = unique_name()
    client.create_bucket(Bucket=name)
    client.put_object(Bucket=name, Key="k", Body=b"v")
    assert client.get_object(Bucket=name, Key="k")["Body"].read() == b"v"

    server.admin("key", "delete", access_key)
    listed = json.loads(server.admin("key", "list").stdout)
    assert access_key not in {k["access_key_id"] for k in listed}
    expect_error(client.list_buckets, "InvalidAccessKeyId", 403)
    # Generated keys are returned once, in full.
    generated = json.loads(server.admin("key", "create", user).stdout)
    assert generated["user"] == user
    assert len(generated["access_key_id"]) >= 16 and len(generated["secret_key"]) >= 30
    other = make_client(server.endpoint, generated["access_key_id"], generated["secret_key"])
    assert other.get_object(Bucket=name, Key="k")["Body"].read() == b"v"


def test_a_deleted_key_is_refused_by_the_next_request(server, unique_name):
    # The server looks at credentials.changed at most every 100 ms; `admin key delete`
    # returns only once that has passed, so the very next request is refused.
    user = "revoked-" + unique_name()[-8:]
    server.admin("user", "add", user)
    created = json.loads(server.admin("key", "create", user).stdout)
    client = make_client(server.endpoint, created["access_key_id"], created["secret_key"])
    client.list_buckets()  # cached as valid by the server
    server.admin("key", "delete", created["access_key_id"])
    expect_error(client.list_buckets, "InvalidAccessKeyId", 403)


def test_key_for_unknown_user_fails(server):
    result = server.admin("key", "create", "no-such-user-" + uuid.uuid4().hex[:6], check=False)
    assert result.returncode != 0
    assert result.stderr.strip()


def test_root_credentials_are_generated_once_and_kept(server_factory):
    first = server_factory(name="generated-root", root_from_env=False)
    access_key = first.wait_for_stdout(r"(?i)access key\s*[:=]\s*(\S+)").group(1)
    secret_key = first.wait_for_stdout(r"(?i)secret key\s*[:=]\s*(\S+)").group(1)
    client = make_client(first.endpoint, access_key, secret_key)
    client.create_bucket(Bucket="generated")
    client.put_object(Bucket="generated", Key="k", Body=b"kept")
    # Kept in the data folder, readable by the owner only.
    holders = files_containing(first.data_dir, secret_key.encode())
    assert holders, "the generated root secret is not kept in the data folder"
    for path in holders:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"
    assert first.terminate() == 0

    second = server_factory(data_dir=first.data_dir, name="generated-root-again",
                            root_from_env=False)
    assert second.wait_for_stdout(r"(?i)access key\s*[:=]\s*(\S+)").group(1) == access_key
    client = make_client(second.endpoint, access_key, secret_key)
    assert client.get_object(Bucket="generated", Key="k")["Body"].read() == b"kept"


def test_user_secrets_are_encrypted_at_rest(fresh_server):
    server = fresh_server
    server.admin("user", "add", "alice", "--display-name", "Alice")
    secret = "PlainTextSecretMarker" + uuid.uuid4().hex[:19]
    access_key = "CVALICE" + uuid.uuid4().hex[:13].upper()
    server.admin("key", "create", "alice", "--access-key", access_key, "--secret-key", secret)
    generated = json.loads(server.admin("key", "create", "alice").stdout)["secret_key"]
    client = make_client(server.endpoint, access_key, secret)
    client.create_bucket(Bucket="alice-bucket")
    client.put_object(Bucket="alice-bucket", Key="k", Body=b"v")
    for attempt in ("running", "stopped"):
        for needle in (secret, generated):
            assert files_containing(server.data_dir, needle.encode()) == [], (attempt, needle)
        # The root secret (given in the environment here) may be kept only in owner-only files.
        for path in files_containing(server.data_dir, server.secret_key.encode()):
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
        if attempt == "running":
            assert server.terminate() == 0  # checkpoints SQLite's WAL into the database
