"""Question banks of notes in several styles, built once per session as the bot builds them (checked
against the notes as written), and what a test needs to read them as a learner would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from indexer.build import build_index, quiz_bank_for
from indexer.quiz.bank import generate_questions
from indexer.quiz.question import QuizQuestion
from indexer.search.index import SearchIndex

REPO = Path(__file__).resolve().parents[3]
NOTES = REPO / "tests" / "fixtures" / "notes"
STYLES = {
    "bundled": REPO / "corpus",
    "guide": NOTES / "guide",
    "practice": NOTES / "practice",
    "lecture": NOTES / "lecture",
    "flashcards": NOTES / "flashcards",
    "prose": NOTES / "prose",
    "runbook": NOTES / "runbook",
    "outline": NOTES / "outline",
    "minutes": NOTES / "minutes",
    "wiki": NOTES / "wiki",
    "handbook": NOTES / "handbook",
    "shorthand": NOTES / "shorthand",
    "notion": NOTES / "notion",
    "export": NOTES / "export",
    "styles": REPO / "tests" / "fixtures" / "styles",
}


@dataclass(frozen=True)
class Bank:
    """A style's notes folder, its index and its questions."""

    folder: Path
    index: SearchIndex
    questions: tuple[QuizQuestion, ...]

    def raw_line(self, source: str, line: int) -> str:
        return (self.folder / source).read_text(encoding="utf-8").split("\n")[line - 1]


_BANKS: dict[str, Bank] = {}


def questions_of(notes: Path) -> tuple[QuizQuestion, ...]:
    """The questions generated from a folder of notes (typos fixed), as the bank is made of them."""
    return generate_questions(build_index([notes]).chunks)


def bank_of(style: str) -> Bank:
    if style not in _BANKS:
        folder = STYLES[style]
        index = build_index([folder])
        _BANKS[style] = Bank(folder, index, quiz_bank_for(index).questions)
    return _BANKS[style]


_STOP = set(
    """a an and are as at be by can do does for from has have how in into is it its of on or that the their
    them these this to under use used uses using was what when where which while who why will with you your
    notes say about one fill blank aws amazon service""".split()
)


def words(text: str) -> set[str]:
    """A reader's words: lower case, 3+ letters (or with a digit), plurals folded, stopwords out."""
    out = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if w in _STOP or (len(w) < 3 and not any(c.isdigit() for c in w)):
            continue
        out.add(w[:-1] if len(w) > 4 and w.endswith("s") else w)
    return out


def shown(q: QuizQuestion) -> str:
    return "\n".join(q.shown_lines())
