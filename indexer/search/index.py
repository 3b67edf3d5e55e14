"""The search index: chunks with their terms and BM25, the tokenizer they were indexed with, and the
notes' own vocabulary for matching misspelled question words (see ``query`` for how questions use it).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.model import Chunk, ChunkRole
from indexer.once import once
from indexer.search.bm25 import FieldedBM25
from indexer.search.fields import heading_fields
from indexer.search.negation import states_negative
from indexer.search.sections import SECTION_KINDS, section_kinds
from indexer.search.tokenize import Tokenizer, TokenizerSettings, short_forms
from indexer.search.topics import (
    HYPHEN,
    Topic,
    TopicFinder,
    name_form,
    phrase_in,
    rows_with_all,
    shipped_topics,
    topicality,
)
from indexer.spelling.counts import domain_counts, english_word_counts, informal_words


@dataclass(frozen=True)
class SearchTuning:
    """Knobs of the ranking, saved with the index."""

    k1: float = 1.2
    """BM25 term-frequency saturation."""
    b: float = 0.5
    """BM25 length normalisation of a chunk's body."""
    fuzzy_weight: float = 0.7
    """Weight of a query word matched by edit distance."""
    expansion_weight: float = 0.4
    """Weight of each word of an acronym's expansion added to a question."""
    min_coverage: float = 0.5
    """Share of a question's meaningful words the notes must contain for it to get hits."""
    relative_cutoff: float = 0.3
    """Hits scoring below this share of the best hit are dropped."""
    title_weight: float = 2.5
    """BM25F weight of a chunk's own title (its body weighs 1)."""
    path_weight: float = 0.3
    """BM25F weight of a chunk's heading path and file name."""
    heading_b: float = 0.5
    """Length normalisation of the title and path fields."""
    note_weight: float = 0.45
    """How much the rest of a chunk's note counts: a chunk's score grows by up to this share when its
    note holds the most of the question's matches (notes of a study group are topics: "Lecture 2 —
    Encryption" is where a KMS question's answer is)…"""
    topic_notes: int = 50
    """…in a set of at most this many notes; in a documentation set of thousands of narrow pages a long
    page's many matches say nothing of where the answer is, and each chunk stands alone."""
    passage_share: float = 0.5
    """A chunk next to a hit, under the same heading, joins it when it scores this share of the hit."""
    negative_weight: float = 0.5
    """A question put in the negative ("what do flow logs *not* capture") raises the chunks that state a
    negative by this share."""
    section_weight: float = 0.4
    """A question asking for a limit, a price or a catch ("max number of HSMs in a cluster", "does it
    cost anything", "still open, why?") raises the chunks under a heading of that kind ("Quotas",
    "Pricing", "Gotchas") by this share (see ``search.sections``)."""

    def to_json(self) -> dict[str, float]:
        """A plain-JSON form for the index file."""
        return asdict(self)


ROLE_WEIGHT: dict[ChunkRole, float] = {
    ChunkRole.TEXT: 1.0,
    ChunkRole.CODE: 0.6,
    ChunkRole.QUESTION: 0.5,
    ChunkRole.OPTIONS: 0.4,
    ChunkRole.LINKS: 0.3,
    ChunkRole.BOILERPLATE: 0.3,
}
"""How much a chunk's score counts by its role: explanatory text that states facts first."""
FAMILY_ROOT = 6
"""A stem this long is one word family's ("encrypt"); a shorter one may be two words' ("manag")."""
SERVICE_CODE_CHARS = 4
"""A name's first word this short is a service's short name (S3, IAM, EC2) that notes on it may leave out."""
FACT_ROLES = frozenset({ChunkRole.TEXT, ChunkRole.CODE})
"""Roles whose chunks state facts (a question needs one of them to get hits)."""
SEEN_ONCE = 1
"""A word's count in the notes less this much measures how topical it is: a word written once ("no undo!",
"a 1-year commitment") is no sign that notes of ``COUNTED_WORDS`` words or more are about it…"""
COUNTED_WORDS = 1000
"""…(in a note of a few lines every word is written once)…"""
RARE_IN_DOCS = 4
"""…nor one AWS documentation uses this many times or fewer among its million words ("git", "commit")."""


def max_edits(word: str) -> int:
    """How many typing errors a word of this length may carry and still be recognised."""
    if len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    if len(word) <= 10:
        return 2
    return 3


TOPIC_CHUNKS = 80
"""A note of more chunks than this is a whole handbook in one file, not one topic…"""
SECTION_CHUNKS = 20
"""…and is taken as its sections, at the shallowest heading level whose sections average this many chunks
or fewer: about the size of one note of a study group's folder."""


def topic_units(chunks: Sequence[Chunk]) -> tuple[np.ndarray, int]:
    """Which topic each chunk belongs to, and how many there are: a note is a topic ("Lecture 2 —
    Encryption"), but a note of more than ``TOPIC_CHUNKS`` chunks (a handbook of every service in one
    file) is taken as its sections (see ``SECTION_CHUNKS``), so its Secrets Manager section is a topic
    apart from its S3 section."""
    by_source: dict[str, list[int]] = {}
    for n, chunk in enumerate(chunks):
        by_source.setdefault(chunk.source, []).append(n)
    units: dict[tuple[str, tuple[str, ...]], int] = {}
    unit_of = np.zeros(len(chunks), dtype=np.int64)
    for source, ids in by_source.items():
        depth = 0
        if len(ids) > TOPIC_CHUNKS:
            deepest = max(len(chunks[i].headings) for i in ids)
            sections = {d: len({chunks[i].headings[:d] for i in ids}) for d in range(1, deepest + 1)}
            depth = next((d for d, n in sections.items() if len(ids) / n <= SECTION_CHUNKS), deepest)
        for i in ids:
            unit_of[i] = units.setdefault((source, chunks[i].headings[:depth]), len(units))
    return unit_of, len(units)


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
        negative_chunks: Sequence[int] | None = None,
    ) -> None:
        """``negative_chunks``: the chunks that state a negative, as saved with the index (found in
        their text when not given)."""
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
        headings = heading_fields(self.chunks, self.tokenizer)
        tuning = self.tuning
        self.bm25 = FieldedBM25(
            {"body": self.chunk_terms, "title": headings.title, "path": headings.path},
            weights={"body": 1.0, "title": tuning.title_weight, "path": tuning.path_weight},
            field_b={"body": tuning.b, "title": tuning.heading_b, "path": tuning.heading_b},
            k1=tuning.k1,
            unweighted=self.extra_terms,
        )
        self.role_weights = np.asarray([ROLE_WEIGHT[c.role] for c in self.chunks], dtype=np.float64)
        """Each chunk's ranking weight for its role (facts 1, link lists and practice options less)."""
        self.states_facts = np.asarray([c.role in FACT_ROLES for c in self.chunks], dtype=np.float64)
        """1 for each chunk that states facts, 0 for the rest: a question needs a match among the 1s."""
        if negative_chunks is None:
            negative_chunks = [n for n, c in enumerate(self.chunks) if states_negative(c.text)]
        self.states_negative = np.zeros(len(self.chunks), dtype=np.float64)
        self.states_negative[np.asarray(negative_chunks, dtype=np.int64)] = 1.0
        """1 for each chunk that states a negative ("cannot", "not captured"), for questions put so."""
        kinds = [section_kinds(c.headings) for c in self.chunks]
        self.sections = {
            k.name: np.asarray([k.name in ks for ks in kinds], dtype=np.float64) for k in SECTION_KINDS
        }
        """For each kind of section (limits, pricing, caveats), 1 for each chunk under a heading of it."""
        self.note_of, self.note_count = topic_units(self.chunks)
        """Which note each chunk is from (an index into the notes; a whole handbook in one file counts
        its sections as notes, see :func:`topic_units`), for weighing a note as a whole; how many."""
        self._topics = once(
            lambda: TopicFinder(
                shipped_topics(settings.acronyms), self.tokenizer, english_word_counts(), informal_words()
            )
        )
        self._english_total = once(lambda: max(sum(english_word_counts().values()), 1))
        self._covered: dict[str, bool] = {}
        self._term_counts = Counter(
            term for field in (self.chunk_terms, headings.title) for terms in field for term in terms
        )
        self._term_total = max(sum(self._term_counts.values()), 1)
        self._spellings: dict[str, list[str]] = {}
        for word, term in vocabulary.items():
            self._spellings.setdefault(term, []).append(word)
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

    def nearest_word(self, word: str, *, most_edits: int | None = None) -> str | None:
        """The notes' own word closest to a misspelled one, or None when nothing is close enough: within
        :func:`max_edits` of it, and within ``most_edits`` when given."""
        limit = max_edits(word) if most_edits is None else min(max_edits(word), most_edits)
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

    # -- what the notes cover (see ``search.topics``) ---------------------------------------------------

    @property
    def topics(self) -> TopicFinder:
        """Finds the AWS topics a question names (``search.topics``). Built on first use (it reads the
        English word list, a quarter of a second): a command that only reads the question bank never pays
        for it; :meth:`warm` builds it ahead of the first question."""
        return self._topics()

    def warm(self) -> None:
        """Build now what the first question would otherwise wait for (the bot calls this as it loads)."""
        self._topics()
        self._english_total()

    def covers(self, topic: Topic) -> bool:
        """Whether any chunk names ``topic`` by one of its names (remembered per topic)."""
        known = self._covered.get(topic.name)
        if known is None:
            known = self._covered[topic.name] = any(self._covers_form(form) for form in topic.forms)
        return known

    def topicality(self, term: str) -> float:
        """How much more often the notes use index term ``term`` than English uses the words it stands
        for (its most common English spelling: ``encrypt`` for encryption, encrypted...), as a log ratio;
        see ``search.topics``."""
        spellings = self._spellings.get(term) or [term]
        english = english_word_counts()
        commonest = max(spellings, key=lambda w: english.get(w, 0))
        domain = domain_counts()
        once = SEEN_ONCE if self._term_total >= COUNTED_WORDS else 0
        notes_share = max(self._term_counts.get(term, 0) - once, 0) / self._term_total
        domain_share = max(max(domain.words.get(w, 0) - RARE_IN_DOCS, 0) for w in spellings) / domain.total
        return topicality(commonest, notes_share, domain_share, english, self._english_total())

    def _mentions(self, word: str) -> bool:
        return self.has_term(self.tokenizer.stem(word)) or self.has_term(word)

    def _covers_form(self, form: tuple[str, ...]) -> bool:
        words = [w for w in form if w not in self.settings.stopwords] or list(form)
        if len(form) > 1 and self._mentions("".join(form)):
            return True  # "guard duty" asked, "GuardDuty" written
        if len(words) > 1:
            # "S3 Access Points" in notes on S3 that write "access points": the rest of a name led by a
            # service's short name, as a phrase, in a chunk (heading or text) that names the service
            if self._has_phrase(words):
                return True
            led = words[0] == form[0] and len(form[0]) <= SERVICE_CODE_CHARS
            return led and self._has_phrase(words[1:], within=words[0], exact=True)
        word = words[0]
        if self._mentions(word):
            return True
        # "GuardDuty" asked, "Guard Duty" written
        halves = [(word[:cut], word[cut:]) for cut in range(2, len(word) - 1)]
        return any(
            self._mentions(left) and self._mentions(right) and self._has_phrase([left, right])
            for left, right in halves
        )

    def _rows(self, word: str) -> np.ndarray:
        """The chunks with ``word``, stemmed or not, or a short form of it (``acct`` for ``account``)."""
        forms = {word, *short_forms().get(word, ())}
        found = [self.bm25.rows(term) for term in {t for f in forms for t in (self.tokenizer.stem(f), f)}]
        return functools.reduce(np.union1d, found)

    def _has_phrase(self, words: Sequence[str], within: str = "", exact: bool = False) -> bool:
        """Whether some chunk (its heading or text, hyphenated words joined) has ``words`` as a phrase
        (``exact``: side by side, in order), and the word ``within`` anywhere."""
        candidates = rows_with_all([self._rows(w) for w in ([*words, within] if within else words)])
        forms = (name_form, self._word_family)  # as named, or as one word family a form of another
        phrases = [(form, [form(w) for w in words]) for form in forms]
        for doc in candidates:
            chunk = self.chunks[int(doc)]
            text = f"{chunk.heading}\n{chunk.text}"
            for variant in (text, HYPHEN.sub("", text)):  # "pre-signed" is "pre signed" and "presigned"
                said = self.tokenizer.words(variant)
                for form, names in phrases:
                    terms = [form(w) for w in said]
                    if phrase_in(terms, names, 0, either_way=False) if exact else phrase_in(terms, names):
                        return True
        return False

    def _word_family(self, word: str) -> str:
        """A word as its family when stemming leaves enough of it to be one word's ("encryption",
        "encrypted": ``encrypt``); else as named ("managed" and "manager" are two words, ``manag``)."""
        stem = self.tokenizer.stem(word.lower())
        return stem if len(stem) >= FAMILY_ROOT else name_form(word)
