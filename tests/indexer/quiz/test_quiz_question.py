"""Question kinds: a StrEnum whose values are what databases and JSON hold."""

from __future__ import annotations

import pytest

from indexer.quiz.question import KINDS, QuestionKind, QuizQuestion


def question_of_kind(kind: str) -> QuizQuestion:
    return QuizQuestion("q1", kind, "Which?", ("A", "B", "C"), 0, "a.md", 1, 2, "A", "text")


def test_a_question_kind_read_back_from_json_is_the_kind() -> None:
    question = question_of_kind("cloze")  # as a stored question's JSON gives it
    assert question.kind is QuestionKind.CLOZE and question.to_dict()["kind"] == "cloze"
    with pytest.raises(ValueError):
        question_of_kind("riddle")


def test_the_kinds_keep_their_stored_names() -> None:
    # stored in databases: kinds are added, never renamed
    assert [str(k) for k in KINDS] == [
        "which", "statement", "cloze", "table", "order", "select_two", "match", "scenario"
    ]
