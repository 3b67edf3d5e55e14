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
from pathlib import Path


def learner_view(n: int, q: dict) -> str:
    lines = [f"## Q{n}"]
    lines += [f"    {line}" for line in q["shown"].splitlines()]
    lines += [f"  {'ABCD'[i]}. {choice}" for i, choice in enumerate(q["choices"])]
    return "\n".join(lines)


def key_view(n: int, q: dict) -> str:
    answer = q["answer_index"]
    lines = [f"## Q{n} ({q['kind']}, id {q['id']})", f"Answer: {'ABCD'[answer]}. {q['choices'][answer]}"]
    for i, note in enumerate(q.get("explanations") or []):
        if note and i != answer:
            lines.append(f"  wrong choice {'ABCD'[i]} ({q['choices'][i][:60]!r}): the notes put it under "
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bank", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.bank.read_text(encoding="utf-8").splitlines() if line.strip()]
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
