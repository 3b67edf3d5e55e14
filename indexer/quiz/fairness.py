"""What keeps a question fair, as mechanisms that work on notes of any style:

- nothing shown before the click names the answer: a choice's telling words, its aliases and the words
  of its label are compared (loosely: ``secrets`` ~ ``Secrets Manager``, ``manages`` ~ ``Firewall
  Manager``) with what is shown, and may appear there only as much for every choice;
- the words around a blank don't settle it: how often AWS documentation (the shipped word-pair counts)
  and the notes themselves write each choice next to the blank's neighbours;
- a wrong choice is not plausibly true of the subject: how often the documentation writes the subject's
  name next to the wrong statement's words;
- a step ("create a snapshot") is told from a statement by how the documentation uses its first word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from indexer.files import shipped_text
from indexer.once import once
from indexer.quiz.terms import term_named, terms_in
from indexer.search.tokenize import Tokenizer, load_acronyms
from indexer.spelling.counts import (
    DomainCounts,
    domain_counts,
    listed_english_counts,
    parse_pair_counts,
    read_term_lines,
)

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_BLANK_SIDES = re.compile(r"(\S*)\s*_{2,}\s*(\S*)")
LOOSE = 5
"""Words are compared by the first letters of their stems: ``manages`` ~ ``manager``."""
EXTRA_STOP = ("aws", "amazon", "service", "services", "the", "notes", "use", "used", "using", "one")
VERB_SHARE = 0.2
"""A word the documentation writes after "to", "you" or "can" this often (of its uses) is a verb."""
VERB_MIN = 20
MODAL_SHARE = 0.05
"""…unless it is written before "be" this often (``can``, ``must``)."""
FITS_EQUALLY = 0.5
"""A wrong choice fits a blank's neighbours equally when it is written there at least half as often."""
DOCS_EVIDENCE = 1
NOTES_EVIDENCE = 2
"""How often the documentation, or the notes elsewhere, must write a choice next to the blank's
neighbours to count as a sign (the documentation once: a reader who has met "HTTPS endpoint" twice and
"SSH endpoint" never picks HTTPS)."""
PLAUSIBLE_PAIRS = 3
"""The documentation writes a subject with a statement's words this often: the statement may be true."""


@once
def _stopwords() -> frozenset[str]:
    words = {w.lower() for line in read_term_lines(shipped_text("stopwords.txt")) for w in line.split()}
    return frozenset(words | set(EXTRA_STOP))


def tokens(text: str) -> list[str]:
    """Lower-case letter-and-digit runs, as the guessers and the documentation counts read text."""
    return _WORD.findall(text.lower())


def tokens_and_camel_parts(text: str) -> list[str]:
    """:func:`tokens`, and the parts of each camel-case name (``GenerateMac`` also gives ``generate``,
    ``mac``)."""
    return tokens(text) + [p.lower() for w in _CAMEL_WORD.findall(text) for p in _CAMEL_PART.findall(w)]


TELLING_COUNT = 5_000_000
"""A word English uses less often than this (in symspellpy's counts) ties a choice to what is shown."""
INSIDE_COUNT = 60_000_000
"""A shown word less common than this, inside a longer choice word (``DoS`` in ``DDoS``, ``Mac`` in
``HMAC``), ties the choice to what is shown."""
_SHORT_ACRONYM = re.compile(r"\b[A-Z]{2}\b")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")
"""An acronym (``CNAME``, ``PTR``, ``IAM``): a word of a text, or a whole choice (see :func:`is_acronym`)."""
_CASED_WORD = re.compile(r"[A-Za-z]+")
MAX_SPELLED_WORDS = 5
"""An acronym is spelled by the initials of at most this many words."""
_LETTER = re.compile(r"[“\"‘]([A-Z])[”\"’]")
"""A capital letter quoted alone: a name of one letter (“C” for compute-optimised instances)."""
_ADVICE = re.compile(
    r"(?i)^\W*(?:prefer|avoid|always|never|consider|remember|make sure|ensure|don'?t|do not)\b"
)
"""Words that open advice to the reader, not a statement about a service."""


def _initials(telling: frozenset[str], text: str) -> set[str]:
    """The first letters of a text's words English seldom uses, and of its acronyms ("High RAM usage"
    gives R: a one-letter name it starts is tied to it)."""
    return {w[0] for w in telling if len(w) > 1} | {a[0].lower() for a in ACRONYM.findall(text)}


def _capital_initials(shown: str, subject: str) -> set[str]:
    """The first letters of the capitalised words shown, the subject's aside: "(Medium) balanced usage"
    gives M, the one-letter name of general-purpose instances."""
    own = {w.lower() for w in _CAPITALISED.findall(subject)}
    return {w[0].lower() for w in _CAPITALISED.findall(shown) if w.lower() not in own}


_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _held_in_acronyms(subject: str, shown: str, choice: str) -> frozenset[str]:
    """A choice's words of three letters or more, English seldom uses, that an acronym shown (not the
    subject's) holds: "HMAC" shown ties "GenerateMac"."""
    acronyms = {a.lower() for a in ACRONYM.findall(shown) if len(a) >= 4} - {
        a.lower() for a in ACRONYM.findall(subject)
    }
    counts = listed_english_counts()
    return frozenset(
        w
        for w in tokens_and_camel_parts(choice)
        if len(w) >= 3 and counts.get(w, 0) < INSIDE_COUNT and any(a != w and w in a for a in acronyms)
    )


def _leads(sets: Sequence[frozenset[str]], seen: frozenset[str], answer_index: int) -> bool:
    """Whether the answer's share of its words that are ``seen`` (words every choice has left out) is
    above nothing, the highest, and not everyone's."""
    common = frozenset.intersection(*sets) if sets else frozenset()
    shares = [len((s - common) & seen) / max(len(s - common), 1) for s in sets]
    answer = shares[answer_index]
    if answer == 0 or len(set(shares)) == 1:
        return False
    return answer >= max(shares)


COMMON_PROPERTIES = frozenset(
    """
    encrypt encrypts encrypted encryption rest transit flight https tls ssl kms key keys iam policy policies
    permission permissions role roles cloudtrail logged logs logging log audit audited auditing monitored
    cloudwatch metrics durable durability available availability highly redundant scalable scales scale
    automatically automatic managed fully serverless regional region multi az replicated supports support
    supported integrated integrates integration sent send sends stored store stores data traffic api apis
    calls default secure securely access control ipv4 ipv6 both dual stack
    """.split()
)
"""What nearly every AWS service can claim: encryption at rest and in transit, IAM control, CloudTrail
logs, being managed and available, IPv4 and IPv6. A wrong statement made only of these ("Sent over HTTPS
and encrypted at rest") is most likely true of the asked service too."""


def common_property(text: str) -> bool:
    """Whether a statement's words all say what nearly every AWS service can claim (see
    :data:`COMMON_PROPERTIES`)."""
    words = [w for w in tokens(text) if w not in _stopwords() and len(w) > 1]
    return bool(words) and all(w in COMMON_PROPERTIES for w in words)


_SERVICE_PREFIX = re.compile(r"^(?:AWS|Amazon)\s+")
"""The "AWS" of "AWS Config": part of a service's name, written of every service or none."""


def _written_words(choice: str) -> set[str]:
    """The words and codes a choice writes, lower case, its service name's "AWS" or "Amazon" aside."""
    return set(tokens(_SERVICE_PREFIX.sub("", choice)))


def own_words_in(text: str, choice: str) -> bool:
    """Whether ``text`` uses a word only the service ``choice`` uses (``bucket`` for S3; see
    ``quiz_terms.txt``)."""
    named = term_named(choice)
    return named is not None and named.own_pattern is not None and bool(named.own_pattern.search(text))


def is_acronym(text: str) -> bool:
    """Whether a whole text is one acronym (``CNAME``; not ``CNAME record``)."""
    return bool(ACRONYM.fullmatch(text))


def _aliases(choice: str) -> list[str]:
    """What the terms and acronyms of a text are also called (``KMS`` ~ Key Management Service, ``TLS`` ~
    transport layer security, ``HMAC`` ~ hash based message authentication code)."""
    names = [a for term, _, _ in terms_in(choice) for a in term.aliases]
    named = term_named(choice)
    acronyms = _acronyms()
    spelled = [e for word in set(tokens(choice)) for e in acronyms.get(word, ())]
    return names + (list(named.aliases) if named else []) + spelled


@once
def _acronyms() -> dict[str, tuple[str, ...]]:
    return load_acronyms()


class Words:
    """The telling words of texts: no stopwords, 3+ letters or with a digit (``S3``), loosely stemmed."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.stop = _stopwords()
        self._cache: dict[str, frozenset[str]] = {}
        self._telling: dict[str, frozenset[str]] = {}

    def of(self, text: str) -> frozenset[str]:
        found = self._cache.get(text)
        if found is None:
            out = set()
            for word in tokens_and_camel_parts(text):
                if word in self.stop or (len(word) < 3 and not any(ch.isdigit() for ch in word)):
                    continue
                out.add(word if word.isdigit() else self._loose(word))
            found = self._cache[text] = frozenset(out)
        return found

    def _loose(self, word: str) -> str:
        """A word's stem cut to its first letters, so ``storage`` meets ``store``."""
        return self.tokenizer.stem(word)[:LOOSE]

    def names(self, choice: str) -> frozenset[str]:
        """A choice's words and those of its aliases (``KMS`` ~ ``Key Management Service``)."""
        return frozenset(self.of(choice) | self.of(" ".join(_aliases(choice))))

    def telling(self, text: str) -> frozenset[str]:
        """The words of a text that English seldom uses (``vpc``, ``endpoint``, ``AI``), loosely stemmed:
        those that tie a choice to what is shown, where "request" or "given" tie nothing."""
        found = self._telling.get(text)
        if found is None:
            counts = listed_english_counts()
            words = {w for w in self.of(text) if counts.get(w, 0) < TELLING_COUNT}
            for word in tokens_and_camel_parts(text):
                if word not in self.stop and len(word) >= 3 and counts.get(word, 0) >= TELLING_COUNT:
                    words.discard(self._loose(word))
            words |= {m.lower() for m in _SHORT_ACRONYM.findall(text)}
            for name in _CAMEL_WORD.findall(text):  # MultiFactorAuthPresent spells MFA, MFAP
                parts = _CAMEL_PART.findall(name)
                initials = "".join(part[0] for part in parts).lower()
                words |= {initials[:k] for k in range(3, len(initials) + 1)}
                words |= {p.lower() for p in parts if len(p) == 2}  # aws:SourceIp names the IP
            found = self._telling[text] = frozenset(words)
        return found

    def leaks(self, shown: str, answer_index: int, choices: Sequence[str], subject: str = "") -> bool:
        """Whether what is shown names the answer as much as any other choice: a word English seldom
        uses is shown and only the answer has it (``subject``'s words aside: the table every row is of and
        what each row is, one a line);
        or the share of the answer's words (and its aliases' words) that are shown, leaving out words
        every choice has, is above nothing and at least every other choice's share, and not the same for
        every choice; counted over all their words, and again over the words English seldom uses (so
        "request" shown does not hide "VPC" shown)."""
        owned = [own_words_in(shown, c) for c in choices]
        if owned[answer_index] and len(set(owned)) > 1:
            return True  # "new buckets …" shown, S3 a choice: a word only the answer uses
        spelled = self.spelled(shown)
        acronym = [is_acronym(c) and c.lower() in spelled for c in choices]
        if acronym[answer_index] and sum(acronym) == 1:
            return True  # "Canonical name" shown, CNAME a choice: the words spell it
        initials = _initials(self.telling(shown), shown) | _capital_initials(shown, subject)
        letters = [len(c.strip()) == 1 and c.strip().lower() in initials for c in choices]
        if letters[answer_index] and sum(letters) == 1:
            return True  # "High CPU usage" shown, the instance family "C" a choice beside "M" and "R"
        shown_letters = {m.lower() for m in _LETTER.findall(shown)}
        starts = [bool(shown_letters & _initials(self.telling(c), c)) for c in choices]
        if shown_letters and starts[answer_index] and sum(starts) == 1:
            return True  # and the other way round: "C" shown, "High CPU usage" a choice
        shown_acronyms = {m.lower() for m in ACRONYM.findall(shown)}
        shortened = [
            (is_acronym(c) and self.shortens(c, shown)) or any(self.shortens(a, c) for a in shown_acronyms)
            for c in choices
        ]
        if shortened[answer_index] and sum(shortened) == 1:
            return True  # "Pointer" shown, PTR a choice, or the other way round: the word's letters in order
        spelling = [bool(shown_acronyms & self.spelled(c)) for c in choices]
        if spelling[answer_index] and sum(spelling) == 1:
            return True  # "CNAME" shown, "Canonical name for an alias" a choice: the choice spells it
        written = [bool(shown_acronyms & _written_words(c)) for c in choices]
        if written[answer_index] and sum(written) == 1:
            return True  # "AWS managed key" shown, "aws/s3, aws/ebs" the one choice writing AWS
        rare_shown = self.telling(shown) - self.telling(subject)
        rare, every = [self.telling(c) for c in choices], [self.of(c) for c in choices]
        held = [frozenset(map(self._loose, _held_in_acronyms(subject, shown, c))) for c in choices]
        alone = [  # a rare word shown (or held in a shown acronym) that no other choice has, rare or not
            bool((r & rare_shown | h) - frozenset().union(*every[:n], *every[n + 1 :]))
            for n, (r, h) in enumerate(zip(rare, held, strict=True))
        ]
        if alone[answer_index] and sum(alone) == 1:
            return True  # "IOPS" in the column asked, "Provisioned IOPS (SSD)" the one choice with it
        sets = [self.names(c) for c in choices]
        as_written = self.of(shown) | self.prefixed(shown, sets)
        for seen in (as_written, as_written | self.of(" ".join(_aliases(shown)))):
            # as written, then with what shown names stand for: "IAM" spelled out as "identity and access
            # management" must not hide "boundary" shown for "permissions boundary"
            for part in filter(None, subject.split("\n")):  # "S3 encryption", "STS call": every row's
                seen -= self.names(part) - self.of(shown.replace(part, " "))
            if _leads(sets, seen, answer_index):
                return True
        rare = [r | self.telling(" ".join(_aliases(c))) for r, c in zip(rare, choices, strict=True)]
        return _leads(rare, self.telling(shown) | self.prefixed(shown, rare), answer_index)

    def shortens(self, acronym: str, text: str) -> bool:
        """Whether an acronym is one word of ``text`` shortened: its letters, the first first, in that
        word in order ("PTR" in "Pointer", "MSG" in "message")."""
        short = acronym.lower()
        for word in tokens(text):
            if len(word) >= max(4, len(short) + 1) and word[0] == short[0] and word not in self.stop:
                rest = iter(word[1:])
                if all(letter in rest for letter in short[1:]):
                    return True
        return False

    def spelled(self, text: str) -> frozenset[str]:
        """What the words of a text spell as an acronym: the initials of a run of words, with or without
        the last word whole ("Canonical name" spells CN and CNAME; "Identity and Access Management" IAM),
        or the capitals of a run of words ("Mail eXchange" spells MX)."""
        words = [w for w in tokens(text) if w not in self.stop and not w.isdigit() and len(w) > 1]
        found: set[str] = set()
        raw = [w for w in _CASED_WORD.findall(text) if len(w) > 1]
        for start in range(len(raw)):  # "Mail eXchange": the capitals of two words or more spell MX
            capitals, givers = "", 0
            for word in raw[start : start + MAX_SPELLED_WORDS]:
                own = "".join(c for c in word if c.isupper())
                capitals, givers = capitals + own, givers + bool(own)
                if givers >= 2:
                    found.add(capitals.lower())
        for start in range(len(words)):
            initials = ""
            for end in range(start, min(start + MAX_SPELLED_WORDS, len(words))):
                if initials:  # a word alone spells nothing: "IP" shown is the word, not its expansion
                    found.add(initials + words[end])
                initials += words[end][0]
                if len(initials) >= 2:
                    found.add(initials)
        return frozenset(found)

    @staticmethod
    def prefixed(shown: str, sets: Sequence[frozenset[str]]) -> frozenset[str]:
        """Name words that start a longer shown word (``EMR`` in ``emrfs``, ``KMS`` in ``kms:Decrypt``),
        or that hold a shown word English seldom uses (``DoS`` shown, ``DDoS`` a choice)."""
        shown_words = tokens_and_camel_parts(shown)  # GenerateMac holds "mac", as HMAC does
        counts = listed_english_counts()
        rare = [t for t in shown_words if len(t) >= 3 and not t.isdigit() and counts.get(t, 0) < INSIDE_COUNT]
        return frozenset(
            w
            for s in sets
            for w in s
            if len(w) >= 3
            and not w.isdigit()
            and (any(t != w and t.startswith(w) for t in shown_words) or any(t != w and t in w for t in rare))
        )

    def overlap(self, a: str, b: str) -> int:
        """How many telling words two texts share."""
        return len(self.of(a) & self.of(b))


def blank_neighbours(blanked: str) -> tuple[str, str]:
    """The words just before and after the blank (``____``), lower case; empty at an edge."""
    m = _BLANK_SIDES.search(blanked)
    if not m:
        return "", ""
    before, after = tokens(m.group(1)), tokens(m.group(2))
    return (before[-1] if before else ""), (after[0] if after else "")


class Neighbours:
    """How often a choice is written next to a blank's neighbours: in AWS documentation (the shipped
    word-pair counts) and in the notes themselves."""

    def __init__(
        self,
        texts: Iterable[str],
        domain: DomainCounts | None = None,
        side_by_side: dict[str, int] | None = None,
    ) -> None:
        self.domain = domain or domain_counts()
        self.side_by_side = neighbour_pairs() if side_by_side is None else side_by_side
        self.notes: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for line in text.split("\n"):
                words = tokens(line)
                self.notes.update(zip(words, words[1:], strict=False))

    def docs(self, left: str, right: str, choice: str) -> int:
        """How often the documentation writes the choice after the left neighbour and before the right one,
        a plural neighbour also as its singular ("DynamoDB table" for "global ____ tables")."""
        words = tokens(choice) or [""]
        tables = (self.domain.pairs, self.side_by_side)  # as the cleaner reads text; as a reader does
        lefts, rights = {left, _singular(left)}, {right, _singular(right)}
        before = max(sum(t.get(f"{w} {words[0]}", 0) for w in lefts) for t in tables)
        return before + max(sum(t.get(f"{words[-1]} {w}", 0) for w in rights) for t in tables)

    def in_notes(self, left: str, right: str, choice: str, own: str) -> int:
        """Pairs in the notes beyond those of the fact itself (``own``)."""
        words = tokens(choice) or [""]
        pairs = [(left, words[0]), (words[-1], right)]
        own_words = tokens(own)
        own_pairs = Counter(zip(own_words, own_words[1:], strict=False))
        return sum(max(self.notes[p] - own_pairs[p], 0) for p in pairs if p[0] and p[1])

    def fit(self, left: str, right: str, choice: str, own: str) -> tuple[int, int]:
        return self.docs(left, right, choice), self.in_notes(left, right, choice, own)

    def known(self, choice: str) -> bool:
        """Whether the documentation counts can speak for a choice (they hold no words with digits:
        ``S3``, ``EC2``, ``Route 53``)."""
        return all(w in self.domain.words for w in tokens(choice))

    def settled(self, left: str, right: str, answer: str, own: str, stop: frozenset[str]) -> bool:
        """Whether a blank's neighbours may settle it and the counts cannot say otherwise: a content word
        beside the blank ("____ bucket") and an answer the documentation counts do not know, or that the
        notes write next to it elsewhere."""
        content = [w for w in (left, right) if w and w not in stop and len(w) >= 3]
        if not content:
            return False
        return not self.known(answer) or self.in_notes(left, right, answer, own) > 0

    @staticmethod
    def fits_equally(answer: tuple[int, int], other: tuple[int, int]) -> bool:
        """Whether a wrong choice fits the neighbours about as well as the answer: where the
        documentation (or the notes, more than once) write the answer there, it is written there at
        least half as often."""
        docs, notes = answer
        if docs >= DOCS_EVIDENCE and other[0] < FITS_EQUALLY * docs:
            return False
        return not (notes >= NOTES_EVIDENCE and other[1] < FITS_EQUALLY * notes)


NEIGHBOUR_PAIRS_FILE = "neighbour_pairs.txt"


@once
def neighbour_pairs() -> dict[str, int]:
    """How often the AWS documentation writes a term's first or last word or a number beside a word, across
    punctuation and in code too (``indexer/quiz/build_neighbours.py``): "rotation Lambda", "7 to 30"."""
    return parse_pair_counts(shipped_text(NEIGHBOUR_PAIRS_FILE))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=100_000)
def _written_with(subject: str, text: str, stop: frozenset[str]) -> int:
    return written_with(subject, text, stop)


def _ends(name: str, stop: frozenset[str]) -> set[str]:
    """The first and last content words of a name (``kinesis``, ``firehose`` of Kinesis Data Firehose):
    the words the documentation writes next to what the name does."""
    words = [w for w in tokens(name) if w not in stop and len(w) >= 3]
    return {words[0], words[-1]} if words else set()


def written_with(subject: str, text: str, stop: frozenset[str], domain: DomainCounts | None = None) -> int:
    """How often the documentation writes the subject's name (or an alias) next to a content word of
    ``text``: a sign that ``text`` may be true of it (``secret version`` for "version tracking")."""
    pairs = (domain or domain_counts()).pairs
    names = _ends(subject, stop)
    for term, _, _ in terms_in(subject):
        names |= _ends(term.name, stop)
    names |= {n[:-1] for n in names if n.endswith("s")} | {n + "s" for n in names}
    words = {w for w in tokens(text) if w not in stop and len(w) >= 3 and w not in names}
    return sum(pairs.get(f"{a} {b}", 0) + pairs.get(f"{b} {a}", 0) for a in names for b in words)


def plausible_for(subject: str, text: str, stop: frozenset[str]) -> bool:
    return _written_with(subject, text, stop) >= PLAUSIBLE_PAIRS


def is_advice(text: str) -> bool:
    """Whether a line advises the reader ("Prefer temporary credentials everywhere.", "Never …"): a tip,
    not a statement about a service, whatever the documentation's counts say of its first word."""
    return bool(_ADVICE.match(text))


def is_imperative(text: str, domain: DomainCounts | None = None) -> bool:
    """Whether an item reads as a step: its first word is one the documentation uses as a verb (after
    "to", "you" or "can"), and not as a modal (before "be")."""
    words = tokens(text)
    if not words or not words[0].isalpha():
        return False
    first = text.lstrip()[:1]
    if first.isupper() and text.split()[0].isupper():
        return False  # an acronym: a subject, not a verb
    counts = domain or domain_counts()
    word = words[0]
    total = counts.words.get(word, 0)
    if total < VERB_MIN:
        return False
    verb = sum(counts.pairs.get(f"{before} {word}", 0) for before in ("to", "you", "can"))
    modal = counts.pairs.get(f"{word} be", 0)
    return verb >= VERB_SHARE * total and modal < MODAL_SHARE * total


def stopwords() -> frozenset[str]:
    return _stopwords()
