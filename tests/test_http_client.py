"""The HTTP layer sends what the connector built and nothing from the user's ~/.netrc."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptact_desktop.sync.http import HttpClient, PreparedRequest


@pytest.fixture
def header_echo() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers.items()))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


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
