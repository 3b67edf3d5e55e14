"""Turn text into index terms, the same way for notes and questions.

Lower-case words, stopwords out, Snowball stemming that leaves acronyms and AWS names alone, and
joined forms of hyphenated acronyms (``SSE-C`` and ``SSE - C`` both give ``ssec``). The settings travel
inside the index file, so a question is always tokenized exactly as the notes were.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from indexer.files import shipped_text

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_HYPHENATED = re.compile(r"(?=(?<![a-z0-9])([a-z0-9]+)[ \t]*-[ \t]*([a-z0-9]+)(?![a-z0-9]))")
_QUANTITY = re.compile(
    r"(?<![a-z0-9.,])(\d+(?:\.\d+)?)[ \t]+(kb|mb|gb|tb|kib|mib|gib|ms|sec|secs|min|mins|hr|hrs)(?![a-z0-9])"
)
"""A number and its unit written apart (``4 KB``), joined as a learner may type them (``4kb``)."""
FORMAT = 2
MAX_STEMMED_LENGTH = 64
"""Longer tokens are kept as they are: no word is that long (they are hashes, keys, a pasted blob),
and the Snowball stemmer's time grows with the square of a word's length."""


def _data_lines(name: str) -> list[str]:
    text = shipped_text(name)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_acronyms() -> dict[str, tuple[str, ...]]:
    """The shipped acronym list: lower-cased acronym -> its expansions."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _data_lines("acronyms.txt"):
        if ":" not in line:
            continue
        key, _, rest = line.partition(":")
        table[key.strip().lower()] = tuple(e.strip().lower() for e in rest.split("|") if e.strip())
    return table


@lru_cache(maxsize=1)
def _short_form_pairs() -> tuple[tuple[str, str], ...]:
    """(word, short form) for each short form ``short_forms.txt`` lists, in its order."""
    pairs = []
    for line in _data_lines("short_forms.txt"):
        full, *shorts = line.lower().split()
        pairs += [(full, short) for short in shorts]
    return tuple(pairs)


@lru_cache(maxsize=1)
def short_forms() -> dict[str, tuple[str, ...]]:
    """The shipped short forms (``short_forms.txt``), both ways: a word -> the other words that are the
    same word written out or cut short (``account`` -> ``acct``, ``accts``; ``acct`` -> ``account``)."""
    forms: dict[str, dict[str, None]] = {}
    for full, short in _short_form_pairs():
        forms.setdefault(full, {})[short] = None
        forms.setdefault(short, {})[full] = None
    return {word: tuple(others) for word, others in forms.items()}


@lru_cache(maxsize=1)
def written_out() -> dict[str, str]:
    """Each shipped short form -> the word it stands for (``accts`` -> ``account``; the first listed)."""
    out: dict[str, str] = {}
    for full, short in _short_form_pairs():
        out.setdefault(short, full)
    return out


@lru_cache(maxsize=1)
def question_word_rings() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The shipped rings of interchangeable question words (``question_words.txt``): a word -> the
    rings it is in, each ring its words."""
    rings: dict[str, list[tuple[str, ...]]] = {}
    for line in _data_lines("question_words.txt"):
        ring = tuple(dict.fromkeys(line.lower().split()))
        for word in ring:
            rings.setdefault(word, []).append(ring)
    return {word: tuple(found) for word, found in rings.items()}


@dataclass(frozen=True)
class TokenizerSettings:
    """Everything that decides how text becomes terms; saved in the index file."""

    stopwords: frozenset[str]
    """Words dropped from notes and questions."""
    keep_unstemmed: frozenset[str]
    """Words the stemmer leaves alone (besides acronyms, words with digits and short words)."""
    acronyms: dict[str, tuple[str, ...]] = field(hash=False)
    """Lower-cased acronym -> expansions, matched both ways in questions."""
    stemmer: str = "english"
    """Snowball stemmer language."""

    @classmethod
    def default(cls) -> TokenizerSettings:
        """The settings from the shipped data files."""
        acronyms = load_acronyms()
        keep = set(_data_lines("keep_unstemmed.txt")) | set(acronyms)
        return cls(
            stopwords=frozenset(_data_lines("stopwords.txt")),
            keep_unstemmed=frozenset(keep),
            acronyms=acronyms,
        )

    def to_json(self) -> dict:
        """A plain-JSON form for the index file."""
        return {
            "format": FORMAT,
            "stopwords": sorted(self.stopwords),
            "keep_unstemmed": sorted(self.keep_unstemmed),
            "acronyms": {k: list(v) for k, v in sorted(self.acronyms.items())},
            "stemmer": self.stemmer,
        }

    @classmethod
    def from_json(cls, data: dict) -> TokenizerSettings:
        """Read back what :meth:`to_json` wrote; raises ``ValueError`` on an unknown format."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown tokenizer format {data.get('format')!r}")
        return cls(
            stopwords=frozenset(data["stopwords"]),
            keep_unstemmed=frozenset(data["keep_unstemmed"]),
            acronyms={k: tuple(v) for k, v in data["acronyms"].items()},
            stemmer=data["stemmer"],
        )


class Tokenizer:
    """Text -> words -> terms, under one set of :class:`TokenizerSettings`.

    Safe to share between threads: a Snowball stemmer keeps the word it is working on in itself, so
    one stems one word at a time, under a lock; the cache of stems is outside the lock.
    """

    def __init__(self, settings: TokenizerSettings) -> None:
        self.settings = settings
        self._stemmer = snowballstemmer.stemmer(settings.stemmer)
        self._stemmer_lock = threading.Lock()
        self._cached_stem = lru_cache(maxsize=200_000)(self._stem)

    def stem(self, word: str) -> str:
        """The index term of a word: its Snowball stem, or the word itself for acronyms, AWS names, words
        with digits, words of three letters or fewer and tokens too long to be words; an acronym's plural
        is the acronym (``SCPs`` is ``scp``)."""
        if len(word) > MAX_STEMMED_LENGTH:
            return word  # not cached either: a pasted blob must not fill the cache
        return self._cached_stem(word)

    def _stem(self, word: str) -> str:
        if word.endswith("'s"):
            word = word[:-2]  # "S3's" is "s3", "AWS's" is "aws"
        keep = self.settings.keep_unstemmed
        if word.endswith("s") and word not in keep and word[:-1] in keep:
            return word[:-1]  # "SCPs" is "scp", "OUs" is "ou" ("KMS" and "SQS" are names of their own)
        if len(word) <= 3 or word in keep or any(c.isdigit() for c in word):
            return word
        with self._stemmer_lock:
            return self._stemmer.stemWord(word)

    def words(self, text: str) -> list[str]:
        """Lower-cased words worth indexing, in order: stopwords and single letters dropped."""
        stopwords = self.settings.stopwords
        return [
            w
            for w in WORD.findall(text.lower())
            if w not in stopwords and len(w) > 1 and not (w.endswith("'s") and w[:-2] in stopwords)
        ]

    @staticmethod
    def compounds(text: str) -> list[str]:
        """Joined hyphenated pairs with a short side (``SSE-C``, ``SSE - S3`` give ``ssec``, ``sses3``) and
        a number and its unit written apart (``4 KB`` also gives ``4kb``, as typed ``4KB`` is)."""
        low = text.lower()
        found = []
        for m in _HYPHENATED.finditer(low):
            left, right = m.group(1), m.group(2)
            if min(len(left), len(right)) <= 3:
                found.append(left + right)
        found += [m.group(1) + m.group(2) for m in _QUANTITY.finditer(low)]
        return found

    def terms(self, text: str) -> list[str]:
        """Index terms of a text: its words and compounds, stemmed."""
        return [self.stem(w) for w in self.words(text)] + self.compounds(text)
