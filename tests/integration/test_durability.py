"""Crash safety and streaming: kill -9 under load, graceful SIGTERM, a 5 GiB object through a
server whose memory stays small. Each test runs its own server (server_factory)."""

import hashlib
import random
import signal
import socket
import threading

import pytest

from cvharness import KiB, MiB, PatternFile, make_client

GiB = 1024 * MiB
WRITERS = 32
ACKS_BEFORE_KILL = 240
# Sizes are either clearly small (kept inline in the metadata row under any sensible
# threshold) or clearly large (a blob file each), so blob files can be counted exactly.
SMALL_LIMIT = 2 * KiB + 512
LARGE_MIN = 600 * KiB
SIZES = [1 * KiB, 2 * KiB, 640 * KiB, 1 * MiB, 2 * MiB - 512]


def client_for(server):
    return make_client(server.endpoint, server.access_key, server.secret_key)


def restart(server_factory, crashed, name):
    return server_factory(
        data_dir=crashed.data_dir,
        access_key=crashed.access_key,
        secret_key=crashed.secret_key,
        name=name,
    )


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.mark.slow
def test_kill_9_during_concurrent_uploads(fresh_server, server_factory):
    first = fresh_server
    client = client_for(first)
    client.create_bucket(Bucket="crash")

    attempted = {}  # key -> (md5 hex, size), recorded before the PUT is sent
    acknowledged = {}  # key -> md5 hex, recorded when the PUT returned 200
    failures = []
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()

    def writer(index):
        rng = random.Random(index)
        number = 0
        while not stop.is_set():
            size = rng.choice(SIZES) + rng.randrange(-512, 512)
            data = rng.randbytes(size)
            digest = hashlib.md5(data).hexdigest()
            key = f"writer{index:02d}/object{number:04d}"
            with lock:
                attempted[key] = (digest, size)
            try:
                response = client.put_object(Bucket="crash", Key=key, Body=data)
            except Exception as error:  # the kill interrupts requests in flight
                if not stop.is_set():
                    with lock:
                        failures.append(f"{key}: {error!r}")
                    enough.set()
                return
            if response["ETag"] != f'"{digest}"':
                with lock:
                    failures.append(f"{key}: ETag {response['ETag']} for md5 {digest}")
            with lock:
                acknowledged[key] = digest
                if len(acknowledged) >= ACKS_BEFORE_KILL:
                    enough.set()
            number += 1

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    reached = enough.wait(timeout=300)
    stop.set()
    first.kill()  # SIGKILL while up to 32 uploads are in flight
    for thread in threads:
        thread.join(timeout=120)
    assert reached, f"only {len(acknowledged)} uploads acknowledged before the time limit"
    assert not failures, failures[:5]
    assert not any(thread.is_alive() for thread in threads)
    in_flight = set(attempted) - set(acknowledged)
    assert in_flight, "the kill should interrupt uploads in flight"
    print(f"{len(acknowledged)} acknowledged, {len(in_flight)} in flight at the kill")

    second = restart(server_factory, first, "after-crash")
    # Temp files of interrupted uploads are reclaimed at start-up.
    assert files_under(first.data_dir / "tmp") == []

    client = client_for(second)
    listed = {}
    token = None
    while True:
        kwargs = {"Bucket": "crash"}
        if token:
            kwargs["ContinuationToken"] = token
        page = client.list_objects_v2(**kwargs)
        for item in page.get("Contents", []):
            listed[item["Key"]] = item
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]

    missing = sorted(set(acknowledged) - set(listed))
    assert not missing, f"acknowledged but lost: {missing[:10]}"
    unknown = sorted(set(listed) - set(attempted))
    assert not unknown, f"listed but never written: {unknown[:10]}"
    for key, item in listed.items():
        digest, size = attempted[key]
        assert item["Size"] == size, key
        assert item["ETag"] == f'"{digest}"', key
        body = client.get_object(Bucket="crash", Key=key)["Body"].read()
        assert len(body) == size, key
        assert hashlib.md5(body).hexdigest() == digest, f"{key} reads back different bytes"

    # Orphan blobs (written by uploads the kill interrupted) are reclaimed: there is at most
    # one blob file per listed large object.
    large = [key for key, item in listed.items() if item["Size"] >= LARGE_MIN]
    assert all(item["Size"] <= SMALL_LIMIT for key, item in listed.items() if key not in large)
    blob_files = files_under(first.data_dir / "blobs")
    assert len(blob_files) <= len(large), f"{len(blob_files)} blobs for {len(large)} objects"
    print(f"{len(listed)} listed after restart, {len(large)} large, {len(blob_files)} blob files")

    # The restarted server takes writes as usual.
    client.put_object(Bucket="crash", Key="after", Body=b"after the crash")
    assert client.get_object(Bucket="crash", Key="after")["Body"].read() == b"after the crash"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_graceful_stop_and_data_survives(fresh_server, server_factory, sig):
    first = fresh_server
    client = client_for(first)
    client.create_bucket(Bucket="term")
    data = {f"k{i}": random.Random(i).randbytes(i * 50 * KiB + 1) for i in range(6)}
    for key, body in data.items():
        client.put_object(Bucket="term", Key=key, Body=body)
    # An idle keep-alive connection must not hold the shutdown up past its bound.
    with socket.create_connection(("127.0.0.1", first.port), timeout=30):
        assert first.terminate(timeout=20, sig=sig) == 0

    second = restart(server_factory, first, "term-restart")
    client = client_for(second)
    for key, body in data.items():
        assert client.get_object(Bucket="term", Key=key)["Body"].read() == body
    assert files_under(first.data_dir / "tmp") == []


@pytest.mark.slow
def test_streamed_5gib_put_and_get_with_small_rss(fresh_server):
    """S3's largest single PUT (5 GiB) goes in and out while the server stays under 100 MiB."""
    server = fresh_server
    client = client_for(server)
    client.create_bucket(Bucket="stream")
    size = 5 * GiB
    body = PatternFile(size)
    expected_sha256 = body.sha256()
    md5 = hashlib.md5()
    while chunk := body.read(4 * MiB):
        md5.update(chunk)
    body.seek(0)

    put = client.put_object(Bucket="stream", Key="huge.bin", Body=body)
    assert put["ETag"] == f'"{md5.hexdigest()}"'
    after_put = server.peak_rss_bytes()

    head = client.head_object(Bucket="stream", Key="huge.bin")
    assert head["ContentLength"] == size
    response = client.get_object(Bucket="stream", Key="huge.bin")
    digest = hashlib.sha256()
    received = 0
    for chunk in response["Body"].iter_chunks(MiB):
        digest.update(chunk)
        received += len(chunk)
    assert received == size
    assert digest.hexdigest() == expected_sha256
    peak = server.peak_rss_bytes()
    assert after_put < 100 * MiB, f"peak RSS {after_put / MiB:.1f} MiB after the PUT"
    assert peak < 100 * MiB, f"peak RSS {peak / MiB:.1f} MiB after the GET"

