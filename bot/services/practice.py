"""Practice: one flow for the Slack quiz buttons and ``awssec quiz next`` — choose a question by spaced
repetition, show it, grade the answer, review the learner's FSRS card, record answer and card at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from indexer.quiz.bank import QuizBank
from indexer.quiz.question import CHOICE_LETTERS, QuizQuestion
from indexer.quiz.review import GradeResult, choose_next, grade, parse_choice, review

from ..store import Practice
from ..store.engine import utc_now
from ..store.quiz import QuizProgress
from .index import IndexUnavailable

QuestionSource = Callable[[], QuizBank | IndexUnavailable]
"""Where the questions come from: the bank of the bot's index, or why there is none."""


def choice_label(question: QuizQuestion, index: int) -> str:
    """What a choice is called wherever it is shown and typed: its letter (A, B, C...), or, when the
    question's own items are lettered (steps to order, statements to pick two of, terms to match),
    ``Option 1``, ``Option 2``... so a choice is never taken for an item."""
    return f"Option {index + 1}" if question.items else CHOICE_LETTERS[index]


def labelled(question: QuizQuestion, index: int, text: str) -> str:
    """A choice as listed: ``B. SSE-KMS`` or ``Option 2: B, A, D, C``."""
    label = choice_label(question, index)
    return f"{label}: {text}" if question.items else f"{label}. {text}"


def parse_answer(question: QuizQuestion, text: str) -> int | None:
    """The choice a typed answer names (0-based), or None: a letter or a number, or, for a question with
    lettered items, a number (``2``, ``option 2``) only."""
    if question.items:
        digits = text.strip().lower().removeprefix("option").strip().rstrip(".):")
        return int(digits) - 1 if digits.isdigit() and 0 < int(digits) <= len(question.choices) else None
    return parse_choice(text, len(question.choices))


class NextStatus(StrEnum):
    QUESTION = "question"
    NO_QUESTIONS = "no_questions"
    INDEX_UNAVAILABLE = "index_unavailable"


@dataclass(frozen=True)
class NextQuestion:
    """The question to show next (``practice``), or why there is none (``reason``: the index's)."""

    status: NextStatus
    practice: Practice | None = None
    reason: str = ""


class GradeStatus(StrEnum):
    GRADED = "graded"
    ALREADY_ANSWERED = "already_answered"
    """Only a question's first answer counts (a double click, a retry)."""
    EXPIRED = "expired"
    """No such question, someone else's, or a choice it does not have."""


@dataclass(frozen=True)
class PracticeGrade:
    """What an answer to a practice question earned."""

    status: GradeStatus
    practice: Practice | None = None
    result: GradeResult | None = None


class PracticeService:
    """Practice questions for one learner at a time; ``store`` None: nothing is recorded (and nothing of
    the learner's history is known)."""

    def __init__(
        self,
        store: QuizProgress | None,
        questions: QuestionSource,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.questions = questions
        self.clock = clock

    def next_question(self, user_id: str, channel_id: str, *, exclude: tuple[str, ...] = ()) -> NextQuestion:
        """Choose ``user_id``'s next question by spaced repetition and record it as shown to them."""
        bank = self.questions()
        if isinstance(bank, IndexUnavailable):
            return NextQuestion(NextStatus.INDEX_UNAVAILABLE, reason=bank.reason)
        if not len(bank):
            return NextQuestion(NextStatus.NO_QUESTIONS)
        now = self.clock()
        states = self.store.card_states(user_id) if self.store is not None else {}
        question_id = choose_next(bank.ids, states, now, user_id=user_id, exclude=exclude, groups=bank.groups)
        question = bank.get(question_id) if question_id else None
        if question is None:
            return NextQuestion(NextStatus.NO_QUESTIONS)
        practice_id = (
            self.store.start_practice(user_id, channel_id, question, now) if self.store is not None else ""
        )
        return NextQuestion(NextStatus.QUESTION, Practice(practice_id, user_id, channel_id, question, False))

    def shown(self, practice_id: str) -> Practice | None:
        """A question shown before, by the id its buttons carry."""
        return self.store.load_practice(practice_id) if self.store is not None and practice_id else None

    def answer(self, practice: Practice | None, user_id: str, choice: int) -> PracticeGrade:
        """Grade ``user_id``'s ``choice`` (0-based) on ``practice``, review their card and record both."""
        if practice is None or practice.user_id != user_id:
            return PracticeGrade(GradeStatus.EXPIRED)
        if practice.answered:
            return PracticeGrade(GradeStatus.ALREADY_ANSWERED, practice)
        question = practice.question
        try:
            result = grade(question, choice)
        except ValueError:
            return PracticeGrade(GradeStatus.EXPIRED, practice)
        if self.store is not None:
            now = self.clock()
            card = review(self.store.card_states(user_id).get(question.id), question.id, result.correct, now)
            if not self.store.answer_practice(practice, result, card, now):
                return PracticeGrade(GradeStatus.ALREADY_ANSWERED, practice)
        return PracticeGrade(GradeStatus.GRADED, practice, result)
