"""Open the SQLite database (WAL, foreign keys, busy timeout) and migrate it to the current schema."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_REVISION_LINE = re.compile(r'^revision(?::\s*str)?\s*=\s*"([^"]+)"', re.MULTILINE)
_DOWN_REVISION_LINE = re.compile(r'^down_revision(?:[^=]*)=\s*(?:"([^"]+)"|None)', re.MULTILINE)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_engine(database: Path | str) -> Engine:
    """An engine on ``database`` (a file path, or ":memory:" for throwaway use)."""
    url = "sqlite://" if str(database) == ":memory:" else f"sqlite:///{Path(database)}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    event.listen(engine, "connect", _on_connect)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def newest_revision() -> str:
    """The head revision, read from the migration files' ``revision`` lines (no Alembic import).

    Alembic itself costs a tenth of a second to import; a start-up on a current database
    only needs to know that nothing is left to run.
    """
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION_LINE.search(source)
        down = _DOWN_REVISION_LINE.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"migration {script.name} has no revision/down_revision line")
        revisions[revision.group(1)] = down.group(1)
    parents = {down for down in revisions.values() if down is not None}
    heads = [revision for revision in revisions if revision not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"migrations must form one line, found heads {sorted(heads)}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a new database."""
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (run at every start-up; cheap when current)."""
    if current_revision(engine) == newest_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
