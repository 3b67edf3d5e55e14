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


def test_where_the_answer_sits_says_nothing_of_how_the_choices_were_picked() -> None:
    # the generators pick wrong choices with random.Random(question id); the order of the choices drew from
    # the same stream, so which questions survived the checks on their picks leaned on where the answer
    # sat (4-choice "which" questions all had theirs at B or D); the order now draws from its own stream
    import random

    from indexer.quiz.question import shuffled

    same = 0
    for n in range(2000):
        qid = f"{n:016x}"
        picks = list(range(4))
        random.Random(qid).shuffle(picks)  # what a generator's first draw would do
        _, answer_index = shuffled(qid, "right", ["w1", "w2", "w3"])
        same += answer_index == picks.index(0)
    assert 0.2 < same / 2000 < 0.3  # as often as chance (a quarter), not always
    positions = [shuffled(f"{n:016x}", "right", ["w1", "w2", "w3"])[1] for n in range(2000)]
    assert all(400 < positions.count(i) < 600 for i in range(4))  # every place equally often
