"""The bot's store, on SQLite and on the real PostgreSQL (each test gets its own database/schema)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.config.settings import normalize_database_url
from bot.store import CLAIM_LEASE, ClaimOutcome, Store
from bot.store.schema import HEAD_REVISION
from indexer.model import Answer, Hit

HITS = (
    Hit("security-by-service.md", 17, 22, "Security › SSE - C", "• keys managed by the customer", 7.5),
    Hit("encryption.md", 3, 3, "KMS", "• envelope encryption", 2.25),
)


@pytest.fixture
def store(database_url: str):
    store = Store.connect(database_url)
    yield store
    store.close()


def test_schema_is_created_at_its_newest_revision(store: Store) -> None:
    assert store.schema_revision() == HEAD_REVISION


def test_reopening_keeps_data_and_does_not_duplicate_the_version(database_url: str) -> None:
    first = Store.connect(database_url)
    answer_id = first.save_answer(Answer("what is sse-c", HITS), user_id="U1", channel_id="C1")
    first.close()
    again = Store.connect(database_url)
    assert again.schema_revision() == HEAD_REVISION
    assert again.load_answer(answer_id).question == "what is sse-c"
    again.close()


def test_an_event_is_claimed_once(store: Store) -> None:
    assert store.claim_event("event:Ev1") == ClaimOutcome.CLAIMED
    assert store.claim_event("event:Ev1") == ClaimOutcome.IN_PROGRESS
    store.complete_event("event:Ev1")
    assert store.claim_event("event:Ev1") == ClaimOutcome.COMPLETED
    assert store.claim_event("event:Ev2") == ClaimOutcome.CLAIMED


def test_a_claim_not_completed_within_the_lease_is_taken_over_once(store: Store) -> None:
    """The process that claimed it died before answering: a redelivery after the lease answers it."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert store.claim_event("event:Ev1", now=start) == ClaimOutcome.CLAIMED
    assert store.claim_event("event:Ev1", now=start + CLAIM_LEASE / 2) == ClaimOutcome.IN_PROGRESS
    later = start + CLAIM_LEASE + timedelta(seconds=1)
    assert store.claim_event("event:Ev1", now=later) == ClaimOutcome.TAKEN_OVER
    assert store.claim_event("event:Ev1", now=later) == ClaimOutcome.IN_PROGRESS  # the new claim's lease
    store.complete_event("event:Ev1", now=later)
    assert store.claim_event("event:Ev1", now=later + CLAIM_LEASE * 10) == ClaimOutcome.COMPLETED


def _claim_from_threads(replicas: list[Store], key: str, now: datetime | None = None) -> list[ClaimOutcome]:
    outcomes: list[ClaimOutcome] = []
    lock = threading.Lock()

    def claim(store: Store) -> None:
        outcome = store.claim_event(key, now=now)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=claim, args=(replicas[i % 2],)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_an_event_is_claimed_and_taken_over_once_across_replicas(database_url: str) -> None:
    """Two processes sharing one database (two Store objects, many threads): exactly one claim wins,
    and of the redeliveries after the lease exactly one takes the claim over."""
    replicas = [Store.connect(database_url), Store.connect(database_url)]
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    first = _claim_from_threads(replicas, "event:EvRACE", start)
    assert sorted(first) == sorted([ClaimOutcome.CLAIMED] + [ClaimOutcome.IN_PROGRESS] * 9)
    again = _claim_from_threads(replicas, "event:EvRACE", start + CLAIM_LEASE * 2)
    assert sorted(again) == sorted([ClaimOutcome.TAKEN_OVER] + [ClaimOutcome.IN_PROGRESS] * 9)
    for s in replicas:
        s.close()


def test_a_version_1_database_is_upgraded_and_its_old_claims_count_as_answered(database_url: str) -> None:
    """A store made before claims had a lease: reopening adds the columns; what it had handled stays so."""
    engine = sa.create_engine(normalize_database_url(database_url))
    old = sa.MetaData()
    versions = sa.Table(
        "schema_version",
        old,
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    events = sa.Table(
        "handled_events",
        old,
        sa.Column("event_key", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(sa.insert(versions).values(version=1, applied_at=an_hour_ago))
        conn.execute(sa.insert(events).values(event_key="event:EvOLD", kind="event", received_at=an_hour_ago))
    engine.dispose()

    store = Store.connect(database_url)
    assert store.schema_revision() == HEAD_REVISION
    assert "schema_version" not in sa.inspect(store.engine).get_table_names()  # Alembic's table instead
    assert store.claim_event("event:EvOLD") == ClaimOutcome.COMPLETED
    assert store.claim_event("event:EvNEW") == ClaimOutcome.CLAIMED
    store.close()
    again = Store.connect(database_url)  # upgrading twice changes nothing
    assert again.schema_revision() == HEAD_REVISION
    assert again.claim_event("event:EvNEW") == ClaimOutcome.IN_PROGRESS
    again.close()


def test_answers_round_trip_with_their_hits(store: Store) -> None:
    answer_id = store.save_answer(Answer("what is sse-c <!channel>", HITS), user_id="U1", channel_id="C1")
    loaded = store.load_answer(answer_id)
    assert loaded.question == "what is sse-c <!channel>"
    assert [h.citation for h in loaded.hits] == ["security-by-service.md:17-22", "encryption.md:3"]
    assert loaded.hits[0].heading == "Security › SSE - C"
    assert (loaded.user_id, loaded.channel_id) == ("U1", "C1")
    assert store.load_answer("no-such-answer") is None


def test_feedback_is_stored_with_question_and_hits_and_a_revote_replaces(store: Store) -> None:
    answer_id = store.save_answer(Answer("kms rotation", HITS), user_id="U1", channel_id="C1")
    stored = store.load_answer(answer_id)
    store.record_feedback(stored, user_id="U1", vote=1)
    store.record_feedback(stored, user_id="U2", vote=-1)
    store.record_feedback(stored, user_id="U1", vote=-1)
    records = store.feedback_records()
    assert [(r.user_id, r.vote) for r in records] == [("U1", -1), ("U2", -1)]
    assert records[0].question == "kms rotation"
    assert [h.citation for h in records[0].hits] == [h.citation for h in HITS]
    with pytest.raises(ValueError):
        store.record_feedback(stored, user_id="U3", vote=0)


def test_old_events_are_pruned(store: Store) -> None:
    store.claim_event("event:old")
    assert store.prune_events(older_than=timedelta(days=7)) == 0
    assert store.prune_events(older_than=timedelta(seconds=-1)) == 1
    assert store.claim_event("event:old") == ClaimOutcome.CLAIMED


def test_sqlite_file_is_created_in_a_missing_directory(tmp_path) -> None:
    store = Store.connect(f"sqlite:///{tmp_path / 'deep' / 'er' / 'bot.db'}")
    assert (tmp_path / "deep" / "er" / "bot.db").exists()
    store.close()


def test_plain_postgresql_urls_use_psycopg() -> None:
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
