"""The HTTP plumbing of the simulator: a loopback-only threading server and its handler.

The handler turns every request, whatever its method, into one call of the server's ``app``
(the simulator) and writes back the :class:`Reply` it gets, or drops the connection.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


class Reply:
    """What to send back for one request."""

    def __init__(self, status: int, body: bytes, content_type: str, ret_code: int) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.ret_code = ret_code
        self.headers: dict[str, str] = {}
        self.close = False
        self.drop = False


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    app: Callable[[BaseHTTPRequestHandler, str], Reply]

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_connections(self) -> None:
        """Cut kept-alive client connections so that a stopped server really stops answering."""
        with self.connections_lock:
            live = list(self.connections)
        for conn in live:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (a reverse DNS lookup); not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = int(self.server_address[1])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    request_body = b""
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def version_string(self) -> str:
        return "openresty"

    def setup(self) -> None:
        super().setup()
        assert isinstance(self.server, SimServer)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        assert isinstance(self.server, SimServer)
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def _run(self, method: str) -> None:
        assert isinstance(self.server, SimServer)
        reply = self.server.app(self, method)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(reply.body)

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.request_body = b""
        self._run("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._discard_body()
        self._run("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._discard_body()
        self._run("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._discard_body()
        self._run("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._discard_body()
        self._run("PATCH")

    def do_HEAD(self) -> None:  # noqa: N802
        self._run("HEAD")

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._run("OPTIONS")

    def _discard_body(self) -> None:
        """Read the body (so the connection can be reused) and keep it as ``request_body``."""
        length = self.headers.get("Content-Length")
        self.request_body = self.rfile.read(int(length)) if length and length.isdigit() else b""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr logging
        return
