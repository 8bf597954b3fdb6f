"""Unmodified real clients: the aws CLI v2, rclone, s3cmd and the AWS SDK for JavaScript v3."""

import hashlib
import json
import os
import shutil
import subprocess

import pytest

from cvharness import (
    REPO_ROOT,
    KiB,
    MiB,
    fetch,
    file_sha256,
    list_all_keys,
    object_exists,
    quoted_md5,
    random_bytes,
)


def make_tree(root, files):
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def read_tree(root):
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


TREE_FILES = {
    "a.txt": b"alpha\n",
    "sub/b.bin": random_bytes(300 * KiB, seed=31),
    "sub/deep/c with space.txt": b"gamma gamma\n",
    "ü-unicode.txt": "ünïcödé\n".encode(),
    "empty.txt": b"",
}


# --------------------------------------------------------------------------------------------
# aws CLI v2
# --------------------------------------------------------------------------------------------


def test_aws_cli_s3_commands(aws_cli, s3, unique_name, tmp_path):
    name = unique_name()
    aws_cli("s3", "mb", f"s3://{name}")
    assert name in aws_cli("s3", "ls").stdout
    s3.head_bucket(Bucket=name)

    small = tmp_path / "small.txt"
    small.write_bytes(b"small file from the aws cli\n")
    big = tmp_path / "big.bin"
    big.write_bytes(random_bytes(20 * MiB + 3, seed=32))
    aws_cli("s3", "cp", small, f"s3://{name}/dir/small.txt")
    aws_cli("s3", "cp", big, f"s3://{name}/dir/big.bin")  # multipart: 8 MiB parts
    assert s3.head_object(Bucket=name, Key="dir/big.bin")["ETag"].endswith('-3"')

    listing = aws_cli("s3", "ls", f"s3://{name}/dir/").stdout
    sizes = {line.split()[-1]: int(line.split()[-2]) for line in listing.splitlines() if line}
    assert sizes == {"small.txt": small.stat().st_size, "big.bin": big.stat().st_size}

    downloaded = tmp_path / "big.out"
    aws_cli("s3", "cp", f"s3://{name}/dir/big.bin", downloaded)
    assert file_sha256(downloaded) == file_sha256(big)

    url = aws_cli("s3", "presign", f"s3://{name}/dir/small.txt", "--expires-in", "300")
    response = fetch(url.stdout.strip())
    assert response.status == 200
    assert response.body == small.read_bytes()

    aws_cli("s3", "rm", f"s3://{name}/dir/small.txt")
    assert not object_exists(s3, name, "dir/small.txt")
    aws_cli("s3", "rm", "--recursive", f"s3://{name}/")
    assert list_all_keys(s3, name) == []
    aws_cli("s3", "rb", f"s3://{name}")
    assert name not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def test_aws_cli_sync(aws_cli, s3, bucket, tmp_path):
    source = make_tree(tmp_path / "source", TREE_FILES)
    aws_cli("s3", "sync", source, f"s3://{bucket}/backup/")
    assert sorted(list_all_keys(s3, bucket)) == sorted("backup/" + k for k in TREE_FILES)
    for relative, data in TREE_FILES.items():
        assert s3.get_object(Bucket=bucket, Key="backup/" + relative)["Body"].read() == data

    # Nothing changed: nothing to upload.
    again = aws_cli("s3", "sync", source, f"s3://{bucket}/backup/")
    assert "upload:" not in again.stdout

    (source / "a.txt").write_bytes(b"alpha, changed and longer\n")
    changed = aws_cli("s3", "sync", source, f"s3://{bucket}/backup/")
    uploads = [line for line in changed.stdout.splitlines() if "upload:" in line]
    assert len(uploads) == 1 and "a.txt" in uploads[0], changed.stdout

    target = tmp_path / "restored"
    aws_cli("s3", "sync", f"s3://{bucket}/backup/", target)
    assert read_tree(target) == read_tree(source)

    (source / "sub" / "b.bin").unlink()
    aws_cli("s3", "sync", "--delete", source, f"s3://{bucket}/backup/")
    assert not object_exists(s3, bucket, "backup/sub/b.bin")


def test_aws_cli_s3api(aws_cli, s3, bucket, tmp_path):
    body = tmp_path / "body.json"
    body.write_bytes(b'{"hello": "s3api"}')
    put = json.loads(
        aws_cli(
            "s3api", "put-object", "--bucket", bucket, "--key", "api/doc.json", "--body", body,
            "--content-type", "application/json", "--metadata", "source=s3api",
        ).stdout
    )
    assert put["ETag"] == quoted_md5(body.read_bytes())

    out = tmp_path / "out.json"
    got = json.loads(
        aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "api/doc.json", out).stdout
    )
    assert out.read_bytes() == body.read_bytes()
    assert got["ContentType"] == "application/json"
    assert got["Metadata"] == {"source": "s3api"}
    assert got["ContentLength"] == body.stat().st_size

    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"api/n{i}", Body=b"n")
    listing = json.loads(
        aws_cli("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "api/").stdout
    )
    assert [item["Key"] for item in listing["Contents"]] == [
        "api/doc.json", "api/n0", "api/n1", "api/n2"
    ]
    paged = json.loads(
        aws_cli("s3api", "list-objects-v2", "--bucket", bucket, "--page-size", "1").stdout
    )
    assert len(paged["Contents"]) == 4

    missing = aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "api/absent",
                      check=False)
    assert missing.returncode != 0
    assert "404" in missing.stderr
    error = aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "api/absent",
                    tmp_path / "x", check=False)
    assert error.returncode != 0
    assert "NoSuchKey" in error.stderr


# --------------------------------------------------------------------------------------------
# rclone
# --------------------------------------------------------------------------------------------


def test_rclone_copy_ls_check(rclone, s3, unique_name, tmp_path):
    name = unique_name()
    files = dict(TREE_FILES, **{"large.bin": random_bytes(12 * MiB + 1, seed=33)})
    files.pop("empty.txt")
    source = make_tree(tmp_path / "source", files)
    rclone("mkdir", f"cv:{name}")
    s3.head_bucket(Bucket=name)
    multipart = ["--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M"]
    rclone("copy", source, f"cv:{name}/data", *multipart)

    for relative, data in files.items():
        assert s3.get_object(Bucket=name, Key="data/" + relative)["Body"].read() == data
    assert s3.head_object(Bucket=name, Key="data/large.bin")["ETag"].endswith('-3"')

    listed = {}
    for line in rclone("ls", f"cv:{name}/data").stdout.splitlines():
        size, path = line.strip().split(" ", 1)
        listed[path] = int(size)
    assert listed == {relative: len(data) for relative, data in files.items()}

    rclone("check", source, f"cv:{name}/data")
    lsjson = json.loads(rclone("lsjson", "-R", "--files-only", f"cv:{name}/data").stdout)
    assert sorted(item["Path"] for item in lsjson) == sorted(files)

    target = tmp_path / "target"
    rclone("copy", f"cv:{name}/data", target)
    assert read_tree(target) == read_tree(source)

    rclone("deletefile", f"cv:{name}/data/a.txt")
    assert not object_exists(s3, name, "data/a.txt")
    mismatch = rclone("check", source, f"cv:{name}/data", check=False)
    assert mismatch.returncode != 0


# --------------------------------------------------------------------------------------------
# s3cmd
# --------------------------------------------------------------------------------------------


def test_s3cmd_put_get_ls(s3cmd, s3, unique_name, tmp_path):
    name = unique_name()
    s3cmd("mb", f"s3://{name}")
    s3.head_bucket(Bucket=name)
    small = tmp_path / "small.txt"
    small.write_bytes(b"s3cmd small\n")
    big = tmp_path / "big.bin"
    big.write_bytes(random_bytes(12 * MiB + 9, seed=34))
    s3cmd("put", small, f"s3://{name}/s3cmd/small.txt")
    s3cmd("put", "--multipart-chunk-size-mb=5", big, f"s3://{name}/s3cmd/big.bin")
    assert s3.get_object(Bucket=name, Key="s3cmd/small.txt")["Body"].read() == small.read_bytes()
    assert s3.head_object(Bucket=name, Key="s3cmd/big.bin")["ContentLength"] == big.stat().st_size

    listing = s3cmd("ls", f"s3://{name}/s3cmd/").stdout
    assert f"s3://{name}/s3cmd/small.txt" in listing
    assert f"s3://{name}/s3cmd/big.bin" in listing
    assert f"s3://{name}" in s3cmd("ls").stdout

    out = tmp_path / "big.out"
    s3cmd("get", f"s3://{name}/s3cmd/big.bin", out)
    assert file_sha256(out) == file_sha256(big)

    s3cmd("del", f"s3://{name}/s3cmd/small.txt")
    assert not object_exists(s3, name, "s3cmd/small.txt")
    s3cmd("del", f"s3://{name}/s3cmd/big.bin")
    s3cmd("rb", f"s3://{name}")
    assert name not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


# --------------------------------------------------------------------------------------------
# AWS SDK for JavaScript v3
# --------------------------------------------------------------------------------------------

JS_DIR = REPO_ROOT / "tests" / "js"


@pytest.fixture(scope="session")
def node_modules():
    node = shutil.which("node")
    assert node, "Node.js is needed for the AWS SDK for JavaScript v3 test"
    if not (JS_DIR / "node_modules" / "@aws-sdk" / "client-s3").is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install tests/js dependencies"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=900,
            capture_output=True,
        )
    return node


def test_aws_sdk_js_v3(server, s3, bucket, node_modules):
    env = dict(os.environ)
    env.update(
        CV_ENDPOINT=server.endpoint,
        CV_BUCKET=bucket,
        CV_ACCESS_KEY=server.access_key,
        CV_SECRET_KEY=server.secret_key,
    )
    result = subprocess.run(
        [node_modules, "sdk_v3_test.mjs"], cwd=JS_DIR, env=env, capture_output=True, text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert list_all_keys(s3, bucket) == [summary["kept_key"]]
    kept = s3.get_object(Bucket=bucket, Key=summary["kept_key"])["Body"].read()
    assert hashlib.sha256(kept).hexdigest() == summary["kept_sha256"]

