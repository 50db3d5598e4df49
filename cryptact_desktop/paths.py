"""Where the app keeps its files: resolved once, overridable by ``--data-dir`` or an env var.

Precedence: the ``--data-dir`` value, then ``$CRYPTACT_DESKTOP_DATA_DIR``, then the platform's
per-user data directory. Tests always pass a temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "CRYPTACT_DESKTOP_DATA_DIR"
APP_NAME = "Cryptact Desktop"

_PRIVATE_DIR_MODE = 0o700  # ignored by Windows; the umask can only narrow it further


def _make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if missing; a new leaf directory is readable only by the user.

    Existing directories keep their permissions: a user-chosen ``--data-dir`` is theirs.
    """
    path.mkdir(mode=_PRIVATE_DIR_MODE, parents=True, exist_ok=True)


def chosen_data_dir(
    cli_value: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The absolute data directory the arguments and environment choose (nothing is created)."""
    env = os.environ if environ is None else environ
    chosen: str | os.PathLike[str]
    if cli_value is not None and os.fspath(cli_value) != "":
        chosen = cli_value
    elif env.get(ENV_DATA_DIR):
        chosen = env[ENV_DATA_DIR]
    else:
        chosen = platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False)
    return Path(chosen).expanduser().absolute()


def resolve_data_dir(
    cli_value: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Return the absolute data directory, creating it if needed (``OSError`` if it cannot be)."""
    path = chosen_data_dir(cli_value, environ)
    _make_private_dir(path)
    return path


@dataclass(frozen=True)
class DataPaths:
    """Every file location below one data directory. Properties never touch the disk."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "cryptact.db"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "cryptact-desktop.log"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> DataPaths:
        """Create the root and log directories (private to the user where the OS allows)."""
        _make_private_dir(self.root)
        _make_private_dir(self.log_dir)
        return self
