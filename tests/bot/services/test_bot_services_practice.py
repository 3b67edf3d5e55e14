"""Practice, the one flow behind the Slack quiz buttons and `awssec quiz next`: choose by spaced
repetition, grade, review the card, record — on SQLite and PostgreSQL, and without a store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import REPO

from bot.services.index import IndexUnavailable
from bot.services.practice import GradeStatus, NextStatus, PracticeService
from bot.store import Store
from indexer.build import build_index, quiz_bank_for
from indexer.quiz.bank import QuizBank

FIXTURES = REPO / "tests" / "fixtures" / "quiz"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank() -> QuizBank:
    return quiz_bank_for(build_index([FIXTURES], fix_typos=False))


@pytest.fixture
def store(database_url: str):
    store = Store.connect(database_url)
    yield store
    store.close()


def test_a_question_is_shown_graded_reviewed_and_recorded_once(store: Store, bank: QuizBank) -> None:
    practice = PracticeService(store, lambda: bank, clock=lambda: NOW)
    chosen = practice.next_question("U1", "C1")
    assert chosen.status == NextStatus.QUESTION and chosen.practice is not None
    shown = practice.shown(chosen.practice.id)
    assert shown == chosen.practice  # recorded as shown to U1
    question = shown.question
    graded = practice.answer(shown, "U1", question.answer_index)
    assert graded.status == GradeStatus.GRADED and graded.result.correct and graded.result.points == 10
    assert [(r.question_id, r.correct) for r in store.answer_records("U1")] == [(question.id, True)]
    card = store.card_states("U1")[question.id]
    assert card.reviews == 1 and card.due > NOW  # reviewed: not due again at once
    # the first answer is the one that counts: a second click, or the same practice shown again
    again = practice.answer(practice.shown(shown.id), "U1", 0)
    assert again.status == GradeStatus.ALREADY_ANSWERED
    assert len(store.answer_records("U1")) == 1
    # and the next question is another one
    assert practice.next_question("U1", "C1").practice.question.id != question.id


def test_someone_elses_question_or_a_choice_it_does_not_have_is_expired(store: Store, bank: QuizBank) -> None:
    practice = PracticeService(store, lambda: bank, clock=lambda: NOW)
    shown = practice.next_question("U1", "C1").practice
    assert practice.answer(shown, "U2", 0).status == GradeStatus.EXPIRED
    assert practice.answer(shown, "U1", len(shown.question.choices)).status == GradeStatus.EXPIRED
    assert practice.answer(practice.shown("no-such-practice"), "U1", 0).status == GradeStatus.EXPIRED
    assert store.answer_records() == []


def test_without_a_store_the_answer_is_graded_and_nothing_recorded(bank: QuizBank) -> None:
    practice = PracticeService(None, lambda: bank, clock=lambda: NOW)
    shown = practice.next_question("cli:ada", "cli").practice
    assert shown is not None and shown.id == ""
    wrong = (shown.question.answer_index + 1) % len(shown.question.choices)
    graded = practice.answer(shown, "cli:ada", wrong)
    assert graded.status == GradeStatus.GRADED and not graded.result.correct


def test_no_questions_or_no_index_is_said(store: Store) -> None:
    empty = PracticeService(store, lambda: QuizBank.from_chunks([]), clock=lambda: NOW)
    assert empty.next_question("U1", "C1").status == NextStatus.NO_QUESTIONS
    broken = PracticeService(store, lambda: IndexUnavailable("corrupt"), clock=lambda: NOW)
    chosen = broken.next_question("U1", "C1")
    assert chosen.status == NextStatus.INDEX_UNAVAILABLE and chosen.reason == "corrupt"


def test_a_missed_question_comes_back_once_due(store: Store, bank: QuizBank) -> None:
    clock = [NOW]
    practice = PracticeService(store, lambda: bank, clock=lambda: clock[0])
    shown = practice.next_question("U1", "C1").practice
    wrong = (shown.question.answer_index + 1) % len(shown.question.choices)
    practice.answer(shown, "U1", wrong)
    clock[0] = NOW + timedelta(days=1)
    # due again; a new question is mixed in about one time in four, so it comes back within a few asks
    asked = [practice.next_question("U1", "C1").practice.question.id for _ in range(20)]
    assert shown.question.id in asked


def test_a_question_with_lettered_items_names_its_choices_by_number() -> None:
    from bot.services.practice import choice_label, labelled, parse_answer
    from indexer.quiz.question import QuestionKind, QuizQuestion

    base = dict(id="q", source="n.md", line_start=1, line_end=4, heading="Steps", snippet="1. a\n2. b")
    order = QuizQuestion(
        kind=QuestionKind.ORDER, prompt="In what order?", choices=("B, A, C", "A, B, C", "C, A, B"),
        answer_index=1, items=("A. first", "B. second", "C. third"), **base,
    )
    which = QuizQuestion(
        kind=QuestionKind.WHICH, prompt="Which?", choices=("KMS", "STS", "WAF"), answer_index=0, **base
    )
    assert labelled(order, 1, "A, B, C") == "Option 2: A, B, C" and choice_label(which, 1) == "B"
    assert parse_answer(order, "2") == 1 and parse_answer(order, "option 3") == 2
    assert parse_answer(order, "B") is None  # B is an item, not a choice
    assert parse_answer(which, "b") == 1 and parse_answer(which, "3") == 2
