"""Notes that say when they were written: a limit in notes years old may no longer hold (SQS's 256 KB
message, CloudWatch's 10 dimensions per metric, both raised since), so their values are not asked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from indexer.quiz.quantities import find_quantities
from indexer.quiz.question import QuizQuestion

STALE_YEARS = 3
"""Notes written this many years before the bank is made are out of date in their limits."""
FRONT_MATTER_LINES = 40
"""A date in front matter is looked for this far into a note."""

_STANDARD = frozenset({"layer", "aes-bits"})
"""Values a standard fixes (OSI layer 7, AES-256), not a service's limit: they do not age."""
_NUMBER = re.compile(r"\s*\d[\d,.]*(?:\s*[-–]\s*\d[\d,.]*)?\s*")
"""A bare number or range of numbers ("64000", "40 - 200")."""
_QUOTED = re.compile(r"“([^”]*)”")
_NAMED_DATE = re.compile(r"(?:^|/)(\d{4})-(\d{2})-(\d{2})[-_ ]")
"""A date a note's file name starts with, as blog posts and daily notes are named (``2020-06-30-ec2.md``)."""
_FRONT_DATE = re.compile(r"^date:\s*[\"']?(\d{4})-(\d{2})-(\d{2})", re.MULTILINE)
"""A ``date: 2020-06-30`` line of a note's front matter."""


def written_on(source: str, raw: str = "") -> date | None:
    """When a note says it was written: its front matter's ``date:``, else the date its file name starts
    with; None when it says nothing (or nothing that is a real date)."""
    head = raw.split("\n", FRONT_MATTER_LINES)[:FRONT_MATTER_LINES]
    found = None
    if head and head[0].strip() == "---":
        found = _FRONT_DATE.search("\n".join(head))
    found = found or _NAMED_DATE.search(source)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def stale_sources(sources: Mapping[str, str], today: date) -> frozenset[str]:
    """The notes (source -> text as written, or "") written ``STALE_YEARS`` or more before ``today``."""
    stale = set()
    for source, raw in sources.items():
        written = written_on(source, raw)
        if written is not None and (today - written).days >= STALE_YEARS * 365:
            stale.add(source)
    return frozenset(stale)


def ages_on(sources: Mapping[str, str], today: date) -> date | None:
    """The first day after ``today`` when one of the notes (source -> text as written, or "") becomes
    ``STALE_YEARS`` old, so that a bank made today no longer holds; None when none ever will."""
    days = []
    for source, raw in sources.items():
        written = written_on(source, raw)
        if written is not None:
            days.append(written + timedelta(days=STALE_YEARS * 365))
    return min((day for day in days if day > today), default=None)


def asks_a_value(question: QuizQuestion) -> bool:
    """Whether a question's answer is a number, or what it shows or answers states a size or a time: a
    service's limit, which years-old notes may have out of date (a standard's value, layer 7 or AES-256,
    does not age)."""
    cells = _QUOTED.findall(question.prompt)
    if _NUMBER.fullmatch(question.answer) or any(_NUMBER.fullmatch(cell) for cell in cells):
        return True  # "64000", "40 - 200" the answer, or “250” the cell a table question shows
    texts = (question.prompt, *question.items, question.answer)
    return any(q.dimension not in _STANDARD | {"count"} for text in texts for q in find_quantities(text))
