"""The words the corrector believes in, and how likely each is, alone and after another word.

Four sources: general English, the AWS and technical word lists and the AWS domain language model
(the shipped lists of ``counts``); and the corpus: every known word of the notes, counted, so that the
group's own subject weighs more, and words the English list lacks but the notes use often in several
files.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from indexer.once import once
from indexer.spelling.counts import (
    DomainTerms,
    EnglishCounts,
    domain_counts,
    domain_terms,
    english_counts,
    informal_words,
    shipped_terms,
)
from indexer.spelling.note_tokens import fenced_lines, word_runs
from indexer.spelling.typo_model import ALPHABET, one_edit_away

_LETTER_INDEX = {ch: n for n, ch in enumerate(ALPHABET)}

DOMAIN_PROBABILITY = 1e-4
"""Prior of a listed AWS or technical word that plain English rarely uses (about a top-1,500 word)."""
CORPUS_BOOST_MIN_ENGLISH = 1_000_000
"""The notes' own counts raise a word's probability only for listed words and words English uses
this often: a rare word the notes use often (``polices``) is more likely a typo than jargon."""
CORPUS_BIGRAM_DOUBT = 3.0
"""Added to a word's count when estimating what follows it in the notes: one sighting is little."""
CORPUS_WEIGHT_HALF_SIZE = 2000
"""Known words of notes at which their own counts get half their full weight."""
ENGLISH_BIGRAM_WEIGHT = 0.3
"""Weight of the English bigram list in P(next | word). The list keeps only frequent pairs, so a pair
it lacks is not rare, just unlisted: too much weight turns every listed pair into a strong pull."""
DOMAIN_BIGRAM_PROBABILITY = 0.005
"""Added to P(next | word) for neighbours in a listed name (``data`` after ``kinesis``)."""
DOMAIN_LM_WEIGHT = 0.05
"""Weight of the AWS documentation's own word frequencies (the domain language model,
``indexer/data/domain_words.txt``), added to a known word's probability: words AWS writes often weigh
more than general English says. Added, not mixed in: the six guides miss much of AWS (``SAML``), and a
word they lack must not lose to one they have. Larger weights traded the notes' words for the guides'
(``custom`` for ``customer``)."""
DOMAIN_PAIR_WEIGHT = 0.1
"""Weight of the AWS documentation's word pairs in P(next | word) (``read access``, ``spread across``),
added like DOMAIN_LM_WEIGHT: taking it from the other sources made every pair the guides lack less
likely than keeping an unknown word."""
DOMAIN_PAIR_DOUBT = 3.0
"""Added to a word's documentation count when estimating what follows it."""
CORPUS_TRUST_COUNT = 3
CORPUS_TRUST_FILES = 3
TYPO_REPEAT_RATIO = 1
"""A word English lacks is believed when the notes use it this often, in at least two files."""


@dataclass
class Vocabulary:
    """Known words with probabilities, and a fast index for finding words near a typo.

    Used while building an index, by one thread: ``leaving_out`` changes it for the note being cleaned.
    """

    english: EnglishCounts
    terms: DomainTerms
    corpus: Counter[str]
    corpus_bigrams: Counter[tuple[str, str]]
    trusted: frozenset[str]
    """Words of the corpus believed though no list has them."""
    protected: frozenset[str]
    """The user's words never to change (lower case)."""
    corpus_total: int = 1
    note_bigrams: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    """Each note's own share of ``corpus_bigrams``, keyed by its text."""
    left_out: Counter[tuple[str, str]] = field(default_factory=Counter)
    """The pair counts of the note being cleaned, taken off ``corpus_bigrams``: otherwise a typo in it
    (``your must``) vouches for itself. Set by ``leaving_out``."""
    corpus_unknown_share: float = 0.0
    """Share of the notes' longer words that no list knows: how fast the group types."""
    _known: frozenset[str] | None = None
    _inflections: dict[str, bool] = field(default_factory=dict)
    _index: dict[str, list[_IndexGroup]] = field(default_factory=dict)

    @property
    def known_words(self) -> frozenset[str]:
        if self._known is None:
            self._known = frozenset(self.english.words.keys() | self.terms.canonical.keys() | self.trusted
                                    | self.protected)
        return self._known

    def is_known(self, low: str) -> bool:
        return low in self.known_words

    def is_inflection(self, low: str) -> bool:
        """Whether a word no list has is a regular form of a listed one: ``validates``,
        ``signaled``, ``proxied``, ``encrypting``. Such words are kept, but are not counted on."""
        cached = self._inflections.get(low)
        if cached is None:
            known = self.known_words
            cached = any(stem in known and len(stem) >= 4 for stem in _stems(low)) or any(
                form in known or any(stem in known and len(stem) >= 4 for stem in _stems(form))
                for form in spelling_variants(low))
            self._inflections[low] = cached
        return cached

    def english_count(self, low: str) -> int:
        return self.english.words.get(low, 0)

    def probability(self, low: str) -> float:
        """How likely a word is in these notes, alone (0 for unknown words)."""
        corpus_weight = self.corpus_weight
        p = (1 - corpus_weight) * self.english.words.get(low, 0) / self.english.total
        if low in self.corpus and self.corpus_vouches_for(low):
            p += corpus_weight * self.corpus[low] / self.corpus_total
        if self.is_listed(low):
            p += DOMAIN_PROBABILITY
        if p > 0.0:
            domain = domain_counts()
            p += DOMAIN_LM_WEIGHT * domain.words.get(low, 0) / domain.total
        return p

    @property
    def corpus_weight(self) -> float:
        """How much the notes' own counts weigh against general English: more for a bigger corpus."""
        return 0.5 * self.corpus_total / (self.corpus_total + CORPUS_WEIGHT_HALF_SIZE)

    def is_listed(self, low: str) -> bool:
        return low in self.terms.canonical or low in self.trusted or low in self.protected

    def corpus_vouches_for(self, low: str) -> bool:
        """Whether the notes' own use of a word may raise its probability."""
        return self.is_listed(low) or self.english.words.get(low, 0) >= CORPUS_BOOST_MIN_ENGLISH

    def next_probability(self, prev: str, low: str) -> float:
        """P(low | prev): corpus and English bigrams mixed with the word's own probability."""
        alone = self.probability(low)
        if not prev:
            return alone
        corpus_weight = 0.7 * self.corpus_weight
        p = (1.0 - ENGLISH_BIGRAM_WEIGHT - corpus_weight) * alone
        domain = domain_counts()
        prev_domain = domain.words.get(prev, 0)
        if prev_domain:
            p += DOMAIN_PAIR_WEIGHT * domain.pairs.get(f"{prev} {low}", 0) / (prev_domain + DOMAIN_PAIR_DOUBT)
        prev_count = self.corpus.get(prev, 0)
        if prev_count:
            seen = self.corpus_bigrams.get((prev, low), 0)
            if seen:
                seen -= self.left_out.get((prev, low), 0)
                p += corpus_weight * seen / (prev_count + CORPUS_BIGRAM_DOUBT)
        prev_en = self.english.words.get(prev, 0)
        if prev_en:
            pair = self.english.bigrams.get(f"{prev} {low}", 0)
            p += ENGLISH_BIGRAM_WEIGHT * pair / (prev_en * self.english.bigram_scale)
        if (prev, low) in self.terms.bigrams or (prev, low.removesuffix("s")) in self.terms.bigrams or (
                prev, low + "s") in self.terms.bigrams:
            p += DOMAIN_BIGRAM_PROBABILITY
        return p

    @contextmanager
    def leaving_out(self, text: str) -> Iterator[None]:
        """Within the block, the pairs ``text`` adds to the corpus counts do not count (when ``text``
        is one of the corpus notes): a note's slips, made once or in a line it copies, are no
        evidence for themselves."""
        self.left_out = self.note_bigrams.get(text, Counter())
        try:
            yield
        finally:
            self.left_out = Counter()

    def log_next(self, prev: str, low: str) -> float:
        return math.log(max(self.next_probability(prev, low), 1e-30))

    # -- finding words near a typo ------------------------------------------------------------

    def build_index(self) -> None:
        """Index the believed words for ``near_words``: the shipped words come from a per-process
        cache (only their probabilities depend on the notes); the corpus's own words are indexed here."""
        base = _shipped_index()
        weight = self.corpus_weight
        log_probs = _base_log_probs(base, weight)
        flat = log_probs  # one array over all shipped words, in index order
        own_words = self.trusted | self.protected
        if self.terms is not shipped_terms():
            own_words |= self.terms.canonical.keys()
        boost: dict[int, float] = {}
        for word in self.corpus.keys() | own_words:
            at = base.position.get(word)
            if at is not None:
                boost[at] = self.probability(word)
        if boost:
            rows = np.fromiter(boost.keys(), dtype=np.int64, count=len(boost))
            flat = flat.copy()
            flat[rows] = np.log(np.fromiter(boost.values(), dtype=np.float64, count=len(boost)) + 1e-30)
        groups: dict[str, list[_IndexGroup]] = {}
        for first, group in base.groups.items():
            groups[first] = [_IndexGroup(group.members, group.bags, group.lengths,
                                         flat[group.offset:group.offset + len(group.members)])]
        extra = [w for w in own_words if w not in base.position]
        for first, group in _index_groups(extra).items():
            group.log_probs = np.log(np.array([self.probability(w) for w in group.members]) + 1e-30)
            groups.setdefault(first, []).append(group)
        self._index = groups

    def near_words(self, typed: str, max_letters_off: int, max_length_gap: int, keep: int,
                   cost_per_letter: float) -> list[tuple[float, str]]:
        """Believed words starting with the typed first or second letter whose letters differ from
        the typed ones by at most ``max_letters_off`` (ignoring order), the ``keep`` most promising
        by probability and letters off (``cost_per_letter`` nats each)."""
        if not self._index:
            self.build_index()
        if not typed or any(ch not in _LETTER_INDEX for ch in typed):
            return []
        bag = np.zeros(len(ALPHABET), dtype=np.int8)
        for ch in typed:
            bag[_LETTER_INDEX[ch]] += 1
        scored: list[tuple[float, str]] = []
        for first in dict.fromkeys(typed[:2]):
            for group in self._index.get(first, ()):
                lengths = group.lengths
                lo, hi = np.searchsorted(lengths, [len(typed) - max_length_gap,
                                                   len(typed) + max_length_gap + 1])
                if lo >= hi:
                    continue
                diff = group.bags[lo:hi] - bag
                over = np.maximum(diff, 0).sum(axis=1, dtype=np.int16)
                under = over - (lengths[lo:hi] - len(typed))
                off = np.maximum(over, under)
                rows = np.flatnonzero(off <= max_letters_off)
                if not len(rows):
                    continue
                log_probs = group.log_probs[lo:hi][rows]
                promise = off[rows] * cost_per_letter - log_probs
                best = _smallest(promise, keep)
                # and the closest in letters and length, however rare: a likely word must not
                # crowd out a rare one a single slip away ("revoe": "revoke", not only "review")
                length_gap = np.abs(lengths[lo:hi][rows] - len(typed))
                closeness = off[rows] * 100.0 + length_gap * 10.0 - np.maximum(log_probs, -9.0)
                best = np.union1d(best, _smallest(closeness, keep // 2))
                scored += [(float(promise[b]), group.members[lo + rows[b]]) for b in best]
        scored.sort()
        return scored[:keep + keep // 2]


def _smallest(values: np.ndarray, keep: int) -> np.ndarray:
    """Positions of the ``keep`` smallest values (all when there are fewer)."""
    if len(values) <= keep:
        return np.arange(len(values))
    return np.argpartition(values, keep)[:keep]


@dataclass
class _IndexGroup:
    """Words of one first letter, sorted by length, with letter counts for a vectorised pre-filter."""

    members: list[str]
    bags: np.ndarray
    lengths: np.ndarray
    log_probs: np.ndarray
    offset: int = 0
    """Position of the first member in the shipped index's flat arrays."""


@dataclass(frozen=True)
class _ShippedIndex:
    groups: dict[str, _IndexGroup]
    position: dict[str, int]
    """word -> position in the flat arrays (groups one after another)."""
    english: np.ndarray
    """English count of each word, in flat order."""
    listed: np.ndarray
    """Whether each word is on the shipped AWS/technical lists, in flat order."""
    domain: np.ndarray
    """AWS documentation count of each word, in flat order."""


def _index_groups(words: Iterable[str]) -> dict[str, _IndexGroup]:
    letters = frozenset(ALPHABET)
    by_first: dict[str, list[str]] = {}
    for word in words:
        if word and word[0] != "'" and letters.issuperset(word):
            by_first.setdefault(word[0], []).append(word)
    codes = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
    groups: dict[str, _IndexGroup] = {}
    for first in sorted(by_first):
        members = sorted(by_first[first], key=lambda w: (len(w), w))
        width = len(members[-1])
        chars = np.frombuffer("".join(w.ljust(width) for w in members).encode(), dtype=np.uint8)
        chars = chars.reshape(len(members), width)
        bags = np.stack([(chars == code).sum(axis=1) for code in codes], axis=1).astype(np.int8)
        lengths = np.array([len(w) for w in members], dtype=np.int16)
        groups[first] = _IndexGroup(members, bags, lengths, np.zeros(0))
    return groups


@once
def _shipped_index() -> _ShippedIndex:
    """The near-word index of the shipped English and AWS words, built once per process."""
    english, terms = english_counts(), shipped_terms()
    groups = _index_groups(english.words.keys() | terms.canonical.keys())
    position: dict[str, int] = {}
    for group in groups.values():
        group.offset = len(position)
        for word in group.members:
            position[word] = len(position)
    words = list(position)
    counts = np.array([english.words.get(w, 0) for w in words], dtype=np.float64)
    listed = np.array([w in terms.canonical for w in words], dtype=bool)
    domain = domain_counts().words
    in_domain = np.array([domain.get(w, 0) for w in words], dtype=np.float64)
    return _ShippedIndex(groups, position, counts, listed, in_domain)


def _base_log_probs(base: _ShippedIndex, corpus_weight: float) -> np.ndarray:
    """log P of every shipped word with no help from the notes (``Vocabulary.probability``)."""
    total = english_counts().total
    p = (1 - corpus_weight) * base.english / total + DOMAIN_PROBABILITY * base.listed
    p = p + DOMAIN_LM_WEIGHT * base.domain / domain_counts().total * (p > 0)
    return np.log(p + 1e-30)


_VARIANTS = (("yz", "ys"), ("eled", "elled"), ("eling", "elling"), ("eler", "eller"), ("log", "logue"),
             ("ense", "ence"), ("or", "our"), ("er", "re"), ("ize", "ise"), ("ization", "isation"))


def spelling_variants(low: str) -> list[str]:
    """The British spellings of an American word (``analyze`` -> ``analyse``): the shipped English
    list has some words in one spelling only."""
    out = []
    for american, british in _VARIANTS:
        at = low.rfind(american)
        if at > 0:
            out.append(low[:at] + british + low[at + len(american):])
    return out


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
             ("ing", "e"), ("ly", ""), ("er", ""), ("ers", ""), ("er", "e"), ("ers", "e"), ("ment", ""),
             ("ments", ""), ("able", ""), ("able", "e"))
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh", "o")


def _stems(low: str) -> list[str]:
    """Words ``low`` may be a regular form of, by English suffix rules."""
    out = []
    for suffix, restore in _SUFFIXES:
        if not low.endswith(suffix) or len(low) <= len(suffix) + 3:
            continue
        stem = low[: -len(suffix)]
        if suffix == "es" and not stem.endswith(_SIBILANT_ENDINGS):
            continue  # "calles" is no form of "call"
        if suffix == "s" and stem.endswith(("s", "'")):
            continue  # "acess" is no form of "aces"
        out.append(stem + restore)
        if not restore and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
            out.append(stem[:-1])  # "mapped" -> "map"
    return out


def count_corpus(texts: Iterable[str], english: EnglishCounts, terms: DomainTerms
                 ) -> tuple[Counter[str], Counter[tuple[str, str]], frozenset[str],
                            dict[str, Counter[tuple[str, str]]]]:
    """Word and neighbouring-word counts of the notes, the words English lacks that they use
    often enough, in enough files, to be believed, and each note's own pair counts."""
    counts: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    files_using: Counter[str] = Counter()
    per_note: dict[str, Counter[tuple[str, str]]] = {}
    for text in texts:
        words_here: set[str] = set()
        note_pairs: Counter[tuple[str, str]] = per_note.setdefault(text, Counter())
        for line_words in _line_word_runs(text):
            lows = [w.lower() for w in line_words]
            counts.update(lows)
            words_here.update(lows)
            note_pairs.update(zip(lows, lows[1:], strict=False))
        files_using.update(words_here)
    for note_pairs in per_note.values():
        bigrams.update(note_pairs)
    known = english.words.keys() | terms.canonical.keys()
    trusted = frozenset(
        w for w, n in counts.items()
        if n >= CORPUS_TRUST_COUNT and files_using[w] >= 2 and len(w) >= 3 and w not in known
        # in only two files, a word one slip from a commoner one is more likely a typo made twice
        and (files_using[w] >= CORPUS_TRUST_FILES or not _repeated_typo(w, counts, known)))
    return counts, bigrams, trusted, per_note


def _line_word_runs(text: str) -> Iterable[list[str]]:
    """Runs of words separated by spaces only (punctuation breaks a run), line by line."""
    lines = text.split("\n")
    for line, in_code in zip(lines, fenced_lines(lines), strict=True):
        if not in_code:
            yield from word_runs(line)


def _repeated_typo(word: str, counts: Counter[str], known: Iterable[str] | frozenset[str]) -> bool:
    """Whether a word the notes repeat is more likely the same typo made again (``acess`` beside an
    at least as frequent ``access``) than a word of its own."""
    return any(other in known and counts.get(other, 0) >= TYPO_REPEAT_RATIO * counts[word]
               for other in one_edit_away(word))


def build_vocabulary(corpus_texts: Iterable[str], user_words: Iterable[str] = (),
                     extra_terms: Iterable[str] = ()) -> Vocabulary:
    english = english_counts()
    terms = shipped_terms()
    extra = list(extra_terms)
    if extra:
        base = shipped_terms()
        more = domain_terms(extra)
        terms = DomainTerms({**base.canonical, **more.canonical}, base.acronyms | more.acronyms,
                            base.bigrams | more.bigrams)
    counts, bigrams, trusted, per_note = count_corpus(corpus_texts, english, terms)
    protected = frozenset(w.lower() for w in user_words) | informal_words()
    vocab = Vocabulary(english, terms, counts, bigrams, trusted, protected, note_bigrams=per_note)
    vocab.corpus_total = max(1, sum(n for w, n in counts.items() if vocab.is_known(w)))
    longer = [(w, n) for w, n in counts.items() if len(w) >= 3]
    unknown = sum(n for w, n in longer if not vocab.is_known(w) and not vocab.is_inflection(w))
    vocab.corpus_unknown_share = unknown / max(1, sum(n for _, n in longer))
    # unknown words (typos) should not feed the corpus model
    for word in [w for w in counts if not vocab.is_known(w)]:
        del counts[word]
    for pair in [p for p in bigrams if not all(vocab.corpus_vouches_for(w) for w in p)]:
        del bigrams[pair]
    return vocab
