"""Schema migrations with Alembic, bundled in the package: back up, then upgrade to head."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from .backup import backup_file
from .errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(path: Path, revision: str | None) -> None:
    """Bring the file at `path` from `revision` (None: empty) to head, backing it up first."""
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            f"{path} was made by a newer shopkeeper (schema {revision}); install the newer version to open it"
        )
    if revision is not None:
        backup_file(path, path.with_name(f"{path.stem}.before-{head_revision()}-from-{revision}{path.suffix}"))
    from .db import make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            upgrade_connection(conn)
    finally:
        engine.dispose()


def upgrade_connection(conn) -> None:  # noqa: ANN001
    """Run the migrations to head on an open connection, inside its transaction (both engines)."""
    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
