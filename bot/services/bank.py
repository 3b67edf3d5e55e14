"""The quiz questions of an index: generating them takes a few seconds, so each index's are kept."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from indexer.build import cached_quiz_bank, load_index, quiz_bank_for
from indexer.quiz.bank import QuizBank
from indexer.search.index import SearchIndex
from indexer.search.indexfile import IndexFileError

from .child import run_in_child
from .index import IndexUnavailable


class QuestionBanks:
    """Question banks by index, generated on first use; whatever uses the same index shares its bank
    (an index no longer used lets its bank go)."""

    def __init__(self) -> None:
        self._banks: weakref.WeakKeyDictionary[SearchIndex, QuizBank] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def bank_for(
        self, index: SearchIndex | IndexUnavailable, index_path: Path | None = None
    ) -> QuizBank | IndexUnavailable:
        """The questions of ``index`` (or, for an index that is unavailable, why there are none). With
        ``index_path``, the index's file, the bank is read from beside it when it was made before (by any
        process: the CLI and the bot share it) and kept there when it is made now."""
        if isinstance(index, IndexUnavailable):
            return index
        with self._lock:
            bank = self._banks.get(index)
            if bank is None and index_path is not None:
                bank = cached_quiz_bank(index, index_path)
                if bank is None:
                    _make_in_child(index_path)  # its memory (the language model, the checks) given back
            if bank is None:
                bank = quiz_bank_for(index, index_path)  # read back from beside the index, or made here
            self._banks[index] = bank
            return bank


def _make_in_child(index_path: Path) -> None:
    """Make the bank of the index at ``index_path`` in a child process and keep it beside the index; when
    that fails (a folder that cannot be written, no processes), it is made in this one instead."""
    try:
        run_in_child(_make_bank_file, index_path)
    except (OSError, IndexFileError, ValueError):
        pass  # made in this process by the caller


def _make_bank_file(index_path: Path) -> None:
    """In the child process: the bank of the index at ``index_path``, kept beside it."""
    quiz_bank_for(load_index(index_path), index_path)
