"""A custom API address that is not the exchange's API is said to be the wrong address — not
blamed on "a problem in the app"."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptact_desktop import cli
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account

API_KEY = "WRONGURLKEY01"
SECRET = "WRONG-URL-SECRET-00000000001"
UID = 4545


@pytest.fixture(scope="module")
def web_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An ordinary web server on loopback: HTML pages, 404 for anything else."""
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text("<html><body>Hello</body></html>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def redirecting_site(web_page: str) -> Iterator[str]:
    """A web site that sends every request elsewhere (the app does not follow: an API does not
    redirect, and the signed headers would go along)."""

    class Moved(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(301)
            self.send_header("Location", f"{web_page}/index.html")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=5, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=50,
        ip_limit=(30_000, 5.0),
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


def run(data: Path, secrets: SecretStore, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--data-dir", str(data), *args],
        secrets=secrets,
        stdin=io.StringIO(f"{API_KEY}\n{SECRET}\n"),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("where", ["a web page", "a site that redirects", "the simulator under a wrong path"])
def test_a_wrong_custom_address_is_called_wrong(
    tmp_path: Path, web_page: str, redirecting_site: str, sim_url: str, where: str
) -> None:
    url = {"a web page": web_page, "a site that redirects": redirecting_site}.get(where, f"{sim_url}/api")
    secrets = SecretStore(MemoryKeyring())
    add = ("keys", "add", "--exchange", "bybit", "--label", "Main", "--host", "custom", "--base-url", url)
    code, out, err = run(tmp_path, secrets, *add)
    assert code == 3, out + err
    assert "problem in the app" not in err and "does not understand" not in err
    assert "does not answer at the key's API address" in err and "Edit key" in err
    # Saved without asking the exchange: the sync says the same for every endpoint.
    assert run(tmp_path, secrets, *add, "--no-verify", "--endpoints", "spot,deposits")[0] == 0
    code, out, err = run(tmp_path, secrets, "sync", "--quiet")
    assert code == 3
    assert out.count("does not answer at the key's API address") == 2, out
    assert "problem in the app" not in out
