"""Issue 14, S3 behaviours: conditional writes (If-None-Match: *, If-Match) on PutObject,
CompleteMultipartUpload and CopyObject's destination, checked atomically with the write."""

import threading

from cvharness import MiB, quoted_md5, random_bytes


# Debian's botocore (1.29) predates IfNoneMatch/IfMatch on PutObject and
# CompleteMultipartUpload, so those requests are sent raw (signed as boto3 signs).


def put(raw, bucket, key, body, **headers):
    return raw.request("PUT", bucket, key, body=body,
                       headers={k.replace("_", "-"): v for k, v in headers.items()})


def expect_refusal(response, status, code):
    assert response.status == status, response.body
    assert response.error_code() == code


def complete_xml(parts):
    inner = "".join(f"<Part><PartNumber>{p['PartNumber']}</PartNumber><ETag>{p['ETag']}</ETag>"
                    "</Part>" for p in parts["Parts"])
    return f"<CompleteMultipartUpload>{inner}</CompleteMultipartUpload>".encode()


def complete(raw, bucket, key, upload_id, parts, **headers):
    return raw.request("POST", bucket, key, query=[("uploadId", upload_id)],
                       body=complete_xml(parts),
                       headers={k.replace("_", "-"): v for k, v in headers.items()})


# --------------------------------------------------------------------------------------------
# PutObject
# --------------------------------------------------------------------------------------------


def test_put_if_none_match_creates_only(s3, raw, bucket):
    first = put(raw, bucket, "k", b"first", If_None_Match="*")
    assert first.status == 200, first.body
    assert first.header("etag") == quoted_md5(b"first")
    expect_refusal(put(raw, bucket, "k", b"second", If_None_Match="*"), 412, "PreconditionFailed")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"first"


def test_put_if_none_match_after_delete_and_over_a_delete_marker(s3, raw, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.delete_object(Bucket=bucket, Key="k")
    assert put(raw, bucket, "k", b"again", If_None_Match="*").status == 200
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.delete_object(Bucket=bucket, Key="k")  # a delete marker is now current
    assert put(raw, bucket, "k", b"over the marker", If_None_Match="*").status == 200
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"over the marker"


def test_put_if_match(s3, raw, bucket):
    expect_refusal(put(raw, bucket, "k", b"x", If_Match=quoted_md5(b"x")), 404, "NoSuchKey")
    s3.put_object(Bucket=bucket, Key="k", Body=b"one")
    expect_refusal(put(raw, bucket, "k", b"two", If_Match=quoted_md5(b"not one")), 412,
                   "PreconditionFailed")
    assert put(raw, bucket, "k", b"two", If_Match=quoted_md5(b"one")).status == 200
    # Unquoted ETags are accepted too.
    assert put(raw, bucket, "k", b"three", If_Match=quoted_md5(b"two").strip('"')).status == 200
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"three"


def test_if_none_match_other_than_star_is_not_implemented(raw, bucket):
    expect_refusal(put(raw, bucket, "k", b"x", If_None_Match='"abc"'), 501, "NotImplemented")
    assert raw.request("HEAD", bucket, "k").status == 404


def test_refused_put_of_a_large_body_leaves_nothing(s3, raw, bucket):
    s3.put_object(Bucket=bucket, Key="big", Body=b"small")
    data = random_bytes(2 * MiB, seed=5)
    expect_refusal(put(raw, bucket, "big", data, If_None_Match="*"), 412, "PreconditionFailed")
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == b"small"


def test_concurrent_if_none_match_puts_have_one_winner(s3, raw, bucket):
    writers = 12
    for round_number in range(3):
        key = f"race-{round_number}"
        outcomes = []
        lock = threading.Lock()
        start = threading.Barrier(writers)

        def write(index):
            start.wait()
            response = put(raw, bucket, key, f"writer {index}".encode(), If_None_Match="*")
            result = ("won" if response.status == 200 else response.error_code(), index)
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [index for code, index in outcomes if code == "won"]
        assert len(winners) == 1, outcomes
        assert all(code in ("PreconditionFailed", "ConditionalRequestConflict")
                   for code, _ in outcomes if code != "won"), outcomes
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert body == f"writer {winners[0]}".encode()


# --------------------------------------------------------------------------------------------
# CompleteMultipartUpload
# --------------------------------------------------------------------------------------------


def start_upload(s3, bucket, key, body=b"part one"):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1,
                          Body=body)["ETag"]
    return upload_id, {"Parts": [{"PartNumber": 1, "ETag": etag}]}


def test_complete_if_none_match(s3, raw, bucket):
    upload_id, parts = start_upload(s3, bucket, "mp")
    s3.put_object(Bucket=bucket, Key="mp", Body=b"got there first")
    expect_refusal(complete(raw, bucket, "mp", upload_id, parts, If_None_Match="*"), 412,
                   "PreconditionFailed")
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"got there first"
    # The upload is still there: without the condition it completes.
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload_id,
                                 MultipartUpload=parts)
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"part one"


def test_complete_if_match(s3, raw, bucket):
    s3.put_object(Bucket=bucket, Key="mp", Body=b"old")
    upload_id, parts = start_upload(s3, bucket, "mp")
    expect_refusal(complete(raw, bucket, "mp", upload_id, parts, If_Match=quoted_md5(b"other")),
                   412, "PreconditionFailed")
    done = complete(raw, bucket, "mp", upload_id, parts, If_Match=quoted_md5(b"old"))
    assert done.status == 200, done.body
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"part one"


def test_complete_if_none_match_on_a_new_key(s3, raw, bucket):
    upload_id, parts = start_upload(s3, bucket, "fresh")
    assert complete(raw, bucket, "fresh", upload_id, parts, If_None_Match="*").status == 200
    assert s3.get_object(Bucket=bucket, Key="fresh")["Body"].read() == b"part one"


def test_complete_if_none_match_other_than_star(s3, raw, bucket):
    upload_id, parts = start_upload(s3, bucket, "k")
    expect_refusal(complete(raw, bucket, "k", upload_id, parts, If_None_Match='"x"'), 501,
                   "NotImplemented")
    assert raw.request("HEAD", bucket, "k").status == 404


# --------------------------------------------------------------------------------------------
# CopyObject's destination
# --------------------------------------------------------------------------------------------


def test_copy_destination_conditions(s3, raw, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"source")
    s3.put_object(Bucket=bucket, Key="dst", Body=b"destination")
    copy = {"x-amz-copy-source": f"/{bucket}/src"}
    refused = raw.request("PUT", bucket, "dst", headers={**copy, "If-None-Match": "*"})
    assert refused.status == 412, refused.body
    assert refused.error_code() == "PreconditionFailed"
    refused = raw.request("PUT", bucket, "dst",
                          headers={**copy, "If-Match": quoted_md5(b"something else")})
    assert refused.status == 412
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"destination"
    done = raw.request("PUT", bucket, "dst",
                       headers={**copy, "If-Match": quoted_md5(b"destination")})
    assert done.status == 200, done.body
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"source"
    done = raw.request("PUT", bucket, "new", headers={**copy, "If-None-Match": "*"})
    assert done.status == 200, done.body
    assert s3.get_object(Bucket=bucket, Key="new")["Body"].read() == b"source"
