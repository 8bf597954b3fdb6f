"""Fixtures: a real `cloudvault server` on a free loopback port, clients for it, tools.

The session server gets a fresh data folder; tests that kill or restart a server use
`server_factory` for their own. Buckets are unique per test (`bucket`), so tests share
the session server without seeing each other's objects.
"""

import json
import os
import re
import secrets
import shutil
import string
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.register_assert_rewrite("cvharness")

from cvharness import RawClient, Server, make_client  # noqa: E402

AWS_BIN = "/usr/bin/aws"  # Debian's aws CLI v2 (a pyenv shim named aws may come first on PATH)
RCLONE_BIN = "rclone"
S3CMD_BIN = "s3cmd"

_started_servers = []  # every Server started in this session, for logs on failure


def pytest_configure(config):
    # Keep the developer's own AWS settings out of boto3 and the CLIs.
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def random_access_key(prefix="CV"):
    alphabet = string.ascii_uppercase + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(20 - len(prefix)))


def random_secret_key():
    alphabet = string.ascii_letters + string.digits + "+/"
    return "".join(secrets.choice(alphabet) for _ in range(40))


def _start_server(base_dir, data_dir=None, extra_args=(), access_key=None, secret_key=None,
                  root_from_env=True):
    base_dir = Path(base_dir)
    base_dir.mkdir(parents=True, exist_ok=True)
    if root_from_env:
        access_key = access_key or random_access_key("CVROOT")
        secret_key = secret_key or random_secret_key()
    server = Server(
        data_dir=data_dir or base_dir / "data",
        access_key=access_key if root_from_env else None,
        secret_key=secret_key if root_from_env else None,
        log_path=base_dir / "server.log",
        extra_args=extra_args,
    )
    _started_servers.append(server)
    server.start()
    return server


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The shared server: started once, fresh data folder, stopped with SIGTERM at the end."""
    base = tmp_path_factory.mktemp("cloudvault")
    # Lifecycle passes on the shared server are driven by the tests (`admin lifecycle run`): a
    # background pass landing between a RestoreObject and the HEAD that checks it "ongoing"
    # would finish the restore early.
    config = base / "shared.toml"
    config.write_text("[lifecycle]\ninterval_seconds = 86400\n")
    instance = _start_server(base, extra_args=("--config", str(config)))
    yield instance
    instance.terminate()
    shutil.rmtree(instance.data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3(server):
    """boto3 client signed as the root user."""
    return make_client(server.endpoint, server.access_key, server.secret_key)


@pytest.fixture(scope="session")
def raw(server):
    """Raw HTTP client signing as the root user (see cvharness.RawClient)."""
    return RawClient(server.port, server.access_key, server.secret_key)


@pytest.fixture
def unique_name(request):
    """Returns a function making valid, unique bucket names that mention the test."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:36].strip("-")

    def make(tag=""):
        name = f"{slug}{'-' + tag if tag else ''}-{uuid.uuid4().hex[:8]}"
        return name[-63:].lstrip("-.")

    return make


@pytest.fixture
def bucket(s3, unique_name):
    """A new, empty bucket owned by root."""
    name = unique_name()
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def other_user(server):
    """A second user (with a display name and e-mail) and an access key made by the admin CLI."""
    name = "tester-" + uuid.uuid4().hex[:6]
    display_name = "Second Tester"
    server.admin(
        "user", "add", name, "--display-name", display_name, "--email", f"{name}@example.test"
    )
    created = json.loads(server.admin("key", "create", name).stdout)
    assert created["user"] == name
    return SimpleNamespace(
        name=name,
        display_name=display_name,
        access_key=created["access_key_id"],
        secret_key=created["secret_key"],
        client=make_client(server.endpoint, created["access_key_id"], created["secret_key"]),
        raw=RawClient(server.port, created["access_key_id"], created["secret_key"]),
    )


@pytest.fixture
def server_factory(tmp_path):
    """Starts extra servers (own data folders unless one is given); all are stopped after the
    test. Use for tests that kill, restart or reconfigure a server."""
    started = []

    def start(data_dir=None, extra_args=(), access_key=None, secret_key=None, name=None,
              root_from_env=True):
        base = tmp_path / (name or f"server{len(started)}")
        instance = _start_server(base, data_dir, extra_args, access_key, secret_key,
                                 root_from_env)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.kill()
    for instance in started:
        shutil.rmtree(instance.data_dir, ignore_errors=True)


@pytest.fixture
def fresh_server(server_factory):
    """A server of the test's own (fresh data folder), killed after the test."""
    return server_factory(name="fresh")


# --------------------------------------------------------------------------------------------
# Command-line clients, configured for the session server
# --------------------------------------------------------------------------------------------


def _tool_env(server, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(extra or {})
    return env


def _runner(argv_prefix, env, cwd=None):
    def run(*args, check=True, timeout=300, input=None):
        argv = [*argv_prefix, *map(str, args)]
        result = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd, input=input
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(argv)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}"
            )
        return result

    return run


@pytest.fixture(scope="session")
def aws_cli(server, tmp_path_factory):
    """run(*args) for Debian's aws CLI v2 with --endpoint-url and root credentials."""
    home = tmp_path_factory.mktemp("awscli")
    config = home / "config"
    config.write_text("[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n")
    env = _tool_env(
        server,
        {
            "AWS_ACCESS_KEY_ID": server.access_key,
            "AWS_SECRET_ACCESS_KEY": server.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(config),
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "AWS_RETRY_MODE": "standard",
            "AWS_MAX_ATTEMPTS": "1",
        },
    )
    return _runner([AWS_BIN, "--endpoint-url", server.endpoint, "--no-cli-pager"], env)


@pytest.fixture(scope="session")
def rclone(server, tmp_path_factory):
    """run(*args) for rclone with a remote named `cv:` pointing at the server."""
    home = tmp_path_factory.mktemp("rclone")
    config = home / "rclone.conf"
    config.write_text(
        "[cv]\n"
        "type = s3\n"
        "provider = Other\n"
        "env_auth = false\n"
        f"access_key_id = {server.access_key}\n"
        f"secret_access_key = {server.secret_key}\n"
        "region = us-east-1\n"
        f"endpoint = {server.endpoint}\n"
        "force_path_style = true\n"
    )
    env = _tool_env(server, {"HOME": str(home)})
    return _runner([RCLONE_BIN, "--config", str(config), "--low-level-retries", "1",
                    "--retries", "1"], env)


@pytest.fixture(scope="session")
def s3cmd(server, tmp_path_factory):
    """run(*args) for s3cmd with a config file that points at the server (path style)."""
    home = tmp_path_factory.mktemp("s3cmd")
    config = home / "s3cfg"
    host = f"127.0.0.1:{server.port}"
    config.write_text(
        "[default]\n"
        f"access_key = {server.access_key}\n"
        f"secret_key = {server.secret_key}\n"
        f"host_base = {host}\n"
        f"host_bucket = {host}\n"
        "bucket_location = us-east-1\n"
        "use_https = False\n"
        "signature_v2 = False\n"
        "check_ssl_certificate = False\n"
        "proxy_host =\n"
        "proxy_port = 0\n"
    )
    env = _tool_env(server, {"HOME": str(home)})
    return _runner([S3CMD_BIN, "-c", str(config)], env)


# --------------------------------------------------------------------------------------------
# Show what the server logged during a failing test.
# --------------------------------------------------------------------------------------------

_log_offsets_key = pytest.StashKey()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.stash[_log_offsets_key] = {
        id(s): (s.log_path.stat().st_size if s.log_path.exists() else 0) for s in _started_servers
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        offsets = item.stash.get(_log_offsets_key, {})
        for instance in _started_servers:
            try:
                with open(instance.log_path, "rb") as log:
                    log.seek(offsets.get(id(instance), 0))
                    text = log.read().decode("utf-8", "replace")
            except OSError:
                continue
            if text.strip():
                report.sections.append((f"server log ({instance.log_path})", text[-8000:]))
