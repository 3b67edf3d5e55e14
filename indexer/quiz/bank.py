"""The question bank: every question a set of notes supports, by id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from indexer.model import Chunk
from indexer.quiz.generator import Generator
from indexer.quiz.question import QuizQuestion
from indexer.search.tokenize import TokenizerSettings


def generate_questions(
    chunks: Sequence[Chunk],
    settings: TokenizerSettings | None = None,
    raw_notes: Mapping[str, str] | None = None,
    guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
) -> tuple[QuizQuestion, ...]:
    """Every question the notes support: which-questions, statement questions, then cloze questions.

    ``raw_notes`` (source -> the note as written) lets facts whose cleaning looks doubtful be left out
    (see :func:`~indexer.quiz.checks.doubtful_fixes`), and ``guesses`` (see
    :func:`~indexer.quiz.checks.cleaner_guesses`) facts and labels with a word the cleaner guessed;
    without them every readable fact is used. ``indexer.build.quiz_bank_for`` gathers both from disk.
    """
    generator = Generator(chunks, settings, raw_notes, guesses)
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
        """A bank of these questions, in this order."""
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
        """The questions of these chunks (see :func:`generate_questions`)."""
        return cls.from_questions(generate_questions(chunks, settings, raw_notes, guesses))

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> QuizQuestion | None:
        return self.by_id.get(question_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)
