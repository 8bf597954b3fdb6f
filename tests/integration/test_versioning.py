"""S3 versioning: bucket state, versions, delete markers, the null version, Suspended, version
ids on GET/HEAD/DELETE/copy/tagging/multipart, ListObjectVersions (order, paging, prefixes),
DeleteObjects with versions, BucketNotEmpty; through boto3, raw HTTP and the aws CLI."""

import hashlib
import json

import pytest

from cvharness import b64, error_of, expect_error, quoted_md5, xml_text

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def status_of(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def headers_of(response):
    return response["ResponseMetadata"]["HTTPHeaders"]


def set_versioning(s3, bucket, status):
    response = s3.put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": status}
    )
    assert status_of(response) == 200


@pytest.fixture
def versioned(s3, bucket):
    """A new bucket with versioning Enabled."""
    set_versioning(s3, bucket, "Enabled")
    return bucket


def put_versions(s3, bucket, key, bodies):
    """Puts each body in turn; returns the version ids the responses carry."""
    ids = []
    for body in bodies:
        response = s3.put_object(Bucket=bucket, Key=key, Body=body)
        assert "VersionId" in response, response
        ids.append(response["VersionId"])
    return ids


def body_of(s3, bucket, key, version_id=None):
    kwargs = {"Bucket": bucket, "Key": key}
    if version_id is not None:
        kwargs["VersionId"] = version_id
    return s3.get_object(**kwargs)["Body"].read()


def list_versions(s3, bucket, **kwargs):
    """One ListObjectVersions page (boto3), with Versions/DeleteMarkers defaulted to []."""
    page = s3.list_object_versions(Bucket=bucket, **kwargs)
    page.setdefault("Versions", [])
    page.setdefault("DeleteMarkers", [])
    page.setdefault("CommonPrefixes", [])
    return page


def version_rows(page):
    return [(v["Key"], v["VersionId"], v["IsLatest"]) for v in page["Versions"]]


def marker_rows(page):
    return [(m["Key"], m["VersionId"], m["IsLatest"]) for m in page["DeleteMarkers"]]


def raw_version_entries(raw, bucket, extra_query=()):
    """One ListObjectVersions page over raw HTTP, entries in document order:
    [("Version"|"DeleteMarker", key, version_id, is_latest)] and the parsed root."""
    response = raw.request("GET", bucket, query=[("versions", None), *extra_query])
    assert response.status == 200, response.body
    root = response.xml()
    assert root.tag == "{http://s3.amazonaws.com/doc/2006-03-01/}ListVersionsResult", response.body
    entries = []
    for child in root:
        kind = child.tag.split("}")[-1]
        if kind in ("Version", "DeleteMarker"):
            entries.append(
                (
                    kind,
                    xml_text(child, "s3:Key"),
                    xml_text(child, "s3:VersionId"),
                    xml_text(child, "s3:IsLatest"),
                )
            )
    return entries, root


def delete_all_versions(s3, bucket):
    page = list_versions(s3, bucket)
    for entry in page["Versions"] + page["DeleteMarkers"]:
        s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])


# --------------------------------------------------------------------------------------------
# Bucket versioning state
# --------------------------------------------------------------------------------------------


def test_new_bucket_has_no_versioning_status(s3, bucket):
    response = s3.get_bucket_versioning(Bucket=bucket)
    assert status_of(response) == 200
    assert "Status" not in response
    assert "MFADelete" not in response


def test_enable_then_suspend(s3, bucket):
    set_versioning(s3, bucket, "Enabled")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    set_versioning(s3, bucket, "Suspended")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"
    set_versioning(s3, bucket, "Enabled")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_versioning_configuration_xml_on_the_wire(raw, s3, bucket):
    set_versioning(s3, bucket, "Enabled")
    response = raw.request("GET", bucket, query=[("versioning", None)])
    assert response.status == 200, response.body
    root = response.xml()
    assert root.tag == "{http://s3.amazonaws.com/doc/2006-03-01/}VersioningConfiguration"
    assert xml_text(root, "s3:Status") == "Enabled"


@pytest.mark.parametrize("status", ["On", "enabled", "Disabled"])
def test_invalid_versioning_status_is_malformed_xml(s3, bucket, status):
    expect_error(
        s3.put_bucket_versioning,
        "MalformedXML",
        400,
        Bucket=bucket,
        VersioningConfiguration={"Status": status},
    )
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)


def test_versioning_body_that_is_not_xml_is_malformed(raw, bucket):
    body = b"<Versioning"
    response = raw.request(
        "PUT",
        bucket,
        query=[("versioning", None)],
        headers={"Content-MD5": b64(hashlib.md5(body).digest())},
        body=body,
    )
    assert response.status == 400, response.body
    assert response.error_code() == "MalformedXML"


def test_versioning_of_missing_bucket(s3, unique_name):
    name = unique_name("absent")
    expect_error(s3.get_bucket_versioning, "NoSuchBucket", 404, Bucket=name)
    expect_error(
        s3.put_bucket_versioning,
        "NoSuchBucket",
        404,
        Bucket=name,
        VersioningConfiguration={"Status": "Enabled"},
    )


# --------------------------------------------------------------------------------------------
# Enabled: versions of one key
# --------------------------------------------------------------------------------------------

BODIES = [b"version one", b"version two!!", b"v3"]


def test_each_put_makes_a_new_version(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    assert len(set(ids)) == 3
    assert all(i and i != "null" for i in ids)

    latest = s3.get_object(Bucket=versioned, Key="doc")
    assert latest["Body"].read() == BODIES[-1]
    assert latest["VersionId"] == ids[-1]

    for version_id, body in zip(ids, BODIES):
        got = s3.get_object(Bucket=versioned, Key="doc", VersionId=version_id)
        assert got["Body"].read() == body
        assert got["VersionId"] == version_id
        assert headers_of(got)["x-amz-version-id"] == version_id
        assert got["ETag"] == quoted_md5(body)
        assert got["ContentLength"] == len(body)

        head = s3.head_object(Bucket=versioned, Key="doc", VersionId=version_id)
        assert head["VersionId"] == version_id
        assert head["ContentLength"] == len(body)
        assert head["ETag"] == quoted_md5(body)


def test_list_objects_shows_the_key_once(s3, versioned):
    put_versions(s3, versioned, "doc", BODIES)
    put_versions(s3, versioned, "other", [b"x"])
    listing = s3.list_objects_v2(Bucket=versioned)
    assert [(c["Key"], c["Size"], c["ETag"]) for c in listing["Contents"]] == [
        ("doc", len(BODIES[-1]), quoted_md5(BODIES[-1])),
        ("other", 1, quoted_md5(b"x")),
    ]
    assert listing["KeyCount"] == 2
    v1 = s3.list_objects(Bucket=versioned)
    assert [c["Key"] for c in v1["Contents"]] == ["doc", "other"]


def test_list_object_versions_newest_first(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    page = list_versions(s3, versioned)
    assert page["IsTruncated"] is False
    assert page["Name"] == versioned
    assert page["DeleteMarkers"] == []
    assert version_rows(page) == [
        ("doc", ids[2], True),
        ("doc", ids[1], False),
        ("doc", ids[0], False),
    ]
    for entry, body in zip(page["Versions"], reversed(BODIES)):
        assert entry["Size"] == len(body)
        assert entry["ETag"] == quoted_md5(body)
        assert entry["StorageClass"] == "STANDARD"
    stamps = [entry["LastModified"] for entry in page["Versions"]]
    assert stamps == sorted(stamps, reverse=True)


def test_overwrite_keeps_old_metadata_per_version(s3, versioned):
    first = s3.put_object(
        Bucket=versioned, Key="m", Body=b"a", Metadata={"n": "1"}, ContentType="text/plain"
    )["VersionId"]
    s3.put_object(Bucket=versioned, Key="m", Body=b"bb", Metadata={"n": "2"})
    old = s3.head_object(Bucket=versioned, Key="m", VersionId=first)
    assert old["Metadata"] == {"n": "1"}
    assert old["ContentType"] == "text/plain"
    assert s3.head_object(Bucket=versioned, Key="m")["Metadata"] == {"n": "2"}


def test_range_get_of_old_version(s3, versioned):
    ids = put_versions(s3, versioned, "r", [b"0123456789", b"abcdefghij"])
    got = s3.get_object(Bucket=versioned, Key="r", VersionId=ids[0], Range="bytes=2-4")
    assert status_of(got) == 206
    assert got["Body"].read() == b"234"
    assert got["VersionId"] == ids[0]


# --------------------------------------------------------------------------------------------
# Delete markers
# --------------------------------------------------------------------------------------------


def test_delete_without_version_creates_delete_marker(s3, raw, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    deleted = s3.delete_object(Bucket=versioned, Key="doc")
    assert status_of(deleted) == 204
    assert deleted["DeleteMarker"] is True
    marker_id = deleted["VersionId"]
    assert marker_id and marker_id != "null" and marker_id not in ids

    # GET: 404 NoSuchKey with x-amz-delete-marker.
    error = expect_error(s3.get_object, "NoSuchKey", 404, Bucket=versioned, Key="doc")
    assert headers_of(error)["x-amz-delete-marker"] == "true"
    response = raw.request("GET", versioned, "doc")
    assert response.status == 404
    assert response.error_code() == "NoSuchKey"
    assert response.header("x-amz-delete-marker") == "true"
    if response.header("x-amz-version-id") is not None:
        assert response.header("x-amz-version-id") == marker_id

    # HEAD: 404 too.
    head = raw.request("HEAD", versioned, "doc")
    assert head.status == 404
    assert head.header("x-amz-delete-marker") == "true"
    assert error_of(s3.head_object, Bucket=versioned, Key="doc")[1] == 404

    assert "Contents" not in s3.list_objects_v2(Bucket=versioned)

    page = list_versions(s3, versioned)
    assert marker_rows(page) == [("doc", marker_id, True)]
    assert version_rows(page) == [
        ("doc", ids[2], False),
        ("doc", ids[1], False),
        ("doc", ids[0], False),
    ]
    assert "Size" not in page["DeleteMarkers"][0]
    assert "ETag" not in page["DeleteMarkers"][0]

    # The versions are still readable by id.
    for version_id, body in zip(ids, BODIES):
        assert body_of(s3, versioned, "doc", version_id) == body


def test_delete_marker_order_in_listing_xml(s3, raw, versioned):
    first = put_versions(s3, versioned, "k", [b"1"])[0]
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    second = put_versions(s3, versioned, "k", [b"2"])[0]
    entries, _ = raw_version_entries(raw, versioned)
    assert entries == [
        ("Version", "k", second, "true"),
        ("DeleteMarker", "k", marker, "false"),
        ("Version", "k", first, "false"),
    ]


def test_deleting_the_delete_marker_restores_the_object(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    marker_id = s3.delete_object(Bucket=versioned, Key="doc")["VersionId"]
    removed = s3.delete_object(Bucket=versioned, Key="doc", VersionId=marker_id)
    assert status_of(removed) == 204
    assert removed["VersionId"] == marker_id
    assert removed["DeleteMarker"] is True  # the version deleted was a delete marker
    assert body_of(s3, versioned, "doc") == BODIES[-1]
    page = list_versions(s3, versioned)
    assert page["DeleteMarkers"] == []
    assert version_rows(page)[0] == ("doc", ids[2], True)


def test_delete_noncurrent_version_permanently(s3, raw, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    removed = s3.delete_object(Bucket=versioned, Key="doc", VersionId=ids[1])
    assert status_of(removed) == 204
    assert removed["VersionId"] == ids[1]
    assert removed.get("DeleteMarker", False) is False
    page = list_versions(s3, versioned)
    assert version_rows(page) == [("doc", ids[2], True), ("doc", ids[0], False)]
    assert page["DeleteMarkers"] == []

    expect_error(s3.get_object, "NoSuchVersion", 404, Bucket=versioned, Key="doc",
                 VersionId=ids[1])
    response = raw.request("GET", versioned, "doc", query=[("versionId", ids[1])])
    assert response.status == 404
    assert response.error_code() == "NoSuchVersion"
    assert body_of(s3, versioned, "doc") == BODIES[2]
    assert body_of(s3, versioned, "doc", ids[0]) == BODIES[0]


def test_delete_current_version_promotes_previous(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    s3.delete_object(Bucket=versioned, Key="doc", VersionId=ids[2])
    got = s3.get_object(Bucket=versioned, Key="doc")
    assert got["Body"].read() == BODIES[1]
    assert got["VersionId"] == ids[1]
    page = list_versions(s3, versioned)
    assert version_rows(page) == [("doc", ids[1], True), ("doc", ids[0], False)]
    listing = s3.list_objects_v2(Bucket=versioned)
    assert [(c["Key"], c["Size"]) for c in listing["Contents"]] == [("doc", len(BODIES[1]))]


def test_deleting_every_version_removes_the_key(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES[:2])
    for version_id in ids:
        s3.delete_object(Bucket=versioned, Key="doc", VersionId=version_id)
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=versioned, Key="doc")
    page = list_versions(s3, versioned)
    assert page["Versions"] == [] and page["DeleteMarkers"] == []


def test_get_of_delete_marker_version_is_method_not_allowed(s3, raw, versioned):
    put_versions(s3, versioned, "doc", [b"x"])
    marker_id = s3.delete_object(Bucket=versioned, Key="doc")["VersionId"]

    error = expect_error(
        s3.get_object, "MethodNotAllowed", 405, Bucket=versioned, Key="doc", VersionId=marker_id
    )
    assert headers_of(error)["x-amz-delete-marker"] == "true"
    response = raw.request("GET", versioned, "doc", query=[("versionId", marker_id)])
    assert response.status == 405
    assert response.error_code() == "MethodNotAllowed"
    assert response.header("x-amz-delete-marker") == "true"

    head = raw.request("HEAD", versioned, "doc", query=[("versionId", marker_id)])
    assert head.status == 405
    assert head.header("x-amz-delete-marker") == "true"


def test_delete_marker_on_key_that_never_existed(s3, versioned):
    deleted = s3.delete_object(Bucket=versioned, Key="ghost")
    assert status_of(deleted) == 204
    assert deleted["DeleteMarker"] is True
    page = list_versions(s3, versioned)
    assert marker_rows(page) == [("ghost", deleted["VersionId"], True)]


def test_two_deletes_make_two_markers(s3, versioned):
    put_versions(s3, versioned, "doc", [b"x"])
    first = s3.delete_object(Bucket=versioned, Key="doc")["VersionId"]
    second = s3.delete_object(Bucket=versioned, Key="doc")["VersionId"]
    assert first != second
    page = list_versions(s3, versioned)
    assert marker_rows(page) == [("doc", second, True), ("doc", first, False)]


def test_unknown_version_id(s3, raw, versioned):
    real = put_versions(s3, versioned, "doc", [b"x"])[0]
    # Same shape as a real id, different last character.
    lookalike = real[:-1] + ("A" if real[-1] != "A" else "B")
    for version_id in (lookalike, "definitely-not-a-version"):
        response = raw.request("GET", versioned, "doc", query=[("versionId", version_id)])
        assert (response.status, response.error_code()) in (
            (404, "NoSuchVersion"),
            (400, "InvalidArgument"),
        ), response.body
        code, status, _ = error_of(s3.get_object, Bucket=versioned, Key="doc",
                                   VersionId=version_id)
        assert (status, code) in ((404, "NoSuchVersion"), (400, "InvalidArgument"))
        head = raw.request("HEAD", versioned, "doc", query=[("versionId", version_id)])
        assert head.status in (404, 400)
        assert head.body == b""


# --------------------------------------------------------------------------------------------
# The null version, unversioned and Suspended buckets
# --------------------------------------------------------------------------------------------


def test_unversioned_bucket_has_null_versions(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="a", Body=b"one")
    assert "VersionId" not in put
    assert "x-amz-version-id" not in headers_of(put)
    s3.put_object(Bucket=bucket, Key="a", Body=b"two")
    s3.put_object(Bucket=bucket, Key="b", Body=b"bee")
    got = s3.get_object(Bucket=bucket, Key="a")
    assert "VersionId" not in got
    assert got["Body"].read() == b"two"

    page = list_versions(s3, bucket)
    assert version_rows(page) == [("a", "null", True), ("b", "null", True)]
    assert [v["ETag"] for v in page["Versions"]] == [quoted_md5(b"two"), quoted_md5(b"bee")]
    assert page["DeleteMarkers"] == []

    # versionId=null addresses the null version.
    assert body_of(s3, bucket, "a", "null") == b"two"

    deleted = s3.delete_object(Bucket=bucket, Key="a")
    assert status_of(deleted) == 204
    assert "DeleteMarker" not in deleted
    assert "VersionId" not in deleted
    assert version_rows(list_versions(s3, bucket)) == [("b", "null", True)]
    assert list_versions(s3, bucket)["DeleteMarkers"] == []


def test_null_version_from_before_enabling_is_kept(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"old")
    set_versioning(s3, bucket, "Enabled")
    new = put_versions(s3, bucket, "k", [b"new"])[0]
    assert new != "null"
    page = list_versions(s3, bucket)
    assert version_rows(page) == [("k", new, True), ("k", "null", False)]
    assert body_of(s3, bucket, "k", "null") == b"old"
    assert body_of(s3, bucket, "k") == b"new"
    s3.delete_object(Bucket=bucket, Key="k", VersionId="null")
    assert version_rows(list_versions(s3, bucket)) == [("k", new, True)]


def test_suspended_puts_replace_the_null_version(s3, versioned):
    ids = put_versions(s3, versioned, "k", [b"enabled-1", b"enabled-2"])
    set_versioning(s3, versioned, "Suspended")

    for body in (b"suspended-1", b"suspended-2 longer"):
        put = s3.put_object(Bucket=versioned, Key="k", Body=body)
        assert put.get("VersionId", "null") == "null"

    page = list_versions(s3, versioned)
    assert version_rows(page) == [
        ("k", "null", True),
        ("k", ids[1], False),
        ("k", ids[0], False),
    ]
    assert page["Versions"][0]["Size"] == len(b"suspended-2 longer")
    assert page["Versions"][0]["ETag"] == quoted_md5(b"suspended-2 longer")
    assert body_of(s3, versioned, "k") == b"suspended-2 longer"
    assert body_of(s3, versioned, "k", "null") == b"suspended-2 longer"
    assert body_of(s3, versioned, "k", ids[0]) == b"enabled-1"
    assert body_of(s3, versioned, "k", ids[1]) == b"enabled-2"


def test_suspended_delete_makes_null_delete_marker(s3, versioned):
    ids = put_versions(s3, versioned, "k", [b"enabled-1"])
    set_versioning(s3, versioned, "Suspended")
    s3.put_object(Bucket=versioned, Key="k", Body=b"null body")

    deleted = s3.delete_object(Bucket=versioned, Key="k")
    assert status_of(deleted) == 204
    assert deleted["DeleteMarker"] is True
    assert deleted.get("VersionId", "null") == "null"

    page = list_versions(s3, versioned)
    # The null delete marker replaced the null version.
    assert marker_rows(page) == [("k", "null", True)]
    assert version_rows(page) == [("k", ids[0], False)]
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=versioned, Key="k")
    assert body_of(s3, versioned, "k", ids[0]) == b"enabled-1"

    # A second delete keeps a single null marker.
    s3.delete_object(Bucket=versioned, Key="k")
    assert marker_rows(list_versions(s3, versioned)) == [("k", "null", True)]

    # Deleting the null marker by id brings back the Enabled-era version.
    s3.delete_object(Bucket=versioned, Key="k", VersionId="null")
    assert body_of(s3, versioned, "k") == b"enabled-1"


def test_suspended_then_enabled_again_keeps_null_as_noncurrent(s3, versioned):
    set_versioning(s3, versioned, "Suspended")
    s3.put_object(Bucket=versioned, Key="k", Body=b"null-one")
    set_versioning(s3, versioned, "Enabled")
    new = put_versions(s3, versioned, "k", [b"real"])[0]
    assert new != "null"
    assert version_rows(list_versions(s3, versioned)) == [("k", new, True), ("k", "null", False)]
    assert body_of(s3, versioned, "k", "null") == b"null-one"


# --------------------------------------------------------------------------------------------
# Copy, tagging, multipart
# --------------------------------------------------------------------------------------------


def test_copy_of_an_old_version(s3, versioned, unique_name):
    ids = put_versions(s3, versioned, "src", BODIES)
    target = unique_name("dst")
    s3.create_bucket(Bucket=target)
    set_versioning(s3, target, "Enabled")

    copied = s3.copy_object(
        Bucket=target, Key="copy", CopySource={"Bucket": versioned, "Key": "src",
                                               "VersionId": ids[0]}
    )
    assert copied["CopySourceVersionId"] == ids[0]
    assert copied["VersionId"] and copied["VersionId"] != "null"
    assert copied["CopyObjectResult"]["ETag"] == quoted_md5(BODIES[0])
    got = s3.get_object(Bucket=target, Key="copy")
    assert got["Body"].read() == BODIES[0]
    assert got["VersionId"] == copied["VersionId"]

    # Without a version id the current version is copied, and its id reported.
    latest = s3.copy_object(
        Bucket=target, Key="copy", CopySource={"Bucket": versioned, "Key": "src"}
    )
    assert latest["CopySourceVersionId"] == ids[2]
    assert latest["VersionId"] != copied["VersionId"]
    assert body_of(s3, target, "copy") == BODIES[2]
    assert body_of(s3, target, "copy", copied["VersionId"]) == BODIES[0]


def test_copy_old_version_onto_itself_restores_it(s3, versioned):
    ids = put_versions(s3, versioned, "doc", BODIES)
    restored = s3.copy_object(
        Bucket=versioned, Key="doc", CopySource={"Bucket": versioned, "Key": "doc",
                                                 "VersionId": ids[0]}
    )
    assert restored["CopySourceVersionId"] == ids[0]
    assert restored["VersionId"] not in ids
    assert body_of(s3, versioned, "doc") == BODIES[0]
    assert len(list_versions(s3, versioned)["Versions"]) == 4


def test_copy_into_unversioned_bucket_has_no_version_id(s3, versioned, unique_name):
    ids = put_versions(s3, versioned, "src", BODIES[:2])
    target = unique_name("plain")
    s3.create_bucket(Bucket=target)
    copied = s3.copy_object(
        Bucket=target, Key="c", CopySource={"Bucket": versioned, "Key": "src",
                                            "VersionId": ids[0]}
    )
    assert copied["CopySourceVersionId"] == ids[0]
    assert "VersionId" not in copied
    assert body_of(s3, target, "c") == BODIES[0]


def test_copy_source_behind_delete_marker(s3, versioned):
    ids = put_versions(s3, versioned, "src", [b"alive"])
    marker = s3.delete_object(Bucket=versioned, Key="src")["VersionId"]
    expect_error(
        s3.copy_object, "NoSuchKey", 404, Bucket=versioned, Key="dst",
        CopySource={"Bucket": versioned, "Key": "src"},
    )
    # The delete marker itself cannot be a copy source.
    code, status, _ = error_of(
        s3.copy_object, Bucket=versioned, Key="dst",
        CopySource={"Bucket": versioned, "Key": "src", "VersionId": marker},
    )
    assert (status, code) in ((400, "InvalidRequest"), (405, "MethodNotAllowed"))
    # The older version still can.
    copied = s3.copy_object(
        Bucket=versioned, Key="dst", CopySource={"Bucket": versioned, "Key": "src",
                                                 "VersionId": ids[0]}
    )
    assert copied["CopySourceVersionId"] == ids[0]
    assert body_of(s3, versioned, "dst") == b"alive"


def test_copy_of_missing_source_version(s3, versioned):
    ids = put_versions(s3, versioned, "src", [b"a", b"b"])
    s3.delete_object(Bucket=versioned, Key="src", VersionId=ids[0])
    code, status, _ = error_of(
        s3.copy_object, Bucket=versioned, Key="dst",
        CopySource={"Bucket": versioned, "Key": "src", "VersionId": ids[0]},
    )
    assert (status, code) in ((404, "NoSuchVersion"), (400, "InvalidArgument"))


def test_tagging_by_version_id(s3, versioned):
    ids = put_versions(s3, versioned, "t", [b"one", b"two"])
    tagged = s3.put_object_tagging(
        Bucket=versioned, Key="t", VersionId=ids[0],
        Tagging={"TagSet": [{"Key": "era", "Value": "first"}]},
    )
    assert tagged["VersionId"] == ids[0]

    old = s3.get_object_tagging(Bucket=versioned, Key="t", VersionId=ids[0])
    assert old["VersionId"] == ids[0]
    assert old["TagSet"] == [{"Key": "era", "Value": "first"}]

    current = s3.get_object_tagging(Bucket=versioned, Key="t")
    assert current["VersionId"] == ids[1]
    assert current["TagSet"] == []
    assert s3.get_object_tagging(Bucket=versioned, Key="t", VersionId=ids[1])["TagSet"] == []

    # Tagging without a version id tags the current version only.
    now = s3.put_object_tagging(
        Bucket=versioned, Key="t", Tagging={"TagSet": [{"Key": "era", "Value": "second"}]}
    )
    assert now["VersionId"] == ids[1]
    assert s3.get_object_tagging(Bucket=versioned, Key="t", VersionId=ids[0])["TagSet"] == [
        {"Key": "era", "Value": "first"}
    ]
    assert s3.head_object(Bucket=versioned, Key="t", VersionId=ids[0])["VersionId"] == ids[0]
    assert s3.get_object(Bucket=versioned, Key="t", VersionId=ids[0])["TagCount"] == 1

    removed = s3.delete_object_tagging(Bucket=versioned, Key="t", VersionId=ids[0])
    assert status_of(removed) == 204
    assert removed["VersionId"] == ids[0]
    assert s3.get_object_tagging(Bucket=versioned, Key="t", VersionId=ids[0])["TagSet"] == []
    assert s3.get_object_tagging(Bucket=versioned, Key="t")["TagSet"] == [
        {"Key": "era", "Value": "second"}
    ]


def test_tagging_of_delete_marker_or_missing_version(s3, versioned):
    ids = put_versions(s3, versioned, "t", [b"a", b"b"])
    s3.delete_object(Bucket=versioned, Key="t", VersionId=ids[0])
    code, status, _ = error_of(s3.get_object_tagging, Bucket=versioned, Key="t",
                               VersionId=ids[0])
    assert (status, code) in ((404, "NoSuchVersion"), (400, "InvalidArgument"))
    marker = s3.delete_object(Bucket=versioned, Key="t")["VersionId"]
    code, status, _ = error_of(s3.get_object_tagging, Bucket=versioned, Key="t",
                               VersionId=marker)
    assert (status, code) in ((405, "MethodNotAllowed"), (404, "NoSuchVersion"))


def test_multipart_upload_becomes_current_version(s3, versioned):
    before = put_versions(s3, versioned, "mp", [b"small first"])[0]
    part_one = b"a" * (5 * 1024 * 1024)  # the smallest part that may be followed by another
    part_two = b"tail"
    upload = s3.create_multipart_upload(Bucket=versioned, Key="mp")["UploadId"]
    etags = []
    for number, data in enumerate([part_one, part_two], start=1):
        part = s3.upload_part(
            Bucket=versioned, Key="mp", UploadId=upload, PartNumber=number, Body=data
        )
        etags.append(part["ETag"])
    done = s3.complete_multipart_upload(
        Bucket=versioned,
        Key="mp",
        UploadId=upload,
        MultipartUpload={
            "Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, start=1)]
        },
    )
    version = done["VersionId"]
    assert version and version not in (before, "null")
    assert headers_of(done)["x-amz-version-id"] == version

    head = s3.head_object(Bucket=versioned, Key="mp")
    assert head["VersionId"] == version
    assert head["ContentLength"] == len(part_one) + len(part_two)
    assert head["ETag"] == done["ETag"]
    assert body_of(s3, versioned, "mp", before) == b"small first"

    page = list_versions(s3, versioned)
    assert version_rows(page) == [("mp", version, True), ("mp", before, False)]
    assert page["Versions"][0]["Size"] == len(part_one) + len(part_two)
    assert page["Versions"][0]["ETag"] == done["ETag"]


# --------------------------------------------------------------------------------------------
# ListObjectVersions: paging, prefixes, markers
# --------------------------------------------------------------------------------------------


@pytest.fixture
def twelve_versions(s3, versioned):
    """3 keys x 4 versions; returns (bucket, full expected [(key, version_id)] in list order)."""
    expected = []
    for key in ("k1", "k2", "k3"):
        ids = put_versions(s3, versioned, key, [f"{key}-{n}".encode() for n in range(4)])
        expected += [(key, version_id) for version_id in reversed(ids)]
    return versioned, expected


def test_list_versions_full_listing_order(s3, twelve_versions):
    bucket, expected = twelve_versions
    page = list_versions(s3, bucket)
    assert [(v["Key"], v["VersionId"]) for v in page["Versions"]] == expected
    assert [v["IsLatest"] for v in page["Versions"]] == [True, False, False, False] * 3


def test_list_versions_paging(s3, twelve_versions):
    bucket, expected = twelve_versions
    seen, sizes = [], []
    kwargs = {"MaxKeys": 5}
    for _ in range(10):
        page = list_versions(s3, bucket, **kwargs)
        assert page["MaxKeys"] == 5
        rows = [(v["Key"], v["VersionId"]) for v in page["Versions"]]
        sizes.append(len(rows))
        seen += rows
        if not page["IsTruncated"]:
            assert "NextKeyMarker" not in page
            assert "NextVersionIdMarker" not in page
            break
        assert page["NextKeyMarker"] == rows[-1][0]
        assert page["NextVersionIdMarker"] == rows[-1][1]
        kwargs = {
            "MaxKeys": 5,
            "KeyMarker": page["NextKeyMarker"],
            "VersionIdMarker": page["NextVersionIdMarker"],
        }
    assert sizes == [5, 5, 2]
    assert seen == expected
    # The markers are echoed back.
    page = list_versions(s3, bucket, MaxKeys=5, KeyMarker=expected[4][0],
                         VersionIdMarker=expected[4][1])
    assert page["KeyMarker"] == expected[4][0]
    assert page["VersionIdMarker"] == expected[4][1]


def test_list_versions_key_marker_alone_skips_the_whole_key(s3, twelve_versions):
    bucket, expected = twelve_versions
    page = list_versions(s3, bucket, KeyMarker="k1")
    assert [(v["Key"], v["VersionId"]) for v in page["Versions"]] == expected[4:]
    page = list_versions(s3, bucket, KeyMarker="k2a")
    assert [(v["Key"], v["VersionId"]) for v in page["Versions"]] == expected[8:]


def test_list_versions_paging_with_delete_markers(s3, raw, versioned):
    expected = []
    for key in ("a", "b"):
        first = put_versions(s3, versioned, key, [b"1"])[0]
        marker = s3.delete_object(Bucket=versioned, Key=key)["VersionId"]
        second = put_versions(s3, versioned, key, [b"2"])[0]
        expected += [
            ("Version", key, second, "true"),
            ("DeleteMarker", key, marker, "false"),
            ("Version", key, first, "false"),
        ]
    full, _ = raw_version_entries(raw, versioned)
    assert full == expected

    seen, query = [], [("max-keys", "2")]
    for _ in range(10):
        entries, root = raw_version_entries(raw, versioned, query)
        assert len(entries) <= 2
        seen += entries
        if xml_text(root, "s3:IsTruncated") == "false":
            break
        assert xml_text(root, "s3:NextKeyMarker") == entries[-1][1]
        assert xml_text(root, "s3:NextVersionIdMarker") == entries[-1][2]
        query = [
            ("max-keys", "2"),
            ("key-marker", entries[-1][1]),
            ("version-id-marker", entries[-1][2]),
        ]
    assert seen == expected


def test_list_versions_prefix_and_delimiter(s3, versioned):
    ids = {}
    for key in ("a/1", "a/2", "b", "c/d/e"):
        ids[key] = put_versions(s3, versioned, key, [b"x", b"yy"])
    s3.delete_object(Bucket=versioned, Key="a/2")

    top = list_versions(s3, versioned, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "c/"]
    assert version_rows(top) == [("b", ids["b"][1], True), ("b", ids["b"][0], False)]
    assert top["DeleteMarkers"] == []
    assert top["Delimiter"] == "/"

    under_a = list_versions(s3, versioned, Prefix="a/", Delimiter="/")
    assert under_a["Prefix"] == "a/"
    assert under_a["CommonPrefixes"] == []
    assert version_rows(under_a) == [
        ("a/1", ids["a/1"][1], True),
        ("a/1", ids["a/1"][0], False),
        ("a/2", ids["a/2"][1], False),
        ("a/2", ids["a/2"][0], False),
    ]
    assert [(m["Key"], m["IsLatest"]) for m in under_a["DeleteMarkers"]] == [("a/2", True)]

    under_c = list_versions(s3, versioned, Prefix="c/", Delimiter="/")
    assert [p["Prefix"] for p in under_c["CommonPrefixes"]] == ["c/d/"]
    assert under_c["Versions"] == []

    prefix_only = list_versions(s3, versioned, Prefix="c/")
    assert version_rows(prefix_only) == [
        ("c/d/e", ids["c/d/e"][1], True),
        ("c/d/e", ids["c/d/e"][0], False),
    ]


def test_list_versions_paging_rolls_up_prefixes(s3, versioned):
    ids = {}
    for key in ("a/1", "a/2", "b", "c/x"):
        ids[key] = put_versions(s3, versioned, key, [b"1", b"2"])
    entries = []
    kwargs = {"Delimiter": "/", "MaxKeys": 1}
    for _ in range(10):
        page = list_versions(s3, versioned, **kwargs)
        items = [p["Prefix"] for p in page["CommonPrefixes"]] + [
            (v["Key"], v["VersionId"]) for v in page["Versions"]
        ]
        assert len(items) == 1, page
        entries += items
        if not page["IsTruncated"]:
            break
        kwargs = {
            "Delimiter": "/",
            "MaxKeys": 1,
            "KeyMarker": page["NextKeyMarker"],
        }
        if page.get("NextVersionIdMarker"):
            kwargs["VersionIdMarker"] = page["NextVersionIdMarker"]
    assert entries == ["a/", ("b", ids["b"][1]), ("b", ids["b"][0]), "c/"]


def test_list_versions_max_keys_zero_and_missing_bucket(s3, versioned, unique_name):
    put_versions(s3, versioned, "k", [b"1"])
    page = list_versions(s3, versioned, MaxKeys=0)
    assert page["Versions"] == []
    expect_error(s3.list_object_versions, "NoSuchBucket", 404, Bucket=unique_name("nope"))


# --------------------------------------------------------------------------------------------
# DeleteObjects with versions
# --------------------------------------------------------------------------------------------


def test_delete_objects_specific_versions(s3, versioned):
    a = put_versions(s3, versioned, "a", [b"a1", b"a2"])
    b = put_versions(s3, versioned, "b", [b"b1"])
    result = s3.delete_objects(
        Bucket=versioned,
        Delete={"Objects": [{"Key": "a", "VersionId": a[0]}, {"Key": "b", "VersionId": b[0]}]},
    )
    assert result.get("Errors", []) == []
    deleted = sorted(result["Deleted"], key=lambda d: d["Key"])
    assert [(d["Key"], d["VersionId"]) for d in deleted] == [("a", a[0]), ("b", b[0])]
    assert all(d.get("DeleteMarker", False) is False for d in deleted)
    page = list_versions(s3, versioned)
    assert version_rows(page) == [("a", a[1], True)]
    assert page["DeleteMarkers"] == []


def test_delete_objects_without_version_creates_markers(s3, versioned):
    a = put_versions(s3, versioned, "a", [b"a1"])
    put_versions(s3, versioned, "b", [b"b1"])
    result = s3.delete_objects(Bucket=versioned, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert result.get("Errors", []) == []
    deleted = sorted(result["Deleted"], key=lambda d: d["Key"])
    assert [d["Key"] for d in deleted] == ["a", "b"]
    for entry in deleted:
        assert entry["DeleteMarker"] is True
        assert entry["DeleteMarkerVersionId"] and entry["DeleteMarkerVersionId"] != "null"
        assert "VersionId" not in entry
    page = list_versions(s3, versioned)
    assert sorted(marker_rows(page)) == sorted(
        (d["Key"], d["DeleteMarkerVersionId"], True) for d in deleted
    )
    assert "Contents" not in s3.list_objects_v2(Bucket=versioned)

    # Deleting a delete marker by id through DeleteObjects reports it as a marker.
    marker_a = deleted[0]["DeleteMarkerVersionId"]
    again = s3.delete_objects(
        Bucket=versioned, Delete={"Objects": [{"Key": "a", "VersionId": marker_a}]}
    )
    entry = again["Deleted"][0]
    assert entry["Key"] == "a"
    assert entry["VersionId"] == marker_a
    assert entry["DeleteMarker"] is True
    assert entry["DeleteMarkerVersionId"] == marker_a
    assert body_of(s3, versioned, "a") == b"a1"
    assert s3.get_object(Bucket=versioned, Key="a")["VersionId"] == a[0]


def test_delete_objects_quiet_in_versioned_bucket(s3, versioned):
    put_versions(s3, versioned, "q", [b"1"])
    result = s3.delete_objects(
        Bucket=versioned, Delete={"Objects": [{"Key": "q"}], "Quiet": True}
    )
    assert result.get("Deleted", []) == []
    assert result.get("Errors", []) == []
    assert len(list_versions(s3, versioned)["DeleteMarkers"]) == 1


# --------------------------------------------------------------------------------------------
# Deleting a versioned bucket
# --------------------------------------------------------------------------------------------


def test_bucket_with_only_delete_markers_is_not_empty(s3, versioned):
    put_versions(s3, versioned, "k", [b"1"])
    s3.delete_object(Bucket=versioned, Key="k")
    page = list_versions(s3, versioned)
    s3.delete_object(Bucket=versioned, Key="k", VersionId=page["Versions"][0]["VersionId"])
    # Only a delete marker is left.
    assert list_versions(s3, versioned)["Versions"] == []
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=versioned)
    delete_all_versions(s3, versioned)
    assert status_of(s3.delete_bucket(Bucket=versioned)) == 204


def test_bucket_with_only_noncurrent_versions_is_not_empty(s3, versioned):
    put_versions(s3, versioned, "k", [b"1", b"2"])
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    s3.delete_object(Bucket=versioned, Key="k", VersionId=marker)
    current = s3.head_object(Bucket=versioned, Key="k")["VersionId"]
    s3.delete_object(Bucket=versioned, Key="k", VersionId=current)
    # One version left, current again.
    assert len(list_versions(s3, versioned)["Versions"]) == 1
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=versioned)

    # A marker on top: only a noncurrent version and a marker, nothing visible, not empty.
    s3.delete_object(Bucket=versioned, Key="k")
    assert "Contents" not in s3.list_objects_v2(Bucket=versioned)
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=versioned)
    delete_all_versions(s3, versioned)
    s3.delete_bucket(Bucket=versioned)
    expect_error(s3.head_bucket, "404", 404, Bucket=versioned)


def test_suspended_bucket_with_old_versions_is_not_empty(s3, versioned):
    put_versions(s3, versioned, "k", [b"1"])
    set_versioning(s3, versioned, "Suspended")
    s3.delete_object(Bucket=versioned, Key="k")
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=versioned)


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------


def test_aws_cli_versioning(aws_cli, s3, bucket, tmp_path):
    aws_cli("s3api", "put-bucket-versioning", "--bucket", bucket,
            "--versioning-configuration", "Status=Enabled")
    state = json.loads(aws_cli("s3api", "get-bucket-versioning", "--bucket", bucket).stdout)
    assert state["Status"] == "Enabled"

    ids = []
    for n in range(3):
        source = tmp_path / f"v{n}.txt"
        source.write_bytes(f"cli version {n}".encode())
        out = aws_cli("s3api", "put-object", "--bucket", bucket, "--key", "cli.txt",
                      "--body", source).stdout
        ids.append(json.loads(out)["VersionId"])
    assert len(set(ids)) == 3

    listing = json.loads(
        aws_cli("s3api", "list-object-versions", "--bucket", bucket).stdout
    )
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in listing["Versions"]] == [
        ("cli.txt", ids[2], True),
        ("cli.txt", ids[1], False),
        ("cli.txt", ids[0], False),
    ]
    assert not listing.get("DeleteMarkers")

    target = tmp_path / "got.txt"
    got = json.loads(
        aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "cli.txt",
                "--version-id", ids[0], target).stdout
    )
    assert got["VersionId"] == ids[0]
    assert target.read_bytes() == b"cli version 0"

    deleted = json.loads(
        aws_cli("s3api", "delete-object", "--bucket", bucket, "--key", "cli.txt").stdout
    )
    assert deleted["DeleteMarker"] is True
    listing = json.loads(aws_cli("s3api", "list-object-versions", "--bucket", bucket,
                                 "--prefix", "cli").stdout)
    assert [(m["Key"], m["VersionId"], m["IsLatest"]) for m in listing["DeleteMarkers"]] == [
        ("cli.txt", deleted["VersionId"], True)
    ]
    assert [v["IsLatest"] for v in listing["Versions"]] == [False, False, False]

    # The CLI's own pagination (page size 2) walks the markers and gets everything.
    paged = json.loads(aws_cli("s3api", "list-object-versions", "--bucket", bucket,
                               "--page-size", "2").stdout)
    assert len(paged["Versions"]) == 3 and len(paged["DeleteMarkers"]) == 1

    aws_cli("s3api", "put-bucket-versioning", "--bucket", bucket,
            "--versioning-configuration", "Status=Suspended")
    state = json.loads(aws_cli("s3api", "get-bucket-versioning", "--bucket", bucket).stdout)
    assert state["Status"] == "Suspended"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"


def test_aws_cli_invalid_versioning_status(aws_cli, bucket):
    result = aws_cli("s3api", "put-bucket-versioning", "--bucket", bucket,
                     "--versioning-configuration", "Status=On", check=False)
    assert result.returncode != 0
    assert "MalformedXML" in result.stderr
