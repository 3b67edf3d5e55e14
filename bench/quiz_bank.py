"""The quiz bank of a notes folder, built by the core alone (no bot), for review and for the blind guessers.

    python bench/quiz_bank.py NOTES_DIR [--out BANK.jsonl] [--sample N] [--seed S] [--stats] [--warm]

Prints one JSON object a line, as ``awssec quiz list --json`` does plus ``shown`` (exactly what a learner
sees before answering: the prompt, the lettered or numbered items and the context line) and, for review,
``explanations`` and ``snippet``. ``--sample N`` prints N random questions readably instead (shown lines,
choices with the answer starred, each choice's explanation, the cited snippet). ``--stats`` prints the
bank's size per kind, per KB of notes and the questions from table rows, to standard error. ``--warm``
also times what ``awssec quiz next`` pays on a warm index: opening the index file (checking it is fresh)
and reading the bank kept beside it (target: 1 s).

    python bench/quiz_bank.py corpus --out /tmp/bank.jsonl
    python ../shared/eval/quiz_guess.py /tmp/bank.jsonl --docs ../shared/bench/awsdocs
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.build import build_index, open_index, quiz_bank_for  # noqa: E402
from indexer.files import load_notes  # noqa: E402
from indexer.quiz.question import QuizQuestion  # noqa: E402


def row(q: QuizQuestion) -> dict:
    data = q.to_dict(with_shown=True)
    full = q.to_dict(with_snippet=True)
    data["topic"] = full["topic"]
    data["explanations"] = full["explanations"]
    data["snippet"] = q.snippet
    return data


def readable(q: QuizQuestion) -> str:
    lines = [f"[{q.id}] {q.kind} — {q.topic}"]
    lines += [f"  | {line}" for line in q.shown_lines()]
    for i, choice in enumerate(q.choices):
        mark = "*" if i == q.answer_index else " "
        lines.append(f"  {mark} {'ABCD'[i]}. {choice}")
        note = q.explanation(i)
        if note and i != q.answer_index:
            lines.append(f"        ↳ {note.heading} ({note.citation}): {note.snippet[:140]}")
    lines.append(f"  cites {q.citation} ({q.heading})")
    lines += [f"    {line}" for line in q.snippet.splitlines()[:14]]
    return "\n".join(lines)


def warm_times(notes: list[Path]) -> dict:
    """Seconds to open an index file that is up to date and read its kept bank, after a first run."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.json.gz"
        started = time.perf_counter()
        index, _ = open_index(path, notes)
        quiz_bank_for(index, path)
        cold = time.perf_counter() - started
        times = []
        for _ in range(3):
            started = time.perf_counter()
            index, built = open_index(path, notes)
            bank = quiz_bank_for(index, path)
            times.append(time.perf_counter() - started)
            assert not built and len(bank)
        return {"cold_s": round(cold, 2), "warm_s": round(min(times), 3), "target_s": 1.0,
                "pass": min(times) <= 1.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notes", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="write the JSON lines here instead of standard output")
    ap.add_argument("--sample", type=int, help="print this many random questions readably instead")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", help="only questions of this kind")
    ap.add_argument("--stats", action="store_true", help="size per kind, per KB and from tables, on stderr")
    ap.add_argument("--warm", action="store_true", help="time opening a warm index and its cached bank")
    args = ap.parse_args()
    started = time.perf_counter()
    index = build_index(args.notes)
    indexed = time.perf_counter()
    bank = quiz_bank_for(index)
    made = time.perf_counter()
    questions = [q for q in bank.questions if not args.kind or q.kind == args.kind]
    if args.stats:
        found = load_notes(args.notes)
        kb = sum(len(t.encode("utf-8")) for t in found.texts) / 1024
        kinds = Counter(str(q.kind) for q in bank.questions)
        chunks = Counter((q.source, q.line_start, q.line_end) for q in bank.questions)
        stats = {
            "questions": len(bank),
            "kb": round(kb, 1),
            "per_kb": round(len(bank) / kb, 2) if kb else 0,
            "kinds": dict(sorted(kinds.items())),
            "table": kinds.get("table", 0),
            "max_per_chunk": max(chunks.values(), default=0),
            "chunks_asked": len(chunks),
            "index_s": round(indexed - started, 2),
            "bank_s": round(made - indexed, 2),
        }
        print(json.dumps(stats), file=sys.stderr)
    if args.warm:
        print(json.dumps(warm_times(args.notes)), file=sys.stderr)
    if args.sample:
        picked = random.Random(args.seed).sample(questions, min(args.sample, len(questions)))
        print("\n\n".join(readable(q) for q in picked))
        return 0
    lines = "".join(json.dumps(row(q), ensure_ascii=False) + "\n" for q in questions)
    if args.out:
        args.out.write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
