"""The store's schema, created and brought up to date by the Alembic migrations in ``migrations/``.

``upgrade(engine)`` runs at every ``Store.connect``: nothing when the database is at the newest revision,
otherwise the revisions it has not had, in one transaction (on PostgreSQL under an advisory lock, so
replicas starting together migrate once). The first revision is the schema as it was before Alembic,
made so that a database created then (with its own ``schema_version`` table, versions 1 to 3) is
brought to it as well as an empty one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x617773736563
"""The PostgreSQL advisory lock taken while migrating ("awssec")."""

logger = logging.getLogger("awssec.store")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's migrations (on ``connection`` when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the schema."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "bot/store/migrations has no revisions"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision of the database on ``connection`` (None: not under Alembic yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (creating the schema in an empty one)."""
    head = head_revision()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        current = current_revision(conn)
        if current == head:
            return
        logger.info("bringing the store's schema from revision %s to %s", current or "(none)", head)
        command.upgrade(alembic_config(conn), "head")
