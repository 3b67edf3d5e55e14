"""``awssec ask``: answer a question (or each line of standard input) with cited snippets from the notes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indexer.model import Answer
from indexer.search.query import search

from ..config.limits import MAX_QUESTION_CHARS
from ..config.settings import Settings
from .common import INDEX_HELP, load_cli_index, notes_label


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "ask",
        help="answer a question with cited snippets from the notes",
        description=(
            "Print the best snippets for QUESTION, each with its heading path and file:lines. Without "
            "QUESTION, answer each line of standard input. Builds the index on first use and when the "
            "notes changed."
        ),
    )
    p.add_argument("question", nargs="?", help="the question (omit to read questions from standard input)")
    p.add_argument("-k", type=int, default=3, help="how many snippets at most (default 3)")
    p.add_argument("--json", action="store_true", help="one JSON object a line: {query, hits: [...], notes}")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    p.add_argument(
        "--corpus", action="append", metavar="DIR", help="search these notes, for this command (repeatable)"
    )
    p.set_defaults(func=cmd_ask)


def format_answer(answer: Answer, notes: str) -> str:
    """An answer as a person reads it in a terminal, headed by the question and the notes searched."""
    out = [f"Q: {answer.query}", f"Searched: {notes}"]
    if answer.missing_topics:
        out.append(answer.note)
        if answer.related:
            out.append("Related in your notes (not an answer to your question):")
            out.extend(f"  - {hit.heading}  ({hit.citation})" for hit in answer.related)
        return "\n".join(out) + "\n"
    if not answer.hits:
        reason = answer.note.rstrip(". ")
        if reason[1:2].islower():
            reason = reason[0].lower() + reason[1:]
        reason = f" ({reason})" if reason else ""
        out.append(f"Not in the notes{reason}. Try other words, or `awssec ask --help`.")
    for rank, hit in enumerate(answer.hits, start=1):
        out.append(f"\n{rank}. {hit.heading}\n   {hit.citation}")
        out.extend(f"   {line}" for line in hit.text.splitlines())
    return "\n".join(out) + "\n"


def too_long(question: str) -> str | None:
    """Why a question is refused for its length, or None when it is short enough."""
    if len(question) <= MAX_QUESTION_CHARS:
        return None
    return (
        f"the question is {len(question):,} characters long; questions are limited to "
        f"{MAX_QUESTION_CHARS:,} characters (a few key words work best)"
    )


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.k < 1:
        print("awssec ask: -k must be at least 1", file=sys.stderr)
        return 2
    if args.question is not None and (reason := too_long(args.question.strip())):
        print(f"awssec ask: {reason}", file=sys.stderr)
        return 2
    index = load_cli_index(args, settings, "awssec")
    if index is None:
        return 1
    notes = notes_label(index.corpus_dirs)
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    refused = 0
    for number, question in enumerate(questions, start=1):
        question = question.strip()
        if args.question is None and not question and not args.json:
            continue
        reason = too_long(question)
        if reason:
            # One line of output per line of input still: a JSON reader stays in step.
            refused += 1
            print(f"awssec ask: line {number}: {reason}", file=sys.stderr)
            if args.json:
                refusal = {"query": question[:100] + "…", "hits": [], "error": reason}
                print(json.dumps(refusal, ensure_ascii=False), flush=True)
            continue
        answer = search(index, question, k=args.k)
        if args.json:
            print(json.dumps(answer.to_dict() | {"notes": index.corpus_dirs}, ensure_ascii=False), flush=True)
        else:
            print(format_answer(answer, notes), flush=True)
    return 1 if refused else 0
