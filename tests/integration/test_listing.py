"""ListObjects v1 and v2: prefix, delimiter, paging, owner, URL encoding, byte order."""

import concurrent.futures
import urllib.parse

import pytest

from cvharness import expect_error, quoted_md5, xml_items, xml_text

TREE = ["a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e"]


@pytest.fixture
def tree(s3, bucket):
    for key in TREE:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    return bucket


def keys_of(page):
    return [item["Key"] for item in page.get("Contents", [])]


def prefixes_of(page):
    return [item["Prefix"] for item in page.get("CommonPrefixes", [])]


def test_empty_bucket(s3, bucket):
    v2 = s3.list_objects_v2(Bucket=bucket)
    assert v2["KeyCount"] == 0
    assert v2["IsTruncated"] is False
    assert "Contents" not in v2
    v1 = s3.list_objects(Bucket=bucket)
    assert v1["IsTruncated"] is False
    assert "Contents" not in v1


def test_entry_fields(s3, tree):
    page = s3.list_objects_v2(Bucket=tree)
    assert keys_of(page) == TREE
    assert page["KeyCount"] == len(TREE)
    assert page["MaxKeys"] == 1000
    for item in page["Contents"]:
        assert item["Size"] == len(item["Key"].encode())
        assert item["ETag"] == quoted_md5(item["Key"].encode())
        assert item["StorageClass"] == "STANDARD"
        assert item["LastModified"]
        assert "Owner" not in item


def test_prefix(s3, tree):
    assert keys_of(s3.list_objects_v2(Bucket=tree, Prefix="b/")) == [
        "b/1.txt",
        "b/2.txt",
        "b/c/3.txt",
    ]
    assert keys_of(s3.list_objects(Bucket=tree, Prefix="b/c")) == ["b/c/3.txt"]
    assert keys_of(s3.list_objects_v2(Bucket=tree, Prefix="zzz")) == []


def test_delimiter(s3, tree):
    for list_call in (s3.list_objects_v2, s3.list_objects):
        page = list_call(Bucket=tree, Delimiter="/")
        assert keys_of(page) == ["a.txt", "e"]
        assert prefixes_of(page) == ["b/", "d/"]
        assert page["Delimiter"] == "/"
        nested = list_call(Bucket=tree, Delimiter="/", Prefix="b/")
        assert keys_of(nested) == ["b/1.txt", "b/2.txt"]
        assert prefixes_of(nested) == ["b/c/"]
    # v2's KeyCount counts keys and common prefixes.
    assert s3.list_objects_v2(Bucket=tree, Delimiter="/")["KeyCount"] == 4


def test_delimiter_other_than_slash(s3, tree):
    page = s3.list_objects_v2(Bucket=tree, Delimiter=".")
    assert keys_of(page) == ["e"]
    assert prefixes_of(page) == ["a.", "b/1.", "b/2.", "b/c/3.", "d/4."]


def test_v2_paging_with_continuation_token(s3, tree):
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"Bucket": tree, "MaxKeys": 2}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        pages += 1
        assert page["KeyCount"] == len(keys_of(page)) <= 2
        if token:
            assert page["ContinuationToken"] == token
        seen += keys_of(page)
        if not page["IsTruncated"]:
            assert "NextContinuationToken" not in page
            break
        token = page["NextContinuationToken"]
    assert seen == TREE
    assert pages == 3


def test_v2_start_after(s3, tree):
    page = s3.list_objects_v2(Bucket=tree, StartAfter="b/2.txt")
    assert keys_of(page) == ["b/c/3.txt", "d/4.txt", "e"]
    assert page["StartAfter"] == "b/2.txt"
    assert keys_of(s3.list_objects_v2(Bucket=tree, StartAfter="b/")) == TREE[1:]
    assert keys_of(s3.list_objects_v2(Bucket=tree, StartAfter="e")) == []


def test_v1_paging_with_marker(s3, tree):
    seen, marker = [], ""
    while True:
        page = s3.list_objects(Bucket=tree, MaxKeys=2, Marker=marker)
        assert len(keys_of(page)) <= 2
        seen += keys_of(page)
        if not page["IsTruncated"]:
            break
        # Without a delimiter S3 may omit NextMarker; the last key is the marker then.
        marker = page.get("NextMarker") or keys_of(page)[-1]
    assert seen == TREE
    assert keys_of(s3.list_objects(Bucket=tree, Marker="b/c/3.txt")) == ["d/4.txt", "e"]


@pytest.mark.parametrize("version", [1, 2])
def test_paging_with_delimiter_rolls_up_prefixes(s3, tree, version):
    entries, marker = [], None
    for _ in range(10):
        kwargs = {"Bucket": tree, "Delimiter": "/", "MaxKeys": 1}
        if version == 2:
            if marker:
                kwargs["ContinuationToken"] = marker
            page = s3.list_objects_v2(**kwargs)
        else:
            if marker:
                kwargs["Marker"] = marker
            page = s3.list_objects(**kwargs)
        items = keys_of(page) + prefixes_of(page)
        assert len(items) == 1, page
        entries += items
        if not page["IsTruncated"]:
            break
        marker = page["NextContinuationToken"] if version == 2 else page["NextMarker"]
    assert entries == ["a.txt", "b/", "d/", "e"]


def test_fetch_owner(s3, tree):
    owner = s3.list_buckets()["Owner"]
    page = s3.list_objects_v2(Bucket=tree, FetchOwner=True)
    for item in page["Contents"]:
        assert item["Owner"]["ID"] == owner["ID"]
        assert item["Owner"]["DisplayName"] == owner["DisplayName"]


def test_max_keys_zero_and_invalid(s3, raw, tree):
    page = s3.list_objects_v2(Bucket=tree, MaxKeys=0)
    assert keys_of(page) == []
    for bad in ("-1", "abc"):
        response = raw.request("GET", tree, query=[("list-type", "2"), ("max-keys", bad)])
        assert response.status == 400, response.body
        assert response.error_code() == "InvalidArgument"


def test_invalid_continuation_token(raw, tree):
    response = raw.request(
        "GET", tree, query=[("list-type", "2"), ("continuation-token", "not-a-real-token!")]
    )
    assert response.status == 400, response.body
    assert response.error_code() == "InvalidArgument"


def test_byte_order(s3, bucket):
    keys = ["a", "B", "é", "~", "aa", "a/b", "a-b", "Z", "0", "ｚ", "😀", "a b", "A"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    expected = sorted(keys, key=lambda k: k.encode("utf-8"))
    assert keys_of(s3.list_objects_v2(Bucket=bucket)) == expected
    assert keys_of(s3.list_objects(Bucket=bucket)) == expected
    # Paging one at a time gives the same order.
    paged, token = [], None
    while True:
        kwargs = {"Bucket": bucket, "MaxKeys": 1}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        paged += keys_of(page)
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert paged == expected


ENCODED_KEYS = ["sp ace/ä+b", "x&y<z>", "ctl\x01char", "pct%41/q?=", "tab\there"]


def test_encoding_type_url(s3, raw, bucket):
    for key in ENCODED_KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=b"v")
    for list_type in ("2", None):
        query = [("encoding-type", "url")]
        if list_type:
            query.append(("list-type", list_type))
        response = raw.request("GET", bucket, query=query)
        assert response.status == 200, response.body
        root = response.xml()
        assert xml_text(root, "s3:EncodingType") == "url"
        encoded = [xml_text(item, "s3:Key") for item in xml_items(root, "s3:Contents")]
        for value in encoded:
            assert value.isascii() and " " not in value and "\x01" not in value, value
        decoded = [urllib.parse.unquote_plus(value) for value in encoded]
        assert decoded == sorted(ENCODED_KEYS, key=lambda k: k.encode())


def test_encoding_type_url_prefixes(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="dir one/ä b/file", Body=b"")
    s3.put_object(Bucket=bucket, Key="dir one/plain", Body=b"")
    response = raw.request(
        "GET",
        bucket,
        query=[
            ("list-type", "2"),
            ("encoding-type", "url"),
            ("prefix", "dir one/"),
            ("delimiter", "/"),
            ("start-after", "dir one/ "),
        ],
    )
    assert response.status == 200, response.body
    root = response.xml()
    assert urllib.parse.unquote_plus(xml_text(root, "s3:Prefix")) == "dir one/"
    assert " " not in xml_text(root, "s3:Prefix")
    assert urllib.parse.unquote_plus(xml_text(root, "s3:StartAfter")) == "dir one/ "
    prefixes = [xml_text(p, "s3:Prefix") for p in xml_items(root, "s3:CommonPrefixes")]
    assert [urllib.parse.unquote_plus(p) for p in prefixes] == ["dir one/ä b/"]
    assert all(p.isascii() and " " not in p for p in prefixes)
    keys = [xml_text(c, "s3:Key") for c in xml_items(root, "s3:Contents")]
    assert [urllib.parse.unquote_plus(k) for k in keys] == ["dir one/plain"]


def test_without_encoding_keys_are_xml_escaped(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="x&y<z>\"'", Body=b"")
    response = raw.request("GET", bucket, query=[("list-type", "2")])
    assert response.status == 200
    root = response.xml()
    assert xml_text(root, "s3:EncodingType") is None
    assert [xml_text(c, "s3:Key") for c in xml_items(root, "s3:Contents")] == ["x&y<z>\"'"]


# --------------------------------------------------------------------------------------------
# 2,500 keys
# --------------------------------------------------------------------------------------------

MANY = 2500


@pytest.fixture(scope="module")
def many_keys_bucket(s3):
    import uuid

    name = "many-keys-" + uuid.uuid4().hex[:8]
    s3.create_bucket(Bucket=name)
    keys = [f"key-{i:05d}" for i in range(MANY)]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=name, Key=k, Body=k.encode()), keys))
    return name, keys


def test_many_keys_v2_default_pages(s3, many_keys_bucket):
    name, keys = many_keys_bucket
    seen, sizes, token = [], [], None
    while True:
        kwargs = {"Bucket": name}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        sizes.append(page["KeyCount"])
        seen += keys_of(page)
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert sizes == [1000, 1000, 500]
    assert seen == keys


def test_many_keys_v2_odd_page_size_and_cap(s3, many_keys_bucket):
    name, keys = many_keys_bucket
    seen, pages, token = [], 0, None
    while True:
        kwargs = {"Bucket": name, "MaxKeys": 333}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        pages += 1
        seen += keys_of(page)
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert pages == 8
    assert seen == keys
    capped = s3.list_objects_v2(Bucket=name, MaxKeys=5000)
    assert capped["KeyCount"] == 1000
    assert capped["IsTruncated"] is True


def test_many_keys_v1_marker_and_start_after(s3, many_keys_bucket):
    name, keys = many_keys_bucket
    seen, marker = [], ""
    while True:
        page = s3.list_objects(Bucket=name, Marker=marker)
        seen += keys_of(page)
        if not page["IsTruncated"]:
            break
        marker = page.get("NextMarker") or keys_of(page)[-1]
    assert seen == keys
    tail = s3.list_objects_v2(Bucket=name, StartAfter="key-01234", MaxKeys=1000)
    assert keys_of(tail) == keys[1235:2235]
    assert keys_of(s3.list_objects_v2(Bucket=name, Prefix="key-024"))[:2] == [
        "key-02400",
        "key-02401",
    ]
    assert s3.list_objects_v2(Bucket=name, Prefix="key-024")["KeyCount"] == 100


def test_missing_bucket(s3, unique_name):
    expect_error(s3.list_objects_v2, "NoSuchBucket", 404, Bucket=unique_name("gone"))
