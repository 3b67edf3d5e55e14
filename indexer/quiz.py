"""Multiple-choice quiz questions generated from the indexed notes (pure: no Slack, no storage).

Two kinds of question, both read off the structure the notes already have:

- ``which``: a fact from the notes, and the topics it could belong to. The choices are either options
  the notes list side by side under one parent (``SSE - S3``, ``SSE - KMS``, ``SSE - C``, ``CSE``) or the
  AWS services the notes have sections on (``KMS``, ``CloudHSM``, ``STS`` …).
- ``cloze``: a fact with one term or quantity blanked out; the choices are of the same type (other sizes
  for ``4 KB``, other durations for ``90 days``, other services of the same family for ``CloudTrail``,
  other protocols for ``HTTPS``).

Every question keeps these rules, or is not made:

- the right answer is stated in the cited chunk (its heading or its text);
- exactly one choice is right: a fact that the notes also state (in similar words) under another
  choice, or that names another choice, never gets that choice as a distractor, and a fact whose
  choices run out is skipped; terms that mean the same thing (TLS, SSL, HTTPS) are never choices
  together;
- 3–4 distinct choices of one type;
- readable text: every word of the question is an English word, an AWS term or a word the notes use
  several times, so a typo the cleaner left behind drops the fact rather than reaching a learner;
- a stable id: a hash of the kind, the note, the fact's heading path and text and what is blanked —
  not of line numbers — so the id survives re-indexing while the fact is unchanged;
- a deterministic choice order, seeded by that id.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz.distance import OSA

from indexer.model import Chunk
from indexer.once import once
from indexer.search.index import SearchIndex
from indexer.search.tokenize import Tokenizer, TokenizerSettings

KIND_WHICH = "which"
KIND_STATEMENT = "statement"
KIND_CLOZE = "cloze"
KINDS = (KIND_WHICH, KIND_STATEMENT, KIND_CLOZE)
BLANK = "____"
MAX_CHOICES = 4
MIN_CHOICES = 3
MAX_FACT_CHARS = 220
ID_CHARS = 16


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question with the chunk of the notes that answers it."""

    id: str
    """Stable across re-indexing while the fact's text and place in the notes don't change."""
    kind: str
    """``which`` or ``cloze``."""
    prompt: str
    """The question as shown, plain text (escape it for Slack)."""
    choices: tuple[str, ...]
    """3–4 distinct choices, in a fixed order seeded by ``id``."""
    answer_index: int
    """Index of the right choice in ``choices``."""
    source: str
    """Note the answer is in, relative to its corpus folder."""
    line_start: int
    """First line of the cited chunk, 1-based."""
    line_end: int
    """Last line of the cited chunk, 1-based, inclusive."""
    heading: str
    """Heading path of the cited chunk."""
    snippet: str
    """The cited chunk's text: where the answer is stated."""

    @property
    def answer(self) -> str:
        """The right choice."""
        return self.choices[self.answer_index]

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users."""
        if self.line_start == self.line_end:
            return f"{self.source}:{self.line_start}"
        return f"{self.source}:{self.line_start}-{self.line_end}"

    @property
    def topic(self) -> str:
        """The heading path minus its top level when deeper (``S3 Encryption for Objects › KMS``)."""
        parts = self.heading.split(" › ")
        return " › ".join(parts[-2:]) if len(parts) > 2 else self.heading

    def to_dict(self, *, with_snippet: bool = False) -> dict:
        """The JSON shape of ``awssec quiz list --json`` (the snippet only on request)."""
        data = {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer_index": self.answer_index,
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "heading": self.heading,
        }
        if with_snippet:
            data["snippet"] = self.snippet
        return data


# --------------------------------------------------------------------------------------------------
# Vocabulary of typed terms: what a blank can be, and which other terms are of the same type.
# General AWS security knowledge, not these notes: new notes about other services work the same way.
# Line format: "kind family | Name | alias, alias | same-as-group". A name or alias ending in "!" is
# matched case-sensitively (AD, ES); one starting with "AWS " or "Amazon " must be written that way.
# Terms sharing a group mean (nearly) the same thing and are never choices together.
# --------------------------------------------------------------------------------------------------

_TERM_TABLE = """
service security   | KMS | Key Management Service | keystore
service security   | CloudHSM | Cloud HSM | keystore
service security   | ACM | Certificate Manager, Certification Manager
service security   | Secrets Manager | Secret Manager, Secrets Manger
service security   | SSM Parameter Store | Parameter Store, Systems Manager Parameter Store
service security   | IAM | Identity and Access Management
service security   | STS | Security Token Service
service security   | Cognito
service security   | Directory Service | AWS Managed Microsoft AD
service security   | IAM Identity Center | AWS SSO!
service threat     | GuardDuty | Guard Duty
service threat     | Inspector
service threat     | Macie
service threat     | Security Hub
service threat     | Detective!
service threat     | Shield
service threat     | Shield Standard
service threat     | Shield Advanced
service threat     | WAF | Web Application Firewall
service threat     | Firewall Manager
service threat     | Network Firewall
service monitoring | CloudTrail | Cloud Trail
service monitoring | CloudWatch | Cloud Watch, CloudWatch Logs | events
service monitoring | AWS Config
service monitoring | EventBridge | Event Bridge, Events Bridge, CloudWatch Events | events
service monitoring | Trusted Advisor
service monitoring | VPC Flow Logs | Flow Logs
service storage    | S3 | Simple Storage Service | s3
service storage    | EBS | Elastic Block Store
service storage    | EFS | Elastic File System
service storage    | S3 Glacier | Glacier | s3
service storage    | FSx
service storage    | AWS Backup
service database   | RDS | Relational Database Service
service database   | Aurora
service database   | DynamoDB | Dynamo DB
service database   | ElastiCache | Elasti Cache
service database   | Redshift | Red Shift
service database   | DocumentDB
service database   | Neptune
service analytics  | Athena
service analytics  | EMR | Elastic MapReduce
service analytics  | Glue
service analytics  | Kinesis
service analytics  | Kinesis Data Streams
service analytics  | Kinesis Data Firehose | Data Firehose, Firehose
service analytics  | Kinesis Data Analytics
service analytics  | Elasticsearch | Elastic Search, Elasticsearch Service, OpenSearch, ES!
service analytics  | QuickSight | Quick Sight
service analytics  | Lake Formation
service compute    | EC2 | Elastic Compute Cloud
service compute    | Lambda
service compute    | ECS | Elastic Container Service
service compute    | EKS | Elastic Kubernetes Service
service compute    | ECR | Elastic Container Registry
service compute    | Fargate
service network    | VPC | Virtual Private Cloud | vpc
service network    | CloudFront | Cloud Front
service network    | Route 53 | Route53
service network    | ELB | Elastic Load Balancing, Elastic Load Balancer | lb
service network    | ALB | Application Load Balancer | lb
service network    | NLB | Network Load Balancer | lb
service network    | API Gateway
service network    | Global Accelerator
service network    | Direct Connect
service network    | PrivateLink | Private Link | vpc
service network    | Transit Gateway
service integration | SQS | Simple Queue Service
service integration | SNS | Simple Notification Service
service integration | AppSync | App Sync
service integration | Step Functions
service integration | IoT Core | IoT, AWS IoT
service management | AWS Organizations
service management | CloudFormation
service management | Systems Manager
service management | Control Tower
protocol transport | HTTPS | | tls http
protocol transport | TLS | | tls
protocol transport | SSL | | tls
protocol transport | HTTP | | http
protocol transport | SSH
protocol transport | IPsec
protocol identity  | SAML | SAML 2.0
protocol identity  | LDAP
protocol identity  | OpenID Connect | Open ID, OpenID, OIDC
protocol identity  | OAuth
protocol identity  | Kerberos
algorithm cipher   | AES
algorithm cipher   | RSA
algorithm cipher   | ECC | elliptic curve
algorithm cipher   | 3DES | Triple DES
engine database    | MySQL
engine database    | PostgreSQL | Postgres, PostgreSQL
engine database    | Oracle
engine database    | SQL Server | MS SQL
engine database    | MariaDB
attack web         | DDoS | denial of service
attack web         | SQL injection | SQL injections
attack web         | cross-site scripting | XSS
attack web         | man-in-the-middle | man in the middle
"""


@dataclass(frozen=True)
class Term:
    """A name that can be blanked, with the type its distractors must share."""

    name: str
    """How choices show it."""
    kind: str
    """``service``, ``protocol``, ``algorithm``, ``engine`` or ``attack``."""
    family: str
    """A narrower group (``threat`` services, ``identity`` protocols), preferred as distractors."""
    groups: frozenset[str]
    """Terms sharing a group mean nearly the same thing and are never choices together."""
    pattern: re.Pattern[str] = field(compare=False, hash=False)
    """Finds the term (or an alias) in a line of notes."""


def _alias_regex(alias: str) -> str:
    case_sensitive = alias.endswith("!")
    alias = alias.rstrip("!")
    words = re.split(r"[\s-]+", alias)
    body = r"[\s-]?".join(re.escape(w) for w in words)
    if len(words) == 1 and len(alias) > 4 and not alias.isupper():
        body = re.escape(alias)
    body = rf"(?<![\w:.\-/@$]){body}(?![\w-]|:\S)"
    return body if case_sensitive else f"(?i:{body})"


def _parse_terms(table: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for line in table.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        kind, family = parts[0].split()
        name = parts[1]
        aliases = [a.strip() for a in parts[2].split(",")] if len(parts) > 2 and parts[2] else []
        groups = frozenset(parts[3].split()) if len(parts) > 3 else frozenset()
        spellings = sorted({name, *aliases}, key=len, reverse=True)
        pattern = re.compile("|".join(_alias_regex(s) for s in spellings))
        terms.append(Term(name.rstrip("!"), kind, family, groups, pattern))
    return tuple(terms)


TERMS: tuple[Term, ...] = _parse_terms(_TERM_TABLE)
_SERVICE_PREFIX = re.compile(r"^(?:aws|amazon)\s+", re.IGNORECASE)


def find_terms(text: str) -> list[tuple[Term, int, int]]:
    """Every vocabulary term in ``text`` as (term, start, end), longest match first at a place."""
    found: list[tuple[Term, int, int]] = []
    for term in TERMS:
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
    text = _display_label(label)
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"\s+-\s+.*$", "", text)
    text = re.sub(r"\s+(security|important|notes?)$", "", text, flags=re.IGNORECASE).strip(" :")
    bare = _SERVICE_PREFIX.sub("", text)
    for candidate in (text, bare):
        for term in TERMS:
            if term.kind != "service":
                continue
            m = term.pattern.fullmatch(candidate)
            if m:
                return term.name
    if _SERVICE_PREFIX.match(text) and 1 <= len(bare.split()) <= 3 and bare[:1].isupper():
        return bare
    return None


# --------------------------------------------------------------------------------------------------
# Quantities: numbers with units, and the values a distractor may take.
# --------------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_UNITS: dict[str, tuple[str, str, str]] = {
    # written (lower case) -> (dimension, singular, plural)
    "kb": ("size", "KB", "KB"),
    "mb": ("size", "MB", "MB"),
    "gb": ("size", "GB", "GB"),
    "tb": ("size", "TB", "TB"),
    "bytes": ("size", "bytes", "bytes"),
    "byte": ("size", "byte", "bytes"),
    "ms": ("ms", "ms", "ms"),
    "milliseconds": ("ms", "millisecond", "milliseconds"),
    "seconds": ("s", "second", "seconds"),
    "second": ("s", "second", "seconds"),
    "secs": ("s", "second", "seconds"),
    "minutes": ("min", "minute", "minutes"),
    "minute": ("min", "minute", "minutes"),
    "mins": ("min", "minute", "minutes"),
    "min": ("min", "minute", "minutes"),
    "hours": ("h", "hour", "hours"),
    "hour": ("h", "hour", "hours"),
    "hrs": ("h", "hour", "hours"),
    "days": ("d", "day", "days"),
    "day": ("d", "day", "days"),
    "weeks": ("w", "week", "weeks"),
    "week": ("w", "week", "weeks"),
    "months": ("mo", "month", "months"),
    "month": ("mo", "month", "months"),
    "years": ("y", "year", "years"),
    "year": ("y", "year", "years"),
}
_LADDERS: dict[str, tuple[float, ...]] = {
    "size": (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
    "ms": (1, 10, 50, 100, 200, 500, 1000),
    "s": (1, 5, 10, 15, 30, 45, 60, 90, 120),
    "min": (1, 5, 10, 15, 20, 30, 45, 60, 90, 120),
    "h": (1, 2, 3, 4, 6, 8, 12, 24, 36, 48, 72),
    "d": (1, 3, 7, 14, 30, 45, 60, 90, 120, 180, 365),
    "w": (1, 2, 3, 4, 6, 8, 12, 26, 52),
    "mo": (1, 2, 3, 6, 9, 12, 18, 24, 36),
    "y": (1, 2, 3, 5, 7, 10, 15, 20),
    "layer": (2, 3, 4, 5, 6, 7),
    "level": (1, 2, 3, 4),
    "aes-bits": (64, 128, 192, 256, 512),
    "rsa-bits": (512, 1024, 2048, 3072, 4096),
}
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.$/-])(?P<num>{_NUMBER}|(?i:{'|'.join(_NUMBER_WORDS)}))"
    rf"[ \t]?(?P<unit>(?i:{_UNIT_WORDS}))\b(?!/)"
    rf"|(?P<money>\$[ \t]?(?:{_NUMBER}))(?![\w.,]?\d)"
    rf"|(?<![\w-])(?P<lname>(?i:layer|level))[ \t]+(?P<lnum>\d)\b(?![/.,-]?\d)"
    rf"|(?<![\w-])(?P<cipher>AES|RSA)[ \t]*-?[ \t]*(?P<bits>\d{{3,4}})\b"
    rf"|(?<![\w.$/:-])(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d{{2,}})"
    rf"(?=[ \t]+[A-Za-z])(?![ \t]+(?i:to|-|and|or)\b)"
)
_WORDS_FOR = {float(v): w for w, v in _NUMBER_WORDS.items()}
_RANGE = re.compile(rf"(?:{_NUMBER}|\b(?i:{'|'.join(_NUMBER_WORDS)}))\s*(?:-|to|and)\s*(?:{_NUMBER})")
_YEARS = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    value: float
    dimension: str
    shown: str
    """The answer as shown: the notes' number with a normalised unit (``4 KB``, ``90 days``)."""
    template: str
    """How a distractor value is written: ``{n}`` and ``{unit}`` (singular or plural chosen per value)."""
    singular: str = ""
    plural: str = ""
    in_words: bool = False
    """The notes wrote the number as a word (``one hour``): distractors are written that way too."""
    decimals: int = 0


def _format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def _quantity_text(q: _Quantity, value: float) -> str:
    unit = q.singular if value == 1 else q.plural
    if q.in_words and value in _WORDS_FOR:
        number = _WORDS_FOR[value]
    elif q.decimals:
        number = f"{value:,.{q.decimals}f}"
    else:
        number = _format_number(value)
    return q.template.format(n=number, unit=unit)


def find_quantities(text: str) -> list[_Quantity]:
    """Numbers with a unit or a kind in ``text`` that a blank can take (ranges and years excluded)."""
    ranges = [(m.start(), m.end()) for m in _RANGE.finditer(text)]
    out: list[_Quantity] = []
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in ranges):
            continue
        if m.group("num"):
            raw = m.group("num")
            in_words = raw.lower() in _NUMBER_WORDS
            value = float(_NUMBER_WORDS[raw.lower()] if in_words else raw.replace(",", ""))
            dim, singular, plural = _UNITS[m.group("unit").lower()]
            q = _Quantity(
                m.start(), m.end(), value, dim, "", "{n} {unit}", singular, plural, in_words, _decimals(raw)
            )
        elif m.group("money"):
            raw = m.group("money").replace("$", "").strip()
            value = float(raw.replace(",", ""))
            q = _Quantity(m.start(), m.end(), value, "money", "", "${n}", decimals=_decimals(raw))
        elif m.group("lname"):
            name = m.group("lname").lower()
            q = _Quantity(m.start(), m.end(), float(m.group("lnum")), name, "", name + " {n}")
        elif m.group("cipher"):
            cipher = m.group("cipher")
            q = _Quantity(
                m.start(), m.end(), float(m.group("bits")), f"{cipher.lower()}-bits", "", cipher + "-{n}"
            )
        else:
            raw = m.group("count")
            if _YEARS.match(raw):
                continue
            q = _Quantity(m.start(), m.end(), float(raw.replace(",", "")), "count", "", "{n}")
        out.append(replace(q, shown=_quantity_text(q, q.value)))
    return out


def _decimals(raw: str) -> int:
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def _nice_numbers(value: float) -> list[float]:
    exponent = int(math.floor(math.log10(value))) if value > 0 else 0
    values = [round(m * 10.0**e, 6) for e in range(exponent - 2, exponent + 3) for m in (1, 2, 2.5, 3, 5)]
    return [v for v in values if v >= 1 or value < 1]


def quantity_distractors(q: _Quantity, rng: random.Random, count: int = 3) -> list[str]:
    """``count`` other values of the same kind, near the right one (on a log scale), as text."""
    ladder = _LADDERS.get(q.dimension) or _nice_numbers(q.value)
    if q.dimension == "size" and q.singular in ("byte",):
        ladder = (16, 32, 64, 128, 256, 512, 1024)
    candidates = sorted(
        {v for v in ladder if v != q.value and v > 0}, key=lambda v: abs(math.log(v) - math.log(q.value or 1))
    )
    near = candidates[: count + 2]
    picked = rng.sample(near, min(count, len(near)))
    return [_quantity_text(q, v) for v in sorted(picked)]


# --------------------------------------------------------------------------------------------------
# Reading the chunks back into a tree of topics and facts.
# --------------------------------------------------------------------------------------------------

_BULLET_LINE = re.compile(r"^( *)• (.*)$")
_ACRONYM_DASH = re.compile(r"\b([A-Z][A-Z0-9]{1,5})\s+-\s+([A-Z0-9]{1,4})\b")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")
_MIXED_TOKEN = re.compile(r"(?<![\w.-])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+(?![\w.-])")
_CONTINUATION = re.compile(r"(?i)(then|and then|also|but|so)\b")
_CAMEL_BOUNDARY = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
LIST_ITEM_WORDS = 4
"""Sub-bullets of at most this many words are read as a list (``integrates with: ELB, CloudFront``)."""


def _tidy(text: str) -> str:
    """One line, single spaces, ``SSE - C`` as ``SSE-C``, no trailing colon."""
    text = " ".join(text.split())
    text = _ACRONYM_DASH.sub(r"\1-\2", text)
    text = re.sub(r"\s+([,;:.?!)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return text.rstrip(" :;,").strip()


def _display_label(label: str) -> str:
    """A heading as a choice: tidied, without a trailing ``(Important)`` or ``- Really Important``."""
    text = _tidy(label.rstrip("…"))
    text = re.sub(r"\s*[-(]\s*(really\s+)?important\s*\)?\s*$", "", text, flags=re.IGNORECASE)
    return text.strip()


def _capitalized(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        return text[0].upper() + text[1:]
    return text


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass
class _Item:
    text: str
    level: int
    bullet: bool
    children: list[_Item] = field(default_factory=list)


def _parse_items(text: str) -> list[_Item]:
    """A chunk's text as a bullet tree; a paragraph ending in ``:`` adopts the bullets after it."""
    flat: list[_Item] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _BULLET_LINE.match(line)
        if m:
            flat.append(_Item(m.group(2).strip(), len(m.group(1)) // 2, True))
        elif line.startswith(" ") and flat:
            flat[-1].text += " " + line.strip()  # continuation of a multi-line item
        else:
            flat.append(_Item(line.strip(), 0, False))
    roots: list[_Item] = []
    stack: list[_Item] = []
    for item in flat:
        if not item.bullet:
            roots.append(item)
            stack = [item] if item.text.rstrip().endswith(":") else []
            continue
        item.level += 1 if stack and not stack[0].bullet else 0
        while stack and stack[-1].level >= item.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots


@dataclass(eq=False)
class _Fact:
    text: str
    """The item's text, tidied."""
    chunk: Chunk
    node: _Node
    is_list: bool = False
    """A label with its short sub-bullets joined: ``integrates with: ELB, CloudFront``."""


@dataclass(eq=False)
class _Node:
    label: str
    kind: str
    """``heading`` (a ``#`` heading), ``bold`` (a bold line used as a heading), ``bullet`` (a bullet with
    sub-bullets) or ``para`` (a line ending in ``:`` with bullets under it). Only nodes of one kind under
    one parent are options side by side."""
    parent: _Node | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    facts: list[_Fact] = field(default_factory=list)

    def child(self, label: str, kind: str) -> _Node:
        key = _key(_display_label(label)) or _key(label)
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = _Node(label, kind, self)
        return node

    @property
    def path(self) -> tuple[str, ...]:
        out: list[str] = []
        node: _Node | None = self
        while node is not None and node.parent is not None:
            out.append(node.label)
            node = node.parent
        return tuple(reversed(out))

    @property
    def shown(self) -> str:
        return _display_label(self.label)

    def ancestors(self) -> list[_Node]:
        out: list[_Node] = []
        node = self.parent
        while node is not None and node.parent is not None:
            out.append(node)
            node = node.parent
        return out

    def descendants(self) -> Iterable[_Node]:
        for child in self.children.values():
            yield child
            yield from child.descendants()

    def subtree_facts(self) -> Iterable[_Fact]:
        yield from self.facts
        for child in self.children.values():
            yield from child.subtree_facts()


def _short_list(items: list[_Item]) -> bool:
    return len(items) >= 2 and all(
        not c.children and c.bullet and len(c.text.split()) <= LIST_ITEM_WORDS for c in items
    )


def _same_label(text: str, label: str) -> bool:
    a, b = _key(text), _key(label.rstrip("…"))
    return bool(b) and (a == b or (label.endswith("…") and a.startswith(b)))


def _list_fact(label: str, items: list[_Item], chunk: Chunk, node: _Node) -> _Fact:
    return _Fact(f"{_tidy(label)}: {', '.join(_tidy(c.text) for c in items)}", chunk, node, True)


def build_tree(chunks: Sequence[Chunk]) -> _Node:
    """The notes' topics as a tree: headings and sub-headings, each with the facts listed under it."""
    root = _Node("", "heading")
    for chunk in chunks:
        items = _parse_items(chunk.text)
        node = root
        last = len(chunk.headings) - 1
        for i, heading in enumerate(chunk.headings):
            if i <= chunk.title_from:
                kind = "heading"
            elif i == last and items and _same_label(items[0].text, heading):
                kind = "bullet" if items[0].bullet else "para"
            else:
                kind = "bold" if i == chunk.title_from + 1 else "bullet"
            node = node.child(heading, kind)
        if node.kind in ("bullet", "para") and items and _same_label(items[0].text, node.label):
            head = items.pop(0)
            items = head.children + items
            if _short_list(items):
                node.facts.append(_list_fact(head.text, items, chunk, node))
                continue
        _attach(node, items, chunk)
    return root


def _attach(node: _Node, items: list[_Item], chunk: Chunk) -> None:
    for item in items:
        if not item.children:
            if item.bullet:
                node.facts.append(_Fact(_tidy(item.text), chunk, node))
        elif _short_list(item.children):
            node.facts.append(_list_fact(item.text, item.children, chunk, node))
        else:
            _attach(node.child(item.text, "bullet" if item.bullet else "para"), item.children, chunk)


# --------------------------------------------------------------------------------------------------
# Readability and similarity.
# --------------------------------------------------------------------------------------------------

ENGLISH_MIN_COUNT = 20_000
SHORT_WORD_MIN_COUNT = 20_000_000
"""Words of one to three letters must be this common (``per``, ``key``; not ``lis``, ``kay``)."""
"""Words rarer than this in symspellpy's English counts are mostly misspellings; they need other support."""
CORPUS_TRUST = (3, 2)
"""A word neither English nor AWS is believed when the notes use it this often, in this many files."""


@once
def _english_counts() -> dict[str, int]:
    """symspellpy's English word counts, for the words common enough to trust."""
    counts: dict[str, int] = {}
    english = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    for line in english.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        if count.isdigit() and int(count) >= ENGLISH_MIN_COUNT:
            counts[word] = int(count)
    return counts


def _english_words() -> frozenset[str]:
    return frozenset(_english_counts())


@once
def _domain_words() -> tuple[frozenset[str], frozenset[str]]:
    """(AWS and technical words, acronyms), lower case: the cleaner's lists and the quiz vocabulary."""
    words: set[str] = set()
    acronyms: set[str] = set()
    try:
        from indexer.spelling.counts import shipped_terms
    except ImportError:  # pragma: no cover - the cleaner's AWS word list ships with the indexer
        pass
    else:
        words |= set(shipped_terms().canonical)
        acronyms |= set(shipped_terms().acronyms)
    acronyms |= set(TokenizerSettings.default().acronyms)
    for term in TERMS:
        for word in _WORD_RE.findall(term.name):
            words.add(word.lower())
            if word.isupper():
                acronyms.add(word.lower())
    return frozenset(words), frozenset(acronyms)


class _Readability:
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
                all(self._word_ok(w) for w in _WORD_RE.findall(text))
                and all(self._code_ok(m) for m in _MIXED_TOKEN.findall(text))
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
        return any(t.pattern.fullmatch(token) for t in TERMS)

    def _word_ok(self, word: str) -> bool:
        low = word.lower().removesuffix("'s")
        if word.isupper() and len(word) >= 2:
            if low in self.acronyms or low in self.domain or low in self.repeated or low in self.named:
                return True
            # an unknown acronym is a name (GENEVE), unless it is one slip from a known one (IUMA ~ IAM)
            slips = 1 if len(low) <= 3 else 2
            return not any(OSA.distance(low, known, score_cutoff=slips) <= slips for known in self.acronyms)
        if low in self.domain or low in self.trusted:
            return True
        if len(low) <= 3:  # a short rare word is more often a typo kept as it was ("lis" for "list")
            return _english_counts().get(low, 0) >= SHORT_WORD_MIN_COUNT
        if any(form in self.english for form in (low, low.removesuffix("s"), low.removesuffix("es"))):
            return True
        parts = _CAMEL_PART.findall(word)
        return len(parts) > 1 and all(self._word_ok(p) for p in parts)  # CreateGrant, ReEncrypt


class _Similarity:
    """Content-word overlap of texts, each word weighted by how rare it is in the notes."""

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._terms: dict[str, frozenset[str]] = {}
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
            found_terms = _terms_in(text)
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

    def overlap(self, a: str, b: str) -> float:
        """Weighted share of ``a``'s words that ``b`` has too (0..1)."""
        ta, tb = self.terms(a), self.terms(b)
        total = self.weight(ta)
        return self.weight(ta & tb) / total if total else 0.0


COMMON_SHARE = 0.05
COMMON_MIN_DF = 8
"""A word in 5% of the facts (at least 8) is too common to say which topic a fact belongs to."""
TERM_TOKEN = "§"
LOOSE_PREFIX = 4


def _loose(term: str) -> str:
    """A stem without its last letters: ``storag`` and ``store`` meet as ``stor``; names stay whole."""
    return term if term.startswith(TERM_TOKEN) else term[: max(LOOSE_PREFIX, len(term) - 2)]


SHARED_FACT = 0.6
SHARED_BACK = 0.4
"""Two facts say the same thing when each holds this much of the other's (weighted) words."""
COVERED = 0.3
"""A topic could also be the answer when its notes hold this much of a fact's (weighted) words…"""
MIN_SERVICE_FACT = 3
"""A fact asked as "which service" needs this many content words besides names."""
GENERIC = 3
"""A fact that this many other services' notes could also claim is not asked as "which service"."""
RARE_DF = 2
"""…or any word of the fact that the notes use in at most this many facts (``asymmetric``)."""


def _question_id(kind: str, fact: _Fact, blank: str = "") -> str:
    path = " › ".join(fact.node.path)
    material = "\x1f".join((kind, fact.chunk.source, path, fact.text, blank))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:ID_CHARS]


def _question(
    kind: str,
    qid: str,
    prompt: str,
    answer: str,
    distractors: Sequence[str],
    fact: _Fact,
) -> QuizQuestion:
    choices = [answer, *distractors]
    if len({_key(c) for c in choices}) != len(choices) or not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise ValueError(f"bad choices {choices!r}")  # a bug, never data: callers filter first
    random.Random(qid).shuffle(choices)
    chunk = fact.chunk
    return QuizQuestion(
        qid,
        kind,
        prompt,
        tuple(choices),
        choices.index(answer),
        chunk.source,
        chunk.line_start,
        chunk.line_end,
        chunk.heading,
        chunk.text,
    )


# --------------------------------------------------------------------------------------------------
# The generator.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A fact as a prompt shows it: ``text``, of which ``text[own:]`` is the fact's own words."""

    text: str
    own: int
    prefix: str


_LETTERS = re.compile(r"[A-Za-z]+")
NEAR_LINE = 0.1
COMMON_WORD = 10_000_000
"""English count of a very common word (every, access, enabled; not reds)."""
GUESS_SHORT = 5
LABEL_LINES = 3
"""A heading's line is at most this many lines above its first chunk."""
HEAVY_CHANGES = (3, 0.4)
"""A line with at least 3 words fixed, and 40% of its words, is left out: too many guesses to trust."""


def doubtful_fixes(raw_line: str, clean: str) -> list[tuple[str, str]]:
    """Word changes between a raw line and its cleaned text that look like a wrong guess, not a typo fix.

    Fast typing slips, swaps or doubles letters inside a word; it rarely gets the first letter wrong.
    So a fix is doubtful when it changes the first letter (``actity`` -> ``city``, ``oms`` -> ``KMS``),
    unless the first two letters were swapped (``fo`` -> ``of``) or one extra letter was typed before
    the word (``revery`` -> ``every``); when it turns a negation into an assertion (``doesnt`` -> ``does``);
    or when a short word loses a third of its letters.
    """
    raw_words = [w.lower() for w in _LETTERS.findall(raw_line)]
    clean_words = [w.lower() for w in _LETTERS.findall(clean)]
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
        shifted = (before[1:] == after or after[1:] == before) and _english_counts().get(
            after, 0
        ) >= COMMON_WORD
        return not (swapped or shifted)
    return len(before) <= 6 and len(before) - len(after) >= 2


class _RawCheck:
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
        words = {w.lower() for w in _LETTERS.findall(text)}
        return any(g.lower() in words for n in range(first, last + 1) for g in lines.get(n, ()))

    def doubtful(self, fact: _Fact) -> bool:
        lines = self.lines.get(fact.chunk.source)
        if not lines:
            return False
        # a list fact joins a label line with short items from other lines: check the label line
        text = fact.text.split(": ", 1)[0] if fact.is_list else fact.text
        own = text.lower()
        first = fact.chunk.line_start
        scored = [
            (difflib.SequenceMatcher(a=raw.lower(), b=own, autojunk=False).ratio(), number, raw)
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

    def doubtful_label(self, node: _Node) -> bool:
        """Whether a heading or sub-list label holds a word the cleaner guessed (``AWS Congitos`` ->
        ``AWS Configs``)."""
        chunks = {id(f.chunk): f.chunk for f in node.subtree_facts()}.values()
        return any(
            self._guessed_in(node.label, c.source, max(c.line_start - LABEL_LINES, 1), c.line_end)
            for c in chunks
        )


def cleaner_guesses(index: SearchIndex, raw_notes: Mapping[str, str]) -> dict[str, dict[int, list[str]]]:
    """source -> line -> words the typo cleaner guessed rather than knew, when the guess is a short or a
    shortened word (``Tokes`` -> ``Takes``, ``Creds`` -> ``Reds``, ``ORale`` -> ``Role``): the kind of
    guess that turns a note into other, wrong words. Re-runs the cleaner over the index's notes
    (about a second for the bundled notes); empty when it cannot."""
    try:
        from indexer.build import build_corrector
        from indexer.files import USER_DIR, load_notes
        from indexer.spelling.clean import clean_text

        found = load_notes([Path(d) for d in index.corpus_dirs])
        notes, texts = found.notes, list(found.texts)
        corrector = build_corrector(texts, [Path(d) / USER_DIR for d in index.corpus_dirs])
    except (ImportError, OSError):
        return {}
    guesses: dict[str, dict[int, list[str]]] = {}
    for note, text in zip(notes, texts, strict=True):
        if note.source not in raw_notes:
            continue
        for fix in clean_text(text, corrector).fixes:
            after = fix.after.lower()
            if not fix.certain and (len(after) <= GUESS_SHORT or len(after) < len(fix.before)):
                guesses.setdefault(note.source, {}).setdefault(fix.line, []).extend(fix.after.split())
    return guesses


@dataclass(frozen=True)
class _Topic:
    name: str
    nodes: list[_Node]


@dataclass(frozen=True)
class _TopicSet:
    answer: _Topic
    others: list[_Topic]
    text: str
    """The fact as the question shows it (its own topic's label stripped from its start)."""
    scope: str
    """``Under “S3 Encryption for Objects”, `` for sibling options; empty for services."""
    family: str
    """The answer service's family (for plausible distractors), when it is a service."""


class _Generator:
    def __init__(
        self,
        chunks: Sequence[Chunk],
        settings: TokenizerSettings | None,
        raw_notes: Mapping[str, str] | None = None,
        guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
    ) -> None:
        self.tree = build_tree(chunks)
        self.tokenizer = Tokenizer(settings or TokenizerSettings.default())
        self.facts = list(self.tree.subtree_facts())
        self.nodes = list(self.tree.descendants())
        self.sim = _Similarity([f.text for f in self.facts], self.tokenizer)
        self.readability = _Readability(chunks, [n.label for n in self.nodes])
        self.corpus_terms: Counter[str] = Counter()
        for chunk in chunks:
            self.corpus_terms.update(t.name for t, _, _ in _terms_in(chunk.heading + "\n" + chunk.text))
        raw = _RawCheck(raw_notes, guesses)
        self.doubtful = {id(f) for f in self.facts if raw.doubtful(f)}
        self.doubtful_labels = {n.label for n in self.nodes if raw.doubtful_label(n)}
        self.services: dict[str, list[_Node]] = {}
        for node in self.nodes:
            name = service_name(node.label) if node.label not in self.doubtful_labels else None
            if name:
                self.services.setdefault(name, []).append(node)
        self._vocab: dict[int, frozenset[str]] = {}
        self.fact_terms = {id(f): {t.name for t, _, _ in _terms_in(f.text)} for f in self.facts}

    def readable(self, fact: _Fact, shown: _Shown) -> bool:
        """Readable English, and not a line the cleaner may have changed into other words."""
        return (
            id(fact) not in self.doubtful
            and shown.prefix not in self.doubtful_labels
            and self.readability.readable(shown.text)
        )

    def label_ok(self, node: _Node) -> bool:
        """A heading or sub-list label fit to be a choice: readable, and no word of it a cleaner's guess."""
        return node.label not in self.doubtful_labels and self.readability.readable(node.shown)

    # -- shared helpers ----------------------------------------------------------------------------

    def vocabulary(self, node: _Node) -> frozenset[str]:
        """Every content word of a topic: its facts and labels, those of everything under it, and those of
        facts elsewhere that name it ("HTTPS is required for CSE", said beside the CSE sub-list)."""
        found = self._vocab.get(id(node))
        if found is None:
            words: set[str] = set(self.sim.terms(node.label))
            naming = [f for f in self.facts if f.node is not node and _names(f.text, node.shown)]
            for fact in [*node.subtree_facts(), *naming]:
                words |= self.sim.terms(fact.text)
            for child in node.descendants():
                words |= self.sim.terms(child.label)
            found = self._vocab[id(node)] = self.sim.loose(words)
        return found

    def shown(self, fact: _Fact, node: _Node, prefix: str) -> _Shown:
        if prefix and _key(_display_label(prefix)) not in _key(fact.text):
            head = f"{_display_label(prefix)}: "
            return _Shown(_capitalized(head + fact.text), len(head), prefix)
        return _Shown(_capitalized(fact.text), 0, "")

    def family(self, node: _Node) -> list[_Node]:
        """Options listed side by side: non-heading nodes of one kind under one parent, three or more."""
        if node.kind == "heading" or node.parent is None:
            return []
        members = [n for n in node.parent.children.values() if n.kind == node.kind]
        return members if len(members) >= MIN_CHOICES else []

    def placement(self, fact: _Fact) -> tuple[_Node, str]:
        """The topic a fact is asked about, and the sub-heading to show before it when it was lifted
        out of a sub-list that has no siblings to choose from."""
        node, prefix = fact.node, ""
        while node.kind != "heading" and not self.family(node) and node.parent is not None:
            prefix = prefix or node.label
            node = node.parent
        return node, prefix

    def service_of(self, node: _Node) -> str | None:
        for candidate in (node, *node.ancestors()):
            for name, nodes in self.services.items():
                if candidate in nodes:
                    return name
        return None

    def content_size(self, text: str) -> int:
        """How many content words a text has besides the names of services and protocols."""
        names = " ".join(text[s:e] for _, s, e in _terms_in(text))
        content = self.sim.terms(text) - self.sim.terms(names)
        return len({t for t in content if not t.isdigit() and not t.startswith(TERM_TOKEN)})

    def _starts_with_other_service(self, text: str, answer: str) -> bool:
        found = _terms_in(text)
        return (
            bool(found)
            and found[0][1] == 0
            and found[0][0].name != answer
            and found[0][0].name in self.services
        )

    def specific(self, text: str) -> bool:
        """A fact worth asking about: long enough, and saying more than a name or two."""
        size = self.content_size(text)
        if _CONTINUATION.match(text.split(": ")[-1]):
            return False  # "then store in code": the step before it is missing
        return size >= 2 and (len(text.split()) >= 4 or size >= 3) and len(text) <= MAX_FACT_CHARS

    def shared(self, fact: _Fact, topics: Iterable[_Topic]) -> bool:
        """Whether the notes say (nearly) the same thing under one of ``topics`` too ("KMS provide
        encryption at rest" under both RDS and Aurora): then neither is the one right answer."""
        for other in (f for t in topics for n in t.nodes for f in n.subtree_facts()):
            if other.node is fact.node or other is fact:
                continue
            if (
                self.sim.overlap(fact.text, other.text) >= SHARED_FACT
                and self.sim.overlap(other.text, fact.text) >= SHARED_BACK
            ):
                return True
        return False

    def could_be(self, text: str, nodes: list[_Node], name: str = "") -> bool:
        """Whether a learner could fairly answer ``nodes`` (a topic) for this fact, by the notes."""
        rare = self.sim.loose(
            t for t in self.sim.terms(text) if self.sim.df.get(t, 0) <= RARE_DF and len(t) >= 4
        )
        for node in nodes:
            vocabulary = self.vocabulary(node)
            if self.sim.coverage(text, vocabulary) >= COVERED or rare & vocabulary:
                return True
            if _names(text, node.shown):
                return True
        return bool(name) and _names(text, name)

    # -- topics to choose from -----------------------------------------------------------------------

    def topic_set(self, fact: _Fact, node: _Node, shown: _Shown) -> _TopicSet | None:
        """The topic a fact belongs to and the other topics it could be confused with: its sibling options
        (``SSE-C`` among ``SSE-S3``, ``SSE-KMS``, ``CSE``), else the AWS services with notes of their own."""
        family = self.family(node)
        if family:
            text = _strip_label(shown.text, node.shown)
            if _names(text, node.shown) or not self.label_ok(node):
                return None
            others = [
                _Topic(n.shown, [n])
                for n in family
                if n is not node and _key(n.shown) != _key(node.shown) and self.label_ok(n)
            ]
            parent = node.parent.shown if node.parent else ""
            return _TopicSet(_Topic(node.shown, [node]), others, text, f"Under “{parent}”, ", "")
        answer = self.service_of(node)
        if answer is None or not self.readability.readable(answer):
            return None
        own = self.services[answer]
        text = shown.text
        for n in own:
            text = _strip_label(text, n.shown)
        if any(_names(text, n.shown) for n in own) or _names(text, answer):
            return None
        if self._starts_with_other_service(text, answer):
            return None  # "KMS => AWS manages the software" is said under CloudHSM but is about KMS
        related = {a for n in own for a in (n, *n.ancestors(), *n.descendants())}
        answer_term = _term(answer)
        others = [
            _Topic(name, nodes)
            for name, nodes in self.services.items()
            if name != answer
            and not any(n in related for n in nodes)
            and not (answer_term and _term(name) and answer_term.groups & _term(name).groups)
            and self.readability.readable(name)
        ]
        return _TopicSet(_Topic(answer, own), others, text, "", answer_term.family if answer_term else "")

    def pick_topics(self, topics: list[_Topic], family: str, rng: random.Random) -> list[_Topic]:
        """Up to three distractor topics: the answer's family first (more plausible), never two where one
        is part of the other (Shield and Shield Advanced)."""
        topics = list(topics)
        rng.shuffle(topics)
        topics.sort(key=lambda t: not (family and _term(t.name) and _term(t.name).family == family))
        picked: list[_Topic] = []
        for topic in topics:
            near = {a for n in topic.nodes for a in (n, *n.ancestors(), *n.descendants())}
            if not any(n in near for p in picked for n in p.nodes):
                picked.append(topic)
        return picked[: MAX_CHOICES - 1]

    def usable(self, fact: _Fact, shown: _Shown) -> bool:
        return self.specific(fact.text) and self.readable(fact, shown)

    # -- which ----------------------------------------------------------------------------------------

    def which_questions(self) -> list[QuizQuestion]:
        out: list[QuizQuestion] = []
        prompts: set[str] = set()
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if not self.usable(fact, shown):
                continue
            question = self.which_question(fact, node, shown)
            if question and question.prompt not in prompts:
                prompts.add(question.prompt)
                out.append(question)
        return out

    def which_question(self, fact: _Fact, node: _Node, shown: _Shown) -> QuizQuestion | None:
        topics = self.topic_set(fact, node, shown)
        if topics is None:
            return None
        text = topics.text
        if not topics.scope and self.content_size(text) < MIN_SERVICE_FACT:
            return None  # "seamless encryption using KMS" would fit many services
        if self.shared(fact, topics.others):
            return None
        candidates = [
            t
            for t in topics.others
            if not self.could_be(text, t.nodes, t.name)
            and not (topics.scope and self.same_names(text, t.nodes))
        ]
        if not topics.scope and sum(self.could_be(text, t.nodes) for t in topics.others) >= GENERIC:
            return None  # several other services' notes say much the same
        qid = _question_id(KIND_WHICH, fact)
        picked = self.pick_topics(candidates, topics.family, random.Random(qid))
        if len(picked) < MIN_CHOICES - 1:
            return None
        if topics.scope:
            prompt = f"{topics.scope}which one do the notes say this about? “{text}”"
        else:
            prompt = f"Which AWS service do the notes say this about? “{text}”"
        return _question(KIND_WHICH, qid, prompt, topics.answer.name, [t.name for t in picked], fact)

    # -- statement ------------------------------------------------------------------------------------

    def statement_questions(self) -> list[QuizQuestion]:
        """ "Which of these do the notes say about SSE-C?": the right fact among facts of sibling topics."""
        placed = []
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if self.usable(fact, shown):
                placed.append((fact, node, shown))
        by_node: dict[int, list[tuple[_Fact, str]]] = {}
        for fact, node, shown in placed:
            topic = self.service_of(node) if not self.family(node) else None
            key = id(self.services[topic][0]) if topic else id(node)
            by_node.setdefault(key, []).append((fact, shown.text))
        out: list[QuizQuestion] = []
        for fact, node, shown in placed:
            topics = self.topic_set(fact, node, shown)
            if topics is None:
                continue
            question = self.statement_question(fact, topics, by_node)
            if question:
                out.append(question)
        return out

    def statement_question(
        self, fact: _Fact, topics: _TopicSet, by_node: dict[int, list[tuple[_Fact, str]]]
    ) -> QuizQuestion | None:
        answer_nodes = topics.answer.nodes
        right = topics.text
        if any(_names(right, t.name) for t in topics.others) or self._names_any_service(right):
            return None
        qid = _question_id(KIND_STATEMENT, fact)
        rng = random.Random(qid)
        options: list[tuple[_Topic, str]] = []
        for topic in topics.others:
            key = id(self.services[topic.name][0]) if not topics.scope else id(topic.nodes[0])
            for _fact, text in by_node.get(key, []):
                text = _strip_label(text, topic.name)
                if (
                    (topics.scope and self.same_names(text, answer_nodes))
                    or _names(text, topic.name)
                    or self._names_any_service(text)
                    or _key(text) == _key(right)
                    or self.could_be(text, answer_nodes, topics.answer.name)
                ):
                    continue
                options.append((topic, text))
        # one statement per topic, from topics of the answer's family first
        rng.shuffle(options)
        chosen: list[str] = []
        seen = {_key(right)}
        for topic in self.pick_topics(list({t.name: t for t, _ in options}.values()), topics.family, rng):
            texts = [text for t, text in options if t.name == topic.name and _key(text) not in seen]
            if texts:
                # statements of a length like the right one's, so length gives nothing away
                texts.sort(key=lambda t: abs(len(t) - len(right)))
                chosen.append(texts[0])
                seen.add(_key(texts[0]))
        if len(chosen) < MIN_CHOICES - 1:
            return None
        if topics.scope:
            prompt = f"{topics.scope}which of these do the notes say about {topics.answer.name}?"
        else:
            prompt = f"Which of these do the notes say about {topics.answer.name}?"
        return _question(KIND_STATEMENT, qid, prompt, right, chosen, fact)

    def same_names(self, text: str, nodes: list[_Node]) -> bool:
        """Whether a sibling option's notes name a service or protocol the fact names: options side by
        side that both use KMS ("AWS KMS provides server side encryption", "can encrypt the delivery
        stream with KMS") are not told apart by it."""
        names = {t for t in self.sim.terms(text) if t.startswith(TERM_TOKEN)}
        return any(names & self.vocabulary(n) for n in nodes)

    def _names_any_service(self, text: str) -> bool:
        return any(t.name in self.services for t, _, _ in _terms_in(text))

    # -- cloze ----------------------------------------------------------------------------------------

    def cloze_questions(self) -> list[QuizQuestion]:
        out: list[QuizQuestion] = []
        seen_texts: set[str] = set()
        seen_blanks: set[tuple[int, str]] = set()
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if len(shown.text) > MAX_FACT_CHARS or not self.readable(fact, shown):
                continue
            if _key(shown.text) in seen_texts:
                continue
            question = self.quantity_cloze(fact, node, shown, seen_blanks) or self.term_cloze(
                fact, node, shown, seen_blanks
            )
            if question:
                seen_texts.add(_key(shown.text))
                out.append(question)
        return out

    def context(self, node: _Node, blank: str) -> str:
        """The topic named in a cloze prompt: the fact's topic, or its parent's when the topic's name would
        give the blank away ("SSE-KMS" for "managed by ____"); empty when both would."""
        candidates = (node,) if self.service_of(node) else (node, node.parent)
        for candidate in candidates:
            if candidate is None or candidate.parent is None:
                continue
            label = self.service_of(candidate) or candidate.shown
            if not label or _key(blank) in _key(label) or _key(label) in _key(blank):
                continue
            if _names(label, blank):
                continue
            return label if self.readability.readable(label) else ""
        return ""

    def cloze_prompt(self, text: str, start: int, end: int, context: str) -> str | None:
        blanked = text[:start] + BLANK + text[end:]
        rest = text[:start] + " " + text[end:]
        if not self.specific(rest):
            return None
        where = f" ({context})" if context else ""
        return f"Fill in the blank{where}: “{blanked}”"

    @staticmethod
    def _blank_allowed(
        shown: _Shown, start: int, node: _Node, blank: str, seen: set[tuple[int, str]]
    ) -> bool:
        """Blanks go in the fact's own words; one in the sub-heading before it, once per sub-heading."""
        if start >= shown.own:
            return True
        key = (id(node), _key(shown.prefix) + "/" + _key(blank))
        if key in seen:
            return False
        seen.add(key)
        return True

    def quantity_cloze(
        self, fact: _Fact, node: _Node, shown: _Shown, seen: set[tuple[int, str]]
    ) -> QuizQuestion | None:
        quantities = find_quantities(shown.text)
        if len(quantities) != 1:
            return None
        q = quantities[0]
        if not self._blank_allowed(shown, q.start, node, q.shown, seen):
            return None
        prompt = self.cloze_prompt(shown.text, q.start, q.end, self.context(node, q.shown))
        if prompt is None:
            return None
        qid = _question_id(KIND_CLOZE, fact, q.shown)
        distractors = [d for d in quantity_distractors(q, random.Random(qid)) if _key(d) != _key(q.shown)]
        if len(distractors) < MIN_CHOICES - 1:
            return None
        return _question(KIND_CLOZE, qid, prompt, q.shown, distractors, fact)

    def term_cloze(
        self, fact: _Fact, node: _Node, shown: _Shown, seen: set[tuple[int, str]]
    ) -> QuizQuestion | None:
        if fact.is_list:
            return None  # a blank in a list invites every other true member as an answer
        found = _terms_in(shown.text)
        by_kind = Counter(t.kind for t, _, _ in found)
        options = [(t, s, e) for t, s, e in found if by_kind[t.kind] == 1]
        if not options:
            return None
        # the term the notes mention least is the most telling blank
        term, start, end = min(options, key=lambda f: (self.corpus_terms[f[0].name], f[1]))
        if not self._blank_allowed(shown, start, node, term.name, seen):
            return None
        if (id(node), "term/" + term.name) in seen or term.name == self.service_of(node):
            return None  # a blank for the topic's own name leaves a sentence about "it" (the topic)
        prompt = self.cloze_prompt(shown.text, start, end, self.context(node, term.name))
        if prompt is None:
            return None
        rest = shown.text[:start] + " " + shown.text[end:]
        present = {t.name for t, _, _ in found}
        candidates = [
            t
            for t in TERMS
            if t.kind == term.kind
            and t.name not in present
            and not (t.groups & term.groups)
            and not self._stated_elsewhere(rest, t, fact)
        ]
        if len(candidates) < MIN_CHOICES - 1:
            return None
        seen.add((id(node), "term/" + term.name))
        qid = _question_id(KIND_CLOZE, fact, term.name)
        rng = random.Random(qid)
        in_chunk = {t.name for t, _, _ in _terms_in(fact.chunk.text)}

        def rank(t: Term) -> tuple[bool, bool, bool, float]:
            unknown = self.corpus_terms[t.name] == 0
            return (t.family != term.family, t.name not in in_chunk, unknown, rng.random())

        picked = sorted(candidates, key=rank)[: MAX_CHOICES - 1]
        return _question(KIND_CLOZE, qid, prompt, term.name, [t.name for t in picked], fact)

    def _stated_elsewhere(self, rest: str, term: Term, fact: _Fact) -> bool:
        """Whether the notes say the same thing with ``term`` in the blank somewhere else."""
        for other in self.facts:
            if other is fact or term.name not in self.fact_terms[id(other)]:
                continue
            if self.sim.overlap(rest, other.text) >= SHARED_FACT:
                return True
        return False


@lru_cache(maxsize=20_000)
def _terms_in(text: str) -> tuple[tuple[Term, int, int], ...]:
    return tuple(find_terms(text))


@lru_cache(maxsize=1_000)
def _term(name: str) -> Term | None:
    return next((t for t in TERMS if t.name == name), None)


def _names(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` (a topic or service): as written, or as a vocabulary term."""
    if not name:
        return False
    bare = re.sub(r"\s*\([^)]*\)", "", name)
    spaced = " " + _spaced(text) + " "
    for candidate in {name, bare, _SERVICE_PREFIX.sub("", bare)}:
        words = _spaced(candidate).split()
        if sum(map(len, words)) >= 2 and re.search(r" " + " ?".join(map(re.escape, words)) + r" ", spaced):
            return True
    term = _term(service_name(name) or name)
    return bool(term) and any(t is term for t, _, _ in _terms_in(text))


def _spaced(text: str) -> str:
    """Lower case, every run of other characters one space: ``SSE - C:`` -> ``sse c``."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _strip_label(text: str, label: str) -> str:
    """``SSE-C: server side encryption …`` -> ``Server side encryption …`` (the label is the answer)."""
    m = re.match(rf"^{re.escape(label)}\s*(?:[:=-]+>?)\s*", text, flags=re.IGNORECASE)
    if m and len(text) - m.end() >= 10:
        return _capitalized(text[m.end() :])
    return text


def generate_questions(
    chunks: Sequence[Chunk],
    settings: TokenizerSettings | None = None,
    raw_notes: Mapping[str, str] | None = None,
    guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
) -> tuple[QuizQuestion, ...]:
    """Every question the notes support: which-questions, statement questions, then cloze questions.

    ``raw_notes`` (source -> the note as written) lets facts whose cleaning looks doubtful be left out
    (see :func:`doubtful_fixes`), and ``guesses`` (see :func:`cleaner_guesses`) facts and labels with
    a word the cleaner guessed; without them every readable fact is used.
    """
    generator = _Generator(chunks, settings, raw_notes, guesses)
    unique: dict[str, QuizQuestion] = {}
    for question in (
        generator.which_questions() + generator.statement_questions() + generator.cloze_questions()
    ):
        unique.setdefault(question.id, question)
    return tuple(unique.values())


@dataclass(frozen=True)
class QuizBank:
    """The questions of one index, by id."""

    questions: tuple[QuizQuestion, ...]
    by_id: dict[str, QuizQuestion] = field(hash=False, compare=False, repr=False)

    @classmethod
    def from_questions(cls, questions: Iterable[QuizQuestion]) -> QuizBank:
        questions = tuple(questions)
        return cls(questions, {q.id: q for q in questions})

    @classmethod
    def from_chunks(
        cls,
        chunks: Sequence[Chunk],
        settings: TokenizerSettings | None = None,
        raw_notes: Mapping[str, str] | None = None,
        guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
    ) -> QuizBank:
        return cls.from_questions(generate_questions(chunks, settings, raw_notes, guesses))

    @classmethod
    def from_index(cls, index: SearchIndex) -> QuizBank:
        """The questions of an index, checked against its notes as written when they can be read."""
        raw_notes = read_raw_notes(index)
        guesses = cleaner_guesses(index, raw_notes) if raw_notes else {}
        return cls.from_chunks(index.chunks, index.settings, raw_notes, guesses)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> QuizQuestion | None:
        return self.by_id.get(question_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


def read_raw_notes(index: SearchIndex) -> dict[str, str]:
    """source -> raw text of the index's notes that are still on disk (for :func:`doubtful_fixes`)."""
    from indexer.files import read_note

    notes: dict[str, str] = {}
    sources = {c.source for c in index.chunks}
    for folder in index.corpus_dirs:
        for source in sources - set(notes):
            path = Path(folder) / source
            if path.is_file():
                try:
                    notes[source] = read_note(path)
                except OSError:
                    continue
    return notes
