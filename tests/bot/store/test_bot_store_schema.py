"""The store's schema under Alembic: a new database gets exactly the schema the tables declare, and a
database made before Alembic (its own ``schema_version`` table, versions 1 to 3) is brought to it with
its data, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import REPO

from bot.config.settings import normalize_database_url
from bot.store import ClaimOutcome, DailyAnswerOutcome, PostStatus, Store
from bot.store.quiz import question_to_json
from bot.store.schema import HEAD_REVISION, alembic_config
from bot.store.tables import (
    answers,
    daily_posts,
    feedback,
    handled_events,
    metadata,
    quiz_answers,
    quiz_cards,
    quiz_practice,
)
from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import grade, review

FIXTURES = REPO / "tests" / "fixtures" / "store"
QUESTION = QuizQuestion(
    "q1", "which", "Which service keeps keys?", ("KMS", "S3", "IAM"), 0, "kms.md", 3, 4, "KMS", "• keys"
)


def schema_differences(store: Store) -> list:
    """What Alembic's autogenerate finds between the database and ``bot.store.tables`` ([] when none)."""
    with store.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_the_head_revision_is_the_newest_migration() -> None:
    """A store at HEAD_REVISION is not migrated again: it must be the newest file in versions/."""
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_a_new_database_gets_exactly_the_schema_the_tables_declare(database_url: str) -> None:
    store = Store.connect(database_url)
    try:
        assert store.schema_revision() == HEAD_REVISION
        assert schema_differences(store) == []
    finally:
        store.close()


def make_database_before_alembic(database_url: str) -> None:
    """The database today's store made before Alembic: its DDL (tests/fixtures/store), the
    ``schema_version`` rows of versions 1, 2 (the quiz) and 3, and a row in every table."""
    engine = sa.create_engine(normalize_database_url(database_url))
    ddl = (FIXTURES / f"before_alembic.{engine.dialect.name}.sql").read_text()
    statements = [s for s in "\n".join(
        line for line in ddl.splitlines() if not line.startswith("--")
    ).split(";") if s.strip()]
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    versions = sa.table("schema_version", sa.column("version"), sa.column("applied_at"))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
        for version in (1, 2, 3):
            conn.execute(sa.insert(versions).values(version=version, applied_at=an_hour_ago))
        conn.execute(
            sa.insert(handled_events).values(
                event_key="message:C1:1.0", kind="message", received_at=an_hour_ago,
                claimed_at=an_hour_ago, completed_at=an_hour_ago,
            )
        )
        conn.execute(
            sa.insert(answers).values(
                id="a1", question="what is kms", hits="[]", user_id="U1", channel_id="C1",
                created_at=an_hour_ago,
            )
        )
        conn.execute(
            sa.insert(feedback).values(
                answer_id="a1", user_id="U2", vote=1, question="what is kms", hits="[]",
                created_at=an_hour_ago, updated_at=an_hour_ago,
            )
        )
        conn.execute(
            sa.insert(quiz_cards).values(
                user_id="U1", question_id="q1", due=an_hour_ago, state=2, step=None, stability=3.5,
                difficulty=5.0, last_review=an_hour_ago, reviews=1, lapses=0,
            )
        )
        conn.execute(
            sa.insert(quiz_practice).values(
                id="p1", user_id="U1", channel_id="C1", question_id="q1",
                question=question_to_json(QUESTION), shown_at=an_hour_ago,
            )
        )
        conn.execute(
            sa.insert(quiz_answers).values(
                user_id="U1", question_id="q1", correct=True, points=10, topic="KMS", kind="daily",
                daily_id="d1", answered_at=an_hour_ago,
            )
        )
        conn.execute(
            sa.insert(daily_posts).values(
                id="d1", channel_id="C1", day=date(2026, 3, 2), question_id="q1",
                question=question_to_json(QUESTION), status="posted", attempts=1, message_ts="1.5",
                posted_at=an_hour_ago, reveal_due_at=an_hour_ago + timedelta(hours=6),
            )
        )
    engine.dispose()


def test_the_migrations_from_an_empty_database_make_the_schema_the_tables_declare(database_url: str) -> None:
    """A new database is created from tables.py and stamped; the migrations must lead to the same."""
    engine = sa.create_engine(normalize_database_url(database_url))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        store = Store(engine)
        assert store.schema_revision() == HEAD_REVISION
        assert schema_differences(store) == []
    finally:
        engine.dispose()


def test_a_database_made_before_alembic_is_upgraded_with_its_data(database_url: str) -> None:
    make_database_before_alembic(database_url)
    store = Store.connect(database_url)
    try:
        assert store.schema_revision() == HEAD_REVISION
        assert "schema_version" not in sa.inspect(store.engine).get_table_names()
        assert schema_differences(store) == []
        assert store.claim_event("message:C1:1.0") == ClaimOutcome.COMPLETED
        assert store.load_answer("a1").question == "what is kms"
        assert [(r.user_id, r.vote) for r in store.feedback_records()] == [("U2", 1)]
        assert store.card_states("U1")["q1"].stability == 3.5
        assert store.load_practice("p1").question == QUESTION
        assert [r.points for r in store.answer_records("U1")] == [10]
        post = store.daily_post("C1", date(2026, 3, 2))
        assert post.status == PostStatus.POSTED and post.question == QUESTION
        assert store.daily_answer_counts("d1") == (1, 1)
        # and it works as a new one does: a second answer to the daily quiz is refused, a new one stored
        now = datetime.now(UTC)
        card = review(None, "q1", True, now)
        assert store.answer_daily(post, "U1", grade(QUESTION, 0), card, now) == DailyAnswerOutcome.ALREADY
        assert store.answer_daily(post, "U3", grade(QUESTION, 0), card, now) == DailyAnswerOutcome.RECORDED
        assert store.claim_event("message:C1:2.0") == ClaimOutcome.CLAIMED
    finally:
        store.close()
    again = Store.connect(database_url)  # upgrading twice changes nothing
    try:
        assert again.schema_revision() == HEAD_REVISION and again.load_answer("a1") is not None
    finally:
        again.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_replicas_starting_together_on_a_new_postgresql_database_migrate_it_once(database_url: str) -> None:
    errors: list[BaseException] = []
    stores: list[Store] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        try:
            barrier.wait()
            stores.append(Store.connect(database_url))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        assert [s.schema_revision() for s in stores] == [HEAD_REVISION] * 6
    finally:
        for s in stores:
            s.close()
