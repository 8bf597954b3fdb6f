"""Object bodies on an S3 endpoint (issue 17, `--blob` / `[storage] blob`): a second
`cloudvault server` plays the endpoint. Bodies above the inline threshold land under
PREFIX/blobs/ of its bucket (colder tiers under PREFIX/standard_ia/), come back byte for byte,
survive kill -9 of the front server, and go when garbage collection frees them; a store the
server cannot use stops it at start with the reason."""

import hashlib
import os
import subprocess
import time

import pytest

from cvharness import make_client, server_binary
from test_console_access import sign_in_root

BODY_BUCKET = "bodies"


def wait_until(condition, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)  # polling a condition with a deadline
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def backing(server_factory):
    """The S3 endpoint that keeps the bodies, with its bucket, and a client for it."""
    endpoint = server_factory(name="backing")
    client = make_client(endpoint.endpoint, endpoint.access_key, endpoint.secret_key)
    client.create_bucket(Bucket=BODY_BUCKET)
    return endpoint, client


def blob_url(backing_server, prefix="site"):
    return f"s3://{BODY_BUCKET}/{prefix}?endpoint=http://127.0.0.1:{backing_server.port}" \
           "&region=us-east-1"


def stored(client, prefix):
    """{key: size} of the backing bucket under `prefix`."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BODY_BUCKET,
                                                                Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["Size"]
    return found


def front_with_table_config(server_factory, backing_server, tmp_path, extra=""):
    config = tmp_path / "front.toml"
    config.write_text(
        "[storage.blob]\n"
        f'url = "{blob_url(backing_server)}"\n'
        f'access_key = "{backing_server.access_key}"\n'
        f'secret_key = "{backing_server.secret_key}"\n' + extra)
    return server_factory(name="front", extra_args=("--config", str(config)))


def test_bodies_live_in_the_backing_bucket(server_factory, backing, tmp_path):
    backing_server, backing_client = backing
    front = front_with_table_config(server_factory, backing_server, tmp_path)
    assert any("object bodies in s3://bodies/site/blobs/" in line
               for line in front.log_path.read_text().splitlines())
    s3 = make_client(front.endpoint, front.access_key, front.secret_key)
    s3.create_bucket(Bucket="photos")
    small = b"tiny"  # stays inline in the metadata
    medium = os.urandom(300 * 1024)
    large = os.urandom(12 * 1024 * 1024 + 17)  # one PUT, more than one 8 MiB part behind it
    s3.put_object(Bucket="photos", Key="small.txt", Body=small)
    s3.put_object(Bucket="photos", Key="medium.bin", Body=medium)
    s3.put_object(Bucket="photos", Key="large.bin", Body=large)

    sizes = sorted(stored(backing_client, "site/blobs/").values())
    assert sizes == [len(medium), len(large)]
    for key, body in (("small.txt", small), ("medium.bin", medium), ("large.bin", large)):
        got = s3.get_object(Bucket="photos", Key=key)["Body"].read()
        assert hashlib.sha256(got).digest() == hashlib.sha256(body).digest(), key
    ranged = s3.get_object(Bucket="photos", Key="large.bin", Range="bytes=8388600-8388700")
    assert ranged["Body"].read() == large[8388600:8388701]
    # No multipart upload is left behind on the endpoint.
    assert backing_client.list_multipart_uploads(Bucket=BODY_BUCKET).get("Uploads", []) == []
    # The console's Dashboard says where the bodies are, without the keys.
    status, _, dashboard = sign_in_root(front).call("GET", "operations/dashboard")
    assert status == 200, dashboard
    assert dashboard["storage"]["bodies"].startswith("s3://bodies/site/blobs/?endpoint=http://")
    assert dashboard["storage"]["metadata"] == f"SQLite {front.data_dir / 'meta.db'}"
    assert backing_server.secret_key not in str(dashboard)


def test_a_colder_tier_goes_under_its_own_prefix(server_factory, backing, tmp_path):
    backing_server, backing_client = backing
    front = front_with_table_config(server_factory, backing_server, tmp_path)
    s3 = make_client(front.endpoint, front.access_key, front.secret_key)
    s3.create_bucket(Bucket="archive")
    body = os.urandom(200 * 1024)
    s3.put_object(Bucket="archive", Key="cold.bin", Body=body, StorageClass="STANDARD_IA")
    # One object: the body in the tier's frames (zstd_frames.h), a little longer than the body.
    assert len(stored(backing_client, "site/standard_ia/")) == 1
    assert stored(backing_client, "site/blobs/") == {}
    got = s3.get_object(Bucket="archive", Key="cold.bin")
    assert got["StorageClass"] == "STANDARD_IA"
    assert got["Body"].read() == body


def test_environment_keys_and_a_kill_9(server_factory, backing, monkeypatch):
    backing_server, backing_client = backing
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", backing_server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", backing_server.secret_key)
    front = server_factory(name="front", extra_args=("--blob", blob_url(backing_server, "k9")))
    s3 = make_client(front.endpoint, front.access_key, front.secret_key)
    s3.create_bucket(Bucket="durable")
    bodies = {f"obj-{i}": os.urandom(150 * 1024 + i) for i in range(5)}
    for key, body in bodies.items():
        s3.put_object(Bucket="durable", Key=key, Body=body)
    front.kill()  # SIGKILL
    again = server_factory(name="again", data_dir=front.data_dir,
                           access_key=front.access_key, secret_key=front.secret_key,
                           extra_args=("--blob", blob_url(backing_server, "k9")))
    s3 = make_client(again.endpoint, again.access_key, again.secret_key)
    for key, body in bodies.items():
        assert s3.get_object(Bucket="durable", Key=key)["Body"].read() == body
    assert len(stored(backing_client, "k9/blobs/")) == len(bodies)


def test_garbage_collection_removes_freed_bodies(server_factory, backing, tmp_path):
    backing_server, backing_client = backing
    front = front_with_table_config(server_factory, backing_server, tmp_path,
                                    extra="\n[gc]\ninterval_seconds = 1\n")
    s3 = make_client(front.endpoint, front.access_key, front.secret_key)
    s3.create_bucket(Bucket="scratch")
    s3.put_object(Bucket="scratch", Key="keep", Body=os.urandom(200 * 1024))
    s3.put_object(Bucket="scratch", Key="drop", Body=os.urandom(300 * 1024))
    assert len(stored(backing_client, "site/blobs/")) == 2
    s3.delete_object(Bucket="scratch", Key="drop")
    wait_until(lambda: sorted(stored(backing_client, "site/blobs/").values()) == [200 * 1024],
               what="the dropped body to leave the backing bucket")
    assert len(s3.get_object(Bucket="scratch", Key="keep")["Body"].read()) == 200 * 1024


def start_failure(tmp_path, *args, env=None):
    result = subprocess.run(
        [server_binary(), "server", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "d"),
         *args], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode != 0
    return result.stderr


def test_a_store_the_server_cannot_use_stops_it_at_start(backing, tmp_path):
    backing_server, _ = backing
    env = dict(os.environ, AWS_ACCESS_KEY_ID=backing_server.access_key,
               AWS_SECRET_ACCESS_KEY=backing_server.secret_key)
    missing = blob_url(backing_server).replace(f"s3://{BODY_BUCKET}/", "s3://no-such-bucket/")
    assert "NoSuchBucket" in start_failure(tmp_path, "--blob", missing, env=env)
    wrong = dict(env, AWS_SECRET_ACCESS_KEY="not-the-secret")
    stderr = start_failure(tmp_path, "--blob", blob_url(backing_server), env=wrong)
    assert "HeadBucket" in stderr
    no_keys = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    assert "AWS_ACCESS_KEY_ID" in start_failure(tmp_path, "--blob", blob_url(backing_server),
                                                 env=no_keys)
    assert "scheme must be s3://" in start_failure(tmp_path, "--blob", "http://bodies/x",
                                                   env=env)
    bad = tmp_path / "bad.toml"
    bad.write_text('[storage.blob]\nurl = "s3://bodies/x"\naccess_key = "only-one"\n')
    assert "access_key and secret_key" in start_failure(tmp_path, "--config", str(bad), env=env)
