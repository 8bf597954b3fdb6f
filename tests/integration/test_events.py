"""The outbox (issue 12): every change of an object writes its event in the change's own
transaction, with who made it, from where, the request id and a per-key sequencer; an
acknowledged change keeps its event across kill -9; a refused change writes none."""

import json

from cvharness import expect_error, make_client
from test_presign_auth import post_form


def events_of(server, bucket):
    lines = server.admin("events", "--limit", "100000").stdout.splitlines()
    return [e for e in map(json.loads, lines) if e["bucket"] == bucket]


def request_id(response):
    return response["ResponseMetadata"]["RequestId"]


def test_every_object_change_writes_its_event(server, s3, bucket):
    owner = s3.list_buckets()["Owner"]["ID"]
    ids = {}
    ids["put"] = request_id(s3.put_object(Bucket=bucket, Key="a.txt", Body=b"hello"))
    ids["copy"] = request_id(
        s3.copy_object(Bucket=bucket, Key="b.txt", CopySource={"Bucket": bucket, "Key": "a.txt"}))
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"p")
    ids["complete"] = request_id(s3.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}))
    ids["tag"] = request_id(s3.put_object_tagging(
        Bucket=bucket, Key="a.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]}))
    ids["untag"] = request_id(s3.delete_object_tagging(Bucket=bucket, Key="a.txt"))
    ids["delete"] = request_id(s3.delete_object(Bucket=bucket, Key="a.txt"))
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b.txt"}, {"Key": "none"}]})
    post = s3.generate_presigned_post(Bucket=bucket, Key="posted.txt", ExpiresIn=600)
    assert post_form(post["url"], post["fields"], "posted.txt", b"form").status == 204

    events = events_of(server, bucket)
    names = [(e["name"], e["key"]) for e in events]
    assert names == [
        ("s3:ObjectCreated:Put", "a.txt"),
        ("s3:ObjectCreated:Copy", "b.txt"),
        ("s3:ObjectCreated:CompleteMultipartUpload", "big"),
        ("s3:ObjectTagging:Put", "a.txt"),
        ("s3:ObjectTagging:Delete", "a.txt"),
        ("s3:ObjectRemoved:Delete", "a.txt"),
        ("s3:ObjectRemoved:Delete", "b.txt"),  # "none" did not exist: no event
        ("s3:ObjectCreated:Post", "posted.txt"),
    ]
    for event in events:
        assert event["principal_id"] == owner
        assert event["source_ip"] == "127.0.0.1"
        assert event["request_id"]
        assert event["version_id"] == "null"
        assert len(event["sequencer"]) == 16
    by_name = {e["name"]: e for e in events}
    assert by_name["s3:ObjectCreated:Put"]["request_id"] == ids["put"]
    assert by_name["s3:ObjectCreated:Copy"]["request_id"] == ids["copy"]
    assert by_name["s3:ObjectCreated:CompleteMultipartUpload"]["request_id"] == ids["complete"]
    assert by_name["s3:ObjectTagging:Put"]["request_id"] == ids["tag"]
    assert by_name["s3:ObjectCreated:Put"]["size"] == 5
    assert by_name["s3:ObjectCreated:Put"]["etag"] == "5d41402abc4b2a76b9719d911017c592"
    a_events = [e for e in events if e["key"] == "a.txt"]
    sequencers = [e["sequencer"] for e in a_events]
    assert sequencers == sorted(sequencers) and len(set(sequencers)) == len(sequencers)


def test_versioned_deletes_name_their_versions(server, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=bucket, Key="v", Body=b"1")["VersionId"]
    marker = s3.delete_object(Bucket=bucket, Key="v")["VersionId"]
    s3.delete_object(Bucket=bucket, Key="v", VersionId=first)
    events = events_of(server, bucket)
    assert [(e["name"], e["version_id"]) for e in events] == [
        ("s3:ObjectCreated:Put", first),
        ("s3:ObjectRemoved:DeleteMarkerCreated", marker),
        ("s3:ObjectRemoved:Delete", first),
    ]


def test_refused_changes_write_no_event(server, s3, bucket):
    expect_error(lambda: s3.put_object(Bucket=bucket, Key="x", Body=b"abc",
                                       ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg=="),
                 "BadDigest", 400)
    expect_error(lambda: s3.put_object_tagging(
        Bucket=bucket, Key="missing", Tagging={"TagSet": []}), "NoSuchKey", 404)
    assert events_of(server, bucket) == []


def test_acknowledged_changes_keep_their_events_across_kill_9(server_factory):
    server = server_factory(name="events-crash")
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    client.create_bucket(Bucket="crash")
    for i in range(50):
        client.put_object(Bucket="crash", Key=f"k{i}", Body=b"x")
    server.kill()
    server.start()
    events = events_of(server, "crash")
    assert sorted(e["key"] for e in events) == sorted(f"k{i}" for i in range(50))
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    client.put_object(Bucket="crash", Key="k0", Body=b"y")
    after = [e for e in events_of(server, "crash") if e["key"] == "k0"]
    assert len(after) == 2 and after[0]["sequencer"] < after[1]["sequencer"]
