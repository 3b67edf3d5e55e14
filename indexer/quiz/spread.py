"""Spread: which of the possible questions make the bank. At most a few per chunk, in proportion to how
much the chunk says; a fact is the answer of one question only; every kind a chunk supports before a
second of any kind."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from indexer.quiz.fairness import stopwords, tokens
from indexer.quiz.quantities import amount
from indexer.quiz.question import QuizQuestion, choice_key

MAX_PER_CHUNK = 3
"""No chunk gives more questions than this…"""
FACTS_PER_QUESTION = 1
"""…and a chunk gives one question for every this many facts it states (at least one)."""
MAX_PER_TABLE = 10
"""…but a comparison table, which states a row's worth of facts per line, gives one question a row, up
to this many."""
SAME_ANSWER_ONCE = frozenset({"cloze", "which", "table"})
"""Kinds whose answer is a fact's value or subject: a chunk asks each answer once in each."""
MAX_USES = 2
"""A fact is asked at most this often, each time in another kind of question."""
MAX_OFFERED = 2
"""A statement is a wrong choice in at most this many questions of a bank: a line offered in every other
question is ruled out on sight."""
OFFERS_STATEMENTS = frozenset({"statement", "select_two"})
CODED = frozenset({"match", "order", "select_two"})
MIRRORED_SHARE = 0.5
"""Two questions ask one pairing from both sides when each shows the other's answer: the whole of one's,
and at least this share of the other's words."""


@dataclass(frozen=True)
class Candidate:
    """A question the notes support, with what it uses up."""

    question: QuizQuestion
    uses: frozenset[Hashable]
    """The facts (``id`` of a fact, or a table cell's key) it asks about: each is asked once only."""
    weight: float = 1.0
    """How good a question it is, among a chunk's: higher first."""
    chunk: tuple[str, int, int] | None = field(default=None)
    """The chunk whose budget it uses, when not the one it cites (a match across sibling chunks)."""

    @property
    def chunk_key(self) -> tuple[str, int, int]:
        if self.chunk is not None:
            return self.chunk
        q = self.question
        return q.source, q.line_start, q.line_end


def budget(facts: int, table_rows: int = 0) -> int:
    """How many questions a chunk stating ``facts`` facts, ``table_rows`` of them table rows, may give."""
    by_facts = max(1, min(MAX_PER_CHUNK, (facts + FACTS_PER_QUESTION - 1) // FACTS_PER_QUESTION))
    return max(by_facts, min(MAX_PER_TABLE, table_rows))


def select(
    candidates: Iterable[Candidate],
    facts_per_chunk: dict[tuple[str, int, int], int],
    table_rows: dict[tuple[str, int, int], int] | None = None,
) -> list[Candidate]:
    """The candidates that make the bank, in a stable order (by chunk, then kind): first a question of
    each kind a chunk supports, then more up to its budget, each about facts not yet asked; then, where
    a chunk's budget is still open, a second question (of another kind) about a fact."""
    ordered = sorted(candidates, key=lambda c: (-c.weight, c.question.id))
    taken: list[Candidate] = []
    uses: Counter[Hashable] = Counter()
    kinds_of: dict[Hashable, set[str]] = {}
    prompts: set[str] = set()
    answers: set[tuple[Hashable, str, str]] = set()
    choice_sets: set[tuple[str, frozenset[str]]] = set()
    per_chunk: Counter[tuple[str, int, int]] = Counter()
    chunk_kinds: set[tuple[tuple[str, int, int], str]] = set()
    offered: Counter[str] = Counter()
    bank_kinds: set[str] = set()
    for phase in ("new to the bank", "first of kind", "fresh", "again"):
        for cand in ordered:
            key, kind = cand.chunk_key, str(cand.question.kind)
            if phase == "new to the bank" and kind in bank_kinds:
                continue  # every kind the notes support is in the bank before a chunk's second question
            allowed = budget(facts_per_chunk.get(key, 1), (table_rows or {}).get(key, 0))
            if per_chunk[key] >= allowed or _prompt_key(cand.question) in prompts:
                continue
            value = amount(cand.question.answer)
            # a value is asked once per topic ("SQS": "up to ____ of text", "messages are ____ in size"),
            # a name once per chunk
            where = cand.question.topic.split(" › ")[0] if value and cand.question.topic else key
            answered = (where, kind, value or choice_key(cand.question.answer))
            if kind in SAME_ANSWER_ONCE and answered in answers:
                continue  # "up to ____ per call" and "if data > ____": 4 KB (or 4,096 bytes) twice
            cells = _choices_key(cand.question) if cand.question.kind == "table" else None
            if cells in choice_sets:
                continue  # two rows with one value: the same answer among the same cells, asked twice
            column = _column_key(cand, cells)
            if column is not None and column in choice_sets:
                continue  # one column's same cells (or rows) again: one answer settles the other
            if phase == "again":
                if any(uses[f] >= MAX_USES or kind in kinds_of.get(f, ()) for f in cand.uses):
                    continue
                if any(_shows_answer(cand.question, t.question) for t in taken if t.uses & cand.uses):
                    continue  # a fact's blank and the same fact quoted whole: one shows the other's answer
            elif any(uses[f] for f in cand.uses):
                continue
            if phase in ("new to the bank", "first of kind") and (key, kind) in chunk_kinds:
                continue
            wrong = _wrong_statements(cand.question)
            if any(offered[w] >= MAX_OFFERED for w in wrong):
                continue
            if any(mirrored(cand.question, t.question) for t in taken):
                continue  # "which question has VPC Flow Logs" and "“Which IP talked to which port?” is ____"
            offered.update(wrong)
            taken.append(cand)
            for f in cand.uses:
                uses[f] += 1
                kinds_of.setdefault(f, set()).add(kind)
            prompts.add(_prompt_key(cand.question))
            answers.add(answered)
            if cells is not None:
                choice_sets.add(cells)
            if column is not None:
                choice_sets.add(column)
            per_chunk[key] += 1
            chunk_kinds.add((key, kind))
            bank_kinds.add(kind)
    taken.sort(key=lambda c: (c.chunk_key, str(c.question.kind), c.question.id))
    return taken


def mirrored(a: QuizQuestion, b: QuizQuestion) -> bool:
    """Whether two questions ask one pairing from both sides: one's prompt shows the other's answer
    whole, and the other's prompt most of its answer's words. Each answers the other."""
    return (
        _shows(a.prompt, b.answer, 1.0)
        and _shows(b.prompt, a.answer, MIRRORED_SHARE)
        or (_shows(b.prompt, a.answer, 1.0) and _shows(a.prompt, b.answer, MIRRORED_SHARE))
    )


def _shows_answer(a: QuizQuestion, b: QuizQuestion) -> bool:
    """Whether either question shows the other's answer, word for word (a match, an order or a select-two
    shows its lines unpaired: they tell less)."""
    if a.kind in CODED or b.kind in CODED:
        return False
    return any(
        re.search(rf"(?i)(?<!\w){re.escape(x.answer)}(?!\w)", "\n".join(y.shown_lines()))
        for x, y in ((a, b), (b, a))
    )


def _shows(prompt: str, answer: str, share: float) -> bool:
    said, asked = _words(prompt), _words(answer)
    return bool(asked) and len(asked & said) >= share * len(asked)


def _words(text: str) -> frozenset[str]:
    """A text's words but stopwords, by their first four letters, a plural's as its singular's (``IPs`` ~
    ``IP``, ``talked`` ~ ``talks``)."""
    stop = stopwords()
    words = (w for w in tokens(text) if w not in stop and (len(w) > 1 or w.isdigit()))
    singular = (w[:-1] if len(w) > 2 and w.endswith("s") and not w.endswith("ss") else w for w in words)
    return frozenset(w[:4] for w in singular)


def _wrong_statements(question: QuizQuestion) -> list[str]:
    """The statements a question offers as wrong (a statement question's wrong choices, a select-two's
    wrong items), by their choice keys; none for other kinds."""
    if question.kind not in OFFERS_STATEMENTS:
        return []
    if question.kind == "statement":
        return [choice_key(c) for i, c in enumerate(question.choices) if i != question.answer_index]
    return [choice_key(text) for text in question.picked_items()[1]]


def _column_key(cand: Candidate, cells: tuple[str, frozenset[str]] | None) -> tuple | None:
    """A table question's column and choices: two questions on one column with the same choices ("what
    does it give for AWS owned under cost" and "… for AWS managed under cost", among the same three
    cells) are one puzzle asked twice."""
    cell_keys = [u for u in cand.uses if isinstance(u, tuple) and len(u) == 5 and u[0] == "cell"]
    columns = [(u[1], u[2], u[4]) for u in cell_keys]
    if cells is None or len(columns) != 1:
        return None
    return ("column", *columns[0], cells[1])


def _choices_key(question: QuizQuestion) -> tuple[str, frozenset[str]]:
    """The answer and the set of choices: ``1-B, 2-A`` codes count only with the items they code."""
    items = "".join(question.items)
    return items + choice_key(question.answer), frozenset(choice_key(c) for c in question.choices)


def _prompt_key(question: QuizQuestion) -> str:
    """What makes two questions the same question: their prompt and items; for a table's "which of these
    does the table say about X", also the answer (each row of X is a question of its own)."""
    key = choice_key(question.prompt + "".join(question.items))
    return key + "\n" + choice_key(question.answer) if question.kind == "table" else key


def unique(questions: Sequence[QuizQuestion]) -> tuple[QuizQuestion, ...]:
    seen: dict[str, QuizQuestion] = {}
    for q in questions:
        seen.setdefault(q.id, q)
    return tuple(seen.values())
