"""``python -m cryptact_desktop.cli``: the command line without the window."""

from __future__ import annotations

from cryptact_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
