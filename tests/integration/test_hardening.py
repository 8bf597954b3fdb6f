"""Hostile clients (issue 11): request smuggling through ambiguous framing, slow clients,
and one address holding too many connections. Raw sockets against the real binary; the
deadlines are shortened through the config file, and waits poll with a deadline."""

import re
import selectors
import socket
import time

import pytest

STATUS_LINE = re.compile(rb"HTTP/1\.1 \d\d\d ")
SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def read_until_close(sock, limit=10.0):
    """Everything the server sends until it closes (or `limit` seconds pass: then None)."""
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        return data
    except socket.timeout:
        return None
    return data


def status_of(reply):
    return int(reply.split(b" ", 2)[1])


def header_of(reply, name):
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in head.split("\r\n")[1:]:
        field, _, value = line.partition(":")
        if field.strip().lower() == name.lower():
            return value.strip()
    return None


def connect(port, source="127.0.0.1"):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


# --------------------------------------------------------------------------------------------
# Request smuggling: one 400, Connection: close, EOF; the hidden request never answered
# --------------------------------------------------------------------------------------------

AMBIGUOUS = {
    # The exact requests of the issue.
    "te-gzip": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    "te-gzip-cl0": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n"
                   b"Content-Length: 0\r\n\r\n",
    "te-chunked-identity": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Transfer-Encoding: chunked, identity\r\n\r\n",
    "te-chunked-identity-cl0": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Transfer-Encoding: chunked, identity\r\nContent-Length: 0\r\n\r\n",
    # The other framing ambiguities.
    "obs-fold": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\n"
                b"Content-Length: 0\r\n\r\n",
    "folded-te": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding:\r\n chunked\r\n"
                 b"Content-Length: 0\r\n\r\n",
    "cl-list": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5, 5\r\n\r\nhello",
    "cl-twice": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                b"Content-Length: 5\r\n\r\nhello",
    "cl-not-a-number": b"POST /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
    "no-host": b"GET /probe HTTP/1.1\r\n\r\n",
    "two-hosts": b"GET /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: example.com\r\n\r\n",
    "te-in-http10": b"POST /probe HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
}


@pytest.mark.parametrize("request_bytes", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_ambiguous_framing_is_refused_and_closed(raw, request_bytes):
    with socket.create_connection(("127.0.0.1", raw.port), timeout=10) as sock:
        sock.sendall(request_bytes + SMUGGLED)
        reply = read_until_close(sock)
    assert reply is not None, "the server kept the connection open"
    # Exactly one response, and it is the refusal: the smuggled GET was never read.
    assert len(STATUS_LINE.findall(reply)) == 1, reply
    assert status_of(reply) == 400, reply
    assert header_of(reply, "Connection") == "close", reply
    assert b"<Code>BadRequest</Code>" in reply, reply


def test_well_framed_requests_still_pipeline(raw):
    health = b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    chunked = (b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    last = b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", raw.port), timeout=10) as sock:
        sock.sendall(health + chunked + last)
        reply = read_until_close(sock)
    assert reply is not None
    assert STATUS_LINE.findall(reply) == [b"HTTP/1.1 200 "] * 3, reply


# --------------------------------------------------------------------------------------------
# Slow clients and the per-address cap, on a server with short deadlines
# --------------------------------------------------------------------------------------------


@pytest.fixture
def strict_server(server_factory, tmp_path):
    config = tmp_path / "strict.toml"
    config.write_text(
        "[server]\n"
        "idle_timeout_seconds = 30\n"
        "header_timeout_seconds = 1\n"
        "read_timeout_seconds = 1\n"
        "write_timeout_seconds = 30\n"
        "max_connections_per_address = 8\n"
    )
    return server_factory(name="strict", extra_args=["--config", str(config)])


def trickle(sock, data, interval=0.1, limit=10.0):
    """Sends `data` a byte per `interval` until the server closes; returns the seconds from
    the first byte to the close, or None if it never closed within `limit`."""
    start = time.monotonic()
    sock.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    try:
        for byte in data:
            if time.monotonic() - start > limit:
                return None
            try:
                sock.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - start
            if selector.select(timeout=interval):
                try:
                    if sock.recv(65536) == b"":
                        return time.monotonic() - start
                except ConnectionResetError:
                    return time.monotonic() - start
        return None
    finally:
        selector.close()


def test_trickled_header_is_cut_after_header_timeout(strict_server):
    with connect(strict_server.port) as sock:
        header = b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 300
        elapsed = trickle(sock, header)
    assert elapsed is not None, "a trickled header was never cut off"
    # header_timeout (1 s), not idle_timeout or read_timeout.
    assert 0.8 <= elapsed < 5, elapsed


def test_idle_wait_is_not_the_header_deadline(strict_server):
    with connect(strict_server.port) as sock:
        # Quiet for longer than header_timeout: only idle_timeout runs before the first byte.
        selector = selectors.DefaultSelector()
        selector.register(sock, selectors.EVENT_READ)
        assert selector.select(timeout=2.0) == []
        selector.close()
        sock.sendall(b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Connection: close\r\n\r\n")
        reply = read_until_close(sock)
    assert reply is not None and status_of(reply) == 200, reply


def test_trickled_body_is_cut_after_read_timeout(strict_server):
    with connect(strict_server.port) as sock:
        sock.sendall(b"PUT /some-bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        elapsed = trickle(sock, b"b" * 1000)
    assert elapsed is not None, "a trickled body was never cut off"
    assert elapsed < 5, elapsed


def server_output(instance):
    return "\n".join(instance.stdout_lines) + instance.log_path.read_text(errors="replace")


def test_connections_over_the_per_address_cap_are_refused(strict_server):
    port = strict_server.port
    health = b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    held = []
    try:
        for _ in range(8):
            sock = connect(port)
            sock.sendall(health)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            held.append(sock)
        for _ in range(5):
            with connect(port) as over:
                reply = read_until_close(over)
            assert reply is not None and status_of(reply) == 503, reply
            assert b"<Code>SlowDown</Code>" in reply, reply
            assert header_of(reply, "Connection") == "close"
        # Another client address is served while 127.0.0.1 is at its cap.
        with connect(port, source="127.0.0.2") as other:
            other.sendall(b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Connection: close\r\n\r\n")
            reply = read_until_close(other)
        assert reply is not None and status_of(reply) == 200, reply
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 10
    while "refused" not in server_output(strict_server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "127.0.0.1 refused" in server_output(strict_server)


def test_500_idle_connections_do_not_starve_other_clients(fresh_server):
    """With the default cap (256 per address), 500 idle connections from one address: the
    first 256 are held, the other 244 are refused at once, and another address is served."""
    port = fresh_server.port
    idle = []
    selector = selectors.DefaultSelector()
    try:
        for _ in range(500):
            sock = connect(port)
            idle.append(sock)
            selector.register(sock, selectors.EVENT_READ)
        refused = set()
        deadline = time.monotonic() + 20
        while len(refused) < 244 and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                if key.fileobj not in refused:
                    refused.add(key.fileobj)
                    selector.unregister(key.fileobj)
        assert len(refused) == 244
        for sock in refused:
            reply = read_until_close(sock)
            assert reply is not None and status_of(reply) == 503, reply
        with connect(port, source="127.0.0.2") as other:
            other.sendall(b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Connection: close\r\n\r\n")
            reply = read_until_close(other)
        assert reply is not None and status_of(reply) == 200, reply
        # The held ones are still open and usable.
        held = [sock for sock in idle if sock not in refused]
        held[0].sendall(b"GET /_cloudvault/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert held[0].recv(65536).startswith(b"HTTP/1.1 200 ")
    finally:
        selector.close()
        for sock in idle:
            sock.close()
