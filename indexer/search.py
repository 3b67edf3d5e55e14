"""The search index: chunks, their terms and BM25; questions in, cited hits out.

A question is tokenized exactly as the notes were (the tokenizer settings live in the index). Words the
notes do not contain are matched to the notes' own vocabulary: split or joined (``guardduty`` ~ ``guard
duty``) or, when long enough, by edit distance scaled to their length; acronyms and short words are
never fuzzed. Acronyms and their expansions find each other both ways. A question most of whose
meaningful words the notes do not contain gets no hits rather than a random snippet.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.bm25 import LuceneBM25
from indexer.model import Answer, Chunk, Hit
from indexer.tokenize import Tokenizer, TokenizerSettings

INDEX_FORMAT = "awssec-index"
INDEX_VERSION = 1
MAX_QUERY_WORDS = 64


class IndexFileError(Exception):
    """The index file is missing, corrupt or of a version this awssec cannot read."""


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

    def to_json(self) -> dict:
        return dict(self.__dict__)


COMMON_ENGLISH_COUNT = 5_000_000
"""An English word at least this frequent (symspellpy's counts) is a real word, never a typo to fuzz, and
tells less about what a question is about than a rare or technical one."""


def _english_count(word: str) -> int:
    from indexer.vocabulary import english_word_counts

    return english_word_counts().get(word, 0)


def max_edits(word: str) -> int:
    """How many typing errors a word of this length may carry and still be recognised."""
    if len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    if len(word) <= 10:
        return 2
    return 3


@dataclass(frozen=True)
class QueryTerm:
    """One term a question contributes to the ranking."""

    term: str
    """The index term (stemmed)."""
    weight: float
    """How much it counts."""
    how: str
    """``exact``, ``fuzzy``, ``completed``, ``split``, ``joined``, ``compound`` or ``acronym``."""
    word: str
    """The question's word it came from."""


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


def analyze_question(index: SearchIndex, question: str) -> tuple[list[QueryTerm], float]:
    """The weighted terms of a question and the share of its meaningful words found in the notes.

    In that share, common English words count half ("way", "someone", "new"): a question is about its
    rarer, more technical words. Unknown words of one or two letters ("hw", "u") are not counted.
    """
    tok, tuning = index.tokenizer, index.tuning
    words = tok.words(question)[:MAX_QUERY_WORDS]
    if not words:
        return [], 0.0
    exact = [index.has_term(tok.stem(w)) for w in words]
    if all(exact):
        weight_of = {w: 1.0 for w in words}
    else:
        weight_of = {w: 0.5 if _english_count(w) >= COMMON_ENGLISH_COUNT else 1.0 for w in words}
    terms: list[QueryTerm] = []
    found = 0.0
    counted = 0.0
    skip_next = False
    for i, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        stem = tok.stem(word)
        weight = weight_of[word]
        if exact[i]:
            terms.append(QueryTerm(stem, 1.0, "exact", word))
            found += weight
            counted += weight
            continue
        if len(word) <= 2:
            continue
        counted += weight
        if word in index.settings.acronyms:
            spelled = _expansion_terms(index, word, tuning.fuzzy_weight)
            terms.extend(spelled)
            found += weight if spelled else 0
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and not exact[i + 1] and (word + nxt) in index.vocabulary:
            terms.append(QueryTerm(index.vocabulary[word + nxt], 1.0, "joined", word + " " + nxt))
            found += weight + weight_of[nxt]
            counted += weight_of[nxt]
            skip_next = True
            continue
        split = _split_word(index, word)
        if split:
            terms.extend(QueryTerm(index.vocabulary[part], 1.0, "split", word) for part in split)
            found += weight
            continue
        if _english_count(word) >= COMMON_ENGLISH_COUNT:
            continue  # a real word the notes do not use, not a typo of one they do
        completed = index.completion(word)
        near = completed or index.nearest_word(word)
        if near:
            how = "completed" if completed else "fuzzy"
            terms.append(QueryTerm(index.vocabulary[near], tuning.fuzzy_weight, how, word))
            found += tuning.fuzzy_weight * weight
    for compound in tok.compounds(question):
        if index.has_term(compound):
            terms.append(QueryTerm(compound, 1.0, "compound", compound))
    terms.extend(_acronym_terms(index, words))
    return terms, (found / counted if counted else 0.0)


def _split_word(index: SearchIndex, word: str) -> tuple[str, str] | None:
    """The first cut of ``word`` into two of the notes' words (``guardduty`` -> ``guard``, ``duty``).

    Only cuts leaving both halves no longer than the notes' longest word are tried: a question's time
    grows with its length, not with its square (a 3 MB "word" has no cut to try).
    """
    if len(word) < 7:
        return None
    for cut in range(max(3, len(word) - index.longest_word), min(len(word) - 2, index.longest_word + 1)):
        left, right = word[:cut], word[cut:]
        if left in index.vocabulary and right in index.vocabulary:
            return left, right
    return None


def _expansion_terms(index: SearchIndex, acronym: str, weight: float) -> list[QueryTerm]:
    """The words an acronym stands for that occur in the notes, as query terms."""
    tok = index.tokenizer
    out = []
    for expansion in index.settings.acronyms.get(acronym, ()):
        for part in tok.words(expansion):
            stem = tok.stem(part)
            if index.has_term(stem):
                out.append(QueryTerm(stem, weight, "acronym", acronym))
    return out


def _acronym_terms(index: SearchIndex, words: list[str]) -> list[QueryTerm]:
    """An acronym the notes also use -> its expansion's words, lightly; an expansion spelled out -> its
    acronym."""
    tok, weight = index.tokenizer, index.tuning.expansion_weight
    stems = [tok.stem(w) for w in words]
    joined = " " + " ".join(stems) + " "
    asked = set(stems)
    out: list[QueryTerm] = []
    for acronym, expansions in index.settings.acronyms.items():
        if acronym in words:
            if index.has_term(tok.stem(acronym)):
                out.extend(_expansion_terms(index, acronym, weight))
        elif index.has_term(tok.stem(acronym)):
            for expansion in expansions:
                phrase_stems = [tok.stem(p) for p in tok.words(expansion)]
                if not phrase_stems or phrase_stems[0] not in asked:
                    continue  # not in the question: no need to look through it
                if f" {' '.join(phrase_stems)} " in joined:
                    out.append(QueryTerm(tok.stem(acronym), 1.0, "acronym", expansion))
                    break
    return out


def search(index: SearchIndex, question: str, k: int = 3) -> Answer:
    """The best ``k`` chunks for a question, best first; no hits when the notes hold no answer."""
    if not question or not question.strip():
        return Answer(query=question, hits=(), note="The question is empty.")
    terms, coverage = analyze_question(index, question)
    if not terms:
        return Answer(query=question, hits=(), note="None of the question's words are in the notes.")
    if coverage < index.tuning.min_coverage:
        return Answer(query=question, hits=(), note="Most of the question's words are not in the notes.")
    weights: dict[str, float] = {}
    for term in terms:
        weights[term.term] = min(weights.get(term.term, 0.0) + term.weight, 2.0)
    scores = index.bm25.weighted_scores(weights)
    if not len(scores) or float(scores.max()) <= 0:
        return Answer(query=question, hits=(), note="Nothing in the notes matches the question.")
    k = max(1, k)
    top = np.argsort(-scores, kind="stable")[: k * 2]
    best = float(scores[top[0]])
    hits = []
    for doc_id in top:
        score = float(scores[doc_id])
        if score <= 0 or score < best * index.tuning.relative_cutoff or len(hits) >= k:
            break
        chunk = index.chunks[int(doc_id)]
        hits.append(
            Hit(chunk.source, chunk.line_start, chunk.line_end, chunk.heading, chunk.text, score)
        )
    return Answer(query=question, hits=tuple(hits))


# --- the index file ------------------------------------------------------------------------------


def _chunk_to_json(chunk: Chunk, terms: Sequence[str], extra: Sequence[str]) -> dict:
    return {
        "source": chunk.source,
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "heading": chunk.heading,
        "headings": list(chunk.headings),
        "title_from": chunk.title_from,
        "text": chunk.text,
        "terms": list(terms),
        "extra_terms": list(extra),
    }


def save_index(index: SearchIndex, path: Path) -> None:
    """Write the index as gzipped JSON with a format version; atomically replaces any old file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "format": INDEX_FORMAT,
        "version": INDEX_VERSION,
        "built_at": index.built_at,
        "corpus_hash": index.corpus_hash,
        "corpus_dirs": list(index.corpus_dirs),
        "stats": index.stats,
        "tokenizer": index.settings.to_json(),
        "tuning": index.tuning.to_json(),
        "vocabulary": index.vocabulary,
        "chunks": [
            _chunk_to_json(c, t, e)
            for c, t, e in zip(index.chunks, index.chunk_terms, index.extra_terms, strict=True)
        ],
    }
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)


def load_index(path: Path) -> SearchIndex:
    """Read an index file; raises :class:`IndexFileError` saying what is wrong and how to fix it."""
    path = Path(path)
    rebuild = "Run `awssec index` to rebuild it."
    if not path.exists():
        raise IndexFileError(f"No index at {path}. {rebuild}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFileError(f"The index at {path} is corrupt ({exc}). {rebuild}") from exc
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
        raise IndexFileError(f"{path} is not an awssec index. {rebuild}")
    if data.get("version") != INDEX_VERSION:
        raise IndexFileError(
            f"The index at {path} has version {data.get('version')!r}; this awssec reads version "
            f"{INDEX_VERSION}. {rebuild}"
        )
    try:
        chunks = [
            Chunk(
                source=c["source"],
                line_start=int(c["line_start"]),
                line_end=int(c["line_end"]),
                heading=c["heading"],
                text=c["text"],
                headings=tuple(c["headings"]),
                title_from=int(c.get("title_from", 0)),
            )
            for c in data["chunks"]
        ]
        terms = [c["terms"] for c in data["chunks"]]
        extra = [c.get("extra_terms", []) for c in data["chunks"]]
        tuning = SearchTuning(**data["tuning"])
        settings = TokenizerSettings.from_json(data["tokenizer"])
        return SearchIndex(
            chunks,
            terms,
            settings,
            dict(data["vocabulary"]),
            extra_terms=extra,
            tuning=tuning,
            corpus_hash=data.get("corpus_hash", ""),
            corpus_dirs=data.get("corpus_dirs", []),
            built_at=data.get("built_at"),
            stats=data.get("stats", {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexFileError(f"The index at {path} is corrupt ({exc!r}). {rebuild}") from exc

