"""A random sample of a quiz bank laid out for a blind review, as a learner meets it.

    python bench/quiz_bank.py NOTES_DIR --out BANK.jsonl
    python bench/quiz_review.py BANK.jsonl N --seed S --out-dir DIR

Writes ``DIR/learner.md`` (each question exactly as shown before answering, choices lettered, no
answer) and ``DIR/key.md`` (the answer, where the notes put each choice, the cited snippet), so a
reviewer answers first and checks afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def label(q: dict, i: int) -> str:
    """A choice's name as the bot shows it: a letter, or ``Option 1``… when the question's own items are
    lettered (steps, statements, terms), so a choice is never taken for an item."""
    return f"Option {i + 1}" if q["kind"] in ("order", "select_two", "match") else "ABCD"[i]


def learner_view(n: int, q: dict) -> str:
    lines = [f"## Q{n}"]
    lines += [f"    {line}" for line in q["shown"].splitlines()]
    lines += [f"  {label(q, i)}. {choice}" for i, choice in enumerate(q["choices"])]
    return "\n".join(lines)


def key_view(n: int, q: dict) -> str:
    answer = q["answer_index"]
    lines = [f"## Q{n} ({q['kind']}, id {q['id']})", f"Answer: {label(q, answer)}. {q['choices'][answer]}"]
    for i, note in enumerate(q.get("explanations") or []):
        if note and i != answer:
            lines.append(f"  wrong choice {label(q, i)} ({q['choices'][i][:60]!r}): the notes put it under "
                         f"{note['heading']} ({note['source']}:{note['line_start']}-{note['line_end']}): "
                         f"{note['snippet'][:200]!r}")
    lines.append(f"Cited: {q['source']}:{q['line_start']}-{q['line_end']} ({q['heading']})")
    lines += [f"    {line}" for line in q.get("snippet", "").splitlines()]
    explained = (q.get("explanations") or [None] * (answer + 1))[answer]
    if explained and explained.get("snippet") != q.get("snippet"):
        # what the learner reads about the right answer after the click (a match across sections also
        # names where its other pairs are)
        lines.append("Right answer explained (after the click):")
        lines += [f"    {line}" for line in explained["snippet"].splitlines()]
    return "\n".join(lines)


def practice_order(rows: list[dict], n: int, user_id: str) -> list[dict]:
    """The first ``n`` questions ``user_id`` meets in practice, by the scheduler the bot uses, answering
    each right a minute after the last."""
    from indexer.quiz.bank import QuizBank
    from indexer.quiz.question import QuizQuestion
    from indexer.quiz.review import choose_next, review

    bank = QuizBank.from_questions(QuizQuestion.from_dict(r) for r in rows)
    by_id = {r["id"]: r for r in rows}
    states: dict = {}
    now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    order: list[dict] = []
    while len(order) < min(n, len(rows)):
        question_id = choose_next(bank.ids, states, now, user_id=user_id, groups=bank.groups,
                                  rng=random.Random(len(order)), exclude=list(states))
        if question_id is None or question_id in states:
            break
        order.append(by_id[question_id])
        states[question_id] = review(None, question_id, True, now)
        now += timedelta(minutes=1)
    return order


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bank", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--as-practice", action="store_true",
                    help="the first N new questions one learner (named by --seed) meets in practice, in "
                         "that order, answering each right a minute apart: the quiz as it is used")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.bank.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.as_practice:
        picked = practice_order(rows, args.n, f"learner-{args.seed}")
    else:
        picked = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "learner.md").write_text(
        "\n\n".join(learner_view(i + 1, q) for i, q in enumerate(picked)) + "\n", encoding="utf-8")
    (args.out_dir / "key.md").write_text(
        "\n\n".join(key_view(i + 1, q) for i, q in enumerate(picked)) + "\n", encoding="utf-8")
    print(f"{len(picked)} questions → {args.out_dir}/learner.md, {args.out_dir}/key.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
