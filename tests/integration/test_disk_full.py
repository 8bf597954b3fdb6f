"""Running out of room (issue 15): a server whose data folder is a small tmpfs the test mounts
is filled until writes are refused. A PUT, an inline PUT (a metadata commit), a multipart
upload (aws CLI), a POST upload and a CopyObject that cannot be written get 503 SlowDown "Storage is full";
nothing half-written is listed or left in tmp/; GET, HEAD, LIST and DELETE keep working;
/_cloudvault/ready and cloudvault_disk_free_ratio say the folder is full; once space is freed
writes succeed again without a restart; a kill -9 while full loses no acknowledged object."""

import errno
import os
import subprocess
import time

import pytest

from conftest import AWS_BIN
from cvharness import make_client, md5_hex, random_bytes
from test_health import checks_by_name, ready, until
from test_metrics import scrape, value
from test_presign_auth import post_form

MiB = 1024 * 1024
STORAGE_FULL = "Storage is full"


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MiB tmpfs, unmounted after the test (after server_factory's servers are killed:
    list it before server_factory in a test's arguments)."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
    yield mount
    if subprocess.run(["umount", str(mount)]).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def start_on(server_factory, disk, tmp_path, name="full"):
    config = tmp_path / f"{name}.toml"
    # The garbage collector reclaims deleted objects' blobs within a second; 2 MiB are kept
    # back for metadata commits on the full disk.
    config.write_text("[gc]\ninterval_seconds = 1\n[health]\nreserve_bytes = 2097152\n")
    return server_factory(data_dir=disk / "data", name=name, extra_args=("--config", str(config)))


def client_of(instance):
    return make_client(instance.endpoint, instance.access_key, instance.secret_key)


def storage_full_refusal(call, **kwargs):
    """Calls `call`; returns its error response if it was refused for a full disk, None if it
    succeeded. Any other failure fails the test."""
    try:
        call(**kwargs)
        return None
    except Exception as caught:  # botocore ClientError, or the connection closed early
        response = getattr(caught, "response", None)
        assert response is not None, repr(caught)
        assert response["Error"]["Code"] == "SlowDown", response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 503, response
        assert response["Error"]["Message"].startswith(STORAGE_FULL), response
        return response


def fill_file(path):
    """Writes `path` until the file system has no byte left; returns its size."""
    written = 0
    with open(path, "wb", buffering=0) as out:
        for chunk in (256 * 1024, 4096, 512):
            block = b"\0" * chunk
            while True:
                try:
                    out.write(block)
                    written += chunk
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    break
    return written


def fill_up(s3, bucket, disk):
    """PUTs 1 MiB objects until one is refused, then fills what is left with a filler file,
    then PUTs inline (100 KiB) objects until the metadata store refuses one. Returns the
    acknowledged {key: body}."""
    acked = {}
    for i in range(3):  # inline objects, in the metadata store
        acked[f"small/early-{i}"] = random_bytes(10 * 1024, seed=500 + i)
        s3.put_object(Bucket=bucket, Key=f"small/early-{i}", Body=acked[f"small/early-{i}"])
    for i in range(40):
        body = random_bytes(MiB, seed=i)
        if storage_full_refusal(s3.put_object, Bucket=bucket, Key=f"big/{i:03}", Body=body):
            break
        acked[f"big/{i:03}"] = body
    else:
        pytest.fail("40 MiB went into a 24 MiB file system")
    assert len(acked) >= 8, "the disk was full before anything was written"
    fill_file(disk / "filler")
    for i in range(400):
        body = random_bytes(100 * 1024, seed=1000 + i)
        if storage_full_refusal(s3.put_object, Bucket=bucket, Key=f"small/{i:03}", Body=body):
            break
        acked[f"small/{i:03}"] = body
    else:
        pytest.fail("the metadata store never ran out of room")
    return acked


def listed(s3, bucket):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


def aws_cli_for(instance, home):
    config = home / "awsconfig"
    config.write_text("[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": instance.access_key,
                "AWS_SECRET_ACCESS_KEY": instance.secret_key,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(config),
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": "", "AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "1"})

    def run(*args):
        return subprocess.run([AWS_BIN, "--endpoint-url", instance.endpoint, *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=300)
    return run


def temp_files(instance):
    return [name for name in os.listdir(instance.data_dir / "tmp")]


def test_a_full_data_folder_refuses_writes_keeps_reads_and_deletes_and_recovers(
        small_disk, server_factory, tmp_path):
    instance = start_on(server_factory, small_disk, tmp_path)
    s3 = client_of(instance)
    s3.create_bucket(Bucket="full")
    acked = fill_up(s3, "full", small_disk)

    # Writes of every kind are refused with SlowDown and say why.
    refused = storage_full_refusal(s3.put_object, Bucket="full", Key="big/late",
                                   Body=random_bytes(MiB, seed=99))
    assert refused, "a 1 MiB PUT succeeded on a full disk"
    assert refused["Error"]["Message"] == (
        "Storage is full: no space is left on the device; an object's data could not be "
        "written. Retry once space has been freed.")
    assert storage_full_refusal(s3.copy_object, Bucket="full", Key="big/copy",
                                CopySource={"Bucket": "full", "Key": "big/000"})
    post = s3.generate_presigned_post(Bucket="full", Key="posted/big", ExpiresIn=600)
    posted = post_form(post["url"], post["fields"], "big.bin", random_bytes(MiB, seed=98))
    assert posted.status == 503, posted.body
    assert posted.error()["Code"] == "SlowDown"
    assert posted.error()["Message"].startswith(STORAGE_FULL), posted.body
    upload_file = tmp_path / "nine-mib"
    upload_file.write_bytes(random_bytes(9 * MiB, seed=7))
    aws = aws_cli_for(instance, tmp_path)
    uploaded = aws("s3", "cp", upload_file, "s3://full/multi/nine")
    assert uploaded.returncode != 0, uploaded.stdout
    assert "SlowDown" in uploaded.stderr, uploaded.stderr

    # Nothing half-written is visible: the listing holds exactly the acknowledged objects, and
    # no temporary is left behind.
    assert sorted(listed(s3, "full")) == sorted(acked)
    assert temp_files(instance) == []

    # Reads keep working.
    for key in ("big/000", next(k for k in acked if k.startswith("small/"))):
        assert s3.get_object(Bucket="full", Key=key)["Body"].read() == acked[key]
        assert s3.head_object(Bucket="full", Key=key)["ContentLength"] == len(acked[key])

    # Readiness and the disk gauge say the folder is full.
    status, body = ready(instance)
    assert status == 503 and body["status"] == "not_ready", body
    data = checks_by_name(body)[("data_folder", "data")]
    assert data["ok"] is False and data["free_ratio"] < 0.02, data
    assert "not writable" in data["detail"] and "No space left" in data["detail"], data
    text = scrape(instance)[2]
    assert value(text, "cloudvault_disk_free_ratio", folder="data") < 0.02
    assert value(text, "cloudvault_ready") == 0

    # Deletes keep working on the full disk, a big object's and a small (inline) one's.
    for key in ("big/001", next(k for k in acked if k.startswith("small/"))):
        s3.delete_object(Bucket="full", Key=key)
        del acked[key]
    assert sorted(listed(s3, "full")) == sorted(acked)

    # Freeing space lets writes through again, without a restart: the filler goes, deleted
    # objects' data is collected, the reserve is set aside again and the server is ready.
    os.remove(small_disk / "filler")
    for key in [k for k in acked if k.startswith("big/")][:12]:
        s3.delete_object(Bucket="full", Key=key)
        del acked[key]
    assert until(lambda: (instance.data_dir / "space.reserve").exists(), seconds=30)
    status, body = until(lambda: (r := ready(instance))[0] == 200 and r, seconds=30)
    assert status == 200, body
    assert value(scrape(instance)[2], "cloudvault_disk_free_ratio", folder="data") >= 0.02
    late = random_bytes(MiB, seed=99)
    s3.put_object(Bucket="full", Key="big/late", Body=late)
    acked["big/late"] = late
    s3.put_object(Bucket="full", Key="small/late", Body=b"inline again")
    acked["small/late"] = b"inline again"
    copied_from = next(k for k in acked if k.startswith("big/"))
    s3.copy_object(Bucket="full", Key="big/copy", CopySource={"Bucket": "full", "Key": copied_from})
    acked["big/copy"] = acked[copied_from]
    uploaded = aws("s3", "cp", upload_file, "s3://full/multi/nine")
    assert uploaded.returncode == 0, uploaded.stderr
    acked["multi/nine"] = upload_file.read_bytes()
    assert sorted(listed(s3, "full")) == sorted(acked)
    for key, body in acked.items():
        assert md5_hex(s3.get_object(Bucket="full", Key=key)["Body"].read()) == md5_hex(body), key


def test_a_kill_while_full_loses_no_acknowledged_object(small_disk, server_factory, tmp_path):
    instance = start_on(server_factory, small_disk, tmp_path, name="killed")
    s3 = client_of(instance)
    s3.create_bucket(Bucket="full")
    acked = fill_up(s3, "full", small_disk)
    # Deletes on the full disk make the metadata store give up its reserve; the release is
    # recorded next to it.
    marker = instance.data_dir / "space.reserve.released"
    for key in [k for k in acked if k.startswith("small/")][:20]:
        s3.delete_object(Bucket="full", Key=key)
        del acked[key]
        if marker.exists():
            break
    assert marker.exists(), "twenty deletes on a full disk never needed the reserve"
    assert not (instance.data_dir / "space.reserve").exists()
    instance.kill()
    # It starts again on the still full disk, and every acknowledged object is there.
    instance.start()
    s3 = client_of(instance)
    assert sorted(listed(s3, "full")) == sorted(acked)
    for key, body in acked.items():
        assert md5_hex(s3.get_object(Bucket="full", Key=key)["Body"].read()) == md5_hex(body), key
    assert storage_full_refusal(s3.put_object, Bucket="full", Key="big/late",
                                Body=random_bytes(MiB, seed=99))
    # The restarted server remembers the release: the room it freed is kept for deletes, so
    # even an object small enough to fit is refused, and deletes still commit.
    assert storage_full_refusal(s3.put_object, Bucket="full", Key="small/late",
                                Body=random_bytes(10 * 1024, seed=98))
    for key in [k for k in acked if k.startswith("small/")][:3]:
        s3.delete_object(Bucket="full", Key=key)
        del acked[key]
    assert sorted(listed(s3, "full")) == sorted(acked)
    # Room again (the filler and some objects' data go): the reserve is set aside once more,
    # the release forgotten, and writes succeed.
    os.remove(small_disk / "filler")
    for key in [k for k in acked if k.startswith("big/")][:6]:
        s3.delete_object(Bucket="full", Key=key)
        del acked[key]
    assert until(lambda: (instance.data_dir / "space.reserve").exists(), seconds=30)
    assert not marker.exists()
    s3.put_object(Bucket="full", Key="big/late", Body=b"room again" * 1000)
