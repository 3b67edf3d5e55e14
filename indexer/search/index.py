"""The search index: chunks with their terms and BM25, the tokenizer they were indexed with, and the
notes' own vocabulary for matching misspelled question words (see ``query`` for how questions use it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.model import Chunk
from indexer.search.bm25 import LuceneBM25
from indexer.search.tokenize import Tokenizer, TokenizerSettings


@dataclass(frozen=True)
class SearchTuning:
    """Knobs of the ranking, saved with the index."""

    k1: float = 1.2
    """BM25 term-frequency saturation."""
    b: float = 0.75
    """BM25 length normalisation."""
    fuzzy_weight: float = 0.7
    """Weight of a query word matched by edit distance."""
    expansion_weight: float = 0.4
    """Weight of each word of an acronym's expansion added to a question."""
    min_coverage: float = 0.5
    """Share of a question's meaningful words the notes must contain for it to get hits."""
    relative_cutoff: float = 0.3
    """Hits scoring below this share of the best hit are dropped."""

    def to_json(self) -> dict[str, float]:
        """A plain-JSON form for the index file."""
        return asdict(self)


def max_edits(word: str) -> int:
    """How many typing errors a word of this length may carry and still be recognised."""
    if len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    if len(word) <= 10:
        return 2
    return 3


class SearchIndex:
    """Chunks with their BM25 index, the tokenizer they were indexed with and where they came from."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        chunk_terms: Sequence[Sequence[str]],
        settings: TokenizerSettings,
        vocabulary: dict[str, str],
        *,
        extra_terms: Sequence[Sequence[str]] | None = None,
        tuning: SearchTuning | None = None,
        corpus_hash: str = "",
        corpus_dirs: Sequence[str] = (),
        built_at: str | None = None,
        stats: dict | None = None,
    ) -> None:
        if len(chunks) != len(chunk_terms):
            raise ValueError("every chunk needs its terms")
        self.chunks = tuple(chunks)
        self.chunk_terms = [list(t) for t in chunk_terms]
        self.extra_terms = [list(t) for t in extra_terms] if extra_terms else [[] for _ in self.chunks]
        if len(self.extra_terms) != len(self.chunks):
            raise ValueError("extra terms, when given, are one list per chunk")
        self.settings = settings
        self.tokenizer = Tokenizer(settings)
        self.vocabulary = vocabulary
        self.tuning = tuning or SearchTuning()
        self.corpus_hash = corpus_hash
        self.corpus_dirs = tuple(corpus_dirs)
        self.built_at = built_at or datetime.now(UTC).isoformat(timespec="seconds")
        self.stats = dict(stats or {})
        # Extra terms (the original spelling of uncertain typo fixes) can be found but do not make a
        # chunk longer in BM25's eyes: a typo-ridden note is not penalised for its typos.
        documents = [t + e for t, e in zip(self.chunk_terms, self.extra_terms, strict=True)] or [[]]
        lengths = [len(t) for t in self.chunk_terms] or [0]
        self.bm25 = LuceneBM25(documents, k1=self.tuning.k1, b=self.tuning.b, lengths=lengths)
        self._words_by_length: dict[int, list[str]] = {}
        for word in sorted(vocabulary):
            self._words_by_length.setdefault(len(word), []).append(word)
        # no word of a question longer than this is in the notes, nor is either half of a split one
        self.longest_word = max(self._words_by_length, default=0)

    def sources(self) -> list[tuple[str, int]]:
        """Each indexed note with its number of chunks, in name order."""
        counts: dict[str, int] = {}
        for chunk in self.chunks:
            counts[chunk.source] = counts.get(chunk.source, 0) + 1
        return sorted(counts.items())

    def has_term(self, term: str) -> bool:
        return self.bm25.document_frequency(term) > 0

    def completion(self, word: str, max_extra: int = 3) -> str | None:
        """The notes' most common word that starts with ``word`` and is at most ``max_extra`` letters
        longer (``dynamo`` -> ``dynamodb``), for words of four letters or more."""
        if len(word) < 4:
            return None
        candidates = [
            w
            for length in range(len(word) + 1, len(word) + max_extra + 1)
            for w in self._words_by_length.get(length, ())
            if w.startswith(word)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda w: (self.bm25.document_frequency(self.vocabulary[w]), w))

    def nearest_word(self, word: str) -> str | None:
        """The notes' own word closest to a misspelled one, or None when nothing is close enough."""
        limit = max_edits(word)
        if limit == 0:
            return None
        # A word whose length differs by more than `limit` is further than `limit` edits away, so only the
        # nearby lengths are compared. Sorting by (distance, word) keeps rapidfuzz's order over the whole
        # sorted vocabulary (ties by position), so the result is the same as comparing every word.
        found = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            words = self._words_by_length.get(length)
            if words:
                found += process.extract(word, words, scorer=OSA.distance, score_cutoff=limit, limit=20)
        found = sorted(found, key=lambda m: (m[1], m[0]))[:20]
        if not found:
            return None
        best = min(
            found,
            key=lambda m: (m[1], m[0][0] != word[0], -self.bm25.document_frequency(self.vocabulary[m[0]])),
        )
        return best[0]
