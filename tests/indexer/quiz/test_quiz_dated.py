"""Notes that say when they were written: years on, their limits are not asked as values."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.build import build_index, cached_quiz_bank, open_index, quiz_bank_for
from indexer.quiz.bank import QuizBank, generate_questions
from indexer.quiz.dated import written_on

SQS = (
    "# Messaging security\n\n## SQS\n"
    "- A message can hold up to 256 KB of text in any format\n"
    "- Messages are kept for 4 days by default\n"
    "- Long polling waits up to 20 seconds for a message to arrive\n\n"
    "## SNS\n- A topic pushes every message to each of its subscribers\n"
    "- Message filtering sends a subscriber only what its filter policy matches\n"
)


@pytest.mark.parametrize(
    ("source", "raw", "written"),
    [
        ("_posts/2020-06-30-sqs.md", "", date(2020, 6, 30)),  # a blog post's name
        ("sqs.md", "---\ntitle: SQS\ndate: 2021-03-04\n---\n# SQS\n", date(2021, 3, 4)),  # front matter
        ("sqs.md", "# SQS\ndate: 2021-03-04\n", None),  # a line of text, not front matter
        ("2020-13-45-sqs.md", "", None),  # no real date
        ("sqs.md", "", None),
    ],
)
def test_a_note_says_when_it_was_written(source: str, raw: str, written: date | None) -> None:
    assert written_on(source, raw) == written


def _values_asked(tmp_path, name: str, today: date) -> list[str]:
    folder = tmp_path / name.removesuffix(".md")
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(SQS, encoding="utf-8")
    index = build_index([folder])
    questions = generate_questions(index.chunks, index.settings, {name: SQS}, today=today)
    return [q.answer for q in questions if q.answer.split()[0].isdigit()]


def test_notes_written_years_ago_ask_no_values(tmp_path) -> None:
    # SQS's 256 KB message was raised to 1 MiB in 2025: a 2020 note's limits may no longer hold
    assert _values_asked(tmp_path, "2020-06-30-sqs.md", date(2021, 1, 1))
    assert not _values_asked(tmp_path, "2020-06-30-sqs.md", date(2024, 1, 1))
    assert _values_asked(tmp_path, "sqs.md", date(2030, 1, 1))  # a note that says nothing of its date


def test_a_kept_bank_is_made_again_on_the_day_its_notes_age(tmp_path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "2021-06-30-sqs.md").write_text(SQS, encoding="utf-8")
    index_path = tmp_path / "index.json.gz"
    index, _ = open_index(index_path, [folder])
    last_fresh_day, first_old_day = date(2024, 6, 28), date(2024, 6, 29)  # 3 x 365 days after it was written

    def values(bank: QuizBank) -> list[str]:
        return [q.answer for q in bank.questions if q.answer.split()[0].isdigit()]

    assert values(quiz_bank_for(index, index_path, today=last_fresh_day))
    assert cached_quiz_bank(index, index_path, today=last_fresh_day) is not None  # kept, and read back
    assert cached_quiz_bank(index, index_path, today=first_old_day) is None
    assert not values(quiz_bank_for(index, index_path, today=first_old_day))
    assert cached_quiz_bank(index, index_path, today=date(2030, 1, 1)) is not None  # nothing ages any more
