"""The console's JSON API on the S3 port (/_console/api/): sign-in with an HttpOnly session
cookie, CSRF and Origin checks, buckets, sign-out; against the real server with plain HTTP."""

import http.client
import os
import json
import re

import pytest


class Browser:
    """A minimal browser: keeps the session cookie, sends JSON."""

    def __init__(self, server):
        self.port = server.port
        self.cookie = None
        self.csrf = None

    def call(self, method, route, body=None, headers=None, csrf=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            sent["Content-Type"] = "application/json"
        if self.cookie:
            sent["Cookie"] = self.cookie
        if csrf and self.csrf:
            sent["X-CSRF-Token"] = self.csrf
        sent.update(headers or {})
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, "/_console/api/" + route, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        parsed = json.loads(data) if data else None
        return response.status, dict(response.getheaders()), parsed

    def sign_in(self, access_key, secret):
        status, headers, body = self.call(
            "POST", "session", {"accessKeyId": access_key, "secretAccessKey": secret})
        if status == 201:
            self.cookie = headers["Set-Cookie"].split(";")[0]
            self.csrf = body["csrfToken"]
        return status, headers, body


@pytest.fixture
def browser(server):
    return Browser(server)


def test_sign_in_sets_a_strict_http_only_session_cookie(server, browser):
    status, headers, body = browser.sign_in(server.access_key, server.secret_key)
    assert status == 201
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("cv_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert body["accessKeyId"] == server.access_key
    assert "secretAccessKey" not in body
    status, _, body = browser.call("GET", "session")
    assert status == 200 and body["accessKeyId"] == server.access_key


def test_bad_sign_in_is_refused(server, browser):
    status, headers, body = browser.sign_in(server.access_key, "not the secret")
    assert status == 401
    assert body["error"]["code"] == "InvalidCredentials"
    assert "Set-Cookie" not in headers
    status, _, body = browser.call("GET", "buckets")
    assert status == 401 and body["error"]["code"] == "SignInRequired"


def test_repeated_wrong_secrets_are_throttled_per_key_and_per_address(server_factory, tmp_path):
    # A server of its own (its lockouts must not reach the other tests, which all come from
    # 127.0.0.1), with lockouts long enough that no timing matters: 3 free failures per key,
    # 8 per address, then 10 minutes.
    config = tmp_path / "throttle.toml"
    config.write_text("[console]\n"
                      "sign_in_free_failures_per_key = 3\n"
                      "sign_in_free_failures_per_address = 8\n"
                      "sign_in_first_lockout_seconds = 600\n"
                      "sign_in_max_lockout_seconds = 900\n")
    instance = server_factory(extra_args=("--config", str(config)), name="throttle")
    instance.admin("user", "add", "second")
    second = json.loads(instance.admin("key", "create", "second").stdout)
    browser = Browser(instance)

    def throttled(status, headers, body):
        assert status == 429, (status, body)
        assert 0 < int(headers["Retry-After"]) <= 600
        assert body["error"]["code"] == "TooManySignIns"
        assert body["error"]["retryAfterSeconds"] == int(headers["Retry-After"])
        assert f"try again in {headers['Retry-After']} s" in body["error"]["message"]
        assert "Set-Cookie" not in headers
        return True

    # Per key: three free failures, the fourth starts the lockout; from then on even the right
    # secret is refused, unchecked.
    for _ in range(4):
        status, _, body = browser.sign_in(instance.access_key, "not the secret")
        assert status == 401 and body["error"]["code"] == "InvalidCredentials"
    assert throttled(*browser.sign_in(instance.access_key, "still not the secret"))
    assert throttled(*browser.sign_in(instance.access_key, instance.secret_key))
    status, _, _ = browser.call("GET", "session")
    assert status == 401

    # The lockout is the key's: another key from the same address signs in (4 failures are
    # within the address's 8; the success clears the address's record).
    status, _, body = Browser(instance).sign_in(second["access_key_id"], second["secret_key"])
    assert status == 201, body

    # Per address: nine keys (unknown ones, answered alike), one failure each, lock the
    # address out for every key, the valid second key included.
    for i in range(9):
        status, _, body = browser.sign_in(f"CVSPRAY{i:013d}", "guess")
        assert status == 401, (i, body)
    assert throttled(*Browser(instance).sign_in(second["access_key_id"], second["secret_key"]))

    # Each failure is logged (the server's log, on stderr) with the address and the key.
    instance.wait_for_log(re.escape(
        f'console sign-in failed: address=127.0.0.1 access_key="{instance.access_key}" '
        'key_failures=1 address_failures=1 locked_for=0s'))
    instance.wait_for_log(re.escape(
        'access_key="CVSPRAY0000000000008" key_failures=1 address_failures=9 locked_for=600s'))


def test_buckets_through_the_console_and_s3_on_the_same_port(server, s3, browser, unique_name):
    browser.sign_in(server.access_key, server.secret_key)
    name = unique_name()
    status, _, body = browser.call("POST", "buckets", {"name": name})
    assert status == 201, body
    s3.put_object(Bucket=name, Key="hello.txt", Body=b"hello")
    status, _, body = browser.call("GET", "buckets")
    listed = {b["name"]: b for b in body["buckets"]}
    assert listed[name]["objects"] == 1 and listed[name]["bytes"] == 5
    status, _, body = browser.call("DELETE", f"buckets/{name}")
    assert status == 409 and body["error"]["code"] == "BucketNotEmpty"
    s3.delete_object(Bucket=name, Key="hello.txt")
    status, _, _ = browser.call("DELETE", f"buckets/{name}")
    assert status == 204
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_state_changes_need_the_csrf_token_and_the_same_origin(server, browser, unique_name):
    browser.sign_in(server.access_key, server.secret_key)
    status, _, body = browser.call("POST", "buckets", {"name": unique_name()}, csrf=False)
    assert status == 403 and body["error"]["code"] == "CsrfTokenMismatch"
    status, _, body = browser.call("POST", "buckets", {"name": unique_name()},
                                   headers={"Origin": "https://evil.example"})
    assert status == 403 and body["error"]["code"] == "ForeignOrigin"


def test_sign_out_ends_the_session(server, browser):
    browser.sign_in(server.access_key, server.secret_key)
    status, headers, _ = browser.call("DELETE", "session")
    assert status == 204
    assert "Max-Age=0" in headers["Set-Cookie"]
    status, _, _ = browser.call("GET", "session")
    assert status == 401


def test_a_deleted_key_ends_its_console_sessions(server, browser):
    server.admin("user", "add", "console-user")
    created = json.loads(server.admin("key", "create", "console-user").stdout)
    status, _, _ = browser.sign_in(created["access_key_id"], created["secret_key"])
    assert status == 201
    server.admin("key", "delete", created["access_key_id"])
    status, _, body = browser.call("GET", "buckets")
    assert status == 401 and body["error"]["code"] == "SignInRequired"


def fetch(method, url, body=None, headers=None):
    """Sends a request to a pre-signed URL with no session and no signing of our own."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.getheaders()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_presigned_upload_browse_download_share_and_delete(server, s3, browser, bucket):
    browser.sign_in(server.access_key, server.secret_key)
    payload = "näme with spaces & ünïcode".encode() * 100
    key = "docs/2026/résumé final.txt"
    status, _, signed = browser.call(
        "POST", "presign", {"bucket": bucket, "key": key, "method": "PUT"})
    assert status == 200, signed
    status, _, _ = fetch("PUT", signed["url"], payload)
    assert status == 200
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == payload

    status, _, root = browser.call("GET", f"objects?bucket={bucket}&prefix=")
    assert status == 200
    assert root["folders"] == [{"prefix": "docs/"}] and root["objects"] == []
    import urllib.parse

    status, _, folder = browser.call(
        "GET", "objects?" + urllib.parse.urlencode({"bucket": bucket, "prefix": "docs/2026/"}))
    assert [o["key"] for o in folder["objects"]] == [key]
    assert folder["objects"][0]["size"] == len(payload)
    assert folder["next"] is None

    status, _, share = browser.call(
        "POST", "presign",
        {"bucket": bucket, "key": key, "method": "GET", "expiresSeconds": 3600, "download": True})
    assert status == 200 and share["expiresSeconds"] == 3600
    status, headers, body = fetch("GET", share["url"])
    assert status == 200 and body == payload
    assert headers["Content-Disposition"].startswith("attachment;")

    status, _, bad = browser.call(
        "POST", "presign", {"bucket": bucket, "key": key, "method": "GET",
                            "expiresSeconds": 8 * 24 * 3600})
    assert status == 400 and bad["error"]["code"] == "InvalidExpiry"
    status, _, missing = browser.call(
        "POST", "presign", {"bucket": bucket, "key": "absent", "method": "GET"})
    assert status == 404 and missing["error"]["code"] == "NoSuchKey"

    status, _, result = browser.call("POST", "delete", {"bucket": bucket, "keys": [key]})
    assert status == 200 and result["deleted"] == [key]
    status, _, root = browser.call("GET", f"objects?bucket={bucket}&prefix=")
    assert root["folders"] == [] and root["objects"] == []


def test_folder_listing_pages_in_key_order(server, s3, browser, bucket):
    browser.sign_in(server.access_key, server.secret_key)
    keys = [f"photos/img{i:03d}.jpg" for i in range(25)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    seen, after = [], ""
    while True:
        status, _, page = browser.call(
            "GET", f"objects?bucket={bucket}&prefix=photos/&limit=10&after={after}")
        assert status == 200
        seen += [o["key"] for o in page["objects"]]
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == keys


def test_other_users_buckets_are_refused_as_s3_refuses_them(server, browser, other_user):
    other = Browser(server)
    other.sign_in(other_user.access_key, other_user.secret_key)
    browser.sign_in(server.access_key, server.secret_key)
    name = "console-private-" + other_user.name
    status, _, _ = browser.call("POST", "buckets", {"name": name})
    assert status == 201
    for method, route, body in [
        ("GET", f"objects?bucket={name}&prefix=", None),
        ("POST", "presign", {"bucket": name, "key": "k", "method": "PUT"}),
        ("POST", "delete", {"bucket": name, "keys": ["k"]}),
    ]:
        # The bucket exists: AccessDenied, as S3 answers (test_console_access.py has more).
        status, _, answer = other.call(method, route, body)
        assert status == 403 and answer["error"]["code"] == "AccessDenied", (route, answer)
    browser.call("DELETE", f"buckets/{name}")


def test_multipart_upload_from_the_browser_over_signed_s3_requests(server, s3, browser, bucket):
    """What Uppy's AWS S3 plugin does: each S3 request of the upload is signed by the console
    API and sent by the page straight to the S3 endpoint."""
    import re

    browser.sign_in(server.access_key, server.secret_key)
    key = "videos/holiday clip.bin"
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(5 * 1024 * 1024), os.urandom(1234)]

    def signed(method, **extra):
        status, _, answer = browser.call(
            "POST", "uploads/sign", {"bucket": bucket, "key": key, "method": method, **extra})
        assert status == 200, answer
        return answer["url"]

    status, _, body = fetch("POST", signed("POST"), b"", {"Content-Type": "video/mp4"})
    assert status == 200, body
    upload_id = re.search(rb"<UploadId>([^<]+)</UploadId>", body).group(1).decode()
    etags = []
    for number, data in enumerate(parts[:2], start=1):
        status, headers, _ = fetch("PUT", signed("PUT", uploadId=upload_id, partNumber=number), data)
        assert status == 200
        etags.append(headers["ETag"])
    # Resume: list what is stored so far.
    status, _, listed = fetch("GET", signed("GET", uploadId=upload_id))
    assert status == 200
    assert re.findall(rb"<PartNumber>(\d+)</PartNumber>", listed) == [b"1", b"2"]
    status, headers, _ = fetch("PUT", signed("PUT", uploadId=upload_id, partNumber=3), parts[2])
    etags.append(headers["ETag"])
    complete = "<CompleteMultipartUpload>" + "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"
        for n, e in enumerate(etags, 1)) + "</CompleteMultipartUpload>"
    status, _, body = fetch("POST", signed("POST", uploadId=upload_id), complete.encode())
    assert status == 200, body
    got = s3.get_object(Bucket=bucket, Key=key)
    assert got["Body"].read() == b"".join(parts)
    assert got["ContentType"] == "video/mp4"

    status, _, body = fetch("POST", signed("POST"), b"")
    gone = re.search(rb"<UploadId>([^<]+)</UploadId>", body).group(1).decode()
    status, _, _ = fetch("DELETE", signed("DELETE", uploadId=gone))
    assert status == 204
    status, _, body = fetch("PUT", signed("PUT", uploadId=gone, partNumber=1), b"x")
    assert status == 404 and b"NoSuchUpload" in body


def test_the_upload_signer_signs_only_upload_requests(server, browser, bucket):
    browser.sign_in(server.access_key, server.secret_key)
    for extra in [{"method": "DELETE"}, {"method": "GET"}, {"method": "HEAD"},
                  {"method": "PUT", "partNumber": 1},
                  {"method": "PUT", "uploadId": "u", "partNumber": 0},
                  {"method": "PUT", "uploadId": "u", "partNumber": 10001},
                  {"method": "POST", "uploadId": ""}]:
        status, _, answer = browser.call(
            "POST", "uploads/sign", {"bucket": bucket, "key": "k", **extra})
        assert status == 400 and answer["error"]["code"] == "InvalidRequest", (extra, answer)
    status, _, answer = browser.call(
        "POST", "uploads/sign", {"bucket": bucket, "key": "../" * 400, "method": "PUT"})
    assert status == 400, answer


def test_folders_rename_and_details(server, s3, browser, bucket):
    import urllib.parse

    browser.sign_in(server.access_key, server.secret_key)
    status, _, _ = browser.call("POST", "folders", {"bucket": bucket, "prefix": "albums/2026/"})
    assert status == 201
    for bad in ("no-slash", "/abs/", "a//b/", ""):
        status, _, answer = browser.call("POST", "folders", {"bucket": bucket, "prefix": bad})
        assert status == 400 and answer["error"]["code"] == "InvalidFolderName", bad
    status, _, root = browser.call("GET", f"objects?bucket={bucket}&prefix=albums/")
    assert root["folders"] == [{"prefix": "albums/2026/"}]

    s3.put_object(Bucket=bucket, Key="inbox/cat.jpg", Body=b"meow" * 1000,
                  ContentType="image/jpeg", Metadata={"camera": "x100"}, Tagging="pet=cat")
    status, _, moved = browser.call(
        "POST", "rename", {"bucket": bucket, "from": "inbox/cat.jpg", "to": "albums/2026/cat.jpg"})
    assert status == 200, moved
    got = s3.get_object(Bucket=bucket, Key="albums/2026/cat.jpg")
    assert got["Body"].read() == b"meow" * 1000
    assert got["ContentType"] == "image/jpeg" and got["Metadata"] == {"camera": "x100"}
    assert s3.list_objects_v2(Bucket=bucket, Prefix="inbox/")["KeyCount"] == 0
    s3.put_object(Bucket=bucket, Key="inbox/dog.jpg", Body=b"woof")
    status, _, clash = browser.call(
        "POST", "rename", {"bucket": bucket, "from": "inbox/dog.jpg", "to": "albums/2026/cat.jpg"})
    assert status == 409 and clash["error"]["code"] == "AlreadyExists"

    query = urllib.parse.urlencode({"bucket": bucket, "key": "albums/2026/cat.jpg"})
    status, _, details = browser.call("GET", "object?" + query)
    assert status == 200
    assert details["size"] == 4000 and details["contentType"] == "image/jpeg"
    assert details["metadata"] == [{"name": "camera", "value": "x100"}]
    assert details["tags"] == [{"name": "pet", "value": "cat"}]
    assert details["storageClass"] == "STANDARD" and details["encryption"] == "none"
    assert [v["latest"] for v in details["versions"]] == [True]


def png_bytes(width, height):
    """A valid RGB PNG of the given size (a gradient), built with zlib alone."""
    import struct
    import zlib

    raw = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 128)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def test_gallery_thumbnails_are_made_once_per_version(server, s3, browser, bucket):
    browser.sign_in(server.access_key, server.secret_key)
    s3.put_object(Bucket=bucket, Key="pics/wide.png", Body=png_bytes(400, 200),
                  ContentType="image/png")
    connection_args = f"thumbnail?bucket={bucket}&key=pics/wide.png&size=128"

    def get_thumbnail():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/_console/api/" + connection_args,
                           headers={"Cookie": browser.cookie})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    status, headers, jpeg = get_thumbnail()
    assert status == 200, jpeg
    assert headers["Content-Type"] == "image/jpeg" and jpeg[:2] == b"\xff\xd8"
    assert headers["Cache-Control"] == "private, max-age=60"
    cached = list((server.data_dir / "thumbnails").rglob("*.jpg"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    status, again_headers, again = get_thumbnail()
    assert again == jpeg and again_headers["ETag"] == headers["ETag"]
    assert cached[0].stat().st_mtime_ns == mtime  # served from the cache, not made again

    s3.put_object(Bucket=bucket, Key="pics/wide.png", Body=png_bytes(100, 300),
                  ContentType="image/png")
    status, new_headers, new = get_thumbnail()
    assert status == 200 and new_headers["ETag"] != headers["ETag"]
    # Named by the version's ETag (as the gallery asks), the thumbnail may be kept for good.
    etag = s3.head_object(Bucket=bucket, Key="pics/wide.png")["ETag"].strip('"')
    connection_args += f"&etag={etag}"
    status, named_headers, named = get_thumbnail()
    assert named == new and named_headers["Cache-Control"] == "private, max-age=31536000, immutable"
    connection_args = connection_args.replace(etag, "0" * 32)
    status, stale_headers, _ = get_thumbnail()
    assert stale_headers["Cache-Control"] == "private, max-age=60"

    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"hello", ContentType="text/plain")
    status, _, body = browser.call("GET", f"thumbnail?bucket={bucket}&key=notes.txt")
    assert status == 415 and body["error"]["code"] == "NotAnImage"
    s3.put_object(Bucket=bucket, Key="fake.png", Body=b"not a png", ContentType="image/png")
    status, _, body = browser.call("GET", f"thumbnail?bucket={bucket}&key=fake.png")
    assert status == 415 and body["error"]["code"] == "NotAnImage"


def test_the_console_page_and_assets_are_served_with_a_strict_csp(server_factory, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app-1a2b.js").write_text("console.log('vault')")
    config = tmp_path / "console.toml"
    config.write_text(f'[console]\nassets = "{dist}"\n')
    instance = server_factory(extra_args=("--config", str(config)), name="assets")

    def get(path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    status, headers, _ = get("/", {"Accept": "text/html,*/*"})
    assert status == 302 and headers["Location"] == "/_console/"
    status, headers, body = get("/_console/buckets/photos")
    assert status == 200 and body == b"<!doctype html><div id=root></div>"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-cache"
    status, headers, body = get("/_console/assets/app-1a2b.js")
    assert status == 200 and body == b"console.log('vault')"
    assert headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in headers["Cache-Control"]
    status, _, _ = get("/_console/%2e%2e/console.toml")
    assert status == 400
    # S3 clients are unaffected: an anonymous ListBuckets is still refused the S3 way.
    status, _, body = get("/")
    assert status == 403 and b"AccessDenied" in body


def listing(browser, **query):
    """One page of GET objects; the query's values are URL-encoded."""
    import urllib.parse

    status, _, page = browser.call("GET", "objects?" + urllib.parse.urlencode(query))
    assert status == 200, page
    return page


def every_page(browser, **query):
    """Follows `next` to the end: (folder prefixes, object keys, pages)."""
    folders, keys, after, pages = [], [], "", 0
    while True:
        page = listing(browser, **query, after=after)
        pages += 1
        folders += [f["prefix"] for f in page["folders"]]
        keys += [o["key"] for o in page["objects"]]
        if page["next"] is None:
            return folders, keys, pages
        assert pages < 100, "the cursor does not advance"
        after = page["next"]


def test_folder_listing_search_and_sorts_over_http(server, s3, browser, bucket):
    import urllib.parse

    browser.sign_in(server.access_key, server.secret_key)
    sizes = {"Invoice-March.PDF": 300, "invoice-april.pdf": 100, "photo.JPG": 500,
             "notes": 200, "readme.txt": 400}
    for name, size in sizes.items():  # put in this order: "modified" follows it
        s3.put_object(Bucket=bucket, Key=f"inbox/{name}", Body=b"x" * size)
    s3.put_object(Bucket=bucket, Key="inbox/invoices-2025/old.pdf", Body=b"x")
    s3.put_object(Bucket=bucket, Key="inbox/archive/a.txt", Body=b"x")

    page = listing(browser, bucket=bucket, prefix="inbox/", search="INVOICE")
    assert [f["prefix"] for f in page["folders"]] == ["inbox/invoices-2025/"]
    assert [o["key"] for o in page["objects"]] == ["inbox/Invoice-March.PDF",
                                                  "inbox/invoice-april.pdf"]
    assert page["next"] is None

    def keys(**query):
        folders, found, _ = every_page(browser, bucket=bucket, prefix="inbox/", **query)
        return folders, [k.removeprefix("inbox/") for k in found]

    assert keys(sort="size") == (
        ["inbox/archive/", "inbox/invoices-2025/"],
        ["invoice-april.pdf", "notes", "Invoice-March.PDF", "readme.txt", "photo.JPG"])
    assert keys(sort="size", order="desc")[1] == [
        "photo.JPG", "readme.txt", "Invoice-March.PDF", "notes", "invoice-april.pdf"]
    assert keys(sort="modified", order="desc", limit=2)[1] == [
        "readme.txt", "notes", "photo.JPG", "invoice-april.pdf", "Invoice-March.PDF"]
    assert keys(sort="type", limit=2)[1] == [
        "notes", "photo.JPG", "Invoice-March.PDF", "invoice-april.pdf", "readme.txt"]
    assert keys(sort="name", order="desc")[0] == ["inbox/invoices-2025/", "inbox/archive/"]
    assert keys(sort="size", search="invoice", limit=1) == (
        ["inbox/invoices-2025/"], ["invoice-april.pdf", "Invoice-March.PDF"])

    first = listing(browser, bucket=bucket, prefix="inbox/", sort="size", limit=3)
    assert first["next"].startswith("@3.")  # the offset, then the snapshot of the sorted level
    for bad in ({"sort": "colour"}, {"order": "sideways"},
                {"sort": "size", "after": "inbox/notes"}, {"sort": "type", "after": "@x"}):
        status, _, answer = browser.call(
            "GET", "objects?" + urllib.parse.urlencode({"bucket": bucket, "prefix": "inbox/", **bad}))
        assert status == 400 and answer["error"]["code"] == "InvalidRequest", bad
        assert answer["error"]["message"]


def test_search_pages_with_the_key_cursor_over_many_pages(server, s3, browser, bucket):
    browser.sign_in(server.access_key, server.secret_key)
    from concurrent.futures import ThreadPoolExecutor

    names = [f"logs/{i:04d}{'-error' if i % 500 == 7 else ''}.log" for i in range(2100)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=b"."), names))
    # Matches sit more than a vault list page (1000) apart.
    folders, found, pages = every_page(browser, bucket=bucket, prefix="logs/", search="Error",
                                       limit=2)
    assert folders == [] and found == [n for n in names if "error" in n] and pages == 3
    folders, found, pages = every_page(browser, bucket=bucket, prefix="logs/", limit=1000)
    assert found == names and pages == 3


def test_restore_a_version_and_preview_it_over_http(server, s3, browser, bucket):
    import urllib.parse

    browser.sign_in(server.access_key, server.secret_key)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    key = "plans/roadmap.md"
    first = s3.put_object(Bucket=bucket, Key=key, Body=b"# Roadmap v1", ContentType="text/markdown",
                          Metadata={"author": "ada"})
    second = s3.put_object(Bucket=bucket, Key=key, Body=b"# Roadmap v2, rewritten",
                           ContentType="text/plain")

    # The old version, shown inline through a pre-signed link naming it.
    status, _, signed = browser.call("POST", "presign", {
        "bucket": bucket, "key": key, "method": "GET", "versionId": first["VersionId"],
        "inline": True})
    assert status == 200, signed
    status, headers, body = fetch("GET", signed["url"])
    headers = {name.lower(): value for name, value in headers.items()}
    assert status == 200 and body == b"# Roadmap v1"
    assert headers["x-amz-version-id"] == first["VersionId"]
    assert headers["content-disposition"] == "inline; filename*=UTF-8''roadmap.md"
    status, _, missing = browser.call("POST", "presign", {
        "bucket": bucket, "key": key, "method": "GET", "versionId": "not-a-version"})
    assert status == 404 and missing["error"]["code"] == "NoSuchVersion"

    status, _, restored = browser.call(
        "POST", "versions/restore", {"bucket": bucket, "key": key, "versionId": first["VersionId"]})
    assert status == 200, restored
    assert restored["key"] == key and restored["etag"] == first["ETag"].strip('"')
    assert restored["versionId"] not in (first["VersionId"], second["VersionId"])
    current = s3.get_object(Bucket=bucket, Key=key)
    assert current["Body"].read() == b"# Roadmap v1"
    assert current["VersionId"] == restored["versionId"]
    assert current["ContentType"] == "text/markdown" and current["Metadata"] == {"author": "ada"}

    status, _, details = browser.call("GET", "object?" + urllib.parse.urlencode(
        {"bucket": bucket, "key": key}))
    assert status == 200
    assert [(v["versionId"], v["etag"], v["deleteMarker"]) for v in details["versions"]] == [
        (restored["versionId"], restored["etag"], False),
        (second["VersionId"], second["ETag"].strip('"'), False),
        (first["VersionId"], first["ETag"].strip('"'), False)]

    marker = s3.delete_object(Bucket=bucket, Key=key)
    assert marker["DeleteMarker"] is True
    status, _, refused = browser.call(
        "POST", "versions/restore", {"bucket": bucket, "key": key, "versionId": marker["VersionId"]})
    assert status == 400 and refused["error"]["code"] == "InvalidRequest"
    assert refused["error"]["message"] == "A delete marker has no content to restore."
    status, _, unknown = browser.call(
        "POST", "versions/restore", {"bucket": bucket, "key": key, "versionId": "not-a-version"})
    assert status == 404 and unknown["error"]["code"] == "NoSuchVersion"

    # One version deleted for good; the rest stay.
    status, _, result = browser.call("POST", "delete", {
        "bucket": bucket, "keys": [{"key": key, "versionId": second["VersionId"]}]})
    assert status == 200 and result["failed"] == []
    assert result["deleted"] == [{"key": key, "versionId": second["VersionId"]}]
    left = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]]
    assert sorted(left) == sorted([restored["versionId"], first["VersionId"]])


def test_objects_never_run_as_pages_of_the_console_origin(server, s3, browser, bucket):
    """S3 and the console share an origin: an uploaded page opened from a link must not be
    able to call the console API with the viewer's session."""
    browser.sign_in(server.access_key, server.secret_key)
    cases = {
        "evil.html": ("text/html", "sandbox"),
        "evil.svg": ("image/svg+xml", "sandbox"),
        "sniff.txt": ("text/plain", "sandbox"),
        "paper.pdf": ("application/pdf; charset=binary", None),
    }
    for key, (content_type, _) in cases.items():
        s3.put_object(Bucket=bucket, Key=key, Body=b"<script>alert(1)</script>",
                      ContentType=content_type)
    for key, (_, policy) in cases.items():
        status, _, share = browser.call(
            "POST", "presign", {"bucket": bucket, "key": key, "method": "GET"})
        assert status == 200
        status, headers, _ = fetch("GET", share["url"])
        assert status == 200
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers.get("Content-Security-Policy") == policy, key


def test_a_large_folder_is_deleted_in_batches(server, s3, browser, bucket):
    from concurrent.futures import ThreadPoolExecutor

    browser.sign_in(server.access_key, server.secret_key)
    keys = [f"big/{i:04d}.txt" for i in range(1005)] + ["big/sub/deep.txt"]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=b"x"), keys))
    s3.put_object(Bucket=bucket, Key="big-kept.txt", Body=b"kept")
    answers = []
    for _ in range(10):  # bounded: two batches are expected
        status, _, answer = browser.call(
            "POST", "folders/delete", {"bucket": bucket, "prefix": "big/"})
        assert status == 200, answer
        answers.append(answer)
        if not answer["more"]:
            break
    assert [a["deleted"] for a in answers] == [1000, 6]
    assert [a["more"] for a in answers] == [True, False]
    listed = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed.get("Contents", [])] == ["big-kept.txt"]
