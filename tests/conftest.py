"""Shared fixtures: the repository, the shared eval folder, a built index of the bundled notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.search import SearchIndex

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
