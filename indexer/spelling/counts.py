"""The shipped word lists the cleaner (and the search and the quiz) count on, each read once per process.

- general English: symspellpy's frequency dictionary and bigram dictionary, shipped in its wheel;
- AWS: ``indexer/data/aws_terms.txt`` (services, features, API names, acronyms) and
  ``indexer/data/tech_words.txt`` (technical words English dictionaries miss);
- the AWS domain language model: word and word-pair counts of public AWS documentation,
  ``indexer/data/domain_words.txt`` and ``domain_pairs.txt`` (made by ``build_domain_lm.py``);
- informal words of technical notes (``creds``, ``perms``, ``config``): ``indexer/data/informal_words.txt``,
  never changed by the cleaner.

Each list is parsed from its text by a pure function; the ``@once`` loaders read the shipped files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.files import shipped_text, symspellpy_text
from indexer.once import once

ENGLISH_WORDS_FILE = "frequency_dictionary_en_82_765.txt"
ENGLISH_BIGRAMS_FILE = "frequency_bigramdictionary_en_243_342.txt"
DATA_FILES = ("aws_terms.txt", "tech_words.txt")
DOMAIN_WORDS_FILE = "domain_words.txt"
DOMAIN_PAIRS_FILE = "domain_pairs.txt"
INFORMAL_WORDS_FILE = "informal_words.txt"
CONTRACTION_COUNT = 30_000_000
"""How often a contraction is counted (the English list counts every one as 300,000)."""

_TERM_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")


def parse_word_counts(text: str) -> dict[str, int]:
    """``word count`` lines -> word -> count (other lines, such as ``#`` comments, are skipped)."""
    words: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            words[parts[0]] = int(parts[1])
    return words


def parse_pair_counts(text: str) -> dict[str, int]:
    """``first second count`` lines -> ``"first second"`` -> count (other lines are skipped)."""
    pairs: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            pairs[f"{parts[0]} {parts[1]}"] = int(parts[2])
    return pairs


def read_term_lines(text: str) -> list[str]:
    """Non-empty lines of a data or user file, without ``#`` comments."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@once
def listed_english_counts() -> dict[str, int]:
    """symspellpy's English word frequencies exactly as listed (no bigrams), read once per process."""
    return parse_word_counts(symspellpy_text(ENGLISH_WORDS_FILE))


@once
def english_word_counts() -> dict[str, int]:
    """The English word frequencies the cleaner and the search use: as listed, but contractions, which
    the list counts far below how often they are written, raised to ``CONTRACTION_COUNT``."""
    return {w: max(n, CONTRACTION_COUNT) if "'" in w else n for w, n in listed_english_counts().items()}


@dataclass(frozen=True)
class EnglishCounts:
    words: dict[str, int]
    total: int
    bigrams: dict[str, int]
    bigram_scale: float
    """Bigram counts come from a larger sample than word counts: divide by this to compare them."""


@once
def english_counts() -> EnglishCounts:
    """symspellpy's shipped English word and bigram frequencies, read once per process."""
    words = english_word_counts()
    bigrams = parse_pair_counts(symspellpy_text(ENGLISH_BIGRAMS_FILE))
    total = sum(words.values())
    scale = sum(bigrams.values()) / total
    return EnglishCounts(words, total, bigrams, scale)


@dataclass(frozen=True)
class DomainCounts:
    """The domain language model: word and neighbouring-word counts of AWS documentation."""

    words: dict[str, int]
    total: int
    pairs: dict[str, int]
    """``"first second"`` -> count."""


@once
def domain_counts() -> DomainCounts:
    """The shipped AWS documentation counts (``build_domain_lm.py``), read once per process."""
    words = parse_word_counts(shipped_text(DOMAIN_WORDS_FILE))
    pairs = parse_pair_counts(shipped_text(DOMAIN_PAIRS_FILE))
    return DomainCounts(words, max(1, sum(words.values())), pairs)


@dataclass(frozen=True)
class DomainTerms:
    canonical: dict[str, str]
    """lower-case word -> how AWS writes it (``dynamodb`` -> ``DynamoDB``, ``iam`` -> ``IAM``)."""
    acronyms: frozenset[str]
    """lower-case forms of all-caps terms (``iam``, ``kms``)."""
    bigrams: frozenset[tuple[str, str]]
    """Neighbouring words of multi-word names (``kinesis data``, ``data firehose``)."""


@once
def informal_words() -> frozenset[str]:
    """Informal words of technical notes (``creds``, ``perms``, ``config``), lower case, read once."""
    lines = read_term_lines(shipped_text(INFORMAL_WORDS_FILE))
    return frozenset(word.lower() for line in lines for word in line.split())


@once
def shipped_terms() -> DomainTerms:
    """The shipped AWS and technical word lists, read once per process."""
    lines: list[str] = []
    for name in DATA_FILES:
        lines += read_term_lines(shipped_text(name))
    return domain_terms(lines)


def domain_terms(lines: Iterable[str]) -> DomainTerms:
    """The words of term lines (``Amazon DynamoDB``, ``IAM``) and how AWS writes them."""
    canonical: dict[str, str] = {}
    acronyms: set[str] = set()
    bigrams: set[tuple[str, str]] = set()
    for term in lines:
        words = _TERM_WORD.findall(term)
        for word in words:
            low = word.lower()
            if word.isupper() and len(word) >= 2 and word.isalpha():
                acronyms.add(low)
            # prefer a form with capitals inside (DynamoDB) over a plain one (Dynamodb)
            if low not in canonical or _inner_capitals(word) > _inner_capitals(canonical[low]):
                canonical[low] = word
        for a, b in zip(words, words[1:], strict=False):
            bigrams.add((a.lower(), b.lower()))
    return DomainTerms(canonical, frozenset(acronyms), frozenset(bigrams))


def _inner_capitals(word: str) -> int:
    return sum(ch.isupper() for ch in word[1:])
