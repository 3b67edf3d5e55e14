"""Fairness checks on what the notes say: readable English (a typo the cleaner left behind drops the fact
rather than reaching a learner), how alike two facts are, and the facts and labels whose cleaning looks
like a guess (checked against the notes as written and the cleaner's own fixes, both handed in)."""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from indexer.model import Chunk
from indexer.once import once
from indexer.quiz.facts import Fact, Node
from indexer.quiz.quantities import find_quantities
from indexer.quiz.terms import quiz_terms, terms_in
from indexer.search.tokenize import Tokenizer, TokenizerSettings
from indexer.spelling.clean import CleanResult
from indexer.spelling.counts import domain_counts, listed_english_counts, shipped_terms

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")
_MIXED_TOKEN = re.compile(r"(?<![\w.-])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+(?![\w.-])")
_CAMEL_BOUNDARY = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])")
_IDENTIFIER = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")

# -- readability and similarity ------------------------------------------------------------------

ENGLISH_MIN_COUNT = 20_000
"""Words rarer than this in symspellpy's English counts are mostly misspellings; they need other support."""
SHORT_WORD_MIN_COUNT = 20_000_000
"""Words of one to three letters must be this common (``per``, ``key``; not ``lis``, ``kay``)."""
DOMAIN_MIN_COUNT = 3
"""A word AWS documentation uses this often is a word."""
CORPUS_TRUST = (3, 2)
"""A word neither English nor AWS is believed when the notes use it this often, in this many files."""


def _english_count(low: str) -> int:
    """How often English uses a word, as symspellpy's list (the one the cleaner reads) counts it."""
    return listed_english_counts().get(low, 0)


@once
def _english_words() -> frozenset[str]:
    """The English words common enough to trust."""
    return frozenset(w for w, n in listed_english_counts().items() if n >= ENGLISH_MIN_COUNT)


@once
def _domain_words() -> tuple[frozenset[str], frozenset[str]]:
    """(AWS and technical words, acronyms), lower case: the cleaner's lists, the quiz vocabulary and the
    words AWS documentation uses (the shipped domain counts: ``deregister``, ``idempotent``)."""
    words = set(shipped_terms().canonical)
    words |= {w for w, n in domain_counts().words.items() if n >= DOMAIN_MIN_COUNT and w.isalpha()}
    acronyms = set(shipped_terms().acronyms) | set(TokenizerSettings.default().acronyms)
    for term in quiz_terms():
        for word in _WORD_RE.findall(term.name):
            words.add(word.lower())
            if word.isupper():
                acronyms.add(word.lower())
    return frozenset(words), frozenset(acronyms)


_CAPS_SLIP = re.compile(r"[A-Z]{2}[a-z]{2,}")
"""Two capitals then lower case (``SErve``, ``VErsion``): the shift key held too long, unless the word is a
known name (``OAuth``, ``IPsec``)."""


_POSSESSIVE_VERB = re.compile(
    r"(?i)\b(?:my|your|his|its|our|their)\s+(?:must|can|could|should|will|would|may|might|shall|is|are|was|were)\b"
)
"""``your must``: a possessive before a verb is a slip spelling fixes leave (``you must``), never English."""
_ARTICLE_VERB = re.compile(
    r"(?i)\b(?:a|an)\s+(?:using|having|doing|getting|making|giving|taking|must|should)\b"
)
"""``of a using a role``: an article before a verb or a participle used as a preposition is words lost
from a line typed fast, never English."""


_ABBREVIATIONS = frozenset({"vs", "etc", "eg", "ie", "approx", "min", "max", "avg", "misc", "info", "config"})
"""Words written short on purpose in notes: English, not slips."""


class Readability:
    """Whether a text reads as English: every word a common English word (or its plural), an AWS or
    technical term, a known acronym, a CamelCase name, or a word the notes use often in several files.
    An all-caps word must be a known acronym or appear in the notes twice (``IUMA`` is a typo of IAM)."""

    def __init__(self, chunks: Sequence[Chunk], labels: Iterable[str] = ()) -> None:
        counts: Counter[str] = Counter()
        files: dict[str, set[str]] = {}
        for chunk in chunks:
            for word in _WORD_RE.findall(chunk.text + " " + chunk.heading):
                low = word.lower()
                counts[low] += 1
                files.setdefault(low, set()).add(chunk.source)
        self.english = _english_words()
        self.domain, self.acronyms = _domain_words()
        self.enabled = bool(self.english)
        self.trusted = {
            w for w, n in counts.items() if n >= CORPUS_TRUST[0] and len(files[w]) >= CORPUS_TRUST[1]
        }
        self.repeated = {w for w, n in counts.items() if n >= 2}
        # names the notes chose for their headings and sub-lists (GWLB) are names, not slips
        self.named = {w.lower() for label in labels for w in _WORD_RE.findall(label) if w.isupper()}
        codes = Counter(m.lower() for c in chunks for m in _MIXED_TOKEN.findall(c.text + " " + c.heading))
        self.repeated_codes = {w for w, n in codes.items() if n >= 2}
        self._cache: dict[str, bool] = {}

    def readable(self, text: str) -> bool:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = not self.enabled or (
                all(self._code_ok(m) for m in _MIXED_TOKEN.findall(text))
                # a known code's letters are no word of their own ("IPv" of "IPv4", "EC" of "EC2")
                and all(self._word_ok(w) for w in _WORD_RE.findall(_MIXED_TOKEN.sub(" ", text)))
                and not _POSSESSIVE_VERB.search(text)
                and not _ARTICLE_VERB.search(text)
            )
        return found

    def _code_ok(self, token: str) -> bool:
        """Letters and digits in one token (``S3``, ``EC2``, ``AES256``) must be a known name or repeat
        in the notes; ``tos3`` (``to s3``) is a typo."""
        low = token.lower()
        if low in self.domain or low in self.acronyms or low in self.repeated_codes:
            return True
        if re.fullmatch(r"\d+(st|nd|rd|th)", low) or find_quantities(token):
            return True  # 3rd, 4KB
        return any(t.pattern.fullmatch(token) for t in quiz_terms())

    def _word_ok(self, word: str) -> bool:
        low = word.lower().removesuffix("'s").rstrip("'")
        if _CAPS_SLIP.fullmatch(word) and (low not in self.domain or low in self.english):
            return False  # "SErve", "VErsion": the shift key held a letter too long
        if word.isupper() and len(word) >= 2:
            if low in self.acronyms or low in self.domain or low in self.repeated or low in self.named:
                return True
            # an unknown acronym is a name (GENEVE), unless it is one slip from a known one (IUMA ~ IAM)
            slips = 1 if len(low) <= 3 else 2
            return not any(OSA.distance(low, known, score_cutoff=slips) <= slips for known in self.acronyms)
        if low in self.domain or low in self.trusted:
            return True
        if low in _ABBREVIATIONS:
            return True  # "Gateway vs Interface", "etc": written short on purpose
        if len(low) <= 3:  # a short rare word is more often a typo kept as it was ("lis" for "list")
            return _english_count(low) >= SHORT_WORD_MIN_COUNT
        if any(form in self.english for form in (low, low.removesuffix("s"), low.removesuffix("es"))):
            return True
        if _IDENTIFIER.fullmatch(word):
            return True  # ProdDeployer, GenerateDataKey: a name written on purpose, not a slip
        parts = _CAMEL_PART.findall(word)
        return len(parts) > 1 and all(self._word_ok(p) for p in parts)  # CreateGrant, ReEncrypt


class Similarity:
    """Content-word overlap of texts, each word weighted by how rare it is in the notes."""

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._terms: dict[str, frozenset[str]] = {}
        self._totals: dict[str, float] = {}
        df: Counter[str] = Counter()
        for text in texts:
            df.update(self.terms(text))
        n = max(len(texts), 1)
        self.df = df
        self.common_df = max(COMMON_MIN_DF, COMMON_SHARE * n)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.default_idf = math.log(1 + n)

    def terms(self, text: str) -> frozenset[str]:
        """Stemmed content words, plus one token per vocabulary term (``events bridge`` ~ ``EventBridge``)."""
        found = self._terms.get(text)
        if found is None:
            found_terms = terms_in(text)
            names = {TERM_TOKEN + t.name for t, _, _ in found_terms}
            rest = text
            for _, start, end in reversed(found_terms):  # a name counts once, as its token
                rest = rest[:start] + " " + rest[end:]
            split = _CAMEL_BOUNDARY.sub(" ", rest)  # SGroup -> S Group, so it meets "security groups"
            words = self.tokenizer.terms(rest) + (self.tokenizer.terms(split) if split != rest else [])
            found = self._terms[text] = frozenset(words) | names
        return found

    @staticmethod
    def loose(terms: Iterable[str]) -> frozenset[str]:
        """Terms cut to their first letters, so ``storage`` meets ``store`` (for "could also be" checks)."""
        return frozenset(_loose(t) for t in terms)

    def weight(self, terms: Iterable[str]) -> float:
        return sum(self.idf.get(t, self.default_idf) for t in terms)

    def coverage(self, text: str, loose_vocabulary: frozenset[str]) -> float:
        """Weighted share of ``text``'s telling words found (loosely) in ``loose_vocabulary`` (0..1).

        Words most facts use (``must``, ``use``, ``encrypt``) tell nothing about where a fact belongs and
        are left out, unless nothing else is left."""
        terms = self.terms(text)
        telling = frozenset(t for t in terms if self.df.get(t, 0) < self.common_df)
        terms = telling or terms
        total = self.weight(terms)
        found = [t for t in terms if _loose(t) in loose_vocabulary]
        return self.weight(found) / total if total else 0.0

    def total(self, text: str) -> float:
        """The weight of all of a text's words (kept: the same facts are compared again and again)."""
        found = self._totals.get(text)
        if found is None:
            found = self._totals[text] = self.weight(self.terms(text))
        return found

    def overlap(self, a: str, b: str) -> float:
        """Weighted share of ``a``'s words that ``b`` has too (0..1)."""
        total = self.total(a)
        return self.weight(self.terms(a) & self.terms(b)) / total if total else 0.0

    def mutual(self, a: str, b: str) -> tuple[float, float]:
        """:meth:`overlap` both ways: (share of ``a`` in ``b``, share of ``b`` in ``a``)."""
        shared = self.weight(self.terms(a) & self.terms(b))
        ta, tb = self.total(a), self.total(b)
        return (shared / ta if ta else 0.0, shared / tb if tb else 0.0)


COMMON_SHARE = 0.05
COMMON_MIN_DF = 8
"""A word in 5% of the facts (at least 8) is too common to say which topic a fact belongs to."""
TERM_TOKEN = "§"
LOOSE_PREFIX = 4


def _loose(term: str) -> str:
    """A stem without its last letters: ``storag`` and ``store`` meet as ``stor``; names stay whole."""
    return term if term.startswith(TERM_TOKEN) else term[: max(LOOSE_PREFIX, len(term) - 2)]


# -- the notes as written, and the cleaner's guesses ---------------------------------------------

_LETTER_RUN = re.compile(r"[A-Za-z]+")
NEAR_LINE = 0.1
COMMON_WORD = 10_000_000
"""English count of a very common word (every, access, enabled; not reds)."""
GUESS_SHORT = 5
LABEL_LINES = 3
"""A heading's line is at most this many lines above its first chunk."""
HEAVY_CHANGES = (3, 0.34)
"""A line with at least 3 words fixed, and a third of its words, is left out: too many guesses to trust."""


def doubtful_fixes(raw_line: str, clean: str) -> list[tuple[str, str]]:
    """Word changes between a raw line and its cleaned text that look like a wrong guess, not a typo fix.

    Fast typing slips, swaps or doubles letters inside a word; it rarely gets the first letter wrong.
    So a fix is doubtful when it changes the first letter (``actity`` -> ``city``, ``oms`` -> ``KMS``),
    unless the first two letters were swapped (``fo`` -> ``of``) or one extra letter was typed before
    the word (``revery`` -> ``every``); when it turns a negation into an assertion (``doesnt`` -> ``does``);
    or when a short word loses a third of its letters.
    """
    raw_words = [w.lower() for w in _LETTER_RUN.findall(raw_line)]
    clean_words = [w.lower() for w in _LETTER_RUN.findall(clean)]
    doubtful: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=raw_words, b=clean_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    changed = sum(max(a2 - a1, b2 - b1) for op, a1, a2, b1, b2 in opcodes if op == "replace")
    if changed >= HEAVY_CHANGES[0] and changed >= HEAVY_CHANGES[1] * len(clean_words):
        return [(raw_line.strip(), clean.strip())]  # too garbled to trust every guess
    for op, a1, a2, b1, b2 in opcodes:
        if op != "replace":
            continue  # equal; words only in the raw line (markup); words only in the fact (a sub-heading)
        before, after = raw_words[a1:a2], clean_words[b1:b2]
        joined = ("".join(before), "".join(after))
        if not _doubtful_fix(*joined):
            continue  # word boundaries moved ("youro nw" -> "your own") or letters fixed inside words
        if len(before) == len(after) and not any(
            _doubtful_fix(x, y) for x, y in zip(before, after, strict=True)
        ):
            continue  # each word on its own is a plain fix ("caccess plicy" -> "access policy")
        doubtful.append((" ".join(before), " ".join(after)))
    return doubtful


def _doubtful_fix(before: str, after: str) -> bool:
    if before == after:
        return False
    if re.fullmatch(r"(\w+)n'?t", before) and after in (before[:-2], before[:-3]):
        return True  # doesnt -> does
    if before[0] != after[0]:
        swapped = len(before) == len(after) > 1 and before[:2] == after[1] + after[0]
        # one letter too many or too few in front, leaving a very common word: revery -> every, but
        # Creds -> reds is a guess
        shifted = (before[1:] == after or after[1:] == before) and _english_count(after) >= COMMON_WORD
        return not (swapped or shifted)
    return len(before) <= 6 and len(before) - len(after) >= 2


class RawCheck:
    """Compares facts with the raw notes they were cleaned from (when the raw notes are at hand), and
    knows the words the cleaner only guessed (see :func:`cleaner_guesses`)."""

    def __init__(
        self,
        raw_notes: Mapping[str, str] | None,
        guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
    ) -> None:
        self.lines = {source: text.split("\n") for source, text in (raw_notes or {}).items()}
        self.guesses = guesses or {}

    def _guessed_in(self, text: str, source: str, first: int, last: int) -> bool:
        lines = self.guesses.get(source) or {}
        words = {w.lower() for w in _LETTER_RUN.findall(text)}
        return any(g.lower() in words for n in range(first, last + 1) for g in lines.get(n, ()))

    def doubtful(self, fact: Fact) -> bool:
        lines = self.lines.get(fact.chunk.source)
        if not lines:
            return False
        # a list fact joins a label line with short items from other lines: check the label line
        text = fact.text.split(": ", 1)[0] if fact.is_list else fact.text
        own = text.lower()
        first = fact.chunk.line_start
        # a fact may be one sentence of a long line (prose written a paragraph to a line): its line is the
        # one holding it best, not the one most like it as a whole (a short table row or label)
        scored = [
            ((fuzz.partial_ratio if len(raw) > len(own) else fuzz.ratio)(raw.lower(), own) / 100, number, raw)
            for number, raw in enumerate(lines[first - 1 : fact.chunk.line_end], start=first)
        ]
        if not scored:
            return False
        best = max(score for score, _, _ in scored)
        # lines alike ("client must encrypt …", "client must decrypt …"): doubtful only if doubtful for each
        return all(
            doubtful_fixes(raw, text) or self._guessed_in(text, fact.chunk.source, number, number)
            for score, number, raw in scored
            if score >= best - NEAR_LINE
        )

    def doubtful_label(self, node: Node) -> bool:
        """Whether a heading or sub-list label holds a word the cleaner guessed (``AWS Congitos`` ->
        ``AWS Configs``): on the lines just above the node's first chunk (a heading), or on its first
        line (a bullet or bold label)."""
        chunks = [f.chunk for f in node.facts] or [f.chunk for f in node.subtree_facts()]
        if not chunks:
            return False
        first = min(chunks, key=lambda c: c.line_start)
        start = first.line_start
        if node.kind == "heading":
            return self._guessed_in(node.label, first.source, max(start - LABEL_LINES, 1), start - 1)
        return self._guessed_in(node.label, first.source, max(start - 1, 1), start)


def cleaner_guesses(
    notes: Iterable[tuple[str, str]], clean: Callable[[str], CleanResult]
) -> dict[str, dict[int, list[str]]]:
    """source -> line -> words the typo cleaner guessed rather than knew, when the guess is a short or a
    shortened word (``Tokes`` -> ``Takes``, ``Creds`` -> ``Reds``, ``ORale`` -> ``Role``): the kind of
    guess that turns a note into other, wrong words. ``notes`` are (source, text as written) pairs,
    ``clean`` the cleaner the index was built with (``indexer.build`` hands both in)."""
    guesses: dict[str, dict[int, list[str]]] = {}
    for source, text in notes:
        for fix in clean(text).fixes:
            after = fix.after.lower()
            if not fix.certain and (len(after) <= GUESS_SHORT or len(after) < len(fix.before)):
                guesses.setdefault(source, {}).setdefault(fix.line, []).extend(fix.after.split())
    return guesses
