"""The quiz questions of an index: generating them takes a few seconds, so each index's are kept."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from indexer.build import quiz_bank_for
from indexer.quiz.bank import QuizBank
from indexer.search.index import SearchIndex

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
            if bank is None:
                bank = self._banks[index] = quiz_bank_for(index, index_path)
            return bank
