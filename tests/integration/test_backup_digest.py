"""Backup receipts as a digest (issue 12): `admin backup create --receipt mail --digest N` sends
one message per N-second window (aligned on multiples of N since the epoch) listing the objects
backed up in it, instead of one per object, to a real SMTP server (aiosmtpd); kill -9 before the
window ends loses nothing."""

import email
import json
import os
import time

from cvharness import make_client
from test_notifications import tasks, wait_until
from test_notify_targets import smtp_server  # noqa: F401 (a fixture smtp needs)
from test_replication import smtp, wait_status, write_config  # noqa: F401 (smtp is a fixture)

KEYS = ["trip/day1.jpg", "trip/day2.jpg", "trip/day3.jpg", "notes.txt", "trip/video.mp4"]


def start_with_mail(server_factory, tmp_path, mail_port, name="digest"):
    config = write_config(tmp_path, mail_port=mail_port, name=f"{name}.toml")
    server = server_factory(name=name, extra_args=["--config", str(config)])
    return server, make_client(server.endpoint, server.access_key, server.secret_key), config


def create_digest_backup(server, config, seconds):
    created = json.loads(server.admin("backup", "create", "--from", "photos", "--to", "backup",
                                      "--receipt", "mail", "--digest", str(seconds),
                                      "--config", str(config)).stdout)
    assert created["digest_seconds"] == seconds
    return created


def fresh_window(seconds, room):
    """Waits for the start of a digest window (windows are aligned on the wall clock, as the
    server's are) so that what the test does next, within `room` seconds, falls in one window;
    returns when that window ends."""
    wait_until(lambda: time.time() % seconds < 0.2, timeout=seconds + 1,
               what=f"the start of a {seconds} s window")
    end = (time.time() // seconds + 1) * seconds
    assert end - time.time() > room
    return end


def upload(s3, keys):
    bodies = {key: os.urandom(1000 * (i + 1)) for i, key in enumerate(keys)}
    for key, body in bodies.items():
        s3.put_object(Bucket="photos", Key=key, Body=body)
    for key in keys:
        wait_status(s3, "photos", key, "COMPLETED")
    return bodies


def text_of(envelope):
    message = email.message_from_bytes(envelope.content)
    return message["Subject"], message.get_payload(decode=True).decode("utf-8")


def test_a_digest_lists_every_object_of_its_window_in_one_email(server_factory, tmp_path, smtp):
    controller, mail = smtp
    server, s3, config = start_with_mail(server_factory, tmp_path, controller.port)
    s3.create_bucket(Bucket="photos")
    refused = server.admin("backup", "create", "--from", "photos", "--to", "backup", "--receipt",
                           "mail", "--digest", "0", "--config", str(config), check=False)
    assert refused.returncode != 0 and "--digest" in refused.stderr
    create_digest_backup(server, config, 2)

    fresh_window(2, room=1.5)
    bodies = upload(s3, KEYS)
    envelopes = wait_until(lambda: mail.envelopes, what="the digest")
    wait_until(lambda: tasks(server) == [], what="nothing left to deliver")
    assert len(mail.envelopes) == 1, [text_of(e)[0] for e in mail.envelopes]  # no per-object receipt
    subject, body = text_of(envelopes[0])
    total = sum(len(b) for b in bodies.values())
    assert subject == f"Backed up 5 objects ({total / 1000:.0f} kB) from photos to backup"
    for key, data in bodies.items():
        assert f"  {key} ({len(data) / 1000:.1f} kB)" in body
    assert "Objects: 5" in body
    assert "https://vault.example.com/_console/#/b/photos/" in body
    assert envelopes[0].content.count(b"X-CloudVault-Event: cloudvault:Replication:Digest") == 1

    status = json.loads(server.admin("backup", "status", "photos", "--json", "--config",
                                     str(config)).stdout)
    rule = status[0]["rules"][0]
    assert rule["digest_seconds"] == 2 and rule["receipt"] == ["mail"] and rule["replicated"] == 5


def test_a_digest_pending_at_kill_9_is_sent_after_the_restart(server_factory, tmp_path, smtp):
    controller, mail = smtp
    server, s3, config = start_with_mail(server_factory, tmp_path, controller.port)
    s3.create_bucket(Bucket="photos")
    create_digest_backup(server, config, 4)

    window_end = fresh_window(4, room=3)
    keys = KEYS[:3]
    upload(s3, keys)
    # The receipts are recorded (the copies are COMPLETED) and their window is still open.
    assert time.time() < window_end and mail.envelopes == []
    server.kill()
    server.start()
    envelopes = wait_until(lambda: mail.envelopes, what="the digest after the restart")
    wait_until(lambda: tasks(server) == [], what="nothing left to deliver")
    assert time.time() >= window_end
    assert len(mail.envelopes) == 1
    subject, body = text_of(envelopes[0])
    assert subject.startswith("Backed up 3 objects")
    for key in keys:
        assert f"  {key} (" in body
