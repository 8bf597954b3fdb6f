"""Virtual-hosted-style addressing (`<bucket>.<domain>`) next to path style."""

import urllib.parse

from cvharness import RawClient, make_client, xml_items, xml_text

DOMAIN = "s3.localhost.test"


def test_virtual_hosted_style(server_factory):
    server = server_factory(name="vhost", extra_args=["--domain", DOMAIN])
    path_style = make_client(server.endpoint, server.access_key, server.secret_key)
    path_style.create_bucket(Bucket="vhost-bucket")
    raw = RawClient(server.port, server.access_key, server.secret_key)
    host = f"vhost-bucket.{DOMAIN}:{server.port}"
    key = "dir/file name+ü.txt"
    target = "/" + urllib.parse.quote(key, safe="/~")

    put = raw.request("PUT", path=target, host=host, body=b"virtual host body")
    assert put.status == 200, put.body
    assert path_style.get_object(Bucket="vhost-bucket", Key=key)["Body"].read() == (
        b"virtual host body"
    )

    got = raw.request("GET", path=target, host=host)
    assert got.status == 200, got.body
    assert got.body == b"virtual host body"

    listing = raw.request("GET", path="/", query=[("list-type", "2")], host=host)
    assert listing.status == 200, listing.body
    root = listing.xml()
    assert xml_text(root, "s3:Name") == "vhost-bucket"
    assert [xml_text(c, "s3:Key") for c in xml_items(root, "s3:Contents")] == [key]

    # The bare domain is the service endpoint (ListBuckets).
    service = raw.request("GET", path="/", host=f"{DOMAIN}:{server.port}")
    assert service.status == 200, service.body
    names = [xml_text(b, "s3:Name") for b in xml_items(service.xml(), "s3:Buckets/s3:Bucket")]
    assert names == ["vhost-bucket"]

    # A bucket that does not exist, addressed by host name.
    missing = raw.request("GET", path="/k", host=f"no-such-bucket.{DOMAIN}:{server.port}")
    assert missing.status == 404
    assert missing.error_code() == "NoSuchBucket"
