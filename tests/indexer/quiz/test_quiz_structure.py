"""Questions from the structure notes have: comparison tables, numbered steps, lists of several true
statements, definition lists and sibling options; and the bank made once per index, kept beside it."""

from __future__ import annotations

import re
import shutil

import pytest
from quizbanks import Bank, bank_of, words

from indexer.build import build_index, open_index, quiz_bank_for, quiz_bank_path
from indexer.files import read_json_gz, write_json_gz
from indexer.quiz.question import QuestionKind, QuizQuestion

ORDER, TABLE, MATCH, SELECT_TWO = (QuestionKind.ORDER, QuestionKind.TABLE, QuestionKind.MATCH,
                                   QuestionKind.SELECT_TWO)


@pytest.fixture
def guide() -> Bank:
    return bank_of("guide")


def lettered(q: QuizQuestion) -> dict[str, str]:
    """The lettered items of a question: letter -> text."""
    return {m.group(1): m.group(2) for i in q.items if (m := re.match(r"^([A-H])\. (.*)$", i))}


def cells_of(q: QuizQuestion) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in q.snippet.split("\n") if "|" in line]


def test_table_rows_give_questions_whose_choices_are_cells_of_one_table(guide: Bank) -> None:
    tables = [q for q in guide.questions if q.kind is TABLE]
    assert len(tables) >= 30
    for q in tables:
        cells = {c for row in cells_of(q) for c in row}
        texts = {c.split(": ", 1)[-1] for c in q.choices}
        assert texts <= cells, (q.prompt, texts - cells)
        assert q.explanations[q.answer_index] is not None


def test_steps_give_order_questions_whose_right_order_is_the_notes_order(guide: Bank) -> None:
    orders = [q for q in guide.questions if q.kind is ORDER]
    assert orders and any("Rotation" in q.prompt for q in orders)
    for q in orders:
        items = lettered(q)
        right = [items[letter] for letter in q.answer.split(", ")]
        raw = (guide.folder / q.source).read_text(encoding="utf-8").split("\n")[q.line_start - 1 : q.line_end]
        numbered = [line for line in raw if re.match(r"^\s*\d+\.\s", line)]
        # each shown step, in the right order, is the next numbered line of the notes
        position = [next(i for i, line in enumerate(numbered) if words(step) <= words(line) | {"…"})
                    for step in right]
        assert position == sorted(position) and len(set(position)) == len(position), (q.items, q.answer)
        assert len(set(q.choices)) == len(q.choices) >= 3


def test_select_two_pairs_two_statements_of_the_topic_with_two_of_others() -> None:
    found = [q for style in ("bundled", "guide") for q in bank_of(style).questions if q.kind is SELECT_TWO]
    assert found
    for q in found:
        items = lettered(q)
        right = q.answer.split(" and ")
        cited = words(q.snippet)
        for letter, text in items.items():
            said_here = words(text) <= cited
            assert said_here == (letter in right) or not said_here, (q.prompt, text)
        assert all(words(items[r]) <= cited for r in right), (q.items, q.snippet)


def test_a_match_maps_each_term_to_what_the_notes_say_of_it() -> None:
    found = [q for style in ("bundled", "lecture") for q in bank_of(style).questions if q.kind is MATCH]
    assert found
    for q in found:
        terms = {m.group(1): m.group(2) for i in q.items if (m := re.match(r"^([1-4])\. (.*)$", i))}
        defs = lettered(q)
        assert len(terms) == len(defs) >= 3
        for pair in q.answer.split(", "):
            number, letter = pair.split("-")
            assert words(defs[letter].rstrip("…")) - {"…"}, pair  # a definition, not a name
        assert len({c for c in q.choices}) == len(q.choices)


def test_question_ids_are_stable_across_a_rebuild(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(bank_of("guide").folder, notes)
    first = quiz_bank_for(build_index([notes]))
    again = quiz_bank_for(build_index([notes]))
    assert first.ids == again.ids and first.questions == again.questions


def test_the_bank_is_kept_beside_the_index_and_made_again_when_the_notes_change(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(bank_of("lecture").folder, notes)
    index_path = tmp_path / "index.json.gz"
    index, _ = open_index(index_path, [notes])
    bank = quiz_bank_for(index, index_path)
    cache = quiz_bank_path(index_path)
    assert cache.name == "index.quiz.json.gz" and cache.exists()
    # reused: what the file holds is what comes back (a marked question proves it was not made again)
    data = read_json_gz(cache)
    data["questions"][0]["prompt"] = "marked"
    write_json_gz(cache, data)
    assert quiz_bank_for(open_index(index_path, [notes])[0], index_path).questions[0].prompt == "marked"
    # the notes change: the index is rebuilt, the bank made again
    note = next(notes.glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\n\n## Extra\n- GuardDuty findings last 90 days\n")
    rebuilt, built = open_index(index_path, [notes])
    assert built
    fresh = quiz_bank_for(rebuilt, index_path)
    assert "marked" not in {q.prompt for q in fresh.questions}
    assert len({q.id for q in fresh.questions} & {q.id for q in bank.questions}) >= 0.8 * len(bank)
    # a cache that cannot be read is made again, not fatal
    cache.write_bytes(b"not gzip")
    assert len(quiz_bank_for(rebuilt, index_path)) == len(fresh)


def test_a_question_reads_back_from_its_record() -> None:
    for q in bank_of("bundled").questions[:30]:
        assert QuizQuestion.from_dict(q.to_dict(with_snippet=True)) == q
