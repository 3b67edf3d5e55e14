"""The quiz questions of an index: generating them takes a few seconds, so each index's are kept."""

from __future__ import annotations

import threading
import weakref

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

    def bank_for(self, index: SearchIndex | IndexUnavailable) -> QuizBank | IndexUnavailable:
        """The questions of ``index`` (or, for an index that is unavailable, why there are none)."""
        if isinstance(index, IndexUnavailable):
            return index
        with self._lock:
            bank = self._banks.get(index)
            if bank is None:
                bank = self._banks[index] = quiz_bank_for(index)
            return bank
