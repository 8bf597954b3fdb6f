"""Event notifications end to end (issue 12): a bucket's notification configuration, put with
boto3 or the aws CLI, routes the outbox's events to the targets of [notify.targets.NAME]. A
real webhook receiver (http.server) and a real SMTP server (aiosmtpd) on loopback receive
them: S3's message format, s3:TestEvent on save, filters, at-least-once delivery across
kill -9, retries, parking and `admin events retry`, one target's outage never holding back
another."""

import hashlib
import hmac
import json
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from cvharness import make_client
from test_notify_targets import WEBHOOK_SECRET, MailSink, free_port

REGION = "us-east-1"


def wait_until(condition, timeout=30, what="condition"):
    """Polls `condition` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Receiver:
    """A webhook receiver on loopback whose answer (`status`) can change while the server
    delivers. `requests` holds what it accepted (2xx), `refused` counts the rest; `hold`, when
    set, is waited on before answering."""

    def __init__(self, status=200):
        self.requests = []
        self.refused = 0
        self.status = status
        self.hold = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are separate writes

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                status = receiver.status
                if 200 <= status < 300:
                    receiver.requests.append((self.path, dict(self.headers.items()), body))
                else:
                    receiver.refused += 1
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path="/events"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.hold is not None:
            self.hold.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def documents(self):
        return [json.loads(body) for _, _, body in list(self.requests)]

    def records(self):
        return [d["Records"][0] for d in self.documents() if "Records" in d]

    def keys(self, event_prefix=""):
        return [urllib.parse.unquote_plus(r["s3"]["object"]["key"]) for r in self.records()
                if r["eventName"].startswith(event_prefix)]


def write_config(tmp_path, targets, events=None):
    text = '[server]\npublic_url = "https://vault.example.com"\n'
    if events:
        text += "\n[events]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in events.items())
    for name, settings in targets.items():
        text += f"\n[notify.targets.{name}]\n"
        text += "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    path = tmp_path / "cloudvault.toml"
    path.write_text(text)
    return path


def webhook_target(receiver):
    return {"type": "webhook", "url": receiver.url(), "secret": WEBHOOK_SECRET}


def arn(target, service="sqs"):
    return f"arn:aws:{service}:{REGION}:000000000000:{target}"


def queue_rule(target, events, prefix=None, suffix=None, rule_id=None):
    rule = {"QueueArn": arn(target), "Events": events}
    if rule_id:
        rule["Id"] = rule_id
    filters = []
    if prefix is not None:
        filters.append({"Name": "prefix", "Value": prefix})
    if suffix is not None:
        filters.append({"Name": "suffix", "Value": suffix})
    if filters:
        rule["Filter"] = {"Key": {"FilterRules": filters}}
    return rule


def start(server_factory, tmp_path, targets, events=None, name="notify"):
    config = write_config(tmp_path, targets, events)
    server = server_factory(name=name, extra_args=["--config", str(config)])
    client = make_client(server.endpoint, server.access_key, server.secret_key)
    return server, client


def tasks(server, failed=False):
    args = ["events", "list"] + (["--failed"] if failed else [])
    return [json.loads(line) for line in server.admin(*args).stdout.splitlines()]


def test_saving_a_configuration_sends_the_test_event(server_factory, tmp_path):
    receiver = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)})
        s3.create_bucket(Bucket="photos")
        s3.put_bucket_notification_configuration(
            Bucket="photos",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:*"], rule_id="uploads")]})
        wait_until(lambda: receiver.requests, what="the test event")
        test = receiver.documents()[0]
        assert test["Service"] == "Amazon S3"
        assert test["Event"] == "s3:TestEvent"
        assert test["Bucket"] == "photos"
        assert test["RequestId"] and test["Time"].endswith("Z")
        _, headers, body = receiver.requests[0]
        expected = hmac.new(WEBHOOK_SECRET.encode(),
                            headers["X-CloudVault-Timestamp"].encode() + b"." + body,
                            hashlib.sha256).hexdigest()
        assert headers["X-CloudVault-Signature"] == "sha256=" + expected
        # An empty configuration (turning notifications off) sends nothing.
        s3.put_bucket_notification_configuration(Bucket="photos", NotificationConfiguration={})
        s3.put_object(Bucket="photos", Key="after-off.jpg", Body=b"x")
        server.terminate()
        assert len(receiver.requests) == 1
    finally:
        receiver.stop()


def test_events_reach_the_webhook_in_s3_message_format(server_factory, tmp_path):
    receiver = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)})
        s3.create_bucket(Bucket="photos")
        owner = s3.list_buckets()["Owner"]["ID"]
        s3.put_bucket_notification_configuration(
            Bucket="photos",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:*"], prefix="cats/", suffix=".jpg",
                           rule_id="cat-pictures"),
                queue_rule("hook", ["s3:ObjectRemoved:*", "s3:ObjectTagging:*"],
                           rule_id="changes")]})
        wait_until(lambda: receiver.requests, what="the test event")
        put = s3.put_object(Bucket="photos", Key="cats/tom & jerry=1.jpg", Body=b"meow!")
        s3.put_object(Bucket="photos", Key="dogs/rex.jpg", Body=b"woof")      # prefix differs
        s3.put_object(Bucket="photos", Key="cats/notes.txt", Body=b"text")    # suffix differs
        s3.put_object_tagging(Bucket="photos", Key="cats/notes.txt",
                              Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
        s3.delete_object(Bucket="photos", Key="dogs/rex.jpg")
        wait_until(lambda: len(receiver.records()) >= 3, what="three event messages")

        records = receiver.records()
        assert [(r["eventName"], urllib.parse.unquote_plus(r["s3"]["object"]["key"]))
                for r in records] == [
            ("ObjectCreated:Put", "cats/tom & jerry=1.jpg"),
            ("ObjectTagging:Put", "cats/notes.txt"),
            ("ObjectRemoved:Delete", "dogs/rex.jpg"),
        ]
        created, tagged, removed = records
        assert created["eventVersion"] == "2.1"
        assert created["eventSource"] == "aws:s3"
        assert created["awsRegion"] == REGION
        assert created["eventTime"].endswith("Z")
        assert created["userIdentity"]["principalId"] == owner
        assert created["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
        assert created["responseElements"]["x-amz-request-id"] == \
            put["ResponseMetadata"]["RequestId"]
        assert created["s3"]["s3SchemaVersion"] == "1.0"
        assert created["s3"]["configurationId"] == "cat-pictures"
        assert created["s3"]["bucket"] == {"name": "photos",
                                           "ownerIdentity": {"principalId": owner},
                                           "arn": "arn:aws:s3:::photos"}
        obj = created["s3"]["object"]
        assert obj["key"] == "cats/tom+%26+jerry%3D1.jpg"
        assert obj["size"] == 5
        assert obj["eTag"] == put["ETag"].strip('"')
        assert "versionId" not in obj  # unversioned bucket
        assert len(obj["sequencer"]) == 16
        assert tagged["eventVersion"] == "2.3"
        assert tagged["s3"]["configurationId"] == "changes"
        assert removed["eventVersion"] == "2.1"
        assert "size" not in removed["s3"]["object"] and "eTag" not in removed["s3"]["object"]
        server.terminate()
        assert len(receiver.records()) == 3  # nothing else was sent
    finally:
        receiver.stop()


def test_upload_email_reads_well(server_factory, tmp_path):
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        mail = {"type": "smtp", "url": f"smtp://127.0.0.1:{controller.port}",
                "from": "cloudvault@example.com", "to": ["me@example.com"]}
        server, s3 = start(server_factory, tmp_path, {"mail": mail})
        s3.create_bucket(Bucket="backup")
        s3.put_bucket_notification_configuration(
            Bucket="backup",
            NotificationConfiguration={"TopicConfigurations": [
                {"TopicArn": arn("mail", "sns"), "Events": ["s3:ObjectCreated:*"]}]})
        s3.put_object(Bucket="backup", Key="photos/a.jpg", Body=b"j" * 3_200_000)
        wait_until(lambda: len(sink.envelopes) >= 2, what="the test and upload e-mails")
        test_mail, upload = [e.content.decode() for e in sink.envelopes[:2]]
        assert "test notification" in test_mail
        assert "Uploaded photos/a.jpg to backup (3.2 MB)" in upload
        assert "https://vault.example.com/_console/#/b/backup/photos/" in upload
        assert sink.envelopes[1].rcpt_tos == ["me@example.com"]
    finally:
        controller.stop()


def test_target_down_then_up_gets_every_event_and_never_holds_back_another(
        server_factory, tmp_path):
    down = Receiver(status=503)
    healthy = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path,
                           {"down": webhook_target(down), "healthy": webhook_target(healthy)},
                           events={"retry_first_seconds": 0.05, "retry_max_seconds": 0.2,
                                   "max_attempts": 1000})
        s3.create_bucket(Bucket="bkt")
        # S3 refuses two rules for one event type with overlapping filters, so each target
        # gets its own prefix; their events interleave in the outbox.
        s3.put_bucket_notification_configuration(
            Bucket="bkt",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("down", ["s3:ObjectCreated:*"], prefix="a/"),
                queue_rule("healthy", ["s3:ObjectCreated:*"], prefix="b/")]})
        numbers = [f"{i:02}" for i in range(20)]
        for n in numbers:
            s3.put_object(Bucket="bkt", Key=f"a/{n}", Body=b"x")
            s3.put_object(Bucket="bkt", Key=f"b/{n}", Body=b"x")
        # The healthy target gets everything while the other keeps refusing.
        wait_until(lambda: sorted(healthy.keys()) == [f"b/{n}" for n in numbers],
                   what="the healthy target's events")
        assert down.keys() == [] and down.refused >= 1
        pending = [t for t in tasks(server) if t["target"] == "down"]
        assert pending and all(t["state"] == "pending" for t in pending)
        assert any("HTTP 503" in t["last_error"] for t in pending)
        down.status = 200
        wait_until(lambda: set(down.keys()) == {f"a/{n}" for n in numbers},
                   what="the recovered target's events")
        wait_until(lambda: tasks(server) == [], what="no task left")
    finally:
        down.stop()
        healthy.stop()


def test_failed_deliveries_are_parked_and_retried_by_hand(server_factory, tmp_path):
    receiver = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)},
                           events={"retry_first_seconds": 0.02, "retry_max_seconds": 0.05,
                                   "max_attempts": 3})
        s3.create_bucket(Bucket="bkt")
        s3.put_bucket_notification_configuration(
            Bucket="bkt",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:Put"])]})
        wait_until(lambda: receiver.requests, what="the test event")
        receiver.status = 500
        s3.put_object(Bucket="bkt", Key="doc.pdf", Body=b"pdf")
        failed = wait_until(lambda: [t for t in tasks(server, failed=True)
                                     if t["event"]["key"] == "doc.pdf"], what="a parked task")
        assert failed[0]["attempts"] == 3
        assert failed[0]["consumer"] == "notify" and failed[0]["target"] == "hook"
        assert "HTTP 500" in failed[0]["last_error"]
        assert receiver.refused == 3
        receiver.status = 200
        retried = json.loads(server.admin("events", "retry", str(failed[0]["id"])).stdout)
        assert retried == {"retried": 1}
        wait_until(lambda: "doc.pdf" in receiver.keys(), what="delivery after the retry")
        assert len(receiver.requests) == 2 and receiver.refused == 3  # test event + doc.pdf
        assert tasks(server, failed=True) == []
        # A target the configuration no longer knows (saved without destination checks) is
        # parked at once, with its reason.
        s3.put_bucket_notification_configuration(
            Bucket="bkt", SkipDestinationValidation=True,
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("gone", ["s3:ObjectCreated:Put"])]})
        s3.put_object(Bucket="bkt", Key="lost.txt", Body=b"x")
        parked = wait_until(lambda: [t for t in tasks(server, failed=True)
                                     if t["event"]["key"] == "lost.txt"], what="a parked task")
        assert parked[0]["attempts"] == 1
        assert "no notification target named \"gone\"" in parked[0]["last_error"]
    finally:
        receiver.stop()


def test_pending_events_survive_kill_9(server_factory, tmp_path):
    receiver = Receiver(status=503)
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)},
                           events={"retry_first_seconds": 0.05, "retry_max_seconds": 0.2,
                                   "max_attempts": 1000})
        s3.create_bucket(Bucket="bkt")
        s3.put_bucket_notification_configuration(
            Bucket="bkt",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:*"])]})
        keys = {f"obj{i:03}" for i in range(200)}
        for key in sorted(keys):
            s3.put_object(Bucket="bkt", Key=key, Body=b"x")
        server.kill()
        assert receiver.keys() == []
        receiver.status = 200
        server.start()
        wait_until(lambda: keys <= set(receiver.keys()), timeout=60,
                   what="every event after the restart")
        wait_until(lambda: tasks(server) == [], what="no task left")
    finally:
        receiver.stop()


def test_a_slow_target_never_slows_an_upload(server_factory, tmp_path):
    """The receiver holds every delivery until released; uploads go on regardless."""
    release = threading.Event()
    receiver = Receiver()
    receiver.hold = release
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)})
        s3.create_bucket(Bucket="bkt")
        s3.put_bucket_notification_configuration(
            Bucket="bkt",
            NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:*"])]})
        for i in range(50):
            s3.put_object(Bucket="bkt", Key=f"k{i}", Body=b"x")
        assert receiver.records() == []  # every upload was acknowledged while none delivered
        release.set()
        wait_until(lambda: len(set(receiver.keys())) == 50, what="every event once released")
    finally:
        release.set()
        receiver.stop()


def test_aws_cli_configures_notifications(server_factory, tmp_path):
    receiver = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)})
        s3.create_bucket(Bucket="cli")
        document = {"QueueConfigurations": [
            {"Id": "from-cli", "QueueArn": arn("hook"), "Events": ["s3:ObjectRemoved:*"]}]}
        env = {"AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key,
               "AWS_DEFAULT_REGION": REGION, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        subprocess.run(["aws", "--endpoint-url", server.endpoint, "s3api",
                        "put-bucket-notification-configuration", "--bucket", "cli",
                        "--notification-configuration", json.dumps(document)],
                       check=True, env=env, capture_output=True, timeout=60)
        shown = json.loads(subprocess.run(
            ["aws", "--endpoint-url", server.endpoint, "s3api",
             "get-bucket-notification-configuration", "--bucket", "cli"],
            check=True, env=env, capture_output=True, timeout=60, text=True).stdout)
        assert shown["QueueConfigurations"][0]["Id"] == "from-cli"
        s3.put_object(Bucket="cli", Key="gone.txt", Body=b"x")
        s3.delete_object(Bucket="cli", Key="gone.txt")
        wait_until(lambda: receiver.keys("ObjectRemoved") == ["gone.txt"],
                   what="the delete event")
        assert receiver.records()[0]["s3"]["configurationId"] == "from-cli"
    finally:
        receiver.stop()
