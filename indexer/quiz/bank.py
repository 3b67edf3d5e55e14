"""The question bank: every question a set of notes supports, by id; and the bank as a cache file holds
it (plain JSON values, keyed by what it was made from)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer.model import Chunk
from indexer.quiz.dated import ages_on, asks_a_value, stale_sources
from indexer.quiz.features import about_security
from indexer.quiz.matching import Matching
from indexer.quiz.practice import practice_candidates
from indexer.quiz.question import QuizQuestion
from indexer.quiz.spread import Candidate, select
from indexer.quiz.tables import TableQuestions, cells
from indexer.search.tokenize import TokenizerSettings

BANK_FORMAT = "awssec-quiz-bank"
BANK_VERSION = 1


def candidates(generator: Matching) -> list[Candidate]:
    """Every question the notes support, before the spread is chosen. A practice question the notes pose
    takes its whole span (scenario, options, answer, reasons): the reasons are not asked again as facts,
    where they would give the practice question away or be given away by it."""
    posed = practice_candidates(generator.chunks, generator.raw_notes, generator.words.leaks)
    spans = [(c.question.source, c.question.line_start, c.question.line_end) for c in posed]
    return posed + [
        c
        for c in _read_off(generator)
        if not any(c.question.source == s and a <= c.question.line_start <= b for s, a, b in spans)
    ]


def _read_off(generator: Matching) -> list[Candidate]:
    """The questions read off the notes' facts, tables, steps and labels."""
    return (
        generator.single_fact_candidates()
        + TableQuestions(generator).candidates()
        + generator.order_candidates()
        + generator.select_two_candidates()
        + generator.match_candidates()
        + generator.list_candidates()
        + generator.match_services()
    )


def facts_per_chunk(generator: Matching) -> dict[tuple[str, int, int], int]:
    """How much each chunk states: its facts, table rows and procedure steps."""
    counts: Counter[tuple[str, int, int]] = Counter()
    for fact in generator.facts:
        c = fact.chunk
        counts[c.source, c.line_start, c.line_end] += 1
    for table in generator.outline.tables:
        c = table.chunk
        entities, props, _ = cells(table)
        counts[c.source, c.line_start, c.line_end] += max(len(entities), len(props))
    for procedure in generator.outline.procedures:
        c = procedure.chunk
        counts[c.source, c.line_start, c.line_end] += 2
    return dict(counts)


def table_rows_per_chunk(generator: Matching) -> dict[tuple[str, int, int], int]:
    """How many facts the comparison tables of each chunk state, counted as rows: a row, and a row more
    for each property column past the first (a 6 x 3 table states more than a 6 x 1 list)."""
    rows: Counter[tuple[str, int, int]] = Counter()
    for table in generator.outline.tables:
        c = table.chunk
        entities, props, _ = cells(table)
        rows[c.source, c.line_start, c.line_end] += len(entities) + max(len(props) - 1, 0)
    return dict(rows)


def generate_questions(
    chunks: Sequence[Chunk],
    settings: TokenizerSettings | None = None,
    raw_notes: Mapping[str, str] | None = None,
    guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
    today: date | None = None,
) -> tuple[QuizQuestion, ...]:
    """Every question the notes support, a few per chunk (see :mod:`indexer.quiz.spread`).

    ``raw_notes`` (source -> the note as written) give each fact its line and tell numbered lists, and
    let facts whose cleaning looks doubtful be left out (see :func:`~indexer.quiz.checks.doubtful_fixes`);
    ``guesses`` (see :func:`~indexer.quiz.checks.cleaner_guesses`) leave out facts and labels with a word
    the cleaner guessed. ``indexer.build.quiz_bank_for`` gathers both from disk. Notes that say they were
    written years before ``today`` (by default, the day the bank is made) ask no values
    (see :mod:`indexer.quiz.dated`).
    """
    generator = Matching(chunks, settings, raw_notes, guesses)
    stale = stale_sources(_notes_as_written(chunks, raw_notes), today or date.today())
    found = candidates(generator)
    found = [
        c
        for c in found
        if about_security(c.question) and not (c.question.source in stale and asks_a_value(c.question))
    ]
    chosen = select(found, facts_per_chunk(generator), table_rows_per_chunk(generator))
    unique: dict[str, QuizQuestion] = {}
    for cand in chosen:
        unique.setdefault(cand.question.id, cand.question)
    return tuple(unique.values())


def _notes_as_written(chunks: Sequence[Chunk], raw_notes: Mapping[str, str] | None) -> dict[str, str]:
    """Each note of the chunks (source -> its text as written, or "" when not handed in)."""
    return {c.source: (raw_notes or {}).get(c.source, "") for c in chunks}


@dataclass(frozen=True)
class QuizBank:
    """The questions of one index, by id."""

    questions: tuple[QuizQuestion, ...]
    by_id: dict[str, QuizQuestion] = field(hash=False, compare=False, repr=False)
    groups: dict[str, frozenset[str]] = field(default_factory=dict, hash=False, compare=False, repr=False)
    """Question id -> the lines of the notes it shows: the chunk it is read off (a table, a section) and
    where each choice is explained. Questions sharing lines help answer each other (one's revealed
    answer is another's wrong choice), so practice spaces them apart."""
    remake_on: date | None = None
    """The day a note of the bank becomes old enough that its values are no longer asked (see
    :mod:`indexer.quiz.dated`): a bank kept until then is made again on that day."""

    @classmethod
    def from_questions(cls, questions: Iterable[QuizQuestion], remake_on: date | None = None) -> QuizBank:
        """A bank of these questions, in this order."""
        questions = tuple(questions)
        by_id = {q.id: q for q in questions}
        return cls(questions, by_id, {q.id: _lines_shown(q) for q in questions}, remake_on)

    @classmethod
    def from_chunks(
        cls,
        chunks: Sequence[Chunk],
        settings: TokenizerSettings | None = None,
        raw_notes: Mapping[str, str] | None = None,
        guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
        today: date | None = None,
    ) -> QuizBank:
        """The questions of these chunks (see :func:`generate_questions`), made ``today`` (by default, the
        day it is)."""
        today = today or date.today()
        questions = generate_questions(chunks, settings, raw_notes, guesses, today)
        return cls.from_questions(questions, ages_on(_notes_as_written(chunks, raw_notes), today))

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> QuizQuestion | None:
        return self.by_id.get(question_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


def _lines_shown(question: QuizQuestion) -> frozenset[str]:
    places = [(question.source, question.line_start, question.line_end)]
    places += [(n.source, n.line_start, n.line_end) for n in question.explanations if n is not None]
    return frozenset(f"{source}:{first}-{last}" for source, first, last in places)


def bank_to_dict(bank: QuizBank, key: str) -> dict[str, Any]:
    """The bank as its cache file holds it, under ``key`` (what it was made from)."""
    return {
        "format": BANK_FORMAT,
        "version": BANK_VERSION,
        "key": key,
        "remake_on": bank.remake_on.isoformat() if bank.remake_on else None,
        "questions": [q.to_dict(with_snippet=True) for q in bank.questions],
    }


def bank_from_dict(data: object, key: str, today: date | None = None) -> QuizBank | None:
    """The bank :func:`bank_to_dict` gave ``data``, if it was made from ``key`` and still holds ``today``
    (by default, the day it is); None for a file of another key, format or version, one whose notes have
    aged since, or one that cannot be read (the bank is then made again)."""
    if not isinstance(data, dict) or data.get("format") != BANK_FORMAT or data.get("version") != BANK_VERSION:
        return None
    if data.get("key") != key or not isinstance(data.get("questions"), list):
        return None
    try:
        remake_on = date.fromisoformat(data["remake_on"]) if data.get("remake_on") else None
        if remake_on is not None and (today or date.today()) >= remake_on:
            return None
        return QuizBank.from_questions((QuizQuestion.from_dict(q) for q in data["questions"]), remake_on)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
