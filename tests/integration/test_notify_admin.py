"""Notification targets managed with `cloudvault admin notify add|remove|seal` (issue 12): a
target added while the server runs is usable at once (the server follows notify.changed) and
delivers signed events; its secret is never printed and never stored in plain; a removed one is
refused as an unknown ARN; names of the configuration file stay the file's; sealed values in
the file ("sealed:...") work; SIGHUP re-reads the file's targets."""

import hashlib
import hmac
import json
import signal
import subprocess

import pytest
from botocore.exceptions import ClientError

from cvharness import make_client, server_binary
from test_notifications import Receiver, queue_rule, wait_until, write_config

SECRET = "admin-added-secret-" + "5" * 20


def signature_ok(request, secret):
    _, headers, body = request
    expected = hmac.new(secret.encode(),
                        headers["X-CloudVault-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return headers["X-CloudVault-Signature"] == "sha256=" + expected


def admin(server, *args, config=None, input=None):
    """The admin CLI on the server's data folder (stdin from `input`), without checking."""
    cmd = [server_binary(), "admin", *args, "--data", str(server.data_dir)]
    if config is not None:
        cmd += ["--config", str(config)]
    return subprocess.run(cmd, capture_output=True, text=True, env=server.env(), timeout=60,
                          input=input)


def notify_on(client, bucket, target):
    client.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [
            queue_rule(target, ["s3:ObjectCreated:*"], rule_id="uploads")]})


def refusal(call):
    with pytest.raises(ClientError) as excinfo:
        call()
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]


def data_folder_bytes(server):
    return b"".join(path.read_bytes() for path in server.data_dir.rglob("*") if path.is_file())


def test_a_target_added_while_the_server_runs_delivers_signed_events_and_keeps_its_secret(
        server_factory):
    receiver = Receiver()
    try:
        server = server_factory(name="added")
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        s3.create_bucket(Bucket="photos")
        # Not known yet: refused as S3 refuses an unknown ARN.
        assert refusal(lambda: notify_on(s3, "photos", "hook")) == ("InvalidArgument", 400)

        # The secret comes from standard input ("-"), so no process listing shows it.
        added = admin(server, "notify", "add", "hook", "--type", "webhook",
                      "--url", receiver.url(), "--secret", "-", "--timeout-seconds", "5",
                      input=SECRET + "\n")
        assert added.returncode == 0, added.stderr
        assert json.loads(added.stdout) == {
            "name": "hook", "type": "webhook", "url": receiver.url(), "timeout_seconds": 5,
            "verify_tls": True, "secret": "set", "source": "admin"}

        # The running server knows it at once: no restart, no waiting.
        notify_on(s3, "photos", "hook")
        put = s3.put_object(Bucket="photos", Key="cats/tom.jpg", Body=b"meow")
        wait_until(lambda: len(receiver.records()) >= 1, what="the upload's event")
        test_event = receiver.documents()[0]
        assert test_event["Event"] == "s3:TestEvent" and test_event["Bucket"] == "photos"
        record = receiver.records()[0]
        assert record["eventName"] == "ObjectCreated:Put"
        assert record["s3"]["object"]["key"] == "cats/tom.jpg"
        assert record["s3"]["object"]["eTag"] == put["ETag"].strip('"')
        assert all(signature_ok(request, SECRET) for request in receiver.requests)

        # Never echoed back, never kept in plain.
        listed = admin(server, "notify", "list")
        assert listed.returncode == 0, listed.stderr
        assert [json.loads(line) for line in listed.stdout.splitlines()] == [json.loads(added.stdout)]
        for output in (added, listed):
            assert SECRET not in output.stdout + output.stderr
        assert SECRET.encode() not in data_folder_bytes(server)
        assert SECRET not in server.log_path.read_text() + "\n".join(server.stdout_lines)

        # Removed: refused again, as for any unknown target.
        removed = admin(server, "notify", "remove", "hook")
        assert removed.returncode == 0, removed.stderr
        assert json.loads(removed.stdout) == {"removed": "hook"}
        s3.create_bucket(Bucket="later")
        assert refusal(lambda: notify_on(s3, "later", "hook")) == ("InvalidArgument", 400)
        assert admin(server, "notify", "list").stdout == ""
        again = admin(server, "notify", "remove", "hook")
        assert again.returncode == 1
        assert 'no notification target named "hook"' in again.stderr
    finally:
        receiver.stop()


def test_events_stop_reaching_a_removed_target(server_factory):
    receiver = Receiver()
    try:
        server = server_factory(name="removed")
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        assert admin(server, "notify", "add", "hook", "--type", "webhook", "--url",
                     receiver.url(), "--secret", SECRET).returncode == 0
        s3.create_bucket(Bucket="docs")
        notify_on(s3, "docs", "hook")
        s3.put_object(Bucket="docs", Key="one.txt", Body=b"1")
        wait_until(lambda: receiver.keys() == ["one.txt"], what="the first event")
        assert admin(server, "notify", "remove", "hook").returncode == 0
        # Deliveries look at notify.changed at most every 150 ms; the configuration check looks
        # at once, and what it finds is what deliveries use from then on.
        assert refusal(lambda: notify_on(s3, "docs", "hook")) == ("InvalidArgument", 400)
        s3.put_object(Bucket="docs", Key="two.txt", Body=b"2")

        # The event of the removed target is parked, as for any unknown target.
        def parked():
            lines = admin(server, "events", "list", "--failed").stdout.splitlines()
            return [json.loads(line) for line in lines]
        failed = wait_until(parked, what="the parked delivery")
        assert failed[0]["target"] == "hook"
        assert 'no notification target named "hook"' in failed[0]["last_error"]
        assert receiver.keys() == ["one.txt"]
    finally:
        receiver.stop()


def test_names_of_the_configuration_file_are_not_the_commands(server_factory, tmp_path):
    receiver = Receiver()
    try:
        config = write_config(tmp_path, {"filed": {"type": "webhook", "url": receiver.url(),
                                                    "secret": SECRET}})
        server = server_factory(name="filed", extra_args=["--config", str(config)])
        for args in (["add", "filed", "--type", "webhook", "--url", receiver.url(),
                      "--secret", "x"], ["remove", "filed"]):
            result = admin(server, "notify", *args, config=config)
            assert result.returncode == 1
            assert 'notification target "filed" is defined in the configuration file' in \
                result.stderr
        # The same checks as the file's: an unsigned webhook, a key of another type, a name.
        for args, message in [
                (["add", "h", "--type", "webhook", "--url", receiver.url()],
                 "notify.targets.h: secret is required"),
                (["add", "m", "--type", "smtp", "--url", "smtp://127.0.0.1:25", "--from",
                  "a@example.com", "--to", "b@example.com", "--secret", "x"],
                 'notify.targets.m: unknown key "secret" for type smtp'),
                (["add", "m", "--type", "smtp", "--url", "http://127.0.0.1/", "--from",
                  "a@example.com", "--to", "b@example.com"],
                 "url of an smtp target must start with smtp://"),
                (["add", "bad/name", "--type", "webhook", "--url", receiver.url(), "--secret",
                  "x"], "names are 1-64 letters"),
                (["add", "p", "--type", "pigeon", "--url", receiver.url()],
                 'unknown type "pigeon"')]:
            result = admin(server, "notify", *args, config=config)
            assert result.returncode == 2, result.stderr
            assert message in result.stderr
        added = admin(server, "notify", "add", "mail", "--type", "smtp", "--url",
                      "smtp://127.0.0.1:2525", "--from", "cv@example.com", "--to",
                      "a@example.com", "--to", "b@example.com", "--username", "cv",
                      "--password", "smtp-" + SECRET, "--no-verify-tls", config=config)
        assert added.returncode == 0, added.stderr
        listed = [json.loads(line) for line in
                  admin(server, "notify", "list", config=config).stdout.splitlines()]
        assert [(t["name"], t["source"]) for t in listed] == [("filed", "config"),
                                                               ("mail", "admin")]
        assert listed[1]["to"] == ["a@example.com", "b@example.com"]
        assert listed[1]["password"] == "set" and listed[1]["verify_tls"] is False
        assert SECRET not in json.dumps(listed)
        again = admin(server, "notify", "add", "mail", "--type", "webhook", "--url",
                      receiver.url(), "--secret", "x", config=config)
        assert again.returncode == 1
        assert 'a notification target named "mail" exists already' in again.stderr
    finally:
        receiver.stop()


def test_a_sealed_secret_in_the_configuration_file_signs_the_events(server_factory, tmp_path):
    receiver = Receiver()
    try:
        data = tmp_path / "sealed-data"
        sealed = subprocess.run(
            [server_binary(), "admin", "notify", "seal", "--data", str(data)],
            input=SECRET + "\n", capture_output=True, text=True, timeout=60)
        assert sealed.returncode == 0, sealed.stderr
        value = sealed.stdout.strip()
        assert value.startswith("sealed:") and SECRET not in sealed.stdout + sealed.stderr
        config = write_config(tmp_path, {"hook": {"type": "webhook", "url": receiver.url(),
                                                  "secret": value}})
        assert SECRET not in config.read_text()
        server = server_factory(data_dir=data, name="sealed",
                                extra_args=["--config", str(config)])
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        s3.create_bucket(Bucket="photos")
        notify_on(s3, "photos", "hook")
        s3.put_object(Bucket="photos", Key="a.jpg", Body=b"a")
        wait_until(lambda: receiver.records(), what="the upload's event")
        assert all(signature_ok(request, SECRET) for request in receiver.requests)
        listed = admin(server, "notify", "list", config=config)
        assert json.loads(listed.stdout)["secret"] == "set"
        assert SECRET not in listed.stdout and value not in listed.stdout
        assert admin(server, "notify", "test", "hook", config=config).returncode == 0
        assert signature_ok(receiver.requests[-1], SECRET)

        # Sealed under another master key (another data folder's): refused, naming the value.
        elsewhere = subprocess.run(
            [server_binary(), "admin", "notify", "list", "--config", str(config), "--data",
             str(tmp_path / "another-data")], capture_output=True, text=True, timeout=60)
        assert elsewhere.returncode == 2
        assert "notify.targets.hook: secret is sealed under another master key" in \
            elsewhere.stderr
    finally:
        receiver.stop()


def test_sighup_rereads_the_targets_of_the_configuration_file(server_factory, tmp_path):
    first, second = Receiver(), Receiver()
    try:
        config = write_config(tmp_path, {"one": {"type": "webhook", "url": first.url(),
                                                 "secret": SECRET}})
        server = server_factory(name="sighup", extra_args=["--config", str(config)])
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        s3.create_bucket(Bucket="sighup")
        assert refusal(lambda: notify_on(s3, "sighup", "two")) == ("InvalidArgument", 400)
        write_config(tmp_path, {"two": {"type": "webhook", "url": second.url(),
                                        "secret": SECRET}})
        server.proc.send_signal(signal.SIGHUP)

        def accepted():
            try:
                notify_on(s3, "sighup", "two")
                return True
            except ClientError:
                return False
        wait_until(accepted, what="the re-read target")
        assert refusal(lambda: notify_on(s3, "sighup", "one")) == ("InvalidArgument", 400)
        notify_on(s3, "sighup", "two")
        s3.put_object(Bucket="sighup", Key="k", Body=b"x")
        wait_until(lambda: second.keys() == ["k"], what="the event at the new target")
        # A file that does not load changes nothing, and the server keeps serving.
        config.write_text('[notify.targets.three]\ntype = "pigeon"\n')
        server.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: any("configuration not reloaded" in line
                               for line in server.log_messages()),
                   what="the refusal in the log")
        assert server.running()
        notify_on(s3, "sighup", "two")
    finally:
        first.stop()
        second.stop()
