"""The common part of every venue simulator: lifecycle, clock, request log, faults, IP limit.

A venue's simulator subclasses :class:`SimulatorServer` and implements :meth:`dispatch` (route,
authenticate, answer) and :meth:`fault_reply` (how that venue's errors look).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

from .faults import Fault, FaultPlan
from .httpd import HOST, Handler, Reply, SimServer
from .limits import RollingCounter


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    path: str
    query: dict[str, str]
    api_key: str
    ret_code: int  # the venue's error code; -1 when the response carried no envelope
    http_status: int  # 0 when the connection was dropped without a response
    t_ms: int  # server clock when the request arrived
    method: str = "GET"


class SimulatorServer:
    """A local venue server. ``start()`` returns ``http://127.0.0.1:<port>``.

    ``ip_limit``: (requests, seconds) per client address over every path; a breach answers
    :meth:`ip_refusal` and, with ``ip_ban_seconds``, keeps refusing that long.
    """

    name = "simulator"
    api_key_header = ""  # the header that names the key, for the request log

    def __init__(
        self,
        *,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        clock_offset_ms: int = 0,
        ip_limit: tuple[int, float] | None = None,
        ip_ban_seconds: float = 0.0,
        port: int = 0,
    ) -> None:
        self.latency_ms = latency_ms
        self.clock_offset_ms = clock_offset_ms
        # The real clock (ns); tests may replace it to pin the server time exactly.
        self.clock_ns: Callable[[], int] = time.time_ns
        self.ip_limit = ip_limit
        self.ip_ban_seconds = ip_ban_seconds
        self._faults = faults
        self._port = port
        self._lock = threading.Lock()
        self._log: list[RequestLogEntry] = []
        self._ip_limits = RollingCounter()
        self._arrival = threading.local()
        self._banned_until: dict[str, float] = {}
        self._server: SimServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        server = SimServer((HOST, self._port), Handler)
        server.app = self.handle
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def base_url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    # -- state --------------------------------------------------------------------------------
    @property
    def faults(self) -> FaultPlan | None:
        return self._faults

    @faults.setter
    def faults(self, plan: FaultPlan | None) -> None:
        self._faults = plan

    @property
    def request_log(self) -> list[RequestLogEntry]:
        with self._lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    def server_time_ms(self) -> int:
        return self.clock_ns() // 1_000_000 + self.clock_offset_ms

    # -- request handling ---------------------------------------------------------------------
    def gateway_time(self) -> float:
        """When the request this thread handles reached the venue (``time.monotonic()``): on
        arrival, plus the way in (half the simulated latency). Rate limits count it then, as an
        exchange's gateway does, however long this process's own threads take to get to it."""
        arrived = getattr(self._arrival, "monotonic", None)
        return time.monotonic() if arrived is None else float(arrived) + self.latency_ms / 2000

    def handle(self, req: BaseHTTPRequestHandler, method: str) -> Reply:
        self._arrival.monotonic = time.monotonic()
        arrived_ms = self.server_time_ms()
        path, _, raw_query = req.path.partition("?")
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        api_key = (req.headers.get(self.api_key_header, "") or "") if self.api_key_header else ""
        reply = self._handle(req, method, path, raw_query)
        with self._lock:
            self._log.append(
                RequestLogEntry(path, query, api_key, reply.ret_code, reply.status, arrived_ms, method)
            )
        return reply

    def _handle(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        if self.latency_ms > 0:
            time.sleep(self.latency_ms / 1000)
        ip = req.client_address[0]
        if self._ip_rejected(ip):
            return self.ip_refusal()
        return self.dispatch(req, method, path, raw_query)

    def pick_fault(self, path: str, private: bool) -> Fault | None:
        """The fault that hits this request (after sleeping its latency), or None."""
        plan = self._faults
        fault = plan.pick(path, private) if plan is not None else None
        if fault is not None and fault.latency_ms > 0:
            time.sleep(fault.latency_ms / 1000)
        if fault is not None and fault.kind == "latency":
            return None
        return fault

    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        raise NotImplementedError

    def ip_refusal(self) -> Reply:
        """What the venue answers an address over its IP limit (default: HTTP 429)."""
        reply = Reply(429, b"Too Many Requests", "text/plain; charset=utf-8", -1)
        reply.close = True
        return reply

    def _ip_rejected(self, ip: str) -> bool:
        if self.ip_limit is None:
            return False
        now = self.gateway_time()
        with self._lock:
            if self._banned_until.get(ip, 0.0) > now:
                return True
            limit, window = self.ip_limit
            allowed, _, _ = self._ip_limits.check(ip, limit, window, now, True)
            if not allowed:
                if self.ip_ban_seconds > 0:
                    self._banned_until[ip] = now + self.ip_ban_seconds
                return True
        return False

    # -- generic fault replies ------------------------------------------------------------------
    @staticmethod
    def transport_fault(fault: Fault) -> Reply | None:
        """The reply of a fault every venue answers alike (a dropped connection, an HTTP error
        page, a truncated JSON body); None for the venue-specific kinds."""
        kind = fault.kind
        if kind == "drop":
            reply = Reply(0, b"", "", -1)
            reply.drop = True
            return reply
        if kind.startswith("http_"):
            status = int(kind[5:])
            text = {
                500: "Internal Server Error",
                502: "Bad Gateway",
                503: "Service Unavailable",
                429: "Too Many Requests",
            }[status]
            title = f"{status} {text}"
            html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
            return Reply(status, html.encode(), "text/html", -1)
        if kind == "malformed_json":
            return Reply(200, b'{"data":[{"id":1,"price":12', "application/json; charset=utf-8", -1)
        return None


def read_body(req: BaseHTTPRequestHandler) -> bytes:
    """The request body the handler kept (empty for GET)."""
    body: Any = getattr(req, "request_body", b"")
    return body if isinstance(body, bytes) else b""
