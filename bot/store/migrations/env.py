"""Alembic's entry point: runs the migrations on the connection ``bot.store.schema`` hands it."""

from __future__ import annotations

from alembic import context

from bot.store.tables import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
