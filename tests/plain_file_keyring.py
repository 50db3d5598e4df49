"""A keyring backend that keeps passwords in a plain JSON file — what keyrings.alt's
PlaintextKeyring does — for tests of the app's refusal to use such a backend unasked.

It is a real :class:`keyring.backend.KeyringBackend` (viable, priority 1), so keyring's own
detection picks it when it is installed as an entry point (see ``install_as_entry_point``).
The file is ``$PLAIN_FILE_KEYRING`` (default ``plain-keyring.json`` in the working directory).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

ENV_FILE = "PLAIN_FILE_KEYRING"


class PlainFileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path or Path(os.environ.get(ENV_FILE, "plain-keyring.json"))

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self.path.write_text(json.dumps(data), encoding="utf-8")


def install_as_entry_point(site: Path) -> Path:
    """Make ``site`` a directory that, on ``PYTHONPATH``, installs this backend the way a pip
    package does (a ``keyring.backends`` entry point), so keyring's detection finds it."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "plain_file_keyring.py").write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
    dist = site / "plain_file_keyring-1.0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plain-file-keyring\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[keyring.backends]\nplainfile = plain_file_keyring\n")
    return site
