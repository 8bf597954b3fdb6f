"""Replication to a remote S3 endpoint (issue 12): a second `cloudvault server` plays the
remote, reached through a TCP forwarder the tests can hold down. Large objects go multipart
and resume after kill -9 without resending finished parts; a remote outage keeps versions
PENDING and nothing is copied twice; a refused key is FAILED with a reason."""

import hashlib
import json
import re
import socket
import threading
import time

import pytest

from cvharness import make_client
from test_notifications import tasks, wait_until
from test_notify_targets import free_port
from test_replication import (backup_status, md5_of_object, rule, replicate, start, status_of,
                              versioned, wait_status, write_big_file)


class Forwarder:
    """Forwards TCP connections from 127.0.0.1:<port> to a target port once opened; until
    then the port refuses connections (the remote is "down")."""

    def __init__(self, bytes_per_second=None):
        self.port = free_port()
        self.listener = None
        self.bytes_per_second = bytes_per_second  # a slow link, when set

    def open(self, target_port):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener, target_port),
                         daemon=True).start()

    def _accept(self, listener, target_port):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        started, sent = time.monotonic(), 0
        try:
            while data := source.recv(1 << 16):
                sink.sendall(data)
                sent += len(data)
                if self.bytes_per_second:  # rate limiting, not synchronisation
                    ahead = sent / self.bytes_per_second - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        if self.listener:
            self.listener.close()


@pytest.fixture
def remote(server_factory):
    server = server_factory(name="remote")
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    versioned(client, "offsite-backup")
    return server, client


def remote_config(endpoint, server, secret=None):
    return {"endpoint": endpoint, "region": "us-east-1", "access_key": server.access_key,
            "secret_key": secret or server.secret_key}


def test_versions_reach_the_remote_with_their_source_identity(server_factory, tmp_path, remote):
    remote_server, remote_s3 = remote
    server, s3 = start(server_factory, tmp_path,
                       remotes={"offsite": remote_config(remote_server.endpoint, remote_server)})
    versioned(s3, "docs")
    replicate(s3, "docs", rule("offsite-backup", account="offsite", delete_markers=True))
    put = s3.put_object(Bucket="docs", Key="a/b c.txt", Body=b"hello remote",
                        ContentType="text/plain", Metadata={"owner": "ann"}, Tagging="x=1")
    wait_status(s3, "docs", "a/b c.txt", "COMPLETED")
    copy = remote_s3.get_object(Bucket="offsite-backup", Key="a/b c.txt")
    assert copy["Body"].read() == b"hello remote"
    assert copy["ContentType"] == "text/plain"
    assert copy["Metadata"]["owner"] == "ann"
    assert copy["Metadata"]["cloudvault-source-version-id"] == put["VersionId"]
    assert remote_s3.get_object_tagging(Bucket="offsite-backup", Key="a/b c.txt")["TagSet"] == [
        {"Key": "x", "Value": "1"}]
    # A tag change follows the copy.
    s3.put_object_tagging(Bucket="docs", Key="a/b c.txt",
                          Tagging={"TagSet": [{"Key": "x", "Value": "2"}]})
    wait_until(lambda: remote_s3.get_object_tagging(Bucket="offsite-backup", Key="a/b c.txt")[
        "TagSet"] == [{"Key": "x", "Value": "2"}], what="the new tags at the remote")
    # A delete marker becomes a delete marker at the remote.
    s3.delete_object(Bucket="docs", Key="a/b c.txt")
    wait_until(lambda: remote_s3.list_object_versions(Bucket="offsite-backup").get(
        "DeleteMarkers"), what="the remote delete marker")


def test_a_refused_remote_key_is_failed_with_its_reason(server_factory, tmp_path, remote):
    remote_server, _ = remote
    server, s3 = start(server_factory, tmp_path, remotes={
        "offsite": remote_config(remote_server.endpoint, remote_server, secret="wrong" * 8)})
    versioned(s3, "docs")
    replicate(s3, "docs", rule("offsite-backup", account="offsite"))
    s3.put_object(Bucket="docs", Key="k", Body=b"v")
    wait_status(s3, "docs", "k", "FAILED")
    failed = tasks(server, failed=True)
    # HEAD comes first; its 403 has no body to name the code.
    assert len(failed) == 1 and "AccessDenied" in failed[0]["last_error"]
    assert "403" in failed[0]["last_error"]


def test_kill_9_with_200_pending_copies_each_exactly_once(server_factory, tmp_path, remote):
    remote_server, remote_s3 = remote
    forwarder = Forwarder()  # down: connections refused
    try:
        events = {"retry_first_seconds": 0.05, "retry_max_seconds": 0.3, "max_attempts": 1000}
        server, s3 = start(server_factory, tmp_path, events=events, remotes={
            "offsite": remote_config(f"http://127.0.0.1:{forwarder.port}", remote_server)})
        config = tmp_path / "src.toml"
        versioned(s3, "docs")
        replicate(s3, "docs", rule("offsite-backup", account="offsite"))
        keys = [f"obj{i:03}" for i in range(200)]
        for key in keys:
            s3.put_object(Bucket="docs", Key=key, Body=key.encode())
        bucket = backup_status(server, config, "docs")[0]
        status = bucket["rules"][0]
        # Exact while the remote is down: planned or not yet, every version counts.
        assert status["pending"] + bucket["unplanned"] == 200
        assert status["pending_bytes"] + bucket["unplanned_bytes"] == 6 * 200
        assert status["OperationsPendingReplication"] == status["pending"]
        assert "connect" in status["last_error"].lower() or status["pending"] == 0
        assert status_of(s3, "docs", "obj000") == "PENDING"
        server.kill()
        forwarder.open(remote_server.port)
        server.start()
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        for key in keys:
            wait_status(s3, "docs", key, "COMPLETED", timeout=60)
        listing = remote_s3.list_object_versions(Bucket="offsite-backup", MaxKeys=1000)
        assert sorted(v["Key"] for v in listing["Versions"]) == keys  # one version each
        final = backup_status(server, config, "docs")[0]["rules"][0]
        assert final["pending"] == 0 and final["replicated"] + final["skipped"] == 200
    finally:
        forwarder.close()


def test_a_1_gib_object_goes_multipart_and_resumes_after_kill_9(server_factory, tmp_path,
                                                                  remote, request):
    remote_server, remote_s3 = remote
    link = Forwarder(bytes_per_second=100 << 20)  # 100 MiB/s: the copy takes ~10 s
    link.open(remote_server.port)
    request.addfinalizer(link.close)
    server, s3 = start(server_factory, tmp_path, remotes={
        "offsite": remote_config(f"http://127.0.0.1:{link.port}", remote_server)})
    versioned(s3, "media")
    replicate(s3, "media", rule("offsite-backup", account="offsite"))
    # The body: 1 GiB of a random 1 MiB block repeated, uploaded with boto3's multipart.
    block = hashlib.sha256(b"seed").digest() * (1 << 15)  # 1 MiB
    path = write_big_file(tmp_path / "big.bin", 1024, block)
    s3.upload_file(str(path), "media", "big.bin")
    expected = hashlib.md5(path.read_bytes()).hexdigest()
    path.unlink()

    def parts_at_remote():
        uploads = remote_s3.list_multipart_uploads(Bucket="offsite-backup").get("Uploads", [])
        if not uploads:
            return 0
        return len(remote_s3.list_parts(Bucket="offsite-backup", Key="big.bin",
                                         UploadId=uploads[0]["UploadId"]).get("Parts", []))
    wait_until(lambda: parts_at_remote() >= 3, timeout=60, what="three parts at the remote")
    server.kill()
    server.start()
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    wait_status(s3, "media", "big.bin", "COMPLETED", timeout=300)
    line = server.wait_for_log(r"in (\d+) parts, (\d+) reused", timeout=10)
    assert int(line.group(1)) == 64 and int(line.group(2)) >= 3
    assert md5_of_object(remote_s3, "offsite-backup", "big.bin") == expected
    # Memory stayed bounded while a gigabyte went through.
    peak_kib = int(server.proc_status()["VmHWM"].split()[0])
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib} KiB"
