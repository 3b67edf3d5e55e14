"""Shared fixtures: the repository, the shared eval folder, a built index of the bundled notes."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.search.index import SearchIndex

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_index() -> SearchIndex:
    """The bundled notes, indexed once per test session."""
    return build_index([CORPUS])


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write notes into a fresh corpus folder: ``make_corpus({"a.md": "# A\\n- x"}) -> Path``."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "notes"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


# --- the Slack bot's store: every store test runs on SQLite and on the real PostgreSQL -------------

POSTGRES_URL = os.environ.get("AWSSEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = "AWSSEC_REQUIRE_POSTGRES"
"""Set (to 1) by .ci/run: a PostgreSQL test that cannot reach its server fails instead of skipping."""


@pytest.fixture(scope="session")
def postgres_unreachable() -> str:
    """Why PostgreSQL at POSTGRES_URL cannot be used ("" when it can); asked once per session."""
    import sqlalchemy

    shown = sqlalchemy.make_url(POSTGRES_URL).render_as_string(hide_password=True)
    engine = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            return ""
    except Exception:  # whatever the driver says, the reason below is what helps
        return (
            f"PostgreSQL not reachable at {shown} — start it or set AWSSEC_TEST_POSTGRES_URL to run these"
        )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file, or a schema of its own in PostgreSQL (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    import sqlalchemy

    unreachable = request.getfixturevalue("postgres_unreachable")
    if unreachable:
        if os.environ.get(REQUIRE_POSTGRES):
            pytest.fail(f"{unreachable} ({REQUIRE_POSTGRES} is set)", pytrace=False)
        pytest.skip(unreachable)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = sqlalchemy.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
