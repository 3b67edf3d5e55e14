"""Search quality on every question set we have, awssec side by side with plain tantivy, in one run.

    python bench/bench_quality.py                 # every set found (the AWS docs take ~30 s to index)
    python bench/bench_quality.py --no-docs       # without the 1,783 pages of AWS docs
    python bench/bench_quality.py --set guide --set practice --show-misses

Sets: the study group's questions over the bundled notes and the two development sets in
``../shared/eval`` (a third-party cheat sheet, the AWS docs), when that folder is beside the repository,
and ours in ``tests/fixtures/notes`` (a polished guide with tables and emoji headings, exam-practice Q&A,
a lecture cheat sheet with HTML blocks). Scored by the shared scorer's rule (``retrieval_score.py``): a
hit answers when it cites the gold file, overlaps the gold lines and spans at most 30 lines; a question
with no gold is answered right by no hits. Both engines return 3 hits.

tantivy (pip install -e '.[bench]') indexes awssec's own chunks (heading and text) with its English
stemming tokenizer and answers every question (it has no notion of "not in the notes").
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import _tantivy_schema, tantivy_query_text  # noqa: E402

from indexer.build import build_index  # noqa: E402
from indexer.search.index import SearchIndex  # noqa: E402
from indexer.search.query import search  # noqa: E402

SHARED = REPO.parent / "shared"
NOTES = REPO / "tests" / "fixtures" / "notes"
MAX_SPAN = 30
K = 3

Hit = tuple[str, int, int]
"""(source, first line, last line)."""


@dataclass(frozen=True)
class QuestionSet:
    """Questions with known answers over one folder of notes."""

    name: str
    questions: Path
    notes: Path
    docs: bool = False
    """The large AWS documentation set (skipped with --no-docs)."""


def question_sets() -> list[QuestionSet]:
    sets = [
        QuestionSet("bundled notes", SHARED / "eval" / "questions.jsonl", REPO / "corpus"),
        QuestionSet(
            "cheat sheet",
            SHARED / "eval" / "dev" / "Zhenye-Na__aws-certs-cheatsheet.jsonl",
            SHARED / "eval" / "dev" / "notes" / "Zhenye-Na__aws-certs-cheatsheet",
        ),
        QuestionSet(
            "AWS docs", SHARED / "eval" / "dev" / "awsdocs.jsonl", SHARED / "bench" / "awsdocs", docs=True
        ),
    ]
    sets += [QuestionSet(p.stem, p, NOTES / p.stem) for p in sorted(NOTES.glob("*.jsonl"))]
    return [s for s in sets if s.questions.exists() and s.notes.is_dir()]


def matches(hit: Hit, gold: Sequence[Sequence]) -> bool:
    source, first, last = hit
    if last - first + 1 > MAX_SPAN:
        return False
    return any(
        (source == g[0] or source.endswith("/" + g[0])) and first <= g[2] and g[1] <= last for g in gold
    )


@dataclass(frozen=True)
class Score:
    recall_at_1: float
    recall_at_3: float
    mrr: float
    refused: str
    """Questions with no answer in the notes that got no hits, of all such questions."""
    misses: tuple[str, ...]


def score(questions: list[dict], answer: Callable[[str], list[Hit]]) -> Score:
    r1 = r3 = rr = answerable = refused = unanswerable = 0
    misses: list[str] = []
    for q in questions:
        hits = answer(q["q"])[:K]
        if not q["gold"]:
            unanswerable += 1
            refused += not hits
            if hits:
                misses.append(f"answered: {q['q']}")
            continue
        answerable += 1
        ranks = [i for i, h in enumerate(hits) if matches(h, q["gold"])]
        if ranks:
            r1 += ranks[0] == 0
            r3 += 1
            rr += 1 / (ranks[0] + 1)
        if not ranks or ranks[0]:
            misses.append(f"rank {ranks[0] + 1 if ranks else '-'}: {q['q']}")
    n = max(answerable, 1)
    return Score(r1 / n, r3 / n, rr / n, f"{refused}/{unanswerable}", tuple(misses))


def awssec_answers(index: SearchIndex) -> Callable[[str], list[Hit]]:
    def answer(question: str) -> list[Hit]:
        return [(h.source, h.line_start, h.line_end) for h in search(index, question, k=K).hits]

    return answer


def tantivy_answers(index: SearchIndex, workdir: Path) -> Callable[[str], list[Hit]]:
    import tantivy

    folder = workdir / "tantivy"
    folder.mkdir()
    engine = tantivy.Index(_tantivy_schema(), path=str(folder))
    writer = engine.writer()
    for n, chunk in enumerate(index.chunks):
        writer.add_document(
            tantivy.Document(
                id=n, source=chunk.source, line_start=chunk.line_start, line_end=chunk.line_end,
                heading=chunk.heading, text=chunk.text,
            )
        )
    writer.commit()
    engine.reload()
    searcher = engine.searcher()

    def answer(question: str) -> list[Hit]:
        text = tantivy_query_text(question)
        if not text.strip():
            return []
        query = engine.parse_query(text, ["heading", "text"])
        found = []
        for _, address in searcher.search(query, K).hits:
            doc = searcher.doc(address)
            found.append((doc["source"][0], int(doc["line_start"][0]), int(doc["line_end"][0])))
        return found

    return answer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], help="only these sets (by name; repeatable)")
    parser.add_argument("--no-docs", action="store_true", help="skip the large AWS documentation set")
    parser.add_argument("--no-tantivy", action="store_true", help="awssec only")
    parser.add_argument("--show-misses", action="store_true", help="list the questions each engine missed")
    args = parser.parse_args(argv)
    rows = [
        "| notes | questions | recall@1 | recall@3 | MRR@3 | no answer refused | tantivy recall@1 | "
        "tantivy recall@3 | build (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for qs in question_sets():
        if (args.set and qs.name not in args.set) or (qs.docs and args.no_docs):
            continue
        lines = qs.questions.read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line) for line in lines if line.strip()]
        print(f"[{qs.name}] indexing {qs.notes}…", file=sys.stderr)
        started = time.perf_counter()
        index = build_index([qs.notes])
        built = time.perf_counter() - started
        ours = score(questions, awssec_answers(index))
        theirs = None
        if not args.no_tantivy:
            with tempfile.TemporaryDirectory() as workdir:
                theirs = score(questions, tantivy_answers(index, Path(workdir)))
        rows.append(
            f"| {qs.name} | {len(questions)} | {ours.recall_at_1:.2f} | {ours.recall_at_3:.2f} | "
            f"{ours.mrr:.2f} | "
            f"{ours.refused} | {f'{theirs.recall_at_1:.2f}' if theirs else '–'} | "
            f"{f'{theirs.recall_at_3:.2f}' if theirs else '–'} | {built:.1f} |"
        )
        if args.show_misses:
            print(f"\n[{qs.name}] awssec misses:\n  " + "\n  ".join(ours.misses), file=sys.stderr)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
