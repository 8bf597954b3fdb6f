"""A bucket's Usage panel (GET /_console/api/buckets/<name>/usage, issue 15 "Dashboards"): the
bucket's totals, its breakdown by storage class and the monthly cost estimate at AWS's list
prices, against a real server, with exact numbers after puts in two classes, a versioned
overwrite and a delete marker; the totals agree with what S3's listings show; only the
bucket's owner (or whoever may s3:ListBucket it) may look. Every answer is checked against docs/openapi.yaml."""

import pytest

from openapi_check import OpenApi
from test_console_api import Browser
from test_metrics import eventually, scrape, value

GB = 1024 ** 3
API = OpenApi()
PRICES = {"STANDARD": 0.023, "STANDARD_IA": 0.0125, "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099}


@pytest.fixture
def root_browser(server):
    browser = Browser(server)
    assert browser.sign_in(server.access_key, server.secret_key)[0] == 201
    return browser


def usage_of(browser, bucket):
    """The usage answer, checked against docs/openapi.yaml."""
    status, _, body = browser.call("GET", f"buckets/{bucket}/usage")
    assert status == 200, body
    API.check("GET", f"buckets/{bucket}/usage", status, body)
    return body


def test_usage_counts_classes_versions_and_prices_them_exactly(s3, bucket, root_browser):
    s3.put_object(Bucket=bucket, Key="a", Body=b"a" * 1000)
    s3.put_object(Bucket=bucket, Key="b", Body=b"b" * 3000, StorageClass="STANDARD_IA")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="a", Body=b"A" * 1500)  # "a"'s null version stays
    s3.put_object(Bucket=bucket, Key="c", Body=b"c" * 10)
    s3.delete_object(Bucket=bucket, Key="c")  # a delete marker over "c"

    body = usage_of(root_browser, bucket)
    assert {key: body[key] for key in (
        "bucket", "objects", "bytes", "versions", "version_bytes", "noncurrent_bytes",
        "delete_markers")} == {
        "bucket": bucket, "objects": 2, "bytes": 1500 + 3000,
        "versions": 5, "version_bytes": 1000 + 1500 + 3000 + 10,
        "noncurrent_bytes": 1000 + 10, "delete_markers": 1}

    classes = {entry["storage_class"]: entry for entry in body["classes"]}
    assert sorted(classes) == ["STANDARD", "STANDARD_IA"]
    standard, infrequent = classes["STANDARD"], classes["STANDARD_IA"]
    assert (standard["objects"], standard["versions"], standard["logical_bytes"]) == (
        1, 3, 1000 + 1500 + 10)
    assert (infrequent["objects"], infrequent["versions"], infrequent["logical_bytes"]) == (
        1, 1, 3000)
    assert standard["restored_bytes"] == infrequent["restored_bytes"] == 0
    # STANDARD_IA keeps bodies as zstd frames: 3000 equal bytes take far less room here, but
    # AWS bills the logical size.
    assert 0 < infrequent["stored_bytes"] < 3000

    standard_cost = 2510 / GB * PRICES["STANDARD"]
    infrequent_cost = 3000 / GB * PRICES["STANDARD_IA"]
    assert standard["monthly"] == pytest.approx(standard_cost, rel=1e-12)
    assert infrequent["monthly"] == pytest.approx(infrequent_cost, rel=1e-12)
    estimate = body["estimate"]
    assert estimate["monthly"] == pytest.approx(standard_cost + infrequent_cost, rel=1e-12)
    assert estimate["currency"] == "USD" and estimate["region"] == "us-east-1"
    assert estimate["prices"] == PRICES
    assert "aws.amazon.com/s3/pricing" in estimate["source"]


def test_usage_matches_what_the_s3_listings_show(s3, bucket, root_browser):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for i, size in enumerate((5, 70_000, 12)):
        s3.put_object(Bucket=bucket, Key=f"k{i % 2}", Body=bytes(size),
                      StorageClass="GLACIER" if i == 1 else "STANDARD")
    s3.delete_object(Bucket=bucket, Key="k1")
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    versions = s3.list_object_versions(Bucket=bucket)
    all_versions = versions.get("Versions", [])
    markers = versions.get("DeleteMarkers", [])

    body = usage_of(root_browser, bucket)
    assert body["objects"] == len(listed)
    assert body["bytes"] == sum(entry["Size"] for entry in listed)
    assert body["versions"] == len(all_versions) + len(markers)
    assert body["version_bytes"] == sum(entry["Size"] for entry in all_versions)
    assert body["delete_markers"] == len(markers) == 1
    by_class = {}
    for entry in all_versions:
        by_class.setdefault(entry["StorageClass"], []).append(entry["Size"])
    assert {entry["storage_class"]: (entry["versions"], entry["logical_bytes"])
            for entry in body["classes"]} == {
        name: (len(sizes), sum(sizes)) for name, sizes in by_class.items()}
    glacier = next(e for e in body["classes"] if e["storage_class"] == "GLACIER")
    assert glacier["monthly"] == pytest.approx(70_000 / GB * PRICES["GLACIER"], rel=1e-12)


def test_an_empty_bucket_costs_nothing(bucket, root_browser):
    body = usage_of(root_browser, bucket)
    assert (body["objects"], body["bytes"], body["versions"], body["classes"]) == (0, 0, 0, [])
    assert body["estimate"]["monthly"] == 0


def test_only_the_owner_sees_a_buckets_usage(server, bucket, root_browser, other_user):
    other = Browser(server)
    assert other.sign_in(other_user.access_key, other_user.secret_key)[0] == 201
    status, _, body = other.call("GET", f"buckets/{bucket}/usage")
    assert status == 403 and body["error"]["code"] == "AccessDenied"  # as S3's ListBucket
    API.check("GET", f"buckets/{bucket}/usage", status, body)
    status, _, body = root_browser.call("GET", "buckets/no-such-bucket-here/usage")
    assert status == 404 and body["error"]["code"] == "NoSuchBucket"
    status, _, body = root_browser.call("POST", f"buckets/{bucket}/usage", {})
    assert status == 405 and body["error"]["code"] == "MethodNotAllowed"
    signed_out = Browser(server)
    status, _, body = signed_out.call("GET", f"buckets/{bucket}/usage")
    assert status == 401 and body["error"]["code"] == "SignInRequired"


def test_each_usage_request_is_counted_under_its_own_operation(server, bucket, root_browser):
    labels = {"api": "console", "operation": "ConsoleGetBucketUsage", "status_class": "2xx"}
    before = value(scrape(server)[2], "cloudvault_requests_total", **labels)
    usage_of(root_browser, bucket)
    usage_of(root_browser, bucket)
    # Counted when each exchange ends: polled with a deadline.
    assert eventually(lambda: value(scrape(server)[2], "cloudvault_requests_total", **labels)
                      == before + 2)
