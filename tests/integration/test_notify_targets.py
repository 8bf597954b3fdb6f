"""Notification targets ([notify.targets.NAME]) through `cloudvault admin notify list|test`,
delivered to real receivers on loopback: Debian's aiosmtpd as the SMTP server (plain, and
STARTTLS with AUTH) and an http.server webhook receiver (also standing in for Slack and
Discord, whose payload shapes it checks)."""

import email
import email.policy
import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from cvharness import server_binary

WEBHOOK_SECRET = "whsec-" + "7" * 24
SMTP_PASSWORD = "pa55-" + "9" * 16


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookReceiver:
    """Records every POST (path, headers, body); answers `status`."""

    def __init__(self, status=200, answer=b"ok"):
        self.requests = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/events"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class MailSink:
    """aiosmtpd handler keeping each accepted envelope."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def webhook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp_server():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


def server_tls_context(tmp_path):
    """A TLS context with a fresh self-signed certificate."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def tls_smtp_server(tmp_path):
    """STARTTLS required before MAIL, and AUTH (only after TLS) with one login."""
    context = server_tls_context(tmp_path)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"cv" and auth_data.password == SMTP_PASSWORD.encode()
        logins.append((mechanism, auth_data.login, ok))
        return AuthResult(success=ok)

    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticator,
                            auth_required=True, auth_require_tls=True)
    controller.start()
    yield controller, sink, logins
    controller.stop()


def write_config(tmp_path, targets, public_url="https://vault.example.com"):
    text = f'[server]\npublic_url = "{public_url}"\n'
    for name, settings in targets.items():
        text += f"\n[notify.targets.{name}]\n"
        for key, value in settings.items():
            text += f"{key} = {json.dumps(value)}\n"
    text += ('\n[replication.remotes.offsite]\nendpoint = "https://s3.eu-west-1.amazonaws.com"\n'
             'region = "eu-west-1"\naccess_key = "AKOFFSITE"\nsecret_key = "offsite-secret-key"\n')
    path = tmp_path / "cloudvault.toml"
    path.write_text(text)
    return path


def admin(config, tmp_path, *args):
    return subprocess.run(
        [server_binary(), "admin", *args, "--config", str(config), "--data", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60,
    )


def smtp_target(controller, **extra):
    return {"type": "smtp", "url": f"smtp://127.0.0.1:{controller.port}",
            "from": "cloudvault@example.com", "to": ["me@example.com", "backup@example.com"],
            **extra}


def test_webhook_test_message_is_signed(tmp_path, webhook):
    config = write_config(tmp_path, {"hook": {"type": "webhook", "url": webhook.url(),
                                              "secret": WEBHOOK_SECRET}})
    before = int(time.time())
    result = admin(config, tmp_path, "notify", "test", "hook")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"target": "hook", "delivered": True}
    assert len(webhook.requests) == 1
    path, headers, body = webhook.requests[0]
    assert path == "/events"
    assert headers["Content-Type"] == "application/json"
    timestamp = headers["X-CloudVault-Timestamp"]
    assert before <= int(timestamp) <= int(time.time())
    expected = hmac.new(WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-CloudVault-Signature"], "sha256=" + expected)
    document = json.loads(body)
    assert document["Event"] == "s3:TestEvent"
    assert document["Service"] == "Amazon S3"
    # A tampered body would not verify.
    assert hmac.new(WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body + b" ",
                    hashlib.sha256).hexdigest() != expected


def test_webhook_refusal_is_reported(tmp_path):
    for status, retryable in ((500, True), (404, False)):
        receiver = WebhookReceiver(status=status, answer=b"nope")
        try:
            config = write_config(tmp_path, {"hook": {"type": "webhook", "url": receiver.url(),
                                                      "secret": WEBHOOK_SECRET}})
            result = admin(config, tmp_path, "notify", "test", "hook")
        finally:
            receiver.stop()
        assert result.returncode == 1
        outcome = json.loads(result.stdout)
        assert outcome["delivered"] is False and outcome["retryable"] is retryable
        assert f"HTTP {status}" in outcome["error"] and f"HTTP {status}" in result.stderr
        assert WEBHOOK_SECRET not in result.stdout + result.stderr


def test_email_test_message_arrives(tmp_path, smtp_server):
    controller, sink = smtp_server
    config = write_config(tmp_path, {"mail": smtp_target(controller)})
    result = admin(config, tmp_path, "notify", "test", "mail")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"target": "mail", "delivered": True}
    assert len(sink.envelopes) == 1
    envelope = sink.envelopes[0]
    assert envelope.mail_from == "cloudvault@example.com"
    assert envelope.rcpt_tos == ["me@example.com", "backup@example.com"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Subject"] == "CloudVault test notification"
    assert message["From"] == "CloudVault <cloudvault@example.com>"
    assert message["To"].addresses[0].addr_spec == "me@example.com"
    assert len(message["To"].addresses) == 2
    assert message["MIME-Version"] == "1.0"
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@example.com>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert abs(email.utils.parsedate_to_datetime(message["Date"]).timestamp() - time.time()) < 120
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("CloudVault test notification.\n")
    assert 'the notification target "mail" works' in body
    assert "By:      cloudvault admin notify test" in body
    assert "https://vault.example.com/_console/" in body


def test_email_over_starttls_with_auth(tmp_path, tls_smtp_server):
    controller, sink, logins = tls_smtp_server
    target = smtp_target(controller, username="cv", password=SMTP_PASSWORD, verify_tls=False)
    config = write_config(tmp_path, {"mail": target})
    result = admin(config, tmp_path, "notify", "test", "mail")
    assert result.returncode == 0, result.stderr
    assert len(sink.envelopes) == 1
    assert logins and logins[-1][1:] == (b"cv", True)
    # The server's certificate is self-signed: with verification on (the default) it is refused.
    target.pop("verify_tls")
    config = write_config(tmp_path, {"mail": target})
    result = admin(config, tmp_path, "notify", "test", "mail")
    assert result.returncode == 1
    assert "certificate" in result.stderr.lower()
    assert SMTP_PASSWORD not in result.stdout + result.stderr
    assert len(sink.envelopes) == 1


def test_smtp_down_fails_with_a_clear_message(tmp_path):
    port = free_port()
    config = write_config(tmp_path, {"mail": {"type": "smtp", "url": f"smtp://127.0.0.1:{port}",
                                              "from": "cloudvault@example.com",
                                              "to": ["me@example.com"], "timeout_seconds": 5}})
    result = admin(config, tmp_path, "notify", "test", "mail")
    assert result.returncode == 1
    assert "test message not delivered" in result.stderr
    assert f"127.0.0.1 port {port}" in result.stderr
    assert json.loads(result.stdout)["retryable"] is True


def test_slack_and_discord_payload_shapes(tmp_path, webhook):
    config = write_config(tmp_path, {
        "team": {"type": "slack", "url": webhook.url("/services/T0/B0/XYZ")},
        "guild": {"type": "discord", "url": webhook.url("/api/webhooks/1/abc")},
    })
    assert admin(config, tmp_path, "notify", "test", "team").returncode == 0
    assert admin(config, tmp_path, "notify", "test", "guild").returncode == 0
    (slack_path, _, slack_body), (discord_path, _, discord_body) = webhook.requests
    assert slack_path == "/services/T0/B0/XYZ"
    slack = json.loads(slack_body)
    assert slack["text"] == "CloudVault test notification"
    assert [block["type"] for block in slack["blocks"]][0] == "section"
    assert slack["blocks"][0]["text"]["type"] == "mrkdwn"
    assert "<https://vault.example.com/_console/|" in slack["blocks"][0]["text"]["text"]
    assert slack["blocks"][-1]["type"] == "context"
    assert discord_path == "/api/webhooks/1/abc"
    discord = json.loads(discord_body)
    assert discord["content"] == "CloudVault test notification"
    assert discord["allowed_mentions"] == {"parse": []}
    (embed,) = discord["embeds"]
    assert embed["url"] == "https://vault.example.com/_console/"
    assert embed["timestamp"].endswith("Z")
    assert all({"name", "value", "inline"} <= set(field) for field in embed["fields"])


def test_list_never_shows_secrets(tmp_path, webhook, server_factory):
    config = write_config(tmp_path, {
        "hook": {"type": "webhook", "url": webhook.url(), "secret": WEBHOOK_SECRET},
        "mail": {"type": "smtp", "url": "smtp://relay:pw-in-url@127.0.0.1:2525",
                 "from": "cloudvault@example.com", "to": ["me@example.com"],
                 "username": "relay", "password": SMTP_PASSWORD},
        "team": {"type": "slack", "url": "https://hooks.slack.com/services/T0/B0/slacktoken"},
    })
    # The server starts with the same file (targets and remotes are valid configuration).
    server = server_factory(extra_args=("--config", str(config)))
    result = subprocess.run(
        [server_binary(), "admin", "notify", "list", "--config", str(config), "--data",
         str(server.data_dir)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    listed = {entry["name"]: entry for entry in map(json.loads, result.stdout.splitlines())}
    assert listed["hook"] == {"name": "hook", "type": "webhook", "url": webhook.url(),
                              "timeout_seconds": 10, "verify_tls": True, "secret": "set",
                              "source": "config"}
    assert listed["mail"]["url"] == "smtp://127.0.0.1:2525"
    assert listed["mail"]["password"] == "set"
    assert listed["mail"]["to"] == ["me@example.com"]
    assert listed["team"]["url"] == "https://hooks.slack.com/services/T0/B0/***"
    for secret in (WEBHOOK_SECRET, SMTP_PASSWORD, "pw-in-url", "slacktoken", "offsite-secret-key"):
        assert secret not in result.stdout + result.stderr
        assert secret not in server.log_path.read_text()


def test_bad_configuration_is_refused_precisely(tmp_path):
    config = write_config(tmp_path, {"x": {"type": "pigeon", "url": "http://127.0.0.1/"}})
    result = admin(config, tmp_path, "notify", "list")
    assert result.returncode == 2
    assert 'notify.targets.x: unknown type "pigeon"' in result.stderr
    config = write_config(tmp_path, {"m": {"type": "smtp", "url": "smtp://127.0.0.1:25",
                                           "from": "a@example.com", "to": []}})
    result = admin(config, tmp_path, "notify", "test", "m")
    assert result.returncode == 2
    assert "notify.targets.m: to must name at least one recipient" in result.stderr
    config = write_config(tmp_path, {})
    result = admin(config, tmp_path, "notify", "test", "nothing")
    assert result.returncode == 1
    assert 'no notification target named "nothing"' in result.stderr


def test_refused_recipient_is_a_permanent_failure(tmp_path):
    class Refusing(MailSink):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address == "nobody@example.com":
                return "550 5.1.1 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    sink = Refusing()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = write_config(tmp_path, {"mail": {
            "type": "smtp", "url": f"smtp://127.0.0.1:{controller.port}",
            "from": "cloudvault@example.com", "to": ["me@example.com", "nobody@example.com"]}})
        result = admin(config, tmp_path, "notify", "test", "mail")
    finally:
        controller.stop()
    assert result.returncode == 1
    outcome = json.loads(result.stdout)
    assert outcome["retryable"] is False
    assert "550" in outcome["error"]
    assert sink.envelopes == []


def test_email_over_implicit_tls(tmp_path):
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(),
                            ssl_context=server_tls_context(tmp_path))
    controller.start()
    try:
        config = write_config(tmp_path, {"mail": {
            "type": "smtp", "url": f"smtps://127.0.0.1:{controller.port}",
            "from": "cloudvault@example.com", "to": ["me@example.com"], "verify_tls": False}})
        result = admin(config, tmp_path, "notify", "test", "mail")
    finally:
        controller.stop()
    assert result.returncode == 0, result.stderr
    assert len(sink.envelopes) == 1


def test_smtp_server_that_never_answers_times_out(tmp_path):
    with socket.socket() as silent:  # listens, never accepts: no greeting ever comes
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        config = write_config(tmp_path, {"mail": {
            "type": "smtp", "url": f"smtp://127.0.0.1:{port}", "from": "cloudvault@example.com",
            "to": ["me@example.com"], "timeout_seconds": 1}})
        start = time.monotonic()
        result = admin(config, tmp_path, "notify", "test", "mail")
        elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert json.loads(result.stdout)["retryable"] is True
    assert "timed out" in result.stderr
    assert elapsed < 5
