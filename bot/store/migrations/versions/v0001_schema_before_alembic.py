"""The schema as it was before Alembic (the old routine's versions 1 to 3): handled events with their
claim lease, answers and feedback, quiz cards, practice questions, quiz answers and daily posts.

A database made before Alembic has some or all of it already, and a ``schema_version`` table: what is
missing is created, an event table from before the lease gets its two columns (the claims it holds
count as answered), and ``schema_version`` is dropped, Alembic's ``alembic_version`` taking its place.
The tables are written out here as they were, not taken from ``bot.store.tables``, so that later changes
to the tables come as revisions of their own.

Revision ID: 0001
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _handled_events() -> None:
    op.create_table(
        "handled_events",
        sa.Column("event_key", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
    )


def _answers() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("hits", sa.Text, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def _feedback() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("vote", sa.SmallInteger, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("hits", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("answer_id", "user_id", name="uq_feedback_answer_user"),
    )


def _quiz_cards() -> None:
    op.create_table(
        "quiz_cards",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("question_id", sa.String(32), primary_key=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer),
        sa.Column("stability", sa.Float),
        sa.Column("difficulty", sa.Float),
        sa.Column("last_review", sa.DateTime(timezone=True)),
        sa.Column("reviews", sa.Integer, nullable=False),
        sa.Column("lapses", sa.Integer, nullable=False),
    )


def _quiz_practice() -> None:
    op.create_table(
        "quiz_practice",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("choice", sa.Integer),
    )


def _quiz_answers() -> None:
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("topic", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("daily_id", sa.String(32)),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("daily_id", "user_id", name="uq_quiz_answers_daily_user"),
    )
    op.create_index("ix_quiz_answers_user", "quiz_answers", ["user_id"])
    op.create_index("ix_quiz_answers_answered_at", "quiz_answers", ["answered_at"])


def _daily_posts() -> None:
    op.create_table(
        "daily_posts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(500)),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("posted_at", sa.DateTime(timezone=True)),
        sa.Column("reveal_due_at", sa.DateTime(timezone=True)),
        sa.Column("reveal_claimed_by", sa.String(64)),
        sa.Column("reveal_claimed_at", sa.DateTime(timezone=True)),
        sa.Column("revealed_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("channel_id", "day", name="uq_daily_posts_channel_day"),
    )


TABLES: dict[str, Callable[[], None]] = {
    "handled_events": _handled_events,
    "answers": _answers,
    "feedback": _feedback,
    "quiz_cards": _quiz_cards,
    "quiz_practice": _quiz_practice,
    "quiz_answers": _quiz_answers,
    "daily_posts": _daily_posts,
}


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES.items():
        if name not in existing:
            create()
    if "handled_events" in existing:
        _lease_event_claims()
    if "schema_version" in existing:
        op.drop_table("schema_version")


def _lease_event_claims() -> None:
    """The old routine's version 3: an event claim has the time it was made and, once answered, when."""
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("handled_events")}
    missing = [name for name in ("claimed_at", "completed_at") if name not in present]
    for name in missing:
        op.add_column("handled_events", sa.Column(name, sa.DateTime(timezone=True)))
    if missing:
        # events claimed before the lease were answered then (or never will be): completed
        events = sa.table(
            "handled_events",
            sa.column("received_at", sa.DateTime(timezone=True)),
            sa.column("claimed_at", sa.DateTime(timezone=True)),
            sa.column("completed_at", sa.DateTime(timezone=True)),
        )
        op.execute(
            events.update()
            .where(events.c.claimed_at.is_(None))
            .values(claimed_at=events.c.received_at, completed_at=events.c.received_at)
        )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
