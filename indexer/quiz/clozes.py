"""Fill-in-the-blank questions: what every cloze shares (the prompt, where a blank may go, lists whose
members cannot be blanked) and the cloze of a quantity ("at most ____ SCPs per account"); the cloze of a
term is in :mod:`indexer.quiz.generator`."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from indexer.quiz.facts import Fact, Node
from indexer.quiz.fairness import DOCS_EVIDENCE, Neighbours, blank_neighbours
from indexer.quiz.notfacts import MONTH
from indexer.quiz.present import Presenter
from indexer.quiz.quantities import Quantity, find_quantities, in_base_units, quantity_distractors, unit_words
from indexer.quiz.question import BLANK, MAX_CHOICES, MIN_CHOICES, QuestionKind, choice_key, question_id
from indexer.quiz.spread import Candidate
from indexer.quiz.terms import terms_in
from indexer.quiz.topics import Shown

T = TypeVar("T")

QUANTITY_POOL = 6
"""Values considered for a quantity's wrong choices (those fitting the blank's neighbours are kept)."""
MAX_ID_DIGITS = 5
"""A number this long is an identifier (an account id), not a quantity."""
_NAME_BEFORE = re.compile(
    r"(?:^|[\s(])(?!(?:Max|Maximum|Min|Minimum|Up|About|Around|Approx|Approximately|Only|Over|Under|Every|"
    r"Each|First|Last|Default|Limit|Quota|Within|After|Before)\b)([A-Z][A-Za-z]*)[ \t]*-?[ \t]*$"
)
"""A capitalised word just before a number makes it part of a name ("Route 53", "Layer 7"); a word
saying how much, opening a sentence ("Max 50,000 grants per key"), does not."""
_LABEL_BEFORE = re.compile(
    r"(?i)\b(?:ports?|versions?|v|codes?|errors?|status|rules? number|steps?|tasks?|labs?|questions?|"
    r"ids?|no\.?|numbers?|#)[ \t]*:?[ \t]*$"
)
"""Words that make the number after them a label (``port 5432``), not a quantity."""
_PEOPLE_AFTER = re.compile(
    r"(?i)^\s*(?:\w+\s+)?(?:teams?|people|persons?|users?|developers?|engineers?|admins?|apps?|applications?|"
    r"customers?|employees?|staff|departments?|projects?)\b"
)
"""A count of people, teams or apps ("20 teams", "5 developers"): an example's scale, which the reader's own
case sets."""
_THRESHOLD_BEFORE = re.compile(
    r"(?i)\b(?:older|newer|younger|unused|inactive|idle)(?:[ \t]+(?:than|for))?[ \t]+$"
)
"""Words that make the time after them a threshold the reader picks (``keys older than 90 days``,
``unused for 45 days``), where any other value is as true."""
_ACTION = r"\b(?:move|delete|expire|transition|archive)s?\b[^.;]{0,60}"  # a lifecycle action, its time set
_SETTING = re.compile(
    rf"(?i)\b(?:can|may|could)\s+be\s+(?:set|configured|changed)\b[^.;]*$|{_ACTION}\b(?:after|within)\s+$"
)
"""A value the reader sets ("access logs can be set to delete after 365 days", "delete after 30 days"):
an example setting, where any other value is as true."""
_ACTION_BEFORE = re.compile(rf"(?i){_ACTION}$")
_AFTER = re.compile(r"(?i)^\s*(?:after|from)\b")
_MONTH = rf"{MONTH}\.?"
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}[ \t]*(?:\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]*)?$")
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?[ \t]+{_MONTH}(?![a-z])")
"""A month beside a number: the number is a day or a year of a date."""
_RESTATED = re.compile(r"\d[\d,.]*\s*\(\s*$|^\s*\(\s*~?\d")
"""A value written again in other units beside the blank: "--expires-in 604800 (____)", "____ (4,096
bytes)": the number on screen converts to the answer."""
_ONE_SIDED_BEFORE = re.compile(
    r"(?i)\b(?:(?:less|fewer|shorter|faster|more|greater|longer|larger|bigger|slower)\s+than"
    r"|under|below|above|over|within)(?:\s+(?:about|around|roughly|approximately|~))?\s*$"
)
"""A value stated as a claim on one side of it ("fails over in less than 30 seconds", "logs arrive within 15
minutes"): every value past it is as true ("less than 60 seconds"), and the one that is not is the answer,
given away. A limit ("up to 10", "at least 7 days") is asked: another limit is false."""
_BARE_NUMBER = re.compile(r"(?<![\w.,-])\d[\d,.]*(?![\w-])")
"""A number standing alone in a sentence ("300 /s without"), not part of a name (``S3``, ``SHA-256``)."""

_CLAUSE_EDGE = re.compile(r"[.;:()\[\]→]")
_SEPARATOR = re.compile(r",|/|\s(?:and|or)\s")


def in_enumeration(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one item of a list ("A, B, ____ or D"): next to a comma, a slash,
    "and" or "or", in a clause with at least two such separators, or one inside brackets ("(AMI, ____)")
    or after a label's colon ("Web ACL rules: Size constraints, ____")."""
    left, right = text[:start].rstrip(), text[end:].lstrip()
    beside = left.endswith((",", "/")) or right.startswith((",", "/"))
    if not (beside or re.search(r"\b(?:and|or)$", left) or re.match(r"^(?:and|or)\b", right)):
        return False
    edges = list(_CLAUSE_EDGE.finditer(text[:start]))
    after = _CLAUSE_EDGE.search(text, end)
    clause = text[(edges[-1].end() if edges else 0) : (after.start() if after else len(text))]
    bracketed = bool(edges) and edges[-1].group() == "(" and after is not None and after.group() == ")"
    labelled = bool(edges) and edges[-1].group() == ":" and after is None
    return len(_SEPARATOR.findall(clause)) >= (1 if bracketed or labelled else 2)  # "(AMI, ____)" too


def _significant(number: str) -> str:
    """The significant digits of the first number in a text ("3,000 per second" -> "3")."""
    found = _BARE_NUMBER.search(number) or re.search(r"\d[\d,.]*", number)
    return found.group().replace(",", "").replace(".", "").strip("0") if found else ""


def _numbers_in(text: str) -> set[str]:
    """The numbers a text writes, without thousands separators or a sentence's full stop."""
    return {n.rstrip(".") for n in re.findall(r"\d[\d.]*", text.replace(",", ""))}


def fact_id(kind: QuestionKind, fact: Fact, blank: str = "") -> str:
    return question_id(kind, fact.chunk.source, fact.node.path, fact.text, blank)


def with_a_rival(
    candidates: Sequence[T], docs_of: Callable[[T], int], answer_docs: int, size: int
) -> list[T]:
    """The first ``size`` wrong choices of ``candidates`` (best first); where the documentation writes the
    answer beside the blank's neighbours (:data:`DOCS_EVIDENCE` times or more), one of them written there
    as often or more (``docs_of``), the last swapped for the first later candidate that is, or none at
    all: else the answer is the choice written there most ("using ____ for": "role for" 194 times, "group
    for" 184; "the last ____ of": "last 30" four times, "last 90" three), and that settles it."""
    chosen = list(candidates[:size])
    if answer_docs < DOCS_EVIDENCE or any(docs_of(c) >= answer_docs for c in chosen):
        return chosen
    rivals = [c for c in candidates[size:] if docs_of(c) >= answer_docs]
    return [*chosen[:-1], rivals[0]] if rivals and chosen else []


CLAUSE_LABEL_WORDS = 6
"""A label of this many words is a clause, not a name…"""
_ENDS_ON_A_THING = re.compile(r"(?i)\b(\w+)\s+(?:the|this|that|an?)\s+[\w-]+\s*$")
"""…and one ending on a verb's object ("enable the option") reads as naming it in what follows (not one
ending on a preposition's: "during the wait")."""
_PREPOSITIONS = frozenset(
    "about after at before between by during for from in into of on over through to under until with within"
    .split()
)


class Clozes(Presenter):
    """Makes the clozes of quantities, and holds what the clozes of terms share with them."""

    def cloze_prompt(self, text: str, start: int, end: int) -> str | None:
        rest = text[:start] + " " + text[end:]
        if not self.specific(rest):
            return None
        if text[end : end + 1].isalnum() or text[end : end + 1] == "(" or text[start - 1 : start].isalnum():
            return None  # "HTTP(S)": a blank joined to letters around it leaves them as a clue
        return f"Fill in the blank: “{text[:start] + BLANK + text[end:]}”"

    @staticmethod
    def _blank_allowed(shown: Shown, start: int, node: Node, blank: str, seen: set[tuple[int, str]]) -> bool:
        """Blanks go in the fact's own words, never in the sub-heading shown before it; nor first after a
        label that is a clause ("you need to enable the option: ____ with kms: …" reads as naming the
        option, where the notes list what the option needs)."""
        if start < shown.own:
            return False
        first = not shown.text[shown.own : start].strip()
        thing = _ENDS_ON_A_THING.search(shown.prefix)
        clause = len(shown.prefix.split()) >= CLAUSE_LABEL_WORDS
        return not (first and clause and thing and thing.group(1).lower() not in _PREPOSITIONS)

    def asked_quantities(self, text: str) -> list[Quantity]:
        """The quantities of a text that are amounts, not parts of names (``Route 53``, ``Layer 7
        Protection``) or identifiers (account ids)."""
        names = [(s, e) for _, s, e in terms_in(text)]
        out = []
        for q in find_quantities(text):
            if any(s < q.end and q.start < e for s, e in names):
                continue
            if _THRESHOLD_BEFORE.search(text[: q.start]) or _SETTING.search(text[: q.start]):
                continue
            if _ACTION_BEFORE.search(text[: q.start]) and _AFTER.match(text[q.end :]):
                continue  # "move objects to Standard-IA 60 days after creation": the reader's choice
            if q.dimension == "count" and (
                q.value >= 10**MAX_ID_DIGITS
                or _NAME_BEFORE.search(text[: q.start])
                or _LABEL_BEFORE.search(text[: q.start])
            ):
                continue  # "Route 53", "port 5432", "version 2": a name or a label, not an amount
            dated = _MONTH_BEFORE.search(text[: q.start]) or _MONTH_AFTER.match(text[q.end :])
            if q.dimension == "count" and dated:
                continue  # "on 03 Mar 2025", "since January 2023": a date, not an amount
            if q.dimension == "count" and _PEOPLE_AFTER.match(text[q.end :]):
                continue  # "one bucket policy for 20 teams": the example's scale, not a fact of AWS
            out.append(q)
        return out

    @staticmethod
    def _same_digits_elsewhere(text: str, value: str) -> bool:
        """Whether a text states another number of the same significant digits as ``value`` (300 beside
        3,000; 4 beside 4,000), names aside (``Route 53``, ``S3``): the one leads to the other."""
        for _, start, end in sorted(terms_in(text), key=lambda found: -found[1]):
            text = text[:start] + " " * (end - start) + text[end:]
        wanted = _significant(value)
        return bool(wanted) and any(_significant(m.group()) == wanted for m in _BARE_NUMBER.finditer(text))

    def quantity_cloze(
        self, fact: Fact, node: Node, shown: Shown, seen: set[tuple[int, str]]
    ) -> Candidate | None:
        shown = Shown(without_restatement(shown.text), shown.own, shown.prefix)
        quantities = self.asked_quantities(shown.text)
        if len(find_quantities(shown.text)) != 1 or len(quantities) != 1:
            return None
        q = quantities[0]
        rest = shown.text[: q.start] + " " + shown.text[q.end :]
        if self.words.of(rest) & self.words.of(unit_words(q.dimension)):
            return None  # "once per year (____)": the rest says it
        if not self._blank_allowed(shown, q.start, node, q.shown, seen):
            return None
        if in_enumeration(shown.text, q.start, q.end):
            return None  # "every 1, 3, 6, 12 or ____": the series gives it away, its members look right
        if _ONE_SIDED_BEFORE.search(shown.text[: q.start]):
            return None  # "less than ____ seconds": a larger value is as true
        if self._same_digits_elsewhere(rest, q.shown):
            return None  # "____ per second with batching, 300 /s without": 3,000 is 300 with a nought
        if _RESTATED.search(shown.text[: q.start]) or _RESTATED.match(shown.text[q.end :]):
            return None  # "604800 (____)": seven days in seconds, on screen
        prompt = self.cloze_prompt(shown.text, q.start, q.end)
        if prompt is None:
            return None
        qid = fact_id(QuestionKind.CLOZE, fact, q.shown)
        left, right = blank_neighbours(prompt)
        answer_fit = self.neighbours.fit(left, right, q.shown, fact.text)
        keys = {choice_key(q.shown)}
        fitting: list[tuple[str, int]] = []  # a wrong value and how often the docs write it there
        around = (shown.text[: q.start], shown.text[q.end :])  # "within ____"; "____ (max 30)"
        for d in quantity_distractors(q, random.Random(qid), QUANTITY_POOL, *around):
            if choice_key(d) in keys:
                continue
            if d.split()[0].replace(",", "") in _numbers_in(shown.text):
                continue  # a value the sentence itself states elsewhere ("… can be raised to 20.")
            fit = self.neighbours.fit(left, right, d, fact.text)
            if Neighbours.fits_equally(answer_fit, fit):
                keys.add(choice_key(d))
                fitting.append((d, fit[0]))
        chosen = with_a_rival(fitting, lambda found: found[1], answer_fit[0], MAX_CHOICES - 1)
        distractors = [d for d, _ in chosen]
        if len(distractors) < MIN_CHOICES - 1:
            return None  # the notes or the documentation write only this value next to these words
        question = self.finish_fact(QuestionKind.CLOZE, qid, prompt, q.shown, distractors, fact)
        return Candidate(question, frozenset({id(fact)}), 1.1) if question else None


SAME_AMOUNT = 0.03
"""Two values within this share of each other are one amount in two units (a kilobyte as 1,000 bytes)."""


def without_restatement(text: str) -> str:
    """A fact without a value restated in other units in brackets just after it: "4 KB (4,096 bytes)" →
    "4 KB", "10 years (3,653 days)" → "10 years"; "12 hours (default 1 hour)" keeps both, two amounts."""
    found = find_quantities(text)
    for first, second in zip(found, found[1:], strict=False):
        close = text.find(")", second.end)
        between = re.fullmatch(r"((?:\s+[A-Za-z-]+){0,3})\s*\(\s*", text[first.end : second.start])
        if between is None or text[second.end : close].strip():
            continue  # "4 KB of plaintext (4,096 bytes)": a few words between them at most
        a, b = in_base_units(first), in_base_units(second)
        if a and b and abs(a - b) <= SAME_AMOUNT * max(a, b):
            return text[: first.end] + between.group(1) + text[close + 1 :]
    return text
