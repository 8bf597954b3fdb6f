"""HTTPS: `cloudvault admin tls self-signed`, `server --tls-cert/--tls-key` and [tls], the
plain loopback listener, SSE-C and console sign-in over plain HTTP, SIGHUP certificate reload.

Every client here trusts only the certificate the server was given (aws --ca-bundle, boto3
verify=, curl --cacert, Python's ssl with cafile=), so a wrong certificate fails the test.
"""

import http.client
import json
import os
import signal
import socket
import ssl
import stat
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import botocore.config
import pytest

from conftest import AWS_BIN, _runner, _tool_env
from cvharness import make_client, random_bytes, server_binary

SSE_KEY = bytes(range(32))
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": SSE_KEY}
PLAIN_SECRETS_REFUSED = (
    "Requests specifying Server Side Encryption with Customer provided keys must be made over "
    "a secure connection."
)


def self_signed(data_dir, host="127.0.0.1", cert=None, key=None, days=None):
    """Runs `cloudvault admin tls self-signed` and returns (cert path, key path, stdout)."""
    args = [server_binary(), "admin", "tls", "self-signed", "--host", host, "--data", str(data_dir)]
    if cert:
        args += ["--out-cert", str(cert), "--out-key", str(key)]
    if days:
        args += ["--days", str(days)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    cert = Path(cert) if cert else Path(data_dir) / "tls" / "cert.pem"
    key = Path(key) if key else Path(data_dir) / "tls" / "key.pem"
    return cert, key, result.stdout


def cert_der(cert_path):
    return ssl.PEM_cert_to_DER_cert(Path(cert_path).read_text())


def handshake(port, cafile, **options):
    """A fresh TLS connection to 127.0.0.1:port; returns the SSLSocket (caller closes).
    cafile None: no verification (the caller compares the certificate itself)."""
    if cafile is None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context = ssl.create_default_context(cafile=str(cafile))
    for name, value in options.items():
        if name == "alpn":
            context.set_alpn_protocols(value)
        elif name == "ciphers":
            context.set_ciphers(value)
        else:
            setattr(context, name, value)
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        return context.wrap_socket(raw, server_hostname="127.0.0.1")
    except BaseException:
        raw.close()
        raise


def presented_der(port):
    """The certificate a new connection is shown (DER), compared byte for byte by callers:
    two self-signed certificates for one host share a subject, so a CA bundle holding both
    cannot tell them apart."""
    with handshake(port, None) as tls:
        return tls.getpeercert(binary_form=True)


def https_client(server, cert, **s3_options):
    s3_config = {"addressing_style": "path", **s3_options}
    return boto3.session.Session().client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
        verify=str(cert),
        config=botocore.config.Config(s3=s3_config, retries={"max_attempts": 1}),
    )


def poll(condition, timeout=20, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met within %ss" % timeout)


def start_tls_server(server_factory, tmp_path, config_text="", name="tls", cert_args=True):
    """A server with a fresh self-signed certificate for 127.0.0.1 and [tls] plain_listen on a
    free loopback port. Returns (server, cert, key, plain port)."""
    certs = tmp_path / f"{name}-certs"
    certs.mkdir()
    cert, key, _ = self_signed(certs, cert=certs / "cert.pem", key=certs / "key.pem")
    config = tmp_path / f"{name}.toml"
    config.write_text('[tls]\nplain_listen = "127.0.0.1:0"\n' + config_text)
    args = ["--config", str(config)]
    if cert_args:
        args += ["--tls-cert", str(cert), "--tls-key", str(key)]
    server = server_factory(name=name, extra_args=args)
    assert server.scheme == "https", server.stdout_lines
    plain_port = int(server.wait_for_stdout(r"^listening on http://127\.0\.0\.1:(\d+)$").group(1))
    return server, cert, key, plain_port


@pytest.fixture
def tls_server(server_factory, tmp_path):
    return start_tls_server(server_factory, tmp_path)


# ---- admin tls self-signed -------------------------------------------------------------------


def test_self_signed_writes_a_certificate_for_the_host_and_a_private_key(tmp_path):
    cert, key, out = self_signed(tmp_path / "data")
    assert cert == tmp_path / "data" / "tls" / "cert.pem"
    assert str(cert) in out and str(key) in out and f"--ca-bundle {cert}" in out
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "PRIVATE KEY" in key.read_text()
    text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"],
                          capture_output=True, text=True, check=True).stdout
    assert "IP Address:127.0.0.1" in text
    assert "DNS:localhost" in text
    assert "prime256v1" in text or "P-256" in text
    assert "TLS Web Server Authentication" in text


def test_self_signed_names_a_dns_host_and_honours_days(tmp_path):
    cert, key, _ = self_signed(tmp_path, host="vault.example.test", cert=tmp_path / "c.pem",
                               key=tmp_path / "k.pem", days=7)
    text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text", "-enddate"],
                          capture_output=True, text=True, check=True).stdout
    assert "DNS:vault.example.test" in text
    assert "127.0.0.1" not in text
    # Valid for 7 days, not the default 365: checkend 8 days says it will have expired.
    expires = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-checkend",
                              str(8 * 86400)], capture_output=True, text=True)
    assert expires.returncode == 1
    again, _, _ = self_signed(tmp_path, host="vault.example.test", cert=tmp_path / "c2.pem",
                              key=tmp_path / "k2.pem")
    assert cert_der(again) != cert_der(cert)


def test_self_signed_refuses_a_bad_host_or_days(tmp_path):
    for args in (["--host", "bad host/name"], ["--host", "ok.test", "--days", "0"]):
        result = subprocess.run(
            [server_binary(), "admin", "tls", "self-signed", *args, "--data", str(tmp_path)],
            capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert "cloudvault:" in result.stderr
    assert not (tmp_path / "tls" / "key.pem").exists()


def test_server_refuses_to_start_with_a_key_that_is_not_the_certificates(tmp_path):
    cert, _, _ = self_signed(tmp_path, cert=tmp_path / "a.pem", key=tmp_path / "a.key")
    _, other_key, _ = self_signed(tmp_path, cert=tmp_path / "b.pem", key=tmp_path / "b.key")
    result = subprocess.run(
        [server_binary(), "server", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "d"),
         "--tls-cert", str(cert), "--tls-key", str(other_key)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "does not belong to the certificate" in result.stderr


# ---- clients over HTTPS ----------------------------------------------------------------------


def test_aws_cli_with_ca_bundle_copies_up_and_down(tls_server, tmp_path):
    server, cert, _, _ = tls_server
    home = tmp_path / "awscli"
    home.mkdir()
    (home / "config").write_text("[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n")
    env = _tool_env(server, {
        "AWS_ACCESS_KEY_ID": server.access_key,
        "AWS_SECRET_ACCESS_KEY": server.secret_key,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    aws = _runner([AWS_BIN, "--endpoint-url", server.endpoint, "--ca-bundle", str(cert),
                   "--no-cli-pager"], env)
    bucket = "tls-cli-" + uuid.uuid4().hex[:8]
    aws("s3", "mb", f"s3://{bucket}")
    source = tmp_path / "up.bin"
    source.write_bytes(random_bytes(300 * 1024, seed=3))
    aws("s3", "cp", str(source), f"s3://{bucket}/dir/up.bin")
    aws("s3", "cp", f"s3://{bucket}/dir/up.bin", str(tmp_path / "down.bin"))
    assert (tmp_path / "down.bin").read_bytes() == source.read_bytes()
    listed = json.loads(aws("s3api", "list-buckets", "--output", "json").stdout)
    assert bucket in [b["Name"] for b in listed["Buckets"]]
    # Without the bundle the CLI does not trust the self-signed certificate.
    untrusted = _runner([AWS_BIN, "--endpoint-url", server.endpoint, "--no-cli-pager"], env)
    refused = untrusted("s3api", "list-buckets", check=False)
    assert refused.returncode != 0
    assert "SSL" in refused.stderr or "certificate" in refused.stderr


def test_boto3_verifies_the_certificate_and_round_trips(tls_server):
    server, cert, _, _ = tls_server
    s3 = https_client(server, cert)
    bucket = "tls-boto-" + uuid.uuid4().hex[:8]
    s3.create_bucket(Bucket=bucket)
    body = random_bytes(2 * 1024 * 1024 + 5, seed=9)  # streamed both ways
    s3.put_object(Bucket=bucket, Key="big", Body=body)
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == body
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["big"]


def test_curl_with_cacert_fetches_a_presigned_url(tls_server, tmp_path):
    server, cert, _, _ = tls_server
    s3 = https_client(server, cert)
    bucket = "tls-curl-" + uuid.uuid4().hex[:8]
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="hello.txt", Body=b"over https")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "hello.txt"})
    assert url.startswith("https://127.0.0.1:")
    fetched = subprocess.run(["curl", "-sS", "--fail", "--cacert", str(cert), url],
                             capture_output=True, timeout=60)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == b"over https"
    untrusted = subprocess.run(["curl", "-sS", url], capture_output=True, timeout=60)
    assert untrusted.returncode == 60  # peer certificate cannot be authenticated


def test_tls_1_1_is_refused_and_1_2_accepted(tls_server):
    server, cert, _, _ = tls_server
    # The client is made willing to speak TLS 1.1 (security level 0), so only the server can
    # be the one refusing it.
    with pytest.raises(ssl.SSLError) as refused:
        handshake(server.port, cert, ciphers="DEFAULT:@SECLEVEL=0",
                  minimum_version=ssl.TLSVersion.TLSv1_1,
                  maximum_version=ssl.TLSVersion.TLSv1_1).close()
    # The server's alert, not a client unable to offer TLS 1.1.
    assert "ALERT_PROTOCOL_VERSION" in str(refused.value).upper().replace(" ", "_"), refused.value
    with handshake(server.port, cert, ciphers="DEFAULT:@SECLEVEL=0",
                   minimum_version=ssl.TLSVersion.TLSv1_1,
                   maximum_version=ssl.TLSVersion.TLSv1_2) as tls:
        assert tls.version() == "TLSv1.2"
        assert "GCM" in tls.cipher()[0] or "CHACHA20" in tls.cipher()[0]
    with handshake(server.port, cert) as tls:
        assert tls.version() == "TLSv1.3"


def test_alpn_negotiates_http_1_1(tls_server):
    server, cert, _, _ = tls_server
    with handshake(server.port, cert, alpn=["h2", "http/1.1"]) as tls:
        assert tls.selected_alpn_protocol() == "http/1.1"
    # A client offering only h2 still gets a connection (and no ALPN answer).
    with handshake(server.port, cert, alpn=["h2"]) as tls:
        assert tls.selected_alpn_protocol() is None


def test_plain_listener_serves_loopback_and_the_tls_port_refuses_plain_http(tls_server):
    server, cert, _, plain_port = tls_server
    plain = make_client(f"http://127.0.0.1:{plain_port}", server.access_key, server.secret_key)
    bucket = "tls-plain-" + uuid.uuid4().hex[:8]
    plain.create_bucket(Bucket=bucket)
    plain.put_object(Bucket=bucket, Key="k", Body=b"plain")
    assert https_client(server, cert).get_object(Bucket=bucket, Key="k")["Body"].read() == b"plain"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/", headers={"Host": "x"})
        connection.getresponse().read()
    connection.close()


# ---- secrets over plain HTTP -------------------------------------------------------------------


def test_sse_c_over_plain_http_from_loopback_is_allowed_by_default(tls_server):
    server, cert, _, plain_port = tls_server
    plain = make_client(f"http://127.0.0.1:{plain_port}", server.access_key, server.secret_key)
    bucket = "tls-ssec-" + uuid.uuid4().hex[:8]
    plain.create_bucket(Bucket=bucket)
    plain.put_object(Bucket=bucket, Key="c", Body=b"secret", **SSE_C)
    got = https_client(server, cert).get_object(Bucket=bucket, Key="c", **SSE_C)
    assert got["Body"].read() == b"secret"


def test_never_refuses_sse_c_and_console_sign_in_over_plain_http(server_factory, tmp_path):
    server, cert, _, plain_port = start_tls_server(
        server_factory, tmp_path, 'allow_plain_sensitive = "never"\n')
    plain = make_client(f"http://127.0.0.1:{plain_port}", server.access_key, server.secret_key)
    bucket = "tls-never-" + uuid.uuid4().hex[:8]
    plain.create_bucket(Bucket=bucket)
    for call in (lambda: plain.put_object(Bucket=bucket, Key="c", Body=b"x", **SSE_C),
                 lambda: plain.get_object(Bucket=bucket, Key="c", **SSE_C)):
        with pytest.raises(plain.exceptions.ClientError) as refused:
            call()
        error = refused.value.response["Error"]
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error["Code"] == "InvalidRequest"
        assert error["Message"] == PLAIN_SECRETS_REFUSED
    assert "Contents" not in plain.list_objects_v2(Bucket=bucket)  # nothing half-written
    # Over TLS the same request is served.
    tls = https_client(server, cert)
    tls.put_object(Bucket=bucket, Key="c", Body=b"x", **SSE_C)
    assert tls.get_object(Bucket=bucket, Key="c", **SSE_C)["Body"].read() == b"x"
    # Plain requests without secrets are still served.
    plain.put_object(Bucket=bucket, Key="open", Body=b"no secret")
    assert plain.get_object(Bucket=bucket, Key="open")["Body"].read() == b"no secret"

    body = json.dumps({"accessKeyId": server.access_key, "secretAccessKey": server.secret_key})
    headers = {"Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", plain_port, timeout=10)
    connection.request("POST", "/_console/api/session", body=body, headers=headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 403
    assert answer["error"]["code"] == "InsecureTransport"
    assert "https" in answer["error"]["message"]
    context = ssl.create_default_context(cafile=str(cert))
    secure = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)
    secure.request("POST", "/_console/api/session", body=body, headers=headers)
    response = secure.getresponse()
    response.read()
    secure.close()
    assert response.status == 201
    # Over TLS the session cookie is Secure.
    assert "; Secure" in response.getheader("Set-Cookie")


def test_plain_only_server_refuses_sse_c_with_never(server_factory, tmp_path):
    config = tmp_path / "never.toml"
    config.write_text('[tls]\nallow_plain_sensitive = "never"\n')
    server = server_factory(name="never", extra_args=["--config", str(config)])
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    bucket = "plain-never-" + uuid.uuid4().hex[:8]
    s3.create_bucket(Bucket=bucket)
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.put_object(Bucket=bucket, Key="c", Body=b"x", **SSE_C)
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    assert refused.value.response["Error"]["Message"] == PLAIN_SECRETS_REFUSED
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")  # no secret: served


def test_bad_allow_plain_sensitive_value_is_refused(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[tls]\nallow_plain_sensitive = "sometimes"\n')
    result = subprocess.run(
        [server_binary(), "server", "--listen", "127.0.0.1:0", "--config", str(config), "--data",
         str(tmp_path / "d")], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "allow_plain_sensitive" in result.stderr


# ---- SIGHUP reload -----------------------------------------------------------------------------


def test_sighup_reloads_the_certificate_and_open_connections_keep_working(server_factory,
                                                                         tmp_path):
    server, cert, key, _ = start_tls_server(server_factory, tmp_path)
    old_der = cert_der(cert)
    s3 = https_client(server, cert)
    bucket = "tls-reload-" + uuid.uuid4().hex[:8]
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"kept alive")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                    ExpiresIn=600)
    target = url[url.index("/", len("https://")):]

    # A keep-alive connection opened before the reload.
    kept = http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=ssl.create_default_context(cafile=str(cert)), timeout=10)
    kept.request("GET", target)
    first = kept.getresponse()
    assert first.read() == b"kept alive"
    assert first.getheader("Connection") != "close"

    # A new certificate (different serial and key) replaces the files, then SIGHUP.
    staging = tmp_path / "staging"
    staging.mkdir()
    new_cert, new_key, _ = self_signed(staging, cert=staging / "cert.pem", key=staging / "key.pem")
    new_der = cert_der(new_cert)
    assert new_der != old_der
    os.replace(new_key, key)
    os.replace(new_cert, cert)
    assert presented_der(server.port) == old_der  # nothing changes before the signal
    os.kill(server.pid, signal.SIGHUP)
    poll(lambda: presented_der(server.port) == new_der)

    # The old connection still works, over the certificate it started with.
    assert kept.sock.getpeercert(binary_form=True) == old_der
    kept.request("GET", target)
    again = kept.getresponse()
    assert again.status == 200 and again.read() == b"kept alive"
    kept.close()
    # And new clients trust the new certificate alone.
    fresh = https_client(server, staging_copy(tmp_path, cert))
    assert fresh.get_object(Bucket=bucket, Key="k")["Body"].read() == b"kept alive"


def staging_copy(tmp_path, cert):
    copy = tmp_path / ("trust-" + uuid.uuid4().hex[:6] + ".pem")
    copy.write_text(Path(cert).read_text())
    return copy


def test_sighup_with_a_broken_certificate_keeps_the_old_one(server_factory, tmp_path):
    server, cert, key, _ = start_tls_server(server_factory, tmp_path, name="broken")
    old_der = cert_der(cert)
    cert.write_text("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
    os.kill(server.pid, signal.SIGHUP)
    # The server's log is its stderr.
    poll(lambda: any("TLS certificate not reloaded" in line for line in server.log_messages()))
    assert server.running()
    trust = tmp_path / "old.pem"
    trust.write_text(ssl.DER_cert_to_PEM_cert(old_der))
    assert presented_der(server.port) == old_der
    s3 = https_client(server, trust)
    s3.create_bucket(Bucket="tls-broken-" + uuid.uuid4().hex[:8])
