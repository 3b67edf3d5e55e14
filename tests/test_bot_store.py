"""The bot's store, on SQLite and on the real PostgreSQL (each test gets its own database/schema)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.settings import normalize_database_url
from bot.store import SCHEMA_VERSION, Store
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


def test_schema_is_created_with_its_version(store: Store) -> None:
    assert store.schema_versions() == [SCHEMA_VERSION]


def test_reopening_keeps_data_and_does_not_duplicate_the_version(database_url: str) -> None:
    first = Store.connect(database_url)
    answer_id = first.save_answer(Answer("what is sse-c", HITS), user_id="U1", channel_id="C1")
    first.close()
    again = Store.connect(database_url)
    assert again.schema_versions() == [SCHEMA_VERSION]
    assert again.load_answer(answer_id).question == "what is sse-c"
    again.close()


def test_an_event_is_claimed_once(store: Store) -> None:
    assert store.claim_event("event:Ev1") is True
    assert store.claim_event("event:Ev1") is False
    assert store.claim_event("event:Ev2") is True


def test_an_event_is_claimed_once_across_replicas(database_url: str) -> None:
    """Two processes sharing one database (two Store objects, many threads): exactly one claim wins."""
    replicas = [Store.connect(database_url), Store.connect(database_url)]
    wins: list[bool] = []
    lock = threading.Lock()

    def claim(store: Store) -> None:
        won = store.claim_event("event:EvRACE")
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=claim, args=(replicas[i % 2],)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 9 + [True]
    for s in replicas:
        s.close()


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
    assert store.claim_event("event:old") is True


def test_sqlite_file_is_created_in_a_missing_directory(tmp_path) -> None:
    store = Store.connect(f"sqlite:///{tmp_path / 'deep' / 'er' / 'bot.db'}")
    assert (tmp_path / "deep" / "er" / "bot.db").exists()
    store.close()


def test_plain_postgresql_urls_use_psycopg() -> None:
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
