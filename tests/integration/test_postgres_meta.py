"""Metadata in PostgreSQL (issue 17, `--meta postgres://...` / `[storage] meta`): a real
PostgreSQL 15 (Debian's, initdb'd by tests/support/pg-test-cluster.sh into the test's folder, on
a Unix socket only). Objects, versions and users live in the database, not in <data>/meta.db;
they survive kill -9 of the server; the admin CLI works on the same database; a second server
with its own data folder and the same master key serves what the first one wrote."""

import hashlib
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from cvharness import make_client, server_binary
from test_console_access import sign_in_root

CLUSTER_SCRIPT = Path(__file__).resolve().parents[1] / "support" / "pg-test-cluster.sh"


@pytest.fixture
def postgres(tmp_path):
    """A running cluster; yields a function making a fresh database's postgres:// URL."""
    folder = Path("/tmp") / f"cv-pg-it-{uuid.uuid4().hex[:8]}"  # short: a socket path limit
    subprocess.run(["bash", str(CLUSTER_SCRIPT), "start", str(folder)], check=True, timeout=120)

    def database():
        name = "cv_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", "-h", str(folder), "-U", "cloudvault", "-d", "postgres", "-q",
                        "-c", f"CREATE DATABASE {name}"], check=True, timeout=60)
        return f"postgresql://cloudvault@/{name}?host={folder}"

    yield database
    subprocess.run(["bash", str(CLUSTER_SCRIPT), "stop", str(folder)], timeout=120)


def test_objects_and_users_live_in_postgres_and_survive_kill_9(server_factory, postgres,
                                                               tmp_path):
    url = postgres()
    first = server_factory(name="first", extra_args=("--meta", url))
    assert any("metadata is kept in PostgreSQL postgresql://cloudvault@/" in line
               for line in first.log_path.read_text().splitlines())
    s3 = make_client(first.endpoint, first.access_key, first.secret_key)
    s3.create_bucket(Bucket="ledger")
    s3.put_bucket_versioning(Bucket="ledger", VersioningConfiguration={"Status": "Enabled"})
    big = os.urandom(300 * 1024)
    v1 = s3.put_object(Bucket="ledger", Key="doc", Body=b"first")["VersionId"]
    v2 = s3.put_object(Bucket="ledger", Key="doc", Body=b"second")["VersionId"]
    s3.put_object(Bucket="ledger", Key="big.bin", Body=big)
    for i in range(30):
        s3.put_object(Bucket="ledger", Key=f"dir/{i:03d}", Body=str(i).encode())
    assert not (first.data_dir / "meta.db").exists()
    # The admin CLI opens the same database.
    cli = [server_binary(), "admin", "user", "add", "alice", "--data", str(first.data_dir),
           "--meta", url]
    subprocess.run(cli, check=True, capture_output=True, timeout=60, env=first.env())
    first.kill()  # SIGKILL

    again = server_factory(name="again", data_dir=first.data_dir, access_key=first.access_key,
                           secret_key=first.secret_key, extra_args=("--meta", url))
    s3 = make_client(again.endpoint, again.access_key, again.secret_key)
    assert s3.get_object(Bucket="ledger", Key="doc")["Body"].read() == b"second"
    assert s3.get_object(Bucket="ledger", Key="doc", VersionId=v1)["Body"].read() == b"first"
    versions = s3.list_object_versions(Bucket="ledger", Prefix="doc")["Versions"]
    assert [v["VersionId"] for v in versions] == [v2, v1]
    got = s3.get_object(Bucket="ledger", Key="big.bin")["Body"].read()
    assert hashlib.sha256(got).digest() == hashlib.sha256(big).digest()
    page = s3.list_objects_v2(Bucket="ledger", Prefix="dir/", MaxKeys=20)
    assert [o["Key"] for o in page["Contents"]] == [f"dir/{i:03d}" for i in range(20)]
    rest = s3.list_objects_v2(Bucket="ledger", Prefix="dir/",
                              ContinuationToken=page["NextContinuationToken"])
    assert [o["Key"] for o in rest["Contents"]] == [f"dir/{i:03d}" for i in range(20, 30)]
    users = json.loads(again.admin("user", "list", "--meta", url).stdout)
    assert "alice" in [u["user"] for u in users]
    # The Dashboard says where the metadata is, without a password.
    status, _, dashboard = sign_in_root(again).call("GET", "operations/dashboard")
    assert status == 200, dashboard
    assert dashboard["storage"]["metadata"].startswith("PostgreSQL postgresql://cloudvault@/")


def test_a_second_server_serves_what_the_first_wrote(server_factory, postgres, tmp_path):
    url = postgres()
    key_file = tmp_path / "master.key"
    key_file.write_bytes(os.urandom(32))
    key_file.chmod(0o600)
    config = tmp_path / "shared.toml"
    config.write_text(f'[storage]\nmeta = "{url}"\nmaster_key_file = "{key_file}"\n')
    one = server_factory(name="one", extra_args=("--config", str(config)))
    s3_one = make_client(one.endpoint, one.access_key, one.secret_key)
    s3_one.create_bucket(Bucket="shared")
    body = os.urandom(64 * 1024)
    s3_one.put_object(Bucket="shared", Key="note", Body=body, ServerSideEncryption="AES256")

    two = server_factory(name="two", access_key=one.access_key, secret_key=one.secret_key,
                         extra_args=("--config", str(config)))
    s3_two = make_client(two.endpoint, two.access_key, two.secret_key)
    got = s3_two.get_object(Bucket="shared", Key="note")
    assert got["ServerSideEncryption"] == "AES256"  # the same master key opens it
    assert got["Body"].read() == body
    assert [b["Name"] for b in s3_two.list_buckets()["Buckets"]] == ["shared"]


def test_a_bad_meta_url_stops_the_server_with_the_reason(tmp_path):
    def start(*args):
        result = subprocess.run([server_binary(), "server", "--listen", "127.0.0.1:0", "--data",
                                 str(tmp_path / "d"), *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode != 0
        return result.stderr

    assert "--meta must be a postgres:// URL" in start("--meta", "mysql://x")
    refused = start("--meta", "postgres://cv:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "cannot connect to PostgreSQL" in refused
    assert "s3cret" not in refused


def test_admin_migrate_copies_a_running_stores_metadata_once_it_stops(server_factory, postgres):
    url = postgres()
    embedded = server_factory(name="embedded")
    s3 = make_client(embedded.endpoint, embedded.access_key, embedded.secret_key)
    s3.create_bucket(Bucket="moving")
    s3.put_bucket_versioning(Bucket="moving", VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket="moving", Key="doc", Body=b"old")["VersionId"]
    s3.put_object(Bucket="moving", Key="doc", Body=b"new")
    body = os.urandom(200 * 1024)
    s3.put_object(Bucket="moving", Key="photo.jpg", Body=body, ContentType="image/jpeg",
                  Metadata={"album": "summer"}, Tagging="place=sea")
    embedded.admin("user", "add", "bob")

    def migrate():
        return subprocess.run([server_binary(), "admin", "migrate", "--to", url, "--data",
                               str(embedded.data_dir)], capture_output=True, text=True,
                              timeout=300, env=embedded.env())

    refused = migrate()
    assert refused.returncode == 1
    assert "in use" in refused.stderr and "stop it first" in refused.stderr
    embedded.terminate()
    done = migrate()
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["verified"] is True
    rows = {table["table"]: table["rows"] for table in summary["tables"]}
    assert rows["objects"] == 3 and rows["buckets"] == 1 and summary["rows"] >= 5
    assert migrate().returncode == 1  # the database holds rows now

    moved = server_factory(name="moved", data_dir=embedded.data_dir,
                           access_key=embedded.access_key, secret_key=embedded.secret_key,
                           extra_args=("--meta", url))
    s3 = make_client(moved.endpoint, moved.access_key, moved.secret_key)
    assert s3.get_object(Bucket="moving", Key="doc")["Body"].read() == b"new"
    assert s3.get_object(Bucket="moving", Key="doc", VersionId=old)["Body"].read() == b"old"
    photo = s3.get_object(Bucket="moving", Key="photo.jpg")
    assert photo["Body"].read() == body
    assert photo["ContentType"] == "image/jpeg" and photo["Metadata"] == {"album": "summer"}
    tags = s3.get_object_tagging(Bucket="moving", Key="photo.jpg")["TagSet"]
    assert tags == [{"Key": "place", "Value": "sea"}]
    users = json.loads(moved.admin("user", "list", "--meta", url).stdout)
    assert "bob" in [u["user"] for u in users]
