"""Issue 14, S3 behaviours: additional checksums (CRC64NVME, per-part checksums, full-object
and composite multipart checksums, checksum mode on GET/HEAD, ListParts).

Debian's botocore (1.29) knows CRC32, CRC32C, SHA1 and SHA256 but neither CRC64NVME nor
x-amz-checksum-type, so those go over raw HTTP signed as boto3 signs."""

import base64

import pytest

from cvharness import MiB, NS, random_bytes, s3_checksum, send, sign_headers


def b64(raw):
    return base64.b64encode(raw).decode()


def _crc64nvme_table():
    table = []
    for index in range(256):
        crc = index
        for _ in range(8):
            crc = (crc >> 1) ^ 0x9A6C9329AC4BC9B5 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64NVME = _crc64nvme_table()


def crc64nvme(data):
    """CRC-64/NVME, byte-wise table (independent of the server's slice-by-8 code)."""
    crc = 0xFFFFFFFFFFFFFFFF
    table = _CRC64NVME
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


def checksum(algorithm, data):
    if algorithm == "CRC64NVME":
        return b64(crc64nvme(data).to_bytes(8, "big"))
    return s3_checksum(algorithm, data)


def raw_checksum(algorithm, data):
    return base64.b64decode(checksum(algorithm, data))


assert checksum("CRC64NVME", b"Hello world") == "OOJZ0D8xKts="  # AWS's test vector

ALGORITHMS = ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"]
SMALL = random_bytes(3000, seed=41)
MP_PARTS = [random_bytes(5 * MiB, seed=51), random_bytes(777, seed=52)]


def checksum_headers(response):
    return {name.lower(): value for name, value in response.header_pairs
            if name.lower().startswith("x-amz-checksum-")}


def expect_refusal(response, status, code):
    assert response.status == status, response.body
    assert response.error_code() == code


# --------------------------------------------------------------------------------------------
# PutObject, GET/HEAD checksum mode
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_put_with_each_algorithm_and_checksum_mode(raw, bucket, algorithm):
    name = f"x-amz-checksum-{algorithm.lower()}"
    put = raw.request("PUT", bucket, "k", body=SMALL, headers={name: checksum(algorithm, SMALL)})
    assert put.status == 200, put.body
    assert checksum_headers(put) == {name: checksum(algorithm, SMALL),
                                     "x-amz-checksum-type": "FULL_OBJECT"}
    # Without checksum mode, no checksum headers.
    assert checksum_headers(raw.request("HEAD", bucket, "k")) == {}
    for method in ("HEAD", "GET"):
        got = raw.request(method, bucket, "k", headers={"x-amz-checksum-mode": "ENABLED"})
        assert checksum_headers(got) == {name: checksum(algorithm, SMALL),
                                         "x-amz-checksum-type": "FULL_OBJECT"}
    # A range answers no checksum: it is not the object's.
    ranged = raw.request("GET", bucket, "k",
                         headers={"x-amz-checksum-mode": "ENABLED", "Range": "bytes=0-9"})
    assert ranged.status == 206
    assert checksum_headers(ranged) == {}


def test_algorithm_named_without_a_value_is_computed(raw, bucket):
    put = raw.request("PUT", bucket, "k", body=SMALL,
                      headers={"x-amz-sdk-checksum-algorithm": "CRC64NVME"})
    assert put.status == 200, put.body
    assert put.header("x-amz-checksum-crc64nvme") == checksum("CRC64NVME", SMALL)


def test_boto3_put_with_checksums(s3, bucket):
    for algorithm in ("CRC32", "CRC32C", "SHA1", "SHA256"):
        put = s3.put_object(Bucket=bucket, Key="k", Body=SMALL, ChecksumAlgorithm=algorithm)
        assert put[f"Checksum{algorithm}"] == checksum(algorithm, SMALL)
        head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
        assert head[f"Checksum{algorithm}"] == checksum(algorithm, SMALL)


def test_wrong_crc64nvme_is_bad_digest(raw, bucket):
    bad = raw.request("PUT", bucket, "k", body=SMALL,
                      headers={"x-amz-checksum-crc64nvme": checksum("CRC64NVME", b"other")})
    expect_refusal(bad, 400, "BadDigest")
    assert bad.error()["Message"] == (
        "The CRC64NVME you specified did not match the calculated checksum.")
    assert raw.request("HEAD", bucket, "k").status == 404


def test_wrong_crc32_message_and_malformed_values(raw, bucket):
    bad = raw.request("PUT", bucket, "k", body=b"data",
                      headers={"x-amz-checksum-crc32": checksum("CRC32", b"other")})
    expect_refusal(bad, 400, "BadDigest")
    assert bad.error()["Message"] == "The CRC32 you specified did not match the calculated checksum."
    for name, value in [("x-amz-checksum-crc64nvme", checksum("CRC32", b"data")),
                        ("x-amz-checksum-sha256", "not base64!"),
                        ("x-amz-checksum-crc32c", "")]:
        malformed = raw.request("PUT", bucket, "k", body=b"data", headers={name: value})
        expect_refusal(malformed, 400, "InvalidRequest")
        assert malformed.error()["Message"] == f"Value for {name} header is invalid."
    assert raw.request("HEAD", bucket, "k").status == 404


# --------------------------------------------------------------------------------------------
# Multipart: part checksums, FULL_OBJECT and COMPOSITE
# --------------------------------------------------------------------------------------------


def create_upload(raw, bucket, key, algorithm=None, checksum_type=None):
    headers = {}
    if algorithm:
        headers["x-amz-checksum-algorithm"] = algorithm
    if checksum_type:
        headers["x-amz-checksum-type"] = checksum_type
    return raw.request("POST", bucket, key, query=[("uploads", None)], headers=headers)


def upload(raw, bucket, key, parts, algorithm, checksum_type=None):
    created = create_upload(raw, bucket, key, algorithm, checksum_type)
    assert created.status == 200, created.body
    upload_id = created.xml().findtext("s3:UploadId", namespaces=NS)
    listed = []
    for number, data in enumerate(parts, start=1):
        name = f"x-amz-checksum-{algorithm.lower()}"
        part = raw.request("PUT", bucket, key,
                           query=[("partNumber", str(number)), ("uploadId", upload_id)],
                           body=data, headers={name: checksum(algorithm, data)})
        assert part.status == 200, part.body
        assert part.header(name) == checksum(algorithm, data)
        listed.append((number, part.header("etag"), checksum(algorithm, data)))
    return upload_id, listed


def complete(raw, bucket, key, upload_id, listed, algorithm, headers=None):
    body = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag>"
        f"<Checksum{algorithm}>{value}</Checksum{algorithm}></Part>" for n, etag, value in listed)
    return raw.request("POST", bucket, key, query=[("uploadId", upload_id)],
                       body=f"<CompleteMultipartUpload>{body}</CompleteMultipartUpload>".encode(),
                       headers=headers or {})


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "CRC64NVME"])
def test_full_object_multipart_checksum_is_the_whole_body_crc(raw, bucket, algorithm):
    upload_id, listed = upload(raw, bucket, "mp", MP_PARTS, algorithm, "FULL_OBJECT")
    whole = checksum(algorithm, b"".join(MP_PARTS))
    done = complete(raw, bucket, "mp", upload_id, listed, algorithm,
                    {f"x-amz-checksum-{algorithm.lower()}": whole})
    assert done.status == 200, done.body
    assert done.xml().findtext(f"s3:Checksum{algorithm}", namespaces=NS) == whole
    assert done.xml().findtext("s3:ChecksumType", namespaces=NS) == "FULL_OBJECT"
    head = raw.request("HEAD", bucket, "mp", headers={"x-amz-checksum-mode": "ENABLED"})
    assert checksum_headers(head) == {f"x-amz-checksum-{algorithm.lower()}": whole,
                                      "x-amz-checksum-type": "FULL_OBJECT"}


def test_crc64nvme_defaults_to_full_object(raw, bucket):
    upload_id, listed = upload(raw, bucket, "mp", [b"x" * 1000], "CRC64NVME")
    done = complete(raw, bucket, "mp", upload_id, listed, "CRC64NVME")
    assert done.status == 200, done.body
    assert done.xml().findtext("s3:ChecksumCRC64NVME", namespaces=NS) == checksum(
        "CRC64NVME", b"x" * 1000)
    assert done.xml().findtext("s3:ChecksumType", namespaces=NS) == "FULL_OBJECT"


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_composite_multipart_checksum(s3, raw, bucket, algorithm):
    upload_id, listed = upload(raw, bucket, "mp", MP_PARTS, algorithm)  # COMPOSITE by default
    expected = checksum(algorithm, b"".join(raw_checksum(algorithm, p) for p in MP_PARTS)) + "-2"
    done = complete(raw, bucket, "mp", upload_id, listed, algorithm)
    assert done.status == 200, done.body
    assert done.xml().findtext(f"s3:Checksum{algorithm}", namespaces=NS) == expected
    assert done.xml().findtext("s3:ChecksumType", namespaces=NS) == "COMPOSITE"
    head = s3.head_object(Bucket=bucket, Key="mp", ChecksumMode="ENABLED")
    assert head[f"Checksum{algorithm}"] == expected
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-type"] == "COMPOSITE"
    # A part read in checksum mode answers the part's checksum.
    part = s3.get_object(Bucket=bucket, Key="mp", PartNumber=2, ChecksumMode="ENABLED")
    assert part[f"Checksum{algorithm}"] == checksum(algorithm, MP_PARTS[1])
    assert part["Body"].read() == MP_PARTS[1]


def test_boto3_multipart_with_checksums(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mp",
                                           ChecksumAlgorithm="SHA256")["UploadId"]
    parts = []
    for number, data in enumerate(MP_PARTS, start=1):
        part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload_id, PartNumber=number,
                              Body=data, ChecksumAlgorithm="SHA256")
        assert part["ChecksumSHA256"] == checksum("SHA256", data)
        parts.append({"PartNumber": number, "ETag": part["ETag"],
                      "ChecksumSHA256": part["ChecksumSHA256"]})
    listing = s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload_id)
    assert listing["ChecksumAlgorithm"] == "SHA256"
    assert [p["ChecksumSHA256"] for p in listing["Parts"]] == [p["ChecksumSHA256"] for p in parts]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload_id,
                                        MultipartUpload={"Parts": parts})
    assert done["ChecksumSHA256"].endswith("-2")


def test_invalid_checksum_type_combinations(s3, raw, bucket):
    for algorithm, checksum_type in [("SHA256", "FULL_OBJECT"), ("SHA1", "FULL_OBJECT"),
                                     ("CRC64NVME", "COMPOSITE"), (None, "FULL_OBJECT"),
                                     ("CRC32", "PARTIAL")]:
        expect_refusal(create_upload(raw, bucket, "k", algorithm, checksum_type), 400,
                       "InvalidRequest")
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_part_checksum_must_match_and_use_the_uploads_algorithm(s3, raw, bucket):
    created = create_upload(raw, bucket, "k", "CRC32C")
    upload_id = created.xml().findtext("s3:UploadId", namespaces=NS)
    query = [("partNumber", "1"), ("uploadId", upload_id)]
    wrong_algorithm = raw.request("PUT", bucket, "k", query=query, body=b"data",
                                  headers={"x-amz-checksum-crc32": checksum("CRC32", b"data")})
    expect_refusal(wrong_algorithm, 400, "InvalidRequest")
    assert "expected checksum Type: crc32c" in wrong_algorithm.error()["Message"]
    wrong_value = raw.request("PUT", bucket, "k", query=query, body=b"data",
                              headers={"x-amz-checksum-crc32c": checksum("CRC32C", b"other")})
    expect_refusal(wrong_value, 400, "BadDigest")
    assert s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id).get("Parts", []) == []


def test_complete_with_a_wrong_whole_checksum_or_type(raw, bucket):
    upload_id, listed = upload(raw, bucket, "mp", [b"only part"], "CRC32", "FULL_OBJECT")
    wrong = complete(raw, bucket, "mp", upload_id, listed, "CRC32",
                     {"x-amz-checksum-crc32": checksum("CRC32", b"something else")})
    expect_refusal(wrong, 400, "BadDigest")
    assert raw.request("HEAD", bucket, "mp").status == 404
    other_type = complete(raw, bucket, "mp", upload_id, listed, "CRC32",
                          {"x-amz-checksum-type": "COMPOSITE"})
    expect_refusal(other_type, 400, "InvalidRequest")
    other_algorithm = complete(raw, bucket, "mp", upload_id, listed, "CRC32",
                               {"x-amz-checksum-sha1": checksum("SHA1", b"only part")})
    expect_refusal(other_algorithm, 400, "InvalidRequest")
    done = complete(raw, bucket, "mp", upload_id, listed, "CRC32",
                    {"x-amz-checksum-crc32": checksum("CRC32", b"only part"),
                     "x-amz-checksum-type": "FULL_OBJECT"})
    assert done.status == 200, done.body


def test_list_parts_shows_checksum_type(raw, bucket):
    upload_id, listed = upload(raw, bucket, "mp", [b"one", b"two"], "CRC64NVME")
    parts = raw.request("GET", bucket, "mp", query=[("uploadId", upload_id)])
    assert parts.status == 200, parts.body
    root = parts.xml()
    assert root.findtext("s3:ChecksumAlgorithm", namespaces=NS) == "CRC64NVME"
    assert root.findtext("s3:ChecksumType", namespaces=NS) == "FULL_OBJECT"
    assert [p.findtext("s3:ChecksumCRC64NVME", namespaces=NS)
            for p in root.findall("s3:Part", NS)] == [checksum("CRC64NVME", b"one"),
                                                     checksum("CRC64NVME", b"two")]


def test_attributes_report_the_checksum_and_its_type(raw, bucket):
    raw.request("PUT", bucket, "k", body=SMALL,
                headers={"x-amz-checksum-crc64nvme": checksum("CRC64NVME", SMALL)})
    got = raw.request("GET", bucket, "k", query=[("attributes", None)],
                      headers={"x-amz-object-attributes": "Checksum"})
    assert got.status == 200, got.body
    node = got.xml().find("s3:Checksum", NS)
    assert node.findtext("s3:ChecksumCRC64NVME", namespaces=NS) == checksum("CRC64NVME", SMALL)
    assert node.findtext("s3:ChecksumType", namespaces=NS) == "FULL_OBJECT"


def test_crc64nvme_in_an_aws_chunked_trailer(raw, bucket):
    path = f"/{bucket}/k"
    value = checksum("CRC64NVME", SMALL)
    headers = {"Content-Encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc64nvme",
               "x-amz-decoded-content-length": str(len(SMALL))}
    for trailer_value, status in [(checksum("CRC64NVME", b"x"), 400), (value, 200)]:
        signed = sign_headers("PUT", f"http://127.0.0.1:{raw.port}{path}", headers, b"",
                              raw.access_key, raw.secret_key,
                              payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        signed["Host"] = f"127.0.0.1:{raw.port}"
        body = (f"{len(SMALL):x}\r\n".encode() + SMALL + b"\r\n0\r\n" +
                f"x-amz-checksum-crc64nvme:{trailer_value}\r\n\r\n".encode())
        response = send(raw.port, "PUT", path, signed, body)
        assert response.status == status, response.body
    assert response.header("x-amz-checksum-crc64nvme") == value
    head = raw.request("HEAD", bucket, "k", headers={"x-amz-checksum-mode": "ENABLED"})
    assert head.header("x-amz-checksum-crc64nvme") == value
