"""Large bodies (issue 16): multi-hundred-MiB GETs served with sendfile, whole and ranged,
read with boto3 and curl and compared byte for byte (MD5, ETag); encrypted and compressed
bodies, which keep the copying path, still served right; and the server's memory while a
few GiB stream through it (VmHWM bounded and not growing with the object's size).
"""

import hashlib
import subprocess

import pytest

from cvharness import MiB, PatternFile

LARGE = 300 * MiB


def md5_of_stream(chunks):
    digest = hashlib.md5()
    total = 0
    for chunk in chunks:
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest(), total


def pattern_md5(size, seed=7, start=0, length=None):
    source = PatternFile(size, seed)
    source.seek(start)
    left = size - start if length is None else length
    digest = hashlib.md5()
    while left > 0:
        chunk = source.read(min(left, 8 * MiB))
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


def get_md5(s3, bucket, key, **kwargs):
    response = s3.get_object(Bucket=bucket, Key=key, **kwargs)
    return md5_of_stream(response["Body"].iter_chunks(chunk_size=1 * MiB)), response


def curl_md5(url, headers=()):
    args = ["curl", "-sS", "--fail", "--max-time", "120"]
    for header in headers:
        args += ["-H", header]
    process = subprocess.Popen([*args, url], stdout=subprocess.PIPE)
    result = md5_of_stream(iter(lambda: process.stdout.read(1 * MiB), b""))
    assert process.wait() == 0
    return result


@pytest.fixture(scope="module")
def large_objects(s3, server):
    """A bucket with the 300 MiB pattern as one PUT ("single") and as a multipart upload of
    5 MiB parts ("multipart": part ends fall inside the server's 8 MiB sendfile spans)."""
    bucket = "large-get-objects"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="single", Body=PatternFile(LARGE))
    from boto3.s3.transfer import TransferConfig

    s3.upload_fileobj(
        PatternFile(LARGE), bucket, "multipart",
        Config=TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB,
                              max_concurrency=4),
    )
    return bucket


@pytest.mark.parametrize("key", ["single", "multipart"])
def test_whole_large_object_with_boto3(s3, large_objects, key):
    (digest, size), response = get_md5(s3, large_objects, key)
    assert size == LARGE
    assert digest == pattern_md5(LARGE)
    assert response["ContentLength"] == LARGE
    if key == "single":
        assert response["ETag"] == f'"{digest}"'
    else:
        assert response["ETag"].endswith('-60"')


@pytest.mark.parametrize("key", ["single", "multipart"])
def test_whole_large_object_with_curl(s3, large_objects, key):
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": large_objects, "Key": key}, ExpiresIn=600)
    digest, size = curl_md5(url)
    assert size == LARGE
    assert digest == pattern_md5(LARGE)


@pytest.mark.parametrize("key", ["single", "multipart"])
@pytest.mark.parametrize("first,last", [
    (0, 0),                           # one byte
    (8 * MiB - 3, 8 * MiB + 2),       # across a span end of the single object
    (5 * MiB - 1, 30 * MiB + 12345),  # across several part ends and spans
    (LARGE - 1000, LARGE - 1),        # the tail
])
def test_ranged_gets(s3, large_objects, key, first, last):
    (digest, size), response = get_md5(s3, large_objects, key, Range=f"bytes={first}-{last}")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert response["ContentRange"] == f"bytes {first}-{last}/{LARGE}"
    assert size == last - first + 1
    assert digest == pattern_md5(LARGE, start=first, length=last - first + 1)


def test_ranged_get_with_curl(s3, large_objects):
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": large_objects, "Key": "multipart"}, ExpiresIn=600)
    first, last = 100 * MiB + 7, 260 * MiB
    digest, size = curl_md5(url, headers=[f"Range: bytes={first}-{last}"])
    assert size == last - first + 1
    assert digest == pattern_md5(LARGE, start=first, length=last - first + 1)


def test_part_number_get(s3, large_objects):
    (digest, size), response = get_md5(s3, large_objects, "multipart", PartNumber=3)
    assert size == 5 * MiB
    assert digest == pattern_md5(LARGE, start=10 * MiB, length=5 * MiB)
    assert response["PartsCount"] == 60


def test_checksum_of_a_sent_file_body(s3, bucket):
    # The response's checksum headers are the stored ones; botocore checks the body against
    # them while it reads.
    body = PatternFile(20 * MiB, seed=3)
    s3.put_object(Bucket=bucket, Key="summed", Body=body, ChecksumAlgorithm="SHA256")
    response = s3.get_object(Bucket=bucket, Key="summed", ChecksumMode="ENABLED")
    data = response["Body"].read()
    assert hashlib.sha256(data).hexdigest() == PatternFile(20 * MiB, seed=3).sha256()
    assert "ChecksumSHA256" in response


def test_encrypted_large_object_is_served_right(s3, bucket):
    size = 40 * MiB + 17
    s3.put_object(Bucket=bucket, Key="sealed", Body=PatternFile(size, seed=5),
                  ServerSideEncryption="AES256")
    (digest, got), response = get_md5(s3, bucket, "sealed")
    assert response["ServerSideEncryption"] == "AES256"
    assert got == size and digest == pattern_md5(size, seed=5)
    (digest, got), _ = get_md5(s3, bucket, "sealed", Range=f"bytes={9 * MiB}-{20 * MiB}")
    assert digest == pattern_md5(size, seed=5, start=9 * MiB, length=11 * MiB + 1)


def test_compressed_large_object_is_served_right(server, s3, bucket):
    line = b"CloudVault compressible large body line\n"
    size = 30 * MiB
    body = (line * (size // len(line) + 1))[:size]
    s3.put_object(Bucket=bucket, Key="squeezed", Body=body, StorageClass="STANDARD_IA")
    (digest, got), response = get_md5(s3, bucket, "squeezed")
    assert response["StorageClass"] == "STANDARD_IA"
    assert got == size and digest == hashlib.md5(body).hexdigest()
    (digest, got), _ = get_md5(s3, bucket, "squeezed", Range="bytes=12345-9000000")
    assert digest == hashlib.md5(body[12345:9000001]).hexdigest()


def test_memory_stays_flat_while_gibibytes_stream(server_factory):
    """A server of its own: a 256 MiB PUT and GET, then 2 GiB of each. The peak RSS after the
    large one stays under the bound and within a few MiB of the peak after the small one."""
    from cvharness import make_client

    instance = server_factory()
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="flat")

    def round_trip(key, size):
        s3.put_object(Bucket="flat", Key=key, Body=PatternFile(size, seed=11))
        (digest, got), _ = get_md5(s3, "flat", key)
        assert got == size
        return digest

    round_trip("small", 256 * MiB)
    after_small = instance.peak_rss_bytes()
    digest = round_trip("large", 2048 * MiB)
    after_large = instance.peak_rss_bytes()
    assert digest == pattern_md5(2048 * MiB, seed=11)
    assert after_large < 100 * MiB, f"peak RSS {after_large / MiB:.1f} MiB"
    assert after_large - after_small < 8 * MiB, (
        f"peak RSS grew from {after_small / MiB:.1f} to {after_large / MiB:.1f} MiB")
