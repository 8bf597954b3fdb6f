"""Alarms (issue 15): rules from `cloudvault admin alarm put|list|delete|history`, the
configuration and the shipped defaults, evaluated against the server's own metrics every
[metrics] sample_seconds; each shipped alarm goes to ALARM and back to OK on a driven condition,
and each change of state reaches a real webhook receiver and a real SMTP server (aiosmtpd) on
loopback, in words a person understands (what, since when, the value against the threshold, a
link to the console's dashboard). Periods are shortened through [alarms.defaults.NAME] so the
tests run in seconds; the conditions are real (a full tmpfs, failing blob writes, a remote held
down, a parked delivery, a missing master key, busy CPUs)."""

import json
import multiprocessing
import os
import shutil
import subprocess

import pytest
from aiosmtpd.controller import Controller

from botocore.exceptions import ClientError

from cvharness import make_client
from test_notifications import Receiver, wait_until
from test_notify_targets import WEBHOOK_SECRET, MailSink, free_port
from test_replication import replicate, rule, versioned
from test_replication_remote import Forwarder, remote_config


@pytest.fixture
def hook():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def mail():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


def toml_value(value):
    return json.dumps(value)


def write_config(tmp_path, hook, mail, defaults=None, extra=""):
    """A configuration sampling every second, the shipped alarms notifying `hook` and `mail`,
    with `defaults` ({alarm: {key: value}}) changed."""
    controller, _ = mail
    text = ('[server]\npublic_url = "https://vault.example.com"\n'
            "[metrics]\nsample_seconds = 1\n"
            '[alarms]\nnotify = ["hook", "mail"]\n'
            "[events]\nretry_first_seconds = 0.05\nretry_max_seconds = 0.2\nmax_attempts = 1000\n")
    for name, changes in (defaults or {}).items():
        text += f"[alarms.defaults.{name}]\n"
        text += "".join(f"{k} = {toml_value(v)}\n" for k, v in changes.items())
    text += (f'[notify.targets.hook]\ntype = "webhook"\nurl = "{hook.url("/alarms")}"\n'
             f'secret = "{WEBHOOK_SECRET}"\n'
             f'[notify.targets.mail]\ntype = "smtp"\nurl = "smtp://127.0.0.1:{controller.port}"\n'
             'from = "cloudvault@example.com"\nto = ["ops@example.com"]\n')
    text += extra
    path = tmp_path / "alarms.toml"
    path.write_text(text)
    return path


def admin(server, *args, check=True):
    """`cloudvault admin ...` with the server's configuration (its alarm settings)."""
    return server.admin(*args, "--config", str(server.alarm_config), check=check)


def start(server_factory, name, config, data_dir=None):
    server = server_factory(name=name, data_dir=data_dir, extra_args=["--config", str(config)])
    server.alarm_config = config
    return server


def alarms_of(server):
    return {a["name"]: a for a in
            (json.loads(line) for line in admin(server, "alarm", "list").stdout.splitlines())}


def state_of(server, name):
    return alarms_of(server)[name]["state"]


def wait_state(server, name, state, timeout=60):
    wait_until(lambda: state_of(server, name) == state, timeout, f"{name} to be {state}")


def alarm_messages(hook, name, state):
    return [d for d in hook.documents() if d.get("AlarmName") == name and
            d.get("NewStateValue") == state]


def mails_about(mail, text):
    return [e.content.decode() for e in mail[1].envelopes if text in e.content.decode()]


def expect_notified(hook, mail, name, state, timeout=30):
    """The webhook got the state change and an e-mail's subject names it; returns both."""
    [message] = wait_until(lambda: alarm_messages(hook, name, state), timeout,
                           f"the {state} message of {name}")
    subject = f"{state}: {name}"
    [email] = wait_until(lambda: mails_about(mail, subject), timeout, f"an e-mail '{subject}'")
    return message, email


def only_alarm(*names):
    """[alarms.defaults] turning off every shipped alarm but `names` (the others would react
    to the same conditions and notify too), whose periods shrink to 2 seconds."""
    shipped = ["disk-free-low", "error-rate-high", "host-cpu-high", "replication-lag-high",
               "deliveries-parked", "health-check-failing", "master-key-unreadable"]
    return {name: {"enabled": False} if name not in names else {"period_seconds": 2}
            for name in shipped}


def test_error_rate_alarm_from_failing_blob_writes_notifies_and_recovers(
        server_factory, tmp_path, hook, mail):
    defaults = only_alarm("error-rate-high")
    defaults["error-rate-high"] = {"period_seconds": 3}  # a few seconds of failures
    config = write_config(tmp_path, hook, mail, defaults)
    server = start(server_factory, "errors", config)
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="photos")
    wait_state(server, "error-rate-high", "OK")

    # The blob folder fails: every PUT of a body that is not inlined answers 5xx.
    blobs = server.data_dir / "blobs"
    shutil.move(blobs, server.data_dir / "blobs.away")
    blobs.write_text("not a folder")
    try:
        for i in range(10):
            _, code = put_status(s3, f"big{i}")
            assert code >= 500
        message, email = expect_notified(hook, mail, "error-rate-high", "ALARM")
    finally:
        blobs.unlink()
        shutil.move(server.data_dir / "blobs.away", blobs)
    assert message["OldStateValue"] == "OK"
    assert message["Value"] > 0.01
    assert message["Trigger"]["ComparisonOperator"] == "GreaterThanThreshold"
    assert message["ThresholdText"] == "1%"
    assert message["DashboardUrl"] == "https://vault.example.com/_console/#/dashboard"
    assert "More than 1% of requests failed with a 5xx error" in email
    assert "(alarms when greater than 1%)" in email
    assert "Since:" in email or "Since" in email
    assert "https://vault.example.com/_console/#/dashboard" in email

    for i in range(20):  # healthy traffic again
        s3.put_object(Bucket="photos", Key=f"small{i}", Body=b"ok")
    message, email = expect_notified(hook, mail, "error-rate-high", "OK", timeout=60)
    assert message["OldStateValue"] == "ALARM"
    assert "back to normal" in email
    history = [json.loads(line) for line in
               admin(server, "alarm", "history", "error-rate-high").stdout.splitlines()]
    assert [(h["old_state"], h["new_state"]) for h in history[:2]] == [
        ("ALARM", "OK"), ("OK", "ALARM")]


def put_status(s3, key):
    """A PUT of a body too large to inline: (error code, HTTP status)."""
    try:
        s3.put_object(Bucket="photos", Key=key, Body=os.urandom(300_000))
        return None, 200
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def small_tmpfs(tmp_path):
    folder = tmp_path / "tmpfs"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_disk_free_alarm_on_a_filled_tmpfs(server_factory, tmp_path, hook, mail, small_tmpfs):
    defaults = only_alarm("disk-free-low")
    config = write_config(tmp_path, hook, mail, defaults)
    server = start(server_factory, "disk", config, data_dir=small_tmpfs / "data")
    wait_state(server, "disk-free-low", "OK")
    filler = small_tmpfs / "filler"
    free = shutil.disk_usage(small_tmpfs).free
    with open(filler, "wb") as f:
        f.write(b"\0" * (free - 2 * 1024 * 1024))  # leaves ~4% free
    message, email = expect_notified(hook, mail, "disk-free-low", "ALARM")
    assert message["Value"] < 0.10
    assert "Free space in a data folder is below 10%" in email
    filler.unlink()
    expect_notified(hook, mail, "disk-free-low", "OK")


def burn(seconds):
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:  # busy on purpose: the condition under test
        pass


def test_host_cpu_alarm_while_every_core_is_busy(server_factory, tmp_path, hook, mail):
    """ALARM is driven by busy processes on every core; the return to OK by raising the
    threshold with `admin alarm put` (a stored rule replaces the shipped one), since the test
    cannot make the host idle while other tests run beside it."""
    defaults = only_alarm("host-cpu-high")
    defaults["host-cpu-high"] = {"period_seconds": 1, "evaluation_periods": 2,
                                 "datapoints_to_alarm": 2, "threshold": 0.9}
    config = write_config(tmp_path, hook, mail, defaults)
    server = start(server_factory, "cpu", config)
    burners = [multiprocessing.Process(target=burn, args=(60,), daemon=True)
               for _ in range(2 * (os.cpu_count() or 2))]
    for process in burners:
        process.start()
    try:
        message, email = expect_notified(hook, mail, "host-cpu-high", "ALARM", timeout=60)
    finally:
        for process in burners:
            process.terminate()
    assert message["Value"] > 0.9
    assert "Host CPU above 80% for 10 minutes" in email
    admin(server, "alarm", "put", "host-cpu-high", "--metric", "cloudvault_host_cpu_seconds_total",
                 "--label", "mode=busy", "--statistic", "Ratio",
                 "--over", "cloudvault_host_cpu_seconds_total", "--period-seconds", "1",
                 "--comparison", "GreaterThanThreshold", "--threshold", "1.01",
                 "--unit", "ratio", "--target", "hook", "--target", "mail",
                 "--description", "Host CPU above 101% (never)")
    expect_notified(hook, mail, "host-cpu-high", "OK", timeout=60)
    admin(server, "alarm", "delete", "host-cpu-high")
    assert alarms_of(server)["host-cpu-high"]["source"] == "default"


def test_replication_lag_alarm_while_the_remote_is_held_down(server_factory, tmp_path, hook, mail):
    remote_server = server_factory(name="remote")
    remote_s3 = make_client(remote_server.endpoint, remote_server.access_key,
                            remote_server.secret_key)
    versioned(remote_s3, "offsite-backup")
    forwarder = Forwarder()  # down: connections refused
    try:
        defaults = only_alarm("replication-lag-high")
        defaults["replication-lag-high"] = {"period_seconds": 2, "threshold": 2}
        remote = remote_config(f"http://127.0.0.1:{forwarder.port}", remote_server)
        extra = "[replication.remotes.offsite]\n" + "".join(
            f"{k} = {toml_value(v)}\n" for k, v in remote.items())
        config = write_config(tmp_path, hook, mail, defaults, extra)
        server = start(server_factory, "lag", config)
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        versioned(s3, "docs")
        replicate(s3, "docs", rule("offsite-backup", account="offsite"))
        s3.put_object(Bucket="docs", Key="report.pdf", Body=b"quarterly")
        message, email = expect_notified(hook, mail, "replication-lag-high", "ALARM")
        assert message["Value"] > 2
        assert "A backup copy has been waiting for more than 15 minutes" in email
        forwarder.open(remote_server.port)
        expect_notified(hook, mail, "replication-lag-high", "OK", timeout=60)
        assert remote_s3.get_object(Bucket="offsite-backup", Key="report.pdf")["Body"].read() == (
            b"quarterly")
    finally:
        forwarder.close()


def test_parked_deliveries_alarm_until_they_are_retried(server_factory, tmp_path, hook, mail):
    refusing = Receiver(status=404)  # a permanent refusal: parked at the first try
    try:
        defaults = only_alarm("deliveries-parked")
        extra = (f'[notify.targets.events]\ntype = "webhook"\nurl = "{refusing.url()}"\n'
                 f'secret = "{WEBHOOK_SECRET}"\n')
        config = write_config(tmp_path, hook, mail, defaults, extra)
        server = start(server_factory, "parked", config)
        s3 = make_client(server.endpoint, server.access_key, server.secret_key)
        s3.create_bucket(Bucket="inbox")
        s3.put_bucket_notification_configuration(
            Bucket="inbox", NotificationConfiguration={"QueueConfigurations": [
                {"QueueArn": "arn:aws:sqs:us-east-1:000000000000:events",
                 "Events": ["s3:ObjectCreated:*"]}]},
            SkipDestinationValidation=True)
        s3.put_object(Bucket="inbox", Key="letter.txt", Body=b"hello")
        message, email = expect_notified(hook, mail, "deliveries-parked", "ALARM")
        assert message["Value"] >= 1
        assert "admin events list --failed" in email
        refusing.status = 200
        admin(server, "events", "retry", "--all")
        expect_notified(hook, mail, "deliveries-parked", "OK")
        assert any(path == "/events" for path, _, _ in refusing.requests)
    finally:
        refusing.stop()


def test_master_key_and_health_alarms_when_the_key_file_goes(server_factory, tmp_path, hook, mail):
    defaults = only_alarm("master-key-unreadable", "health-check-failing")
    config = write_config(tmp_path, hook, mail, defaults)
    server = start(server_factory, "key", config)
    wait_state(server, "master-key-unreadable", "OK")
    key = server.data_dir / "master.key"
    away = tmp_path / "master.key.away"
    shutil.move(key, away)
    try:
        message, email = expect_notified(hook, mail, "master-key-unreadable", "ALARM")
        assert "The master key file can no longer be read" in email
        health, _ = expect_notified(hook, mail, "health-check-failing", "ALARM")
        assert health["Value"] == 0
    finally:
        shutil.move(away, key)
    expect_notified(hook, mail, "master-key-unreadable", "OK")
    expect_notified(hook, mail, "health-check-failing", "OK")


def test_admin_alarm_put_list_delete_history(server_factory, tmp_path, hook, mail):
    config = write_config(tmp_path, hook, mail, only_alarm())
    server = start(server_factory, "admin", config)
    listed = alarms_of(server)
    assert {"disk-free-low", "error-rate-high", "host-cpu-high", "replication-lag-high",
            "deliveries-parked", "health-check-failing", "master-key-unreadable"} <= set(listed)
    assert listed["disk-free-low"]["enabled"] is False
    assert listed["disk-free-low"]["targets"] == ["hook", "mail"]

    # A rule of one's own: many requests per second, on a counter the test drives.
    put = admin(server, "alarm", "put", "busy", "--metric", "cloudvault_requests_total",
                       "--label", "api=s3", "--statistic", "Rate", "--period-seconds", "2",
                       "--comparison", "GreaterThanThreshold", "--threshold", "5",
                       "--target", "hook", "--description", "More than 5 S3 requests a second")
    assert json.loads(put.stdout)["statistic"] == "Rate"
    assert alarms_of(server)["busy"]["source"] == "stored"
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.list_buckets()  # the counter exists from its first request on: no data before
    wait_state(server, "busy", "OK")
    for _ in range(60):
        s3.list_buckets()
    [message] = wait_until(lambda: alarm_messages(hook, "busy", "ALARM"), 30, "busy ALARM")
    assert message["Trigger"]["Statistic"] == "Rate"
    wait_state(server, "busy", "OK")
    assert alarm_messages(hook, "busy", "OK")
    assert not mails_about(mail, "busy"), "the rule names only the webhook"

    bad = [
        (["--metric", "m", "--comparison", "Above", "--threshold", "1"], "comparison"),
        (["--metric", "m", "--comparison", "LessThanThreshold"], "threshold"),
        (["--metric", "m", "--comparison", "LessThanThreshold", "--threshold", "1",
          "--statistic", "Ratio"], "over"),
        (["--metric", "m", "--comparison", "LessThanThreshold", "--threshold", "1",
          "--target", "nowhere"], "no notification target named \"nowhere\""),
        (["--metric", "m", "--comparison", "LessThanThreshold", "--threshold", "1",
          "--evaluation-periods", "2", "--datapoints-to-alarm", "3"], "datapoints_to_alarm"),
    ]
    for flags, why in bad:
        refused = admin(server, "alarm", "put", "bad", *flags, check=False)
        assert refused.returncode == 2, (flags, refused.stderr)
        assert why in refused.stderr, (flags, refused.stderr)
    assert "bad" not in alarms_of(server)

    history = [json.loads(line) for line in
               admin(server, "alarm", "history", "busy").stdout.splitlines()]
    assert [h["new_state"] for h in history][:3] == ["OK", "ALARM", "OK"]
    deleted = admin(server, "alarm", "delete", "busy")
    assert deleted.returncode == 0
    assert "busy" not in alarms_of(server)
    refused = admin(server, "alarm", "delete", "disk-free-low", check=False)
    assert refused.returncode == 2 and "[alarms.defaults.disk-free-low]" in refused.stderr


def test_bad_alarm_configuration_is_refused_at_start(server_factory, tmp_path, hook, mail):
    for defaults, why in [({"no-such-alarm": {"enabled": False}}, "not a shipped alarm"),
                          ({"disk-free-low": {"threshold": "low"}}, "threshold")]:
        config = write_config(tmp_path, hook, mail, defaults)
        result = subprocess.run(
            [os.environ.get("CLOUDVAULT_BIN", "cloudvault"), "admin", "alarm", "list",
             "--config", str(config), "--data", str(tmp_path / "data")],
            capture_output=True, text=True)
        assert result.returncode != 0
        assert why in result.stderr, result.stderr
