"""What a question is about, and whether the notes cover it at all.

Two reasons to say "not in your notes" that no BM25 score can give, because on large notes every word
of any question turns up somewhere:

- **A named AWS topic the notes never mention.** The shipped term list (``aws_terms.txt``: services,
  features, settings) and acronym list name AWS topics. When a question names one ("Nitro Enclaves",
  "Macie", "Block Public Access") and no chunk of the notes does, in any of its names (``ECR`` or
  "Elastic Container Registry"; "GuardDuty" or "guard duty"; "pre-signed URL" or "presigned URL"), the
  honest answer is "your notes don't cover it", not a chunk about something else.
- **No word about the notes' subject.** A word is *topical* when the notes (or the shipped AWS
  documentation counts) use it far more often than English does. "What's a good recipe for sourdough?"
  has no topical word, even in notes where "recipe" occurs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.files import shipped_text
from indexer.search.tokenize import Tokenizer, written_out

TERMS_FILE = "aws_terms.txt"
SKIPPED_SECTIONS = ("## Security and networking acronyms", "## Security tools and platforms")
"""Sections of the term list that are not AWS topics (generic acronyms, third-party products)."""
PREFIXES = ("aws", "amazon")
COMMON_ENGLISH = 2_000_000
"""A one-word topic that is this common in English ("Config", "Backup") is named only when written as
a name: capitalised mid-sentence, all caps, or after "AWS"/"Amazon"."""
TOPICAL = 2.6
"""A word is topical when its frequency in the notes (or AWS documentation) is at least e**TOPICAL
(about 13) times its frequency in English."""
HALF_TOPICAL = 1.5
"""Two words each used at least e**HALF_TOPICAL (about 4.5) times more often than in English ("policy",
"version") make a question about the notes' subject too."""
MAX_GAP = 2
"""Words a topic's name may have between its own words in the notes ("interface VPC endpoint")."""

_WORD = re.compile(r"[A-Za-z0-9]+")
_API_NAME = re.compile(r"^[A-Z]?[a-z0-9]+(?:[A-Z][a-z0-9]+)+$|^[a-z0-9-]+:[A-Za-z*]+$")
HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
"""A hyphen inside a word (``pre-signed``): names are compared with it taken out."""


@dataclass(frozen=True)
class Topic:
    """An AWS service, feature or setting, with every name it goes by."""

    name: str
    """As AWS writes it: ``Amazon Macie``."""
    forms: tuple[tuple[str, ...], ...]
    """Lower-cased word sequences that name it, without ``AWS``/``Amazon``: ``("ecr",)``,
    ``("elastic", "container", "registry")``."""


def name_form(word: str) -> str:
    """A word as names are compared: lower case, written out (``acct`` ~ ``account``, see
    :func:`~indexer.search.tokenize.written_out`), plural ending off (``roles`` ~ ``role``, ``policies``
    ~ ``policy``), nothing else (stemming would take ``managed`` for ``manager``)."""
    word = word.lower()
    word = written_out().get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _name_words(text: str, *, join_hyphens: bool = True) -> tuple[str, ...]:
    words = [w.lower() for w in _WORD.findall(HYPHEN.sub("", text) if join_hyphens else text)]
    while len(words) > 1 and words[0] in PREFIXES:
        words = words[1:]
    return tuple(words)


def parse_topics(terms_text: str, acronyms: Mapping[str, Sequence[str]]) -> tuple[Topic, ...]:
    """The topics of a term list (one name a line, ``## `` sections), linked to acronyms both ways."""
    expansions = {key: [_name_words(e) for e in values] for key, values in acronyms.items()}
    named_as = {key: {tuple(map(name_form, e)) for e in spelled} for key, spelled in expansions.items()}
    topics: list[Topic] = []
    skipping = api_section = False
    for raw in terms_text.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            skipping = line.startswith(SKIPPED_SECTIONS)
            api_section = " API" in line  # operation names (Decrypt) and settings: names of two words up
            continue
        if skipping or not line or line.startswith("#") or _API_NAME.match(line):
            continue
        words = _name_words(line)
        if not words or (api_section and len(words) < 2):
            continue
        forms = {words, _name_words(line, join_hyphens=False)}  # "service-linked" and "service linked"
        if len(words) == 1:
            forms.update(expansions.get(words[0], ()))
        named = tuple(map(name_form, words))
        for acronym, spelled in expansions.items():
            # its acronym, and every other name the acronym stands for ("Security Groups" ~ SG)
            if named in named_as[acronym]:
                forms.add((acronym,))
                forms.update(spelled)
        topics.append(Topic(line, tuple(sorted(forms, key=lambda f: (-len(f), f)))))
    return tuple(topics)


def shipped_topics(acronyms: Mapping[str, Sequence[str]]) -> tuple[Topic, ...]:
    """The topics of the shipped term list."""
    return parse_topics(shipped_text(TERMS_FILE), acronyms)


@dataclass(frozen=True)
class NamedTopic:
    """A topic a question names, and where."""

    topic: Topic
    start: int
    """Index of its first word among the question's words."""
    end: int
    """Index after its last word."""


class TopicFinder:
    """Finds named topics in questions (words compared by :func:`name_form`)."""

    def __init__(
        self,
        topics: Iterable[Topic],
        tokenizer: Tokenizer,
        english: Mapping[str, int],
        plain_words: frozenset[str] = frozenset(),
    ) -> None:
        self.tokenizer = tokenizer
        self.english = english
        self.plain_words = plain_words
        """Words that are no name in lower case whatever English says (``config``, ``creds``)."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], Topic]]] = {}
        for topic in topics:
            for form in topic.forms:
                names = tuple(name_form(w) for w in form)
                self._by_first.setdefault(names[0], []).append((names, topic))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def named(self, question: str) -> list[NamedTopic]:
        """The topics ``question`` names, longest names first, never two over the same words."""
        raw = [w for w in _WORD.findall(HYPHEN.sub("", question)) if not w.isdigit()]
        low = [w.lower() for w in raw]
        stems = [name_form(w) for w in low]
        found: list[NamedTopic] = []
        taken: set[int] = set()
        i = 0
        while i < len(stems):
            match = next(
                (
                    (form, topic)
                    for form, topic in self._by_first.get(stems[i], ())
                    if tuple(stems[i : i + len(form)]) == form
                    and not taken.intersection(range(i, i + len(form)))
                    and (len(form) > 1 or self._written_as_name(raw, low, i))
                ),
                None,
            )
            if match is None:
                i += 1
                continue
            form, topic = match
            found.append(NamedTopic(topic, i, i + len(form)))
            taken.update(range(i, i + len(form)))
            i += len(form)
        return found

    def _written_as_name(self, raw: list[str], low: list[str], i: int) -> bool:
        word = raw[i]
        if len(word) == 1:  # "quick q:", "Q:" are no Amazon Q; "Amazon Q" is
            return i > 0 and low[i - 1] in PREFIXES
        if word.isupper() or (i > 0 and (word[:1].isupper() or low[i - 1] in PREFIXES)):
            return True
        return self.english.get(low[i], 0) < COMMON_ENGLISH and low[i] not in self.plain_words


def phrase_in(
    terms: Sequence[str], phrase: Sequence[str], max_gap: int = MAX_GAP, either_way: bool = True
) -> bool:
    """Whether ``phrase`` occurs in ``terms`` in order with at most ``max_gap`` other terms between its
    words, or (a two-word phrase, ``either_way``) the other way round ("encryption in flight" ~ "in-flight
    encryption")."""
    n = len(phrase)
    for i, term in enumerate(terms):
        if term != phrase[0]:
            continue
        j, k = i, 1
        while k < n:
            ahead = range(j + 1, min(j + max_gap + 2, len(terms)))
            nxt = next((at for at in ahead if terms[at] == phrase[k]), None)
            if nxt is None:
                break
            j, k = nxt, k + 1
        if k == n:
            return True
    if n == 2 and either_way:
        return any(terms[i] == phrase[1] and terms[i + 1] == phrase[0] for i in range(len(terms) - 1))
    return False


def about_the_notes(topicalities: Iterable[tuple[float, bool]]) -> bool:
    """Whether a question is about the notes' subject, from its words' topicalities (see
    :func:`topicality`) and whether each was written as the notes write it (not a guess at a typo): one
    clearly topical word, or two fairly topical words as written ("version", "policy"; "tyre" read as a
    typo of "type" is no evidence)."""
    found = list(topicalities)
    if any(value >= TOPICAL for value, _ in found):
        return True
    return sum(1 for value, as_written in found if as_written and value >= HALF_TOPICAL) >= 2


def topicality(
    word: str, notes_share: float, domain_share: float, english: Mapping[str, int], english_total: int
) -> float:
    """How much more often the notes (or AWS documentation) use ``word`` than English does, as a log
    ratio; a word English does not know at all is topical when the notes or the docs use it."""
    count = english.get(word, 0)
    if count == 0:
        return math.inf if notes_share or domain_share else -math.inf
    share = count / english_total
    best = max(notes_share, domain_share)
    return math.log(best / share) if best else -math.inf


def rows_with_all(postings: Sequence[np.ndarray]) -> np.ndarray:
    """The document ids present in every one of ``postings``."""
    rows = postings[0]
    for other in postings[1:]:
        rows = np.intersect1d(rows, other, assume_unique=True)
    return rows
