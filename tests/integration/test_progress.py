"""Progress of long admin jobs (issue 15, "Progress and health"): on a terminal, a bar redrawn
in place with counts, rate and ETA; without one, only a final summary line, on stderr, so the
JSON on stdout stays parseable."""

import json
import os
import pty
import re
import sqlite3
import subprocess

from cvharness import REPO_ROOT, make_client, server_binary
from test_notifications import wait_until
from test_replication import start, versioned
from test_replication_remote import Forwarder, remote_config


def run_on_terminal(args, env, while_running=None):
    """Runs the CLI with stderr on a pseudo-terminal (stdout a pipe); returns (returncode,
    stdout, what the terminal showed). `while_running(shown)` (optional) is called once the
    program has drawn on the terminal, with what it has shown so far."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=terminal, env=env)
        os.close(terminal)
        terminal = None
        shown = b""
        if while_running:
            while not shown:
                shown += os.read(controller, 4096)
            while_running(shown.decode(errors="replace"))
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        stdout = process.stdout.read()
        return process.wait(timeout=60), stdout.decode(), shown.decode(errors="replace")
    finally:
        if terminal is not None:
            os.close(terminal)
        os.close(controller)


def admin_args(server, *args):
    return [server_binary(), "admin", *args, "--data", str(server.data_dir)]


def test_lifecycle_run_shows_a_bar_on_a_terminal_and_a_summary_otherwise(server_factory):
    server = server_factory(name="progress-lifecycle")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="aging")
    s3.put_bucket_lifecycle_configuration(Bucket="aging", LifecycleConfiguration={"Rules": [
        {"ID": "gone", "Status": "Enabled", "Filter": {"Prefix": ""},
         "Expiration": {"Days": 1}}]})
    for i in range(3):
        s3.put_object(Bucket="aging", Key=f"k{i}", Body=b"x")

    # Not a terminal: stdout is the JSON report alone, stderr one summary line.
    plain = server.admin("lifecycle", "run")
    assert json.loads(plain.stdout)["keys_examined"] == 0  # nothing due yet
    assert re.fullmatch(r"lifecycle run: 0 keys in \d+\.\ds \(-\)\n", plain.stderr), plain.stderr

    code, stdout, shown = run_on_terminal(
        admin_args(server, "lifecycle", "run", "--days-ahead", "2"), server.env())
    assert code == 0, shown
    assert json.loads(stdout)["expired"] == 3
    # The bar is drawn in place (carriage return, erase to the end of the line) ...
    assert re.search(r"\rlifecycle run 3 keys  \S+/s  \d+\.\ds\x1b\[K", shown), repr(shown)
    # ... and ends with the summary on a line of its own.
    assert re.search(r"\nlifecycle run: 3 keys in \d+\.\ds \([^)]*\)\r?\n$", shown), repr(shown)


def test_rotate_master_shows_its_progress(server_factory):
    server = server_factory(name="progress-rotate")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="sealed")
    s3.put_object(Bucket="sealed", Key="k", Body=b"x", ServerSideEncryption="AES256")
    assert server.terminate() == 0

    plain = server.admin("key", "rotate-master")
    visited = json.loads(plain.stdout)["secrets_resealed"]
    assert visited >= 2
    assert re.fullmatch(rf"rotate-master: {visited} secrets in \d+\.\ds \([^)]*\)\n",
                        plain.stderr), plain.stderr

    code, stdout, shown = run_on_terminal(admin_args(server, "key", "rotate-master"),
                                          server.env())
    assert code == 0, shown
    assert json.loads(stdout)["secrets_resealed"] == visited
    assert f"\rrotate-master {visited} secrets" in shown, repr(shown)
    assert re.search(rf"\nrotate-master: {visited} secrets in ", shown), repr(shown)


def test_activity_ingest_and_rescore_show_their_progress(tmp_path):
    trail = REPO_ROOT / "tests" / "fixtures" / "cloudtrail" / "trail"
    data = tmp_path / "data"
    ingest = [server_binary(), "activity", "ingest", "--from", str(trail), "--data", str(data)]
    code, stdout, shown = run_on_terminal(ingest, os.environ.copy())
    assert code == 0, shown
    assert re.search(r"^files: 6 read, 0 skipped$", stdout, re.M), stdout
    # Six files known in advance: a bar with the total, then the summary.
    assert re.search(r"\ractivity ingest \[#+\] 6/6 files  100%  \S+  done\x1b\[K", shown), \
        repr(shown)
    assert re.search(r"\nactivity ingest: 6 files in ", shown), repr(shown)

    # Not a terminal: the summary alone on stderr (this time the four good files are skipped
    # as unchanged, the two malformed ones read again).
    again = subprocess.run(ingest, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert re.search(r"^files: 2 read, 4 skipped$", again.stdout, re.M), again.stdout
    assert re.fullmatch(r"activity ingest: 6 files in \d+\.\ds \([^)]*\)\n", again.stderr), \
        again.stderr

    rescore = subprocess.run([server_binary(), "activity", "rescore", "--data", str(data)],
                             capture_output=True, text=True, timeout=120)
    assert rescore.returncode == 0, rescore.stderr
    scored = int(re.search(r"rescored (\d+) events", rescore.stdout).group(1))
    assert scored == 50
    assert re.fullmatch(rf"activity rescore: {scored} events in \d+\.\ds \([^)]*\)\n",
                        rescore.stderr), rescore.stderr


def schema_steps():
    """The metadata store's migration steps as (version, SQL), oldest first, read from the
    program's own source (src/meta/sqlite/migrations.cc): the real statements of each step."""
    source = (REPO_ROOT / "src" / "meta" / "sqlite" / "migrations.cc").read_text()
    steps = [(int(version), sql) for version, sql in
             re.findall(r'kSchemaV(\d+)\[\] = R"sql\((.*?)\)sql"', source, re.S)]
    assert steps and steps[0][0] == 1
    return steps


def old_data_folder(path, version):
    """A data folder whose metadata store has schema `version` (the steps up to it applied)
    and a bucket in it, as an older release left it."""
    path.mkdir(parents=True)
    db = sqlite3.connect(path / "meta.db")
    for step, sql in schema_steps():
        if step <= version:
            db.executescript(sql)
    db.execute("INSERT INTO buckets VALUES('kept', 'owner', 'us-east-1', 1)")
    db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()
    return path


def test_a_schema_migration_shows_a_bar_on_a_terminal_and_a_summary_otherwise(tmp_path):
    steps = schema_steps()
    latest, pending = steps[-1][0], len(steps) - 1
    status = [server_binary(), "admin", "backup", "status", "--json", "--data"]

    code, stdout, shown = run_on_terminal(status + [str(old_data_folder(tmp_path / "a", 1))],
                                          os.environ.copy())
    assert code == 0, shown
    assert json.loads(stdout) == []
    # One redraw per step at most every 100 ms: at least the first and the last state.
    assert re.search(rf"\rmetadata migration \[#*-*\] \d+/{pending} steps  \d+%", shown), \
        repr(shown)
    assert re.search(rf"\rmetadata migration \[#+\] {pending}/{pending} steps  100%  \S+  "
                     r"done\x1b\[K\r?\n", shown), repr(shown)
    assert re.search(rf"\nmigrated the metadata store from schema 1 to {latest} in "
                     r"\d+\.\ds\r?\n$", shown), repr(shown)

    # Not a terminal: the summary line alone; then, up to date, nothing at all.
    data = old_data_folder(tmp_path / "b", steps[-3][0])
    plain = subprocess.run(status + [str(data)], capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert re.fullmatch(rf"migrated the metadata store from schema {steps[-3][0]} to {latest} "
                        r"in \d+\.\ds\n", plain.stderr), plain.stderr
    again = subprocess.run(status + [str(data)], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    db = sqlite3.connect(data / "meta.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == latest
    assert db.execute("SELECT name FROM buckets").fetchall() == [("kept",)]
    db.close()


def test_the_server_logs_a_schema_migration(server_factory, tmp_path):
    latest = schema_steps()[-1][0]
    server = server_factory(data_dir=old_data_folder(tmp_path / "old", 1), name="migrated")
    server.wait_for_log(rf"^migrated the metadata store from schema 1 to {latest} in \d+\.\ds$")
    s3 = make_client(server.endpoint, server.access_key, server.secret_key)
    s3.create_bucket(Bucket="after-upgrade")
    s3.put_object(Bucket="after-upgrade", Key="k", Body=b"x")
    assert s3.get_object(Bucket="after-upgrade", Key="k")["Body"].read() == b"x"


def test_backup_status_wait_follows_the_backfill_to_the_end(server_factory, tmp_path):
    remote = server_factory(name="remote")
    remote_s3 = make_client(remote.endpoint, remote.access_key, remote.secret_key)
    versioned(remote_s3, "offsite")
    forwarder = Forwarder()  # the remote is down until it is opened
    try:
        events = {"retry_first_seconds": 0.05, "retry_max_seconds": 0.2, "max_attempts": 1000}
        server, s3 = start(server_factory, tmp_path, events=events, remotes={
            "offsite": remote_config(f"http://127.0.0.1:{forwarder.port}", remote)})
        config = str(tmp_path / "src.toml")
        s3.create_bucket(Bucket="photos")
        keys = [f"img{i:02}.jpg" for i in range(30)]
        for key in keys:
            s3.put_object(Bucket="photos", Key=key, Body=key.encode() * 100)
        server.admin("backup", "create", "--from", "photos", "--to", "offsite", "--remote",
                     "offsite", "--config", config)
        status = [server_binary(), "admin", "backup", "status", "photos", "--wait",
                  "--config", config, "--data", str(server.data_dir)]

        # The remote is down: nothing can be copied, and the wait gives up (exit 2) with the
        # summary and the status.
        timed_out = subprocess.run(status + ["--timeout", "1", "--json"], capture_output=True,
                                   text=True, timeout=120, env=server.env())
        assert timed_out.returncode == 2, timed_out.stderr
        assert re.fullmatch(r"backup photos: 0 versions in \d+\.\ds \(-\)\n"
                            r"cloudvault: \d+ versions still pending after \d+\.\ds"
                            r"(, older versions still being queued)?\n",
                            timed_out.stderr), timed_out.stderr
        assert json.loads(timed_out.stdout)[0]["rules"][0]["replicated"] == 0

        def backfilled():
            bucket = json.loads(server.admin("backup", "status", "photos", "--json",
                                             "--config", config).stdout)[0]
            return (bucket["backfilling"] == 0 and
                    bucket["unplanned"] + bucket["rules"][0]["pending"] == len(keys))
        wait_until(backfilled, what="the backfill to queue every version")

        # On a terminal: the bar starts with everything pending; the remote comes back while
        # it is drawn, and the wait ends (exit 0) once every version is there.
        code, stdout, shown = run_on_terminal(
            status, server.env(), while_running=lambda _: forwarder.open(remote.port))
        assert code == 0, shown
        assert re.search(r"^\rbackup photos \[-+\] 0/30 versions  0%", shown), repr(shown)
        assert re.search(r"\rbackup photos \[#+\] 30/30 versions  100%  \S+  done\x1b\[K\r?\n"
                         r"backup photos: 30 versions in \d+\.\ds \([^)]*\)\r?\n$", shown), \
            repr(shown)
        assert re.search(r"pending 0 .*failed 0, done 30 ", stdout), stdout
        listing = remote_s3.list_object_versions(Bucket="offsite", MaxKeys=1000)
        assert sorted(v["Key"] for v in listing["Versions"]) == keys

        # Caught up, not on a terminal: the summary alone (nothing left to copy) and exit 0.
        again = subprocess.run(status + ["--json"], capture_output=True, text=True, timeout=120,
                               env=server.env())
        assert again.returncode == 0, again.stderr
        assert re.fullmatch(r"backup photos: 0 versions in \d+\.\ds \(-\)\n", again.stderr), \
            again.stderr
        rule = json.loads(again.stdout)[0]["rules"][0]
        assert rule["pending"] == 0 and rule["failed"] == 0 and rule["replicated"] == 30
    finally:
        forwarder.close()


def test_backup_status_wait_exits_1_when_copies_failed(server_factory, tmp_path):
    remote = server_factory(name="remote")
    versioned(make_client(remote.endpoint, remote.access_key, remote.secret_key), "offsite")
    # The remote refuses this key: every copy fails for good.
    server, s3 = start(server_factory, tmp_path, remotes={
        "offsite": remote_config(remote.endpoint, remote, secret="wrong" * 8)})
    s3.create_bucket(Bucket="docs")
    for i in range(3):
        s3.put_object(Bucket="docs", Key=f"k{i}", Body=b"v")
    config = str(tmp_path / "src.toml")
    server.admin("backup", "create", "--from", "docs", "--to", "offsite", "--remote", "offsite",
                 "--config", config)
    waited = subprocess.run(
        [server_binary(), "admin", "backup", "status", "docs", "--wait", "--timeout", "60",
         "--json", "--config", config, "--data", str(server.data_dir)],
        capture_output=True, text=True, timeout=120, env=server.env())
    assert waited.returncode == 1, waited.stderr
    assert re.fullmatch(r"backup docs: 0 versions in \S+ \(-\)\n"
                        r"cloudvault: 3 copies failed \(cloudvault admin backup retry docs\)\n",
                        waited.stderr), waited.stderr
    rule = json.loads(waited.stdout)[0]["rules"][0]
    assert rule["failed"] == 3 and rule["pending"] == 0 and "AccessDenied" in rule["last_error"]
