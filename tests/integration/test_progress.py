"""Progress of long admin jobs (issue 15, "Progress and health"): on a terminal, a bar redrawn
in place with counts, rate and ETA; without one, only a final summary line, on stderr, so the
JSON on stdout stays parseable."""

import json
import os
import pty
import re
import subprocess

from cvharness import REPO_ROOT, make_client, server_binary


def run_on_terminal(args, env):
    """Runs the CLI with stderr on a pseudo-terminal (stdout a pipe); returns (returncode,
    stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=terminal, env=env)
        os.close(terminal)
        terminal = None
        shown = b""
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
