"""The store's schema: ``tables.py`` is the newest, the Alembic migrations in ``migrations/`` the way to it.

``upgrade(engine)`` runs at every ``Store.connect``, in one transaction (on PostgreSQL under an advisory
lock, so replicas starting together do it once): nothing when the database is at ``HEAD_REVISION``; in
an empty database, the tables created as declared and stamped ``HEAD_REVISION`` (Alembic's recipe for a
new database); otherwise the migrations it has not had. The first revision is the schema as it was
before Alembic, made so that a database created then (with its own ``schema_version`` table, versions 1
to 3) is brought to it. Only that last case loads Alembic, whose modules would cost a running bot about
10 MB. A new revision is a file in ``migrations/versions/``, a change to ``tables.py`` and a new
``HEAD_REVISION`` (tests/bot/store checks that they agree).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
)

from .tables import metadata

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0001"
"""The newest revision in ``migrations/versions/`` (tests/bot/store checks that it is)."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x617773736563
"""The PostgreSQL advisory lock taken while migrating ("awssec")."""
VERSION_TABLE = "alembic_version"

logger = logging.getLogger("awssec.store")
_version = Table(
    VERSION_TABLE,
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
)
"""Alembic's version table, as Alembic makes it."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's migrations (on ``connection`` when given)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision of the database on ``connection`` (None: not under Alembic yet)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(select(_version.c.version_num)).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (creating the schema in an empty one)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        current = current_revision(conn)
        if current == HEAD_REVISION:
            return
        if current is None and not _has_tables(conn):
            metadata.create_all(conn)
            _version.create(conn)
            conn.execute(insert(_version).values(version_num=HEAD_REVISION))
            return
        from alembic import command

        logger.info("bringing the store's schema from revision %s to %s", current or "(none)", HEAD_REVISION)
        command.upgrade(alembic_config(conn), "head")


def _has_tables(conn: Connection) -> bool:
    """Whether the database holds any of the store's tables, or the version table of before Alembic."""
    present = set(inspect(conn).get_table_names())
    return bool(present & {*metadata.tables, "schema_version"})
