"""The bot's live index: rewritten by `awssec index` while questions are being answered from it."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.services.index import IndexUnavailable, LiveIndex
from indexer.build import build_index, save_index
from indexer.search.index import SearchIndex
from indexer.search.query import search


def test_questions_answered_while_the_index_file_is_rewritten_always_get_a_whole_index(
    make_corpus, tmp_path: Path
) -> None:
    # workers keep asking while the file is swapped between two builds: every answer comes from one of
    # them, never from a half-read file, and the last one written is the one used in the end
    first = build_index([make_corpus({"a.md": "# KMS\n- rotate the kms keys every year\n"})])
    second = build_index([make_corpus({"b.md": "# KMS\n- kms keys can be rotated on demand\n"})])
    path = tmp_path / "index.json.gz"
    save_index(first, path)
    live = LiveIndex(first, path, logging.getLogger("test"), recheck=0)
    sources: set[str] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def ask() -> None:
        try:
            while not done.is_set():
                index = live.current()
                assert isinstance(index, SearchIndex)
                hits = search(index, "kms keys rotated").hits
                assert hits
                sources.update(h.source for h in hits)
        except BaseException as err:  # noqa: BLE001 - reported by the test thread
            errors.append(err)

    workers = [threading.Thread(target=ask) for _ in range(6)]
    for worker in workers:
        worker.start()
    for n in range(12):
        save_index(second if n % 2 == 0 else first, path)
    save_index(second, path)
    done.set()
    for worker in workers:
        worker.join()
    assert not errors, errors[0]
    assert sources <= {"a.md", "b.md"}
    final = live.current()
    assert isinstance(final, SearchIndex) and final.sources() == second.sources()


def test_an_index_given_from_outside_is_kept_as_it_is(tmp_path: Path) -> None:
    gone = IndexUnavailable("no index")
    assert LiveIndex(gone, None, recheck=0).current() is gone
