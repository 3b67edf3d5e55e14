"""Typed terms: AWS services, protocols, algorithms, database engines, attacks, IAM policy types, KMS key
types, STS calls, condition keys and other kinds of security settings, read from the term table
``indexer/data/quiz_terms.txt``; what a blank can be, and which other terms are of the same type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.files import shipped_text
from indexer.once import once
from indexer.quiz.question import BLANK, capitalized, display_label, spaced

TERMS_FILE = "quiz_terms.txt"


@dataclass(frozen=True)
class Term:
    """A name that can be blanked, with the type its distractors must share."""

    name: str
    """How choices show it."""
    kind: str
    """What type of thing it is (``service``, ``protocol``, ``policy``, ``condition``, …): the term table's
    header lists every kind."""
    family: str
    """A narrower group (``threat`` services, ``identity`` protocols), preferred as distractors."""
    groups: frozenset[str]
    """Terms sharing a group mean nearly the same thing and are never choices together."""
    pattern: re.Pattern[str] = field(compare=False, hash=False)
    """Finds the term (or an alias) in a line of notes."""
    aliases: tuple[str, ...] = field(default=(), compare=False, hash=False)
    """Other names of it (``Key Management Service`` for ``KMS``)."""
    own_words: tuple[str, ...] = field(default=(), compare=False, hash=False)
    """Words only it uses (``bucket`` for S3, ``user pool`` for Cognito): shown with it, they name it."""
    own_pattern: re.Pattern[str] | None = field(default=None, compare=False, hash=False)
    """Finds one of ``own_words``."""
    keys: tuple[str, ...] = field(default=(), compare=False, hash=False)
    """The first word of each spelling, lower case: a text without any of them cannot name the term."""
    kind_words: frozenset[str] = field(default=frozenset(), compare=False, hash=False)
    """Words saying what kind of thing it is (``relational``, ``key-value``, ``object``), lower case,
    shared with the terms of its kind: a question showing one offers only terms of that kind."""


def _alias_regex(alias: str) -> str:
    case_sensitive = alias.endswith("!")
    alias = alias.rstrip("!")
    words = re.split(r"[\s-]+", alias)
    body = r"[\s-]?".join(re.escape(w) for w in words)
    if len(words) == 1 and len(alias) > 4 and not alias.isupper():
        body = re.escape(alias)
    body = rf"(?<![\w:.\-/@$]){body}(?![\w-]|:\S)"
    return body if case_sensitive else f"(?i:{body})"


def parse_terms(text: str) -> tuple[Term, ...]:
    """The terms of a term table in ``quiz_terms.txt``'s format (``#`` comment lines and blank lines
    skipped); raises ``ValueError`` naming a line that is not ``kind family | Name | aliases | groups``
    (then, optionally, ``| words only it uses | words of its kind``)."""
    terms: list[Term] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts[0].split()) != 2 or len(parts) < 2 or not parts[1]:
            raise ValueError(
                f"term table line {number}: {line!r} is not 'kind family | Name | aliases | groups'"
            )
        kind, family = parts[0].split()
        name = parts[1]
        aliases = [a.strip() for a in parts[2].split(",")] if len(parts) > 2 and parts[2] else []
        groups = frozenset(parts[3].split()) if len(parts) > 3 else frozenset()
        own = tuple(w.strip() for w in parts[4].split(",") if w.strip()) if len(parts) > 4 else ()
        listed = parts[5].split(",") if len(parts) > 5 else []
        kinds = frozenset(w.strip().lower() for w in listed if w.strip())
        spellings = sorted({name, *aliases}, key=len, reverse=True)
        pattern = re.compile("|".join(_alias_regex(s) for s in spellings))
        plain = tuple(a.rstrip("!") for a in aliases)
        own_pattern = re.compile("|".join(_alias_regex(w) for w in own)) if own else None
        keys = tuple({re.split(r"[\s-]+", s.rstrip("!"))[0].lower() for s in spellings})
        terms.append(
            Term(name.rstrip("!"), kind, family, groups, pattern, plain, own, own_pattern, keys, kinds)
        )
    return tuple(terms)


@once
def quiz_terms() -> tuple[Term, ...]:
    """The shipped term table (``indexer/data/quiz_terms.txt``), read once per process."""
    return parse_terms(shipped_text(TERMS_FILE))


SERVICE_PREFIX = re.compile(r"^(?:aws|amazon)\s+", re.IGNORECASE)


_ALTERNATIVES = re.compile(r"(?<![^\s(])[A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)+(?![^\s),;])")
"""Names joined by slashes ("HTTP/HTTPS", "SSL/TLS", "SG/NACL"): each is named, as if written apart (a path
or an address, "docs.aws.amazon.com/kms", "role/Admin" after "arn:", is no such word)."""


def find_terms(text: str) -> list[tuple[Term, int, int]]:
    """Every vocabulary term in ``text`` as (term, start, end), longest match first at a place."""
    found: list[tuple[Term, int, int]] = []
    if "/" in text:
        text = _ALTERNATIVES.sub(lambda m: m.group(0).replace("/", " "), text)  # same length: places hold
    low = text.lower()
    for term in quiz_terms():
        if not any(key in low for key in term.keys):
            continue  # cheap: most texts name few of the terms
        for m in term.pattern.finditer(text):
            found.append((term, m.start(), m.end()))
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    kept: list[tuple[Term, int, int]] = []
    for term, start, end in found:
        if kept and start < kept[-1][2]:
            continue
        kept.append((term, start, end))
    return kept


@lru_cache(maxsize=10_000)
def service_name(label: str) -> str | None:
    """The AWS service a heading is about (``Kinesis Security`` -> ``Kinesis``), else None.

    Known names come from the vocabulary; a heading starting with ``AWS``/``Amazon`` names a service
    even when the vocabulary does not know it, so notes on new services work too.
    """
    text = _NUMBERED.sub("", display_label(label))  # "2. KMS basics", "3.1 CloudTrail"
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"\s+-\s+.*$", "", text)
    text = re.sub(r"\s+(security|important|notes?)$", "", text, flags=re.IGNORECASE).strip(" :")
    bare = SERVICE_PREFIX.sub("", text)
    for candidate in (text, bare):
        for term in quiz_terms():
            if term.kind != "service":
                continue
            m = term.pattern.fullmatch(candidate)
            if m:
                return term.name
    if SERVICE_PREFIX.match(text) and 1 <= len(bare.split()) <= 3 and bare[:1].isupper():
        if len([t for t, _, _ in terms_in(bare) if t.kind == "service"]) > 1:
            return None  # "AWS KMS vs CloudHSM": a comparison of two services, not a third
        return bare
    return None


@lru_cache(maxsize=10_000)
def heading_service(label: str) -> str | None:
    """The AWS service a heading is about: as :func:`service_name`, or the service it starts with
    (``KMS Multi Region Keys`` -> ``KMS``, ``S3 Replication with encryption`` -> ``S3``)."""
    name = service_name(label)
    if name:
        return name
    bare = SERVICE_PREFIX.sub("", _NUMBERED.sub("", display_label(label)))
    found = [f for f in terms_in(bare) if f[0].kind == "service"]
    if not found or found[0][1] != 0:
        return None
    if _VERSUS.search(bare):
        return None  # "EBS vs Instance Store": a comparison, what it says is not about EBS alone
    if len(found) > 1 and _JOINED.fullmatch(bare[found[0][2] : found[1][1]]):
        return None  # "EBS / RDS quick hits": two services' section, neither's alone
    return found[0][0].name


def compares(label: str) -> bool:
    """Whether a heading compares things ("AWS Global Accelerator vs CloudFront"): what sits under it is
    about one of them or both, never about the section above it."""
    return bool(_VERSUS.search(display_label(label)))


_NUMBERED = re.compile(r"^\s*§?\d+(?:\.\d+)*\.?\s+(?=\D)")
"""A section's number before its title ("2. KMS basics", "4.3 AWS Shield")."""
_VERSUS = re.compile(r"\s(?:vs\.?|versus|compared to|compared with)\s", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:/|&|\+|,|and|or|vs\.?|versus)\s*(?:aws\s+|amazon\s+)?", re.IGNORECASE)


@lru_cache(maxsize=20_000)
def terms_in(text: str) -> tuple[tuple[Term, int, int], ...]:
    return tuple(find_terms(text))


@lru_cache(maxsize=1_000)
def term_named(name: str) -> Term | None:
    return next((t for t in quiz_terms() if t.name == name), None)


@lru_cache(maxsize=200_000)
def mentions(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` (a topic or service): as written, or as a vocabulary term."""
    if not name:
        return False
    bare = re.sub(r"\s*\([^)]*\)", "", name)
    padded = " " + spaced(text) + " "
    for candidate in {name, bare, SERVICE_PREFIX.sub("", bare)}:
        words = spaced(candidate).split()
        if sum(map(len, words)) >= 2 and re.search(r" " + " ?".join(map(re.escape, words)) + r" ", padded):
            return True
    term = term_named(service_name(name) or name)
    return bool(term) and any(t is term for t, _, _ in terms_in(text))


def strip_label(text: str, label: str) -> str:
    """``SSE-C: server side encryption …`` -> ``Server side encryption …`` (the label is the answer)."""
    m = re.match(rf"^{re.escape(label)}\s*(?:[:=-]+>?)\s*", text, flags=re.IGNORECASE)
    if m and len(text) - m.end() >= 10:
        return capitalized(text[m.end() :])
    return text


def first_word(name: str) -> str:
    """A name's first word past "AWS"/"Amazon" (``kinesis`` of Kinesis Data Streams)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    words = [w for w in words if w not in ("aws", "amazon")] or words
    return words[0] if words else ""


def same_meaning(a: Term, b: Term | None) -> bool:
    """Whether two terms share a group (TLS, SSL, HTTPS): never choices together."""
    return b is not None and bool(a.groups & b.groups)


def family_of(name: str) -> str:
    """The family of the term ``name`` is (``threat`` for GuardDuty), empty for names the table lacks."""
    term = term_named(name)
    return term.family if term else ""


@once
def _kind_words() -> re.Pattern[str]:
    words = sorted({w for t in quiz_terms() for w in t.kind_words}, key=len, reverse=True)
    return re.compile(r"(?i)(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


@lru_cache(maxsize=20_000)
def kinds_shown(text: str) -> frozenset[str]:
    """The kind words of the term table a text uses (``relational`` in "Relational Database: ____")."""
    return frozenset(m.lower() for m in _kind_words().findall(text)) if _kind_words().pattern else frozenset()


def of_shown_kind(answer: Term, other: Term, shown: frozenset[str]) -> bool:
    """Whether ``other`` is of every kind the question shows that ``answer`` is of: under "NoSQL" or
    "key-value pairs", a relational database is no choice for DynamoDB (the heading rules it out)."""
    return shown & answer.kind_words <= other.kind_words


def of_kind_shown(answer: str, other: str, shown: str) -> bool:
    """Whether the term ``other`` is a fair choice beside the term ``answer`` for a question showing
    ``shown``: of every kind the text says ``answer`` is (see :func:`of_shown_kind`). Names the term table
    does not know pass when nothing shown says a kind, and fail when something does."""
    kinds = kinds_shown(shown)
    found = term_named(answer)
    if not kinds or found is None or not kinds & found.kind_words:
        return True
    theirs = term_named(other)
    return theirs is not None and of_shown_kind(found, theirs, kinds)


def subject_blanked(text: str, answer: str) -> str | None:
    """The text with the term ``answer`` blanked wherever it stands, when the text opens with it as its
    subject ("GuardDuty is a managed threat detection service" → "____ is …"); None when it does not."""
    found = [(start, end) for term, start, end in terms_in(text) if term.name == answer]
    if not found or text[: found[0][0]].strip(" *_`").lower() not in ("", "aws", "amazon", "the"):
        return None
    for start, end in reversed(found):
        text = text[:start] + BLANK + text[end:]
    return re.sub(rf"(?i)\b(?:the|aws|amazon)\s+{re.escape(BLANK)}", BLANK, text)
