"""Bucket CORS: the configuration API, OPTIONS preflight answered from it, and CORS headers
on actual requests."""

import pytest

from cvharness import expect_error

APP_ORIGIN = "https://app.example.test"

RULES = [
    {
        "AllowedOrigins": [APP_ORIGIN, "https://*.uploads.example.test"],
        "AllowedMethods": ["GET", "PUT", "POST", "HEAD"],
        "AllowedHeaders": ["content-type", "x-amz-*"],
        "ExposeHeaders": ["ETag", "x-amz-request-id"],
        "MaxAgeSeconds": 600,
    },
    {
        "AllowedOrigins": ["*"],
        "AllowedMethods": ["GET"],
    },
]


@pytest.fixture
def cors_bucket(s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    s3.put_object(Bucket=bucket, Key="file.txt", Body=b"cors body")
    return bucket


def split(value):
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


def preflight(raw, bucket, key, origin, method, request_headers=None):
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if request_headers:
        headers["Access-Control-Request-Headers"] = request_headers
    return raw.request("OPTIONS", bucket, key, headers=headers, anonymous=True)


def test_put_get_delete_configuration(s3, bucket):
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert len(rules) == 2
    first, second = rules
    assert first["AllowedOrigins"] == RULES[0]["AllowedOrigins"]
    assert first["AllowedMethods"] == RULES[0]["AllowedMethods"]
    assert first["AllowedHeaders"] == RULES[0]["AllowedHeaders"]
    assert first["ExposeHeaders"] == RULES[0]["ExposeHeaders"]
    assert first["MaxAgeSeconds"] == 600
    assert second["AllowedOrigins"] == ["*"]
    assert second["AllowedMethods"] == ["GET"]

    replaced = [{"AllowedOrigins": ["https://only.example.test"], "AllowedMethods": ["DELETE"],
                 "ID": "only-rule"}]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": replaced})
    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert [(r.get("ID"), r["AllowedOrigins"], r["AllowedMethods"]) for r in rules] == [
        ("only-rule", ["https://only.example.test"], ["DELETE"])
    ]

    deleted = s3.delete_bucket_cors(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)


def test_invalid_configuration(s3, bucket):
    expect_error(
        s3.put_bucket_cors,
        "InvalidRequest",
        400,
        Bucket=bucket,
        CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]},
    )
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)


def test_preflight_allowed(raw, cors_bucket):
    response = preflight(raw, cors_bucket, "new/upload.bin", APP_ORIGIN, "PUT",
                         "Content-Type, X-Amz-Meta-Owner")
    assert response.status == 200, response.body
    assert response.header("Access-Control-Allow-Origin") == APP_ORIGIN
    assert "PUT" in {m.upper() for m in split(response.header("Access-Control-Allow-Methods"))}
    assert {"content-type", "x-amz-meta-owner"} <= split(
        response.header("Access-Control-Allow-Headers")
    )
    assert response.header("Access-Control-Max-Age") == "600"
    assert response.header("x-amz-request-id")


def test_preflight_wildcard_subdomain_origin(raw, cors_bucket):
    origin = "https://team1.uploads.example.test"
    response = preflight(raw, cors_bucket, "k", origin, "POST")
    assert response.status == 200, response.body
    assert response.header("Access-Control-Allow-Origin") == origin


def test_preflight_any_origin_rule(raw, cors_bucket):
    response = preflight(raw, cors_bucket, "k", "https://random.example.org", "GET")
    assert response.status == 200, response.body
    assert response.header("Access-Control-Allow-Origin") in ("*", "https://random.example.org")


@pytest.mark.parametrize(
    "origin,method,request_headers",
    [
        ("https://evil.example.test", "PUT", None),  # origin not allowed for PUT
        (APP_ORIGIN, "DELETE", None),  # method not allowed
        (APP_ORIGIN, "PUT", "Authorization-Extra"),  # header not allowed
        ("https://a.b.uploads.example.test.evil", "PUT", None),
    ],
)
def test_preflight_denied(raw, cors_bucket, origin, method, request_headers):
    response = preflight(raw, cors_bucket, "k", origin, method, request_headers)
    assert response.status == 403, response.body
    assert response.header("Access-Control-Allow-Origin") is None


def test_preflight_without_configuration(raw, bucket):
    response = preflight(raw, bucket, "k", APP_ORIGIN, "GET")
    assert response.status == 403
    assert response.header("Access-Control-Allow-Origin") is None


def test_preflight_missing_origin_or_method(raw, cors_bucket):
    response = raw.request("OPTIONS", cors_bucket, "k", anonymous=True,
                           headers={"Access-Control-Request-Method": "GET"})
    assert response.status in (400, 403)
    response = raw.request("OPTIONS", cors_bucket, "k", anonymous=True,
                           headers={"Origin": APP_ORIGIN})
    assert response.status in (400, 403)
    assert response.header("Access-Control-Allow-Origin") is None


def test_actual_request_gets_cors_headers(raw, cors_bucket):
    response = raw.request("GET", cors_bucket, "file.txt", headers={"Origin": APP_ORIGIN})
    assert response.status == 200
    assert response.body == b"cors body"
    assert response.header("Access-Control-Allow-Origin") == APP_ORIGIN
    assert {"etag", "x-amz-request-id"} <= split(response.header("Access-Control-Expose-Headers"))

    put = raw.request("PUT", cors_bucket, "from-browser.txt", body=b"b",
                      headers={"Origin": APP_ORIGIN})
    assert put.status == 200
    assert put.header("Access-Control-Allow-Origin") == APP_ORIGIN


def test_actual_request_from_other_origin_has_no_cors_headers(raw, cors_bucket):
    response = raw.request("PUT", cors_bucket, "x.txt", body=b"x",
                           headers={"Origin": "https://evil.example.test"})
    # The request itself is authorised by its signature; only the CORS headers are withheld.
    assert response.status == 200
    assert response.header("Access-Control-Allow-Origin") is None
    plain = raw.request("GET", cors_bucket, "file.txt")
    assert plain.header("Access-Control-Allow-Origin") is None


def test_preflight_on_missing_bucket(raw, unique_name):
    response = preflight(raw, unique_name("nope"), "k", APP_ORIGIN, "GET")
    assert response.status in (403, 404)
    assert response.header("Access-Control-Allow-Origin") is None
