"""The HTTP layer sends what the connector built and nothing from the user's ~/.netrc; it honours
the user's proxy (never for this computer), does not follow redirects and checks certificates."""

from __future__ import annotations

import base64
import contextlib
import http.server
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.sync.http import HttpClient, PreparedRequest

_SERVERS: list[http.server.ThreadingHTTPServer] = []


@contextlib.contextmanager
def serving(answer: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A server on 127.0.0.1 whose every GET ``answer`` handles; yields its address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    _SERVERS.append(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answer_json(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "2")
    handler.end_headers()
    handler.wfile.write(b"{}")


@pytest.fixture
def header_echo() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        seen.append(dict(handler.headers.items()))
        answer_json(handler)

    with serving(answer) as url:
        yield url, seen


def test_a_netrc_entry_for_the_host_is_not_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header_echo: tuple[str, list[dict[str, str]]]
) -> None:
    url, seen = header_echo
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password NETRC-PASSWORD-1\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    client = HttpClient(exchange="Test")
    try:
        request = PreparedRequest("GET", f"{url}/v1/x", {"X-Sign": "abc"})
        response = client.send(lambda: request, lambda: False)
    finally:
        client.close()
    assert response.status == 200
    (headers,) = seen
    assert headers.get("X-Sign") == "abc"
    assert "Authorization" not in headers


@pytest.fixture
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """An HTTP proxy on this computer that answers every request itself and records the request
    line (a proxy sees the absolute URL)."""
    lines: list[str] = []

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        lines.append(f"{handler.requestline} | {handler.headers.get('Proxy-Authorization', '')}")
        answer_json(handler)

    with serving(answer) as url:
        yield url, lines


def test_the_users_proxy_is_used_but_never_for_this_computer(
    monkeypatch: pytest.MonkeyPatch,
    recording_proxy: tuple[str, list[str]],
    header_echo: tuple[str, list[dict[str, str]]],
) -> None:
    proxy, lines = recording_proxy
    local, seen = header_echo
    for name in ("http_proxy", "HTTP_PROXY"):  # with a user and password, and no scheme
        monkeypatch.setenv(name, proxy.replace("http://", "me:p%40ss@"))
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "bypassed.example")
    client = HttpClient(exchange="Test")
    try:
        far = client.send(lambda: PreparedRequest("GET", "http://api.example/v1/x?a=1", {}), lambda: False)
        near = client.send(lambda: PreparedRequest("GET", f"{local}/v1/y", {}), lambda: False)
    finally:
        client.close()
    assert far.status == near.status == 200
    credentials = base64.b64encode(b"me:p@ss").decode()
    assert lines == [f"GET http://api.example/v1/x?a=1 HTTP/1.1 | Basic {credentials}"]
    assert len(seen) == 1  # the simulator on this computer was reached directly
    assert "Proxy-Authorization" not in seen[0]


def test_a_redirect_is_answered_not_followed(header_echo: tuple[str, list[dict[str, str]]]) -> None:
    """An API does not redirect; following one would send the signed headers elsewhere."""
    url, seen = header_echo

    def redirect(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"{url}/elsewhere")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    client = HttpClient(exchange="Test")
    with serving(redirect) as moved:
        try:
            request = PreparedRequest("GET", f"{moved}/v1/x", {"X-Sign": "abc"})
            response = client.send(lambda: request, lambda: False)
        finally:
            client.close()
    assert response.status == 302
    assert seen == []


def test_a_server_whose_certificate_is_not_trusted_is_refused() -> None:
    """Certificates are checked against the trusted roots: a self-signed one for 127.0.0.1 (made
    for this test only, ``data/untrusted-localhost.pem``) fails the connection, nothing is read."""
    answered: list[str] = []

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        answered.append(handler.path)
        answer_json(handler)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(Path(__file__).parent / "data" / "untrusted-localhost.pem")
    with serving(answer) as url:
        port = url.rsplit(":", 1)[1]
        server_url = f"https://127.0.0.1:{port}/v5/x?a=1"
        # The server of ``serving`` speaks TLS from here on (its socket wrapped in place).
        server = _SERVERS[-1]
        server.socket = context.wrap_socket(server.socket, server_side=True)
        client = HttpClient(exchange="Test")
        with pytest.raises(SyncFailure) as failed:
            client.send(lambda: PreparedRequest("GET", server_url, {}), lambda: False, attempts=1)
    assert failed.value.kind is FailureKind.NETWORK
    assert answered == []
