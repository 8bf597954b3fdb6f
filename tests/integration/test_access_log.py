"""The server's log (issue 15, "Logs"): one structured access record per request — JSON lines
by default when stderr is not a terminal, readable text with format = "text" — carrying the
x-amz-request-id of the response; a log file rotated by size with a bounded count of files;
the level silencing access records; background jobs' start/end records with counts."""

import http.client
import json
import re
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from cvharness import make_client


def config_file(tmp_path, text, name="log.toml"):
    path = Path(tmp_path) / name
    path.write_text(text)
    return path


def json_records(path):
    """Every JSON line of a log file (the harness's own "=== start" lines are skipped)."""
    records = []
    for line in Path(path).read_text(errors="replace").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))  # every line the server writes must parse
    return records


def in_flight(server):
    with urllib.request.urlopen(f"{server.endpoint}/metrics", timeout=30) as response:
        text = response.read().decode()
    return float(re.search(r"^cloudvault_requests_in_flight (\S+)$", text, re.M).group(1))


def settle(server, seconds=10):
    """Waits until every request made so far has ended (its access record written): only the
    scrape asking is in flight."""
    deadline = time.monotonic() + seconds
    while in_flight(server) != 1:
        assert time.monotonic() < deadline, "requests still in flight"
        time.sleep(0.02)


def access_record(server, request_id, path=None):
    """The access record of `request_id` in the server's log (it is written when the exchange
    has ended, just after the client has the response)."""
    settle(server)
    found = [r for r in json_records(path or server.log_path)
             if r.get("type") == "access" and r.get("request_id") == request_id]
    assert len(found) == 1, (request_id, found)
    return found[0]


def request_id_of(response):
    return response["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"]


def test_json_records_carry_the_request_id_of_each_response(server, s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="dir/a b.txt", Body=b"0123456789")
    record = access_record(server, request_id_of(put))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["time"])
    assert record["level"] == "info"
    assert record["remote"] == "127.0.0.1"
    assert record["user"] == "root"
    assert (record["api"], record["operation"]) == ("s3", "PutObject")
    assert (record["bucket"], record["key"]) == (bucket, "dir/a b.txt")
    assert (record["status"], record["error"]) == (200, "")
    assert (record["bytes_in"], record["bytes_out"]) == (10, 0)
    assert record["duration_ms"] >= 0
    assert record["user_agent"].startswith("Boto3/")

    got = s3.get_object(Bucket=bucket, Key="dir/a b.txt")
    assert got["Body"].read() == b"0123456789"
    record = access_record(server, request_id_of(got))
    assert (record["operation"], record["status"], record["bytes_out"]) == ("GetObject", 200, 10)

    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket=bucket, Key="nope")
    record = access_record(server, request_id_of(missing.value.response))
    assert (record["operation"], record["status"], record["error"]) == ("GetObject", 404,
                                                                        "NoSuchKey")
    assert record["key"] == "nope"


def test_console_and_anonymous_requests_have_records_too(server, bucket):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/_console/api/session", headers={"User-Agent": "pytest \"x\""})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 401
    request_id = response.getheader("x-amz-request-id")
    assert request_id
    record = access_record(server, request_id)
    assert (record["api"], record["operation"]) == ("console", "ConsoleGetSession")
    assert (record["status"], record["error"], record["user"]) == (401, "SignInRequired",
                                                                   "anonymous")
    assert record["user_agent"] == 'pytest "x"'

    anonymous = urllib.request.Request(f"{server.endpoint}/{bucket}/k")
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(anonymous, timeout=30)
    record = access_record(server, denied.value.headers["x-amz-request-id"])
    assert (record["user"], record["status"], record["error"]) == ("anonymous", 403,
                                                                   "AccessDenied")


def test_text_format_is_one_readable_line_per_request(server_factory, tmp_path):
    instance = server_factory(name="text-log", extra_args=(
        "--config", str(config_file(tmp_path, '[log]\nformat = "text"\n'))))
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    created = s3.create_bucket(Bucket="text-log")
    request_id = request_id_of(created)
    settle(instance)
    lines = [line for line in instance.log_path.read_text().splitlines() if request_id in line]
    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  access request_id=" + request_id +
        r" remote=127\.0\.0\.1 user=root api=s3 operation=CreateBucket bucket=text-log key=- "
        r"status=200 error=- bytes_in=\d+ bytes_out=0 duration_ms=\d+\.\d{3} "
        r'user_agent="Boto3/[^"]*"', lines[0]), lines[0]
    # No JSON anywhere: the server's other lines are text too.
    assert not any(line.startswith("{") for line in instance.log_path.read_text().splitlines())


def test_a_log_file_rotates_by_size_and_keeps_a_bounded_count(server_factory, tmp_path):
    log_file = tmp_path / "logs" / "cloudvault.log"
    log_file.parent.mkdir()
    instance = server_factory(name="rotating-log", extra_args=("--config", str(config_file(
        tmp_path, f'[log]\nfile = "{log_file}"\nmax_size_mb = 0.004\nmax_files = 2\n'))))
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="rotating")
    request_ids = [request_id_of(s3.put_object(Bucket="rotating", Key=f"k{i}", Body=b"x"))
                   for i in range(60)]
    settle(instance)
    files = sorted(p.name for p in log_file.parent.iterdir())
    assert files == ["cloudvault.1.log", "cloudvault.2.log", "cloudvault.log"]
    limit = int(0.004 * 1024 * 1024)
    records = []
    for name in files:
        assert (log_file.parent / name).stat().st_size <= limit, name
        records += json_records(log_file.parent / name)
    logged = {r["request_id"] for r in records if r.get("type") == "access"}
    # The newest records are all there (older ones were rotated away), each exactly once.
    assert request_ids[-5:] == [i for i in request_ids if i in logged][-5:]
    assert len(logged) == len([r for r in records if r.get("type") == "access"])
    # Nothing went to stderr but what came before the log was opened.
    assert '"type":"access"' not in instance.log_path.read_text()


def test_level_warn_silences_access_records(server_factory, tmp_path):
    quiet = server_factory(name="quiet-log", extra_args=(
        "--config", str(config_file(tmp_path, '[log]\nlevel = "warn"\n', "quiet.toml"))))
    s3 = make_client(quiet.endpoint, quiet.access_key, quiet.secret_key)
    s3.create_bucket(Bucket="quiet")
    s3.put_object(Bucket="quiet", Key="k", Body=b"x")
    # A warning still gets through: a failed console sign-in.
    connection = http.client.HTTPConnection("127.0.0.1", quiet.port, timeout=30)
    connection.request("POST", "/_console/api/session",
                       body=json.dumps({"accessKeyId": quiet.access_key,
                                        "secretAccessKey": "wrong"}),
                       headers={"Content-Type": "application/json"})
    assert connection.getresponse().status == 401
    connection.close()
    settle(quiet)
    records = json_records(quiet.log_path)
    assert [r for r in records if r.get("type") == "access"] == []
    assert any(r["level"] == "warn" and "console sign-in failed" in r.get("msg", "")
               for r in records)
    assert all(r["level"] in ("warn", "error") for r in records)

    # [log] access = false also silences them, at level info.
    off = server_factory(name="no-access-log", extra_args=(
        "--config", str(config_file(tmp_path, "[log]\naccess = false\n", "off.toml"))))
    make_client(off.endpoint, off.access_key, off.secret_key).create_bucket(Bucket="off")
    settle(off)
    assert [r for r in json_records(off.log_path) if r.get("type") == "access"] == []


def test_a_bad_log_section_stops_the_server_with_the_reason(server_factory, tmp_path):
    from cvharness import ServerStartError

    with pytest.raises(ServerStartError) as refused:
        server_factory(name="bad-log", extra_args=(
            "--config", str(config_file(tmp_path, '[log]\nlevel = "loud"\n', "bad.toml"))))
    assert "log.level" in str(refused.value)


def test_a_lifecycle_pass_logs_start_and_end_with_counts(server_factory, tmp_path):
    instance = server_factory(name="job-log", extra_args=("--config", str(config_file(
        tmp_path, '[log]\nlevel = "debug"\n[lifecycle]\nday_seconds = 0.05\n'
                  'interval_seconds = 0.2\n'))))
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="expiring")
    s3.put_bucket_lifecycle_configuration(Bucket="expiring", LifecycleConfiguration={"Rules": [
        {"ID": "gone", "Status": "Enabled", "Filter": {"Prefix": ""},
         "Expiration": {"Days": 1}}]})
    s3.put_object(Bucket="expiring", Key="old", Body=b"x")

    def lifecycle_records():
        return [r for r in json_records(instance.log_path)
                if r.get("type") == "job" and r.get("job") == "lifecycle"]

    def idle_ends(records):
        return [r for r in records if r["event"] == "end" and r["keys_examined"] == 0]

    # The pass that expires the object, then at least one idle pass after it.
    deadline = time.monotonic() + 30
    while not (any(r["event"] == "end" and r["expired"] == 1 for r in lifecycle_records())
               and idle_ends(lifecycle_records())):
        assert time.monotonic() < deadline, lifecycle_records()
        time.sleep(0.05)
    records = lifecycle_records()
    end = next(i for i, r in enumerate(records) if r["event"] == "end" and r["expired"] == 1)
    assert records[end]["level"] == "info"
    assert records[end]["keys_examined"] >= 1 and records[end]["duration_ms"] >= 0
    assert records[end - 1]["event"] == "start" and records[end - 1]["level"] == "debug"
    # Passes that did nothing end at debug only, so a log at info stays readable.
    idle = idle_ends(records)
    assert idle and all(r["level"] == "debug" for r in idle)


def test_requests_the_http_layer_refuses_have_records_too(server):
    # Two Content-Length headers: refused as ambiguous framing before any handler sees it.
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                     b"Content-Length: 2\r\n\r\nxy")
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            assert chunk, reply
            reply += chunk
    head = reply.split(b"\r\n\r\n")[0].decode()
    assert head.startswith("HTTP/1.1 400")
    request_id = re.search(r"(?im)^x-amz-request-id: (\w+)", head).group(1)
    record = access_record(server, request_id)
    assert (record["api"], record["operation"], record["status"]) == ("other",
                                                                      "UnknownOperation", 400)
    assert record["error"] == "BadRequest" and record["user"] == "anonymous"


def test_the_audit_trail_rolling_a_file_is_a_job_record(server_factory, tmp_path):
    instance = server_factory(name="trail-job-log", extra_args=("--config", str(config_file(
        tmp_path, "[trail]\nroll_seconds = 1\n", "trail.toml"))))
    make_client(instance.endpoint, instance.access_key, instance.secret_key).list_buckets()

    def rolled():
        return [r for r in json_records(instance.log_path)
                if r.get("type") == "job" and r.get("job") == "trail_roll"
                and r["event"] == "end" and r["files_written"] >= 1]

    deadline = time.monotonic() + 30
    while not rolled():
        assert time.monotonic() < deadline, instance.log_tail()
        time.sleep(0.05)
    record = rolled()[0]
    assert record["level"] == "info" and record["duration_ms"] >= 0
    assert "digests_written" in record


def test_notification_deliveries_are_job_records_per_target(server_factory, tmp_path):
    from test_notifications import Receiver, queue_rule, start, webhook_target

    receiver = Receiver()
    try:
        server, s3 = start(server_factory, tmp_path, {"hook": webhook_target(receiver)},
                           name="notify-job-log")
        s3.create_bucket(Bucket="photos")
        s3.put_bucket_notification_configuration(
            Bucket="photos", NotificationConfiguration={"QueueConfigurations": [
                queue_rule("hook", ["s3:ObjectCreated:*"])]})
        s3.put_object(Bucket="photos", Key="cat.jpg", Body=b"x")

        def delivered():
            return sum(r["done"] for r in json_records(server.log_path)
                       if r.get("type") == "job" and r.get("job") == "notify"
                       and r.get("target") == "hook" and r["event"] == "end")

        deadline = time.monotonic() + 30
        while delivered() < 2:  # the test event and the upload's
            assert time.monotonic() < deadline, server.log_tail()
            time.sleep(0.05)
        assert len(receiver.requests) == 2
        ends = [r for r in json_records(server.log_path) if r.get("job") == "notify"]
        assert all(r["level"] == "info" and r["retried"] == 0 and r["parked"] == 0
                   and r["duration_ms"] >= 0 for r in ends)
    finally:
        receiver.stop()
