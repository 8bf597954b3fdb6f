"""Readiness and the process, disk and readiness metrics (issue 15, "Progress and health"):
GET /_cloudvault/ready says what it checked (the metadata store, each data folder's
writability and free space, the master key) with 200 or 503; the standard process metrics,
the host CPU counters, the disk gauges per folder, cloudvault_ready and
cloudvault_master_key_readable are on /metrics and follow the live state."""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

from test_metrics import scrape, value


def ready(server, method="GET"):
    """(status, parsed body or None for HEAD) of /_cloudvault/ready."""
    request = urllib.request.Request(f"{server.endpoint}/_cloudvault/ready", method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body, content_type = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, body, content_type = error.code, error.read(), error.headers
    assert content_type.get("content-type") == "application/json"
    return status, (json.loads(body) if method == "GET" else None)


def until(check, seconds=10):
    """Polls `check` until it returns something true or the deadline passes."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def checks_by_name(body):
    return {(c["name"], c.get("folder")): c for c in body["checks"]}


def test_a_healthy_server_is_ready_and_says_what_it_checked(server):
    status, body = ready(server)
    assert status == 200, body
    assert body["status"] == "ready"
    checks = checks_by_name(body)
    assert set(checks) == {("metadata", None), ("data_folder", "data"),
                           ("data_folder", "standard_ia"), ("data_folder", "glacier"),
                           ("master_key", None)}
    assert all(c["ok"] for c in body["checks"]), body
    data = checks[("data_folder", "data")]
    assert data["path"] == str(server.data_dir)
    assert data["writable"] is True
    usage = shutil.disk_usage(server.data_dir)
    assert 0 < data["free_bytes"] <= usage.total and data["total_bytes"] == usage.total
    assert abs(data["free_ratio"] - data["free_bytes"] / data["total_bytes"]) < 1e-9
    assert checks[("data_folder", "glacier")]["path"] == str(server.data_dir / "tiers" / "glacier")
    # The probe file is gone again.
    assert not [n for n in os.listdir(server.data_dir) if n.startswith(".cloudvault-ready-probe")]
    head_status, _ = ready(server, "HEAD")
    assert head_status == 200


def test_process_host_disk_and_readiness_metrics_are_exposed(server):
    text = scrape(server)[2]
    for name in ("process_resident_memory_bytes", "process_virtual_memory_bytes",
                 "process_open_fds", "process_max_fds", "process_start_time_seconds",
                 "process_threads"):
        assert value(text, name) > 0, name
    assert f"# TYPE process_cpu_seconds_total counter" in text
    assert abs(value(text, "process_start_time_seconds") - time.time()) < 7 * 86400
    # The server runs 2 network threads and a worker pool, besides the main thread.
    assert value(text, "process_threads") >= 4
    busy = value(text, "cloudvault_host_cpu_seconds_total", mode="busy")
    idle = value(text, "cloudvault_host_cpu_seconds_total", mode="idle")
    assert busy > 0 and idle > 0
    usage = shutil.disk_usage(server.data_dir)
    for folder in ("data", "standard_ia", "glacier"):
        assert value(text, "cloudvault_disk_total_bytes", folder=folder) == usage.total
        free = value(text, "cloudvault_disk_free_bytes", folder=folder)
        assert 0 < free <= usage.total
        ratio = value(text, "cloudvault_disk_free_ratio", folder=folder)
        assert abs(ratio - free / usage.total) < 1e-6
    assert value(text, "cloudvault_ready") == 1
    assert value(text, "cloudvault_master_key_readable") == 1
    # The CPU counters only grow.
    later = until(lambda: (t := scrape(server)[2]) and
                  value(t, "cloudvault_host_cpu_seconds_total", mode="busy") +
                  value(t, "cloudvault_host_cpu_seconds_total", mode="idle") > busy + idle and t)
    assert later, "host CPU counters did not move"
    assert value(later, "cloudvault_host_cpu_seconds_total", mode="busy") >= busy
    checked = subprocess.run(["promtool", "check", "metrics"], input=later, capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_unreadable_master_key_file_fails_readiness_until_it_is_back(server_factory):
    instance = server_factory(name="key")
    key = instance.data_dir / "master.key"
    moved = instance.data_dir / "master.key.away"
    assert ready(instance)[0] == 200
    os.rename(key, moved)
    try:
        status, body = until(lambda: (r := ready(instance))[0] == 503 and r)
        assert body["status"] == "not_ready"
        check = checks_by_name(body)[("master_key", None)]
        assert check["ok"] is False and "unreadable" in check["detail"], check
        assert all(c["ok"] for c in body["checks"] if c["name"] != "master_key"), body
        text = scrape(instance)[2]
        assert value(text, "cloudvault_master_key_readable") == 0
        assert value(text, "cloudvault_ready") == 0
        # A file holding another key is not the key in use either.
        key.write_bytes(os.urandom(32))
        key.chmod(0o600)
        status, body = until(lambda: (r := ready(instance))[0] == 503 and
                             "no longer holds" in checks_by_name(r[1])[("master_key", None)]
                             .get("detail", "") and r)
        assert status == 503, body
    finally:
        os.replace(moved, key)
    status, body = until(lambda: (r := ready(instance))[0] == 200 and r)
    assert status == 200 and body["status"] == "ready"
    text = scrape(instance)[2]
    assert value(text, "cloudvault_master_key_readable") == 1
    assert value(text, "cloudvault_ready") == 1


def test_too_little_free_space_fails_readiness(server_factory, tmp_path):
    # No real file system is 100% free: with min_free_ratio 1 every folder is short of room.
    config = tmp_path / "health.toml"
    config.write_text("[health]\nmin_free_ratio = 1.0\n")
    instance = server_factory(name="roomy", extra_args=("--config", str(config)))
    status, body = ready(instance)
    assert status == 503 and body["status"] == "not_ready", body
    data = checks_by_name(body)[("data_folder", "data")]
    assert data["ok"] is False and data["writable"] is True
    assert "free space below" in data["detail"], data
    assert checks_by_name(body)[("metadata", None)]["ok"] is True
    assert value(scrape(instance)[2], "cloudvault_ready") == 0


def test_a_bad_min_free_ratio_is_refused_at_start(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[health]\nmin_free_ratio = 1.5\n")
    from cvharness import server_binary
    result = subprocess.run([server_binary(), "server", "--listen", "127.0.0.1:0", "--data",
                             str(tmp_path / "data"), "--config", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "health.min_free_ratio must be 0-1" in result.stderr


def own_address():
    """A non-loopback address of this host (the source of a connection to itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        return probe.getsockname()[0]


def test_peers_not_on_loopback_see_only_names_and_outcomes(tmp_path):
    address = own_address()
    assert not address.startswith("127."), address
    from cvharness import server_binary
    process = subprocess.Popen(
        [server_binary(), "server", "--listen", "0.0.0.0:0", "--data", str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in process.stdout:
            if match := re.match(r"listening on http://0\.0\.0\.0:(\d+)", line):
                port = int(match.group(1))
                break
        assert port, "the server did not say where it listens"

        def body_from(host):
            with urllib.request.urlopen(f"http://{host}:{port}/_cloudvault/ready",
                                        timeout=30) as response:
                assert response.status == 200
                return response.read().decode()

        full = json.loads(body_from("127.0.0.1"))
        assert checks_by_name(full)[("data_folder", "data")]["path"] == str(tmp_path / "data")
        brief_text = body_from(address)
        assert str(tmp_path) not in brief_text, brief_text
        brief = json.loads(brief_text)
        assert brief["status"] == "ready"
        assert [(c["name"], c.get("folder")) for c in brief["checks"]] == \
            [(c["name"], c.get("folder")) for c in full["checks"]]
        for check in brief["checks"]:
            assert set(check) <= {"name", "folder", "ok"}, check
    finally:
        process.kill()
        process.wait()
