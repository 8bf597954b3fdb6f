"""Helpers shared by the integration tests: the server process, clients, raw signed HTTP.

Everything talks to 127.0.0.1 only. Nothing here sleeps to synchronise: the server's
readiness is read from its stdout, and waits are on processes, queues and events.
"""

import base64
import contextlib
import datetime as _datetime
import hashlib
import hmac
import http.client
import importlib
import json
import os
import queue
import random
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import boto3
import botocore.auth
import botocore.signers
import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-east-1"
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
NS = {"s3": S3_NS}
MiB = 1024 * 1024
KiB = 1024
READY_LINE = re.compile(r"^listening on (https?)://127\.0\.0\.1:(\d+)\s*$")
REPO_ROOT = Path(__file__).resolve().parents[2]


def server_binary():
    return os.environ.get("CLOUDVAULT_BIN") or str(REPO_ROOT / "build" / "cloudvault")


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


class ServerStartError(RuntimeError):
    pass


class Server:
    """One `cloudvault server` process on 127.0.0.1:<ephemeral port>.

    stdout is drained by a thread (the readiness line is taken from it); stderr goes to
    `log_path` so a failing test can show it.
    """

    def __init__(self, data_dir, access_key, secret_key, log_path, extra_args=()):
        """access_key/secret_key None: the server is started without root keys in its
        environment (it generates them on first start and keeps them)."""
        self.binary = server_binary()
        self.data_dir = Path(data_dir)
        self.access_key = access_key
        self.secret_key = secret_key
        self.log_path = Path(log_path)
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.scheme = "http"  # "https" when the server was started with a certificate
        self.stdout_lines = []

    @property
    def endpoint(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid

    def env(self):
        env = os.environ.copy()
        env.pop("CLOUDVAULT_ROOT_ACCESS_KEY", None)
        env.pop("CLOUDVAULT_ROOT_SECRET_KEY", None)
        if self.access_key is not None:
            env["CLOUDVAULT_ROOT_ACCESS_KEY"] = self.access_key
            env["CLOUDVAULT_ROOT_SECRET_KEY"] = self.secret_key
        return env

    def start(self, timeout=60):
        if not os.access(self.binary, os.X_OK):
            raise ServerStartError(
                f"server binary {self.binary} is missing (build it, or set CLOUDVAULT_BIN)"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        cmd = [
            self.binary,
            "server",
            "--listen",
            "127.0.0.1:0",
            "--data",
            str(self.data_dir),
            *self.extra_args,
        ]
        log.write(("\n=== start: " + " ".join(cmd) + "\n").encode())
        log.flush()
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=self.env()
        )
        log.close()
        self._lines = lines = queue.Queue()

        def pump(stream):
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = lines.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                self.kill()
                raise ServerStartError(
                    f"no readiness line within {timeout}s; stdout={self.stdout_lines!r}\n"
                    + self.log_tail()
                )
            if line is None:
                code = self.proc.wait()
                raise ServerStartError(
                    f"server exited with {code} before it was ready; stdout={self.stdout_lines!r}\n"
                    + self.log_tail()
                )
            match = READY_LINE.match(line)
            if match:
                self.scheme = match.group(1)
                self.port = int(match.group(2))
                return self

    def wait_for_stdout(self, pattern, timeout=30):
        """The first stdout line (after the readiness line) matching regex `pattern`."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no stdout line matching {pattern!r}: {self.stdout_lines!r}")
            if line is None:
                raise AssertionError(f"stdout closed before {pattern!r}: {self.stdout_lines!r}")
            match = regex.search(line)
            if match:
                return match

    def log_messages(self):
        """The server's log (its stderr) as text lines: a JSON line's "msg" (a structured record,
        which has none, as its JSON), any other line as it is."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        messages = []
        for line in text.splitlines():
            if line.startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError:
                    messages.append(line)
                    continue
                messages.append(record.get("msg", line) if isinstance(record, dict) else line)
            else:
                messages.append(line)
        return messages

    def wait_for_log(self, pattern, timeout=30):
        """The first message of the server's log (log_messages) matching regex `pattern`."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for message in self.log_messages():
                match = regex.search(message)
                if match:
                    return match
            if time.monotonic() > deadline:
                raise AssertionError(f"no log line matching {pattern!r}\n" + self.log_tail())
            time.sleep(0.05)

    def log_tail(self, limit=6000):
        try:
            return "server log tail:\n" + self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, timeout=30, sig=signal.SIGTERM):
        """Sends `sig` and waits. Returns the exit code (None when it had to be killed)."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        """SIGKILL (no chance to clean up) and reap."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def proc_status(self):
        """/proc/<pid>/status as a dict of field -> text."""
        fields = {}
        with open(f"/proc/{self.pid}/status") as status:
            for row in status:
                name, _, value = row.partition(":")
                fields[name] = value.strip()
        return fields

    def peak_rss_bytes(self):
        value = self.proc_status()["VmHWM"]  # "12345 kB"
        number, unit = value.split()
        assert unit == "kB"
        return int(number) * 1024

    # ---- admin CLI --------------------------------------------------------------------------

    def admin(self, *args, check=True):
        cmd = [self.binary, "admin", *args, "--data", str(self.data_dir)]
        result = subprocess.run(cmd, capture_output=True, text=True, env=self.env(), timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(cmd)} exited {result.returncode}\nstdout: {result.stdout}\n"
                f"stderr: {result.stderr}"
            )
        return result


# --------------------------------------------------------------------------------------------
# boto3
# --------------------------------------------------------------------------------------------


def make_client(endpoint, access_key, secret_key, **s3_options):
    """A boto3 S3 client: path-style, SigV4, us-east-1, no retries (errors surface at once)."""
    s3_config = {"addressing_style": "path"}
    s3_config.update(s3_options)
    config = Config(
        signature_version="s3v4",
        s3=s3_config,
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=10,
        read_timeout=300,
        max_pool_connections=64,
    )
    session = boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=REGION
    )
    return session.client("s3", endpoint_url=endpoint, config=config)


def expect_error(call, code, status, **kwargs):
    """Calls `call(**kwargs)`, which must fail with S3 error `code` and HTTP `status`."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    assert response["Error"]["Code"] == code, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status, response
    return response


def error_of(call, **kwargs):
    """Calls `call(**kwargs)`, which must fail; returns (code, status, response)."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response


def object_exists(client, bucket, key):
    try:
        client.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return False
        raise


def list_all_keys(client, bucket, prefix=""):
    keys = []
    token = None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kwargs["ContinuationToken"] = token
        page = client.list_objects_v2(**kwargs)
        keys.extend(item["Key"] for item in page.get("Contents", []))
        if not page["IsTruncated"]:
            return keys
        token = page["NextContinuationToken"]


# --------------------------------------------------------------------------------------------
# Data, hashes and checksums
# --------------------------------------------------------------------------------------------


def random_bytes(size, seed):
    return random.Random(seed).randbytes(size)


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def quoted_md5(data):
    return '"' + md5_hex(data) + '"'


def b64(raw):
    return base64.b64encode(raw).decode()


def _crc32c_table():
    table = []
    for index in range(256):
        crc = index
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    table = _CRC32C
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def s3_checksum(algorithm, data):
    """The base64 value S3 uses in x-amz-checksum-<algorithm> for `data`."""
    algorithm = algorithm.upper()
    if algorithm == "CRC32":
        return b64((zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big"))
    if algorithm == "CRC32C":
        return b64(crc32c(data).to_bytes(4, "big"))
    if algorithm == "SHA1":
        return b64(hashlib.sha1(data).digest())
    if algorithm == "SHA256":
        return b64(hashlib.sha256(data).digest())
    raise ValueError(algorithm)


def file_sha256(path, block=4 * MiB):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


class PatternFile:
    """A seekable, read-only file of `size` bytes made on the fly (never held in memory).

    Block i (1 MiB) is a fixed random block whose first 8 bytes are i, so a reordered,
    repeated or dropped block changes the SHA-256.
    """

    BLOCK = MiB

    def __init__(self, size, seed=7):
        self.size = size
        self.pos = 0
        self._base = random_bytes(self.BLOCK, seed)
        self._cached_index = -1
        self._cached = b""

    def _block(self, index):
        if index != self._cached_index:
            self._cached = index.to_bytes(8, "big") + self._base[8:]
            self._cached_index = index
        return self._cached

    def read(self, amount=-1):
        if amount is None or amount < 0:
            amount = self.size - self.pos
        amount = min(amount, self.size - self.pos)
        parts = []
        while amount > 0:
            index, offset = divmod(self.pos, self.BLOCK)
            take = min(amount, self.BLOCK - offset)
            parts.append(self._block(index)[offset : offset + take])
            self.pos += take
            amount -= take
        return b"".join(parts)

    def seek(self, offset, whence=0):
        if whence == 0:
            self.pos = offset
        elif whence == 1:
            self.pos += offset
        else:
            self.pos = self.size + offset
        return self.pos

    def tell(self):
        return self.pos

    def __len__(self):
        return self.size

    def sha256(self):
        digest = hashlib.sha256()
        saved = self.pos
        self.seek(0)
        while chunk := self.read(self.BLOCK):
            digest.update(chunk)
        self.seek(saved)
        return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Raw HTTP, signed with botocore's SigV4 signer
# --------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    reason: str
    headers: object  # http.client.HTTPMessage: case-insensitive .get()
    body: bytes
    header_pairs: list = field(default_factory=list)

    def header(self, name):
        return self.headers.get(name)

    def xml(self):
        return ET.fromstring(self.body)

    def error_code(self):
        root = self.xml()
        assert root.tag == "Error", self.body
        return root.findtext("Code")

    def error(self):
        """The S3 error body as a dict of its child elements."""
        root = self.xml()
        assert root.tag == "Error", self.body
        return {child.tag: (child.text or "") for child in root}


def quote_key(key):
    return urllib.parse.quote(key, safe="/~")


def object_path(bucket=None, key=None):
    path = "/"
    if bucket:
        path += bucket
        if key is not None:
            path += "/" + quote_key(key)
    return path


def encode_query(query):
    """query: list of (name, value) pairs; value None gives a bare `name` (like `?cors`)."""
    parts = []
    for name, value in query:
        encoded = urllib.parse.quote(name, safe="-_.~")
        if value is None:
            parts.append(encoded)
        else:
            parts.append(encoded + "=" + urllib.parse.quote(str(value), safe="-_.~"))
    return "&".join(parts)


class _FixedPayloadSigner(botocore.auth.S3SigV4Auth):
    """S3SigV4Auth that signs `payload_hash` as x-amz-content-sha256 instead of the body's."""

    def __init__(self, credentials, payload_hash):
        super().__init__(credentials, "s3", REGION)
        self._payload_hash = payload_hash

    def payload(self, request):
        return self._payload_hash


class _FakeDatetimeModule:
    """Stands in for the `datetime` module inside botocore so signatures carry another time."""

    def __init__(self, offset):
        real = _datetime.datetime

        class ShiftedDatetime(real):
            @classmethod
            def utcnow(cls):
                return real.utcnow() + offset

            @classmethod
            def now(cls, tz=None):
                return real.now(tz) + offset

        self.datetime = ShiftedDatetime
        self.timedelta = _datetime.timedelta
        self.timezone = _datetime.timezone


@contextlib.contextmanager
def signing_clock(offset):
    """Within the block, botocore signs (headers, presigned URLs, POST policies) as if the
    clock were `offset` (a timedelta) away from now."""
    fake = _FakeDatetimeModule(offset)
    modules = [botocore.auth, botocore.signers]
    try:  # with awscrt installed (Debian's awscli pulls it in) botocore signs through CRT
        modules.append(importlib.import_module("botocore.crt.auth"))
    except ImportError:
        pass
    with contextlib.ExitStack() as stack:
        for module in modules:
            stack.enter_context(mock.patch.object(module, "datetime", fake))
        yield


def sign_headers(
    method, url, headers, body, access_key, secret_key, payload_hash=None, clock_offset=None
):
    """Returns the headers (with Authorization, X-Amz-Date, X-Amz-Content-SHA256) that
    botocore's SigV4 signer adds for this request."""
    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    credentials = Credentials(access_key, secret_key)
    if payload_hash is None:
        signer = botocore.auth.S3SigV4Auth(credentials, "s3", REGION)
    else:
        signer = _FixedPayloadSigner(credentials, payload_hash)
    with signing_clock(clock_offset or _datetime.timedelta(0)):
        signer.add_auth(request)
    return {name: value for name, value in request.headers.items()}


def send(port, method, target, headers, body=b"", timeout=120):
    """Sends exactly these headers (plus nothing else) and returns the Response."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        names = {name.lower() for name in headers}
        for name, value in headers.items():
            conn.putheader(name, value)
        if "host" not in names:
            conn.putheader("Host", f"127.0.0.1:{port}")
        if body is not None and "content-length" not in names and (
            body or method in ("PUT", "POST")
        ):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body if body else None)
        response = conn.getresponse()
        data = response.read()
        return Response(
            response.status, response.reason, response.headers, data, response.getheaders()
        )
    finally:
        conn.close()


class RawClient:
    """Signed (or anonymous) requests with full control over the bytes on the wire."""

    def __init__(self, port, access_key=None, secret_key=None):
        self.port = port
        self.access_key = access_key
        self.secret_key = secret_key

    def request(
        self,
        method,
        bucket=None,
        key=None,
        query=(),
        headers=None,
        body=b"",
        anonymous=False,
        payload_hash=None,
        clock_offset=None,
        host=None,
        path=None,
        secret_key=None,
        access_key=None,
    ):
        target = path if path is not None else object_path(bucket, key)
        query_string = encode_query(query)
        if query_string:
            target += "?" + query_string
        host = host or f"127.0.0.1:{self.port}"
        headers = dict(headers or {})
        if not anonymous:
            headers = sign_headers(
                method,
                f"http://{host}{target}",
                headers,
                body,
                access_key or self.access_key,
                secret_key or self.secret_key,
                payload_hash=payload_hash,
                clock_offset=clock_offset,
            )
        headers["Host"] = host
        return send(self.port, method, target, headers, body)


def fetch(url, method="GET", headers=None, body=b""):
    """A plain (unsigned) HTTP request to a full URL on 127.0.0.1, e.g. a presigned one."""
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "127.0.0.1", url
    target = parts.path + ("?" + parts.query if parts.query else "")
    headers = dict(headers or {})
    headers.setdefault("Host", parts.netloc)
    return send(parts.port, method, target, headers, body)


def xml_items(root, path):
    return root.findall(path, NS)


def xml_text(root, path):
    return root.findtext(path, namespaces=NS)


# --------------------------------------------------------------------------------------------
# aws-chunked bodies (SigV4 streaming)
# --------------------------------------------------------------------------------------------


def _hmac(key, message):
    if isinstance(message, str):
        message = message.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def signing_key(secret_key, date):
    key = _hmac(("AWS4" + secret_key).encode(), date)
    key = _hmac(key, REGION)
    key = _hmac(key, "s3")
    return _hmac(key, "aws4_request")


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def seed_signature(authorization):
    return authorization.rsplit("Signature=", 1)[1].strip()


def chunk_signature(secret_key, timestamp, previous, data):
    scope = f"{timestamp[:8]}/{REGION}/s3/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256-PAYLOAD",
            timestamp,
            scope,
            previous,
            EMPTY_SHA256,
            hashlib.sha256(data).hexdigest(),
        ]
    )
    return hmac.new(
        signing_key(secret_key, timestamp[:8]), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()


def trailer_signature(secret_key, timestamp, previous, trailer_text):
    scope = f"{timestamp[:8]}/{REGION}/s3/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256-TRAILER",
            timestamp,
            scope,
            previous,
            hashlib.sha256(trailer_text.encode()).hexdigest(),
        ]
    )
    return hmac.new(
        signing_key(secret_key, timestamp[:8]), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()

