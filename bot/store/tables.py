"""Every table of the store, in one MetaData (the schema is created and changed by ``migrations/``).

- ``handled_events``: Slack deliveries claimed before answering (one answer per message).
- ``answers`` and ``feedback``: answers as they were shown, for their buttons, and the 👍 / 👎 on them.
- ``quiz_cards``: each learner's FSRS card per question.
- ``quiz_practice``: a practice question shown to someone; its first click is the answer.
- ``quiz_answers``: every graded answer (practice and daily), for scores, streaks, the leaderboard and
  stats. A daily quiz's answers carry its id, and ``(daily_id, user_id)`` is unique: one answer each.
- ``daily_posts``: one row per channel and day, unique on ``(channel_id, day)``: the right to post.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

handled_events = Table(
    "handled_events",
    metadata,
    Column("event_key", String(255), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # when the current claim was made: the first delivery, or a redelivery that took it over
    Column("claimed_at", DateTime(timezone=True)),
    # when the event was answered; NULL while its claim is under way (or after its process died)
    Column("completed_at", DateTime(timezone=True)),
)

answers = Table(
    "answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("question", Text, nullable=False),
    Column("hits", Text, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("vote", SmallInteger, nullable=False),
    Column("question", Text, nullable=False),
    Column("hits", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("answer_id", "user_id", name="uq_feedback_answer_user"),
)

quiz_cards = Table(
    "quiz_cards",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("question_id", String(32), primary_key=True),
    Column("due", DateTime(timezone=True), nullable=False),
    Column("state", Integer, nullable=False),
    Column("step", Integer),
    Column("stability", Float),
    Column("difficulty", Float),
    Column("last_review", DateTime(timezone=True)),
    Column("reviews", Integer, nullable=False, default=0),
    Column("lapses", Integer, nullable=False, default=0),
)

quiz_practice = Table(
    "quiz_practice",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("shown_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("choice", Integer),
)

quiz_answers = Table(
    "quiz_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("points", Integer, nullable=False),
    Column("topic", String(500), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("daily_id", String(32)),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("daily_id", "user_id", name="uq_quiz_answers_daily_user"),
    Index("ix_quiz_answers_user", "user_id"),
    Index("ix_quiz_answers_answered_at", "answered_at"),
)

daily_posts = Table(
    "daily_posts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("channel_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", DateTime(timezone=True)),
    Column("last_error", String(500)),
    Column("message_ts", String(32)),
    Column("posted_at", DateTime(timezone=True)),
    Column("reveal_due_at", DateTime(timezone=True)),
    Column("reveal_claimed_by", String(64)),
    Column("reveal_claimed_at", DateTime(timezone=True)),
    Column("revealed_at", DateTime(timezone=True)),
    UniqueConstraint("channel_id", "day", name="uq_daily_posts_channel_day"),
)
