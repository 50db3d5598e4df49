"""Storage faults made real for a child process of the command line.

* read-only database, unwritable data folder: file modes (as root, the child runs without the
  capabilities that let root ignore them: ``setpriv --bounding-set=-all``);
* damaged database: bytes overwritten in the middle of the file; emptied database: truncated to 0;
* full disk: the data folder on a small tmpfs, filled up, inside a private mount namespace
  (``unshare``) — a real ENOSPC from the kernel, not a simulated error. Where mount namespaces
  are not allowed the test that needs it is skipped, saying why.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

from cli_process import cli_command, cli_env

DB = "cryptact.db"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "(missing)"


def unprivileged_prefix() -> list[str]:
    """A command prefix under which file modes apply to the child even when we are root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return []
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--"]


def modes_apply() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def make_read_only(data: Path) -> None:
    (data / DB).chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def make_folder_unwritable(data: Path) -> None:
    data.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)


def damage(data: Path) -> None:
    path = data / DB
    raw = bytearray(path.read_bytes())
    page = 4096
    middle = (len(raw) // page // 2) * page  # a page inside the tables, not the header
    raw[middle : middle + 512] = b"\x55" * 512
    path.write_bytes(bytes(raw))


def empty(data: Path) -> None:
    (data / DB).write_bytes(b"")


def restore_modes(data: Path) -> None:
    data.chmod(0o700)
    if (data / DB).exists():
        (data / DB).chmod(0o600)


def mount_namespaces() -> list[str] | None:
    """The ``unshare`` prefix that gives a private mount namespace where tmpfs can be mounted,
    or None when this machine does not allow it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    prefix = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        prefix = [unshare, "--user", "--map-root-user", "--mount", "--propagation", "private"]
    probe = subprocess.run(
        [*prefix, "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d; rmdir $d"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    return prefix if probe.returncode == 0 else None


def run_on_full_disk(
    home: Path, data: Path, args: Sequence[str], *, free_bytes: int, after: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``data`` copied onto a tmpfs that has only ``free_bytes`` left; the data
    folder as the child left it is copied to ``after``."""
    prefix = mount_namespaces()
    assert prefix is not None
    mount = after.parent / "full-disk"
    mount.mkdir()
    after.mkdir()
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) + 8 * 1024 * 1024
    command = " ".join(f"'{part}'" for part in cli_command(mount, args))
    script = f"""
mount -t tmpfs -o size={size} tmpfs '{mount}' || exit 99
cp -a '{data}/.' '{mount}/'
avail=$(df -B1 --output=avail '{mount}' | tail -1)
fill=$((avail - {free_bytes}))
[ "$fill" -gt 0 ] && head -c "$fill" /dev/zero > '{mount}/.filler' 2>/dev/null
{command}
rc=$?
rm -f '{mount}/.filler'
cp -a '{mount}/.' '{after}/'
exit $rc
"""
    return subprocess.run(
        [*prefix, "sh", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home),
        cwd=home,
        timeout=300,
        check=False,
    )
