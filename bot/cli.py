"""The ``awssec`` command: a thin layer over the indexer library (and, for ``serve``, the Slack app).

Every command is ``awssec COMMAND --help``-documented; ``main(argv) -> int`` is what tests call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from bot import cli_clean, cli_quiz, cli_serve
from bot.cli_common import ProgressBar, index_choice, load_cli_index, notes_label
from bot.limits import MAX_QUESTION_CHARS
from indexer.build import build_index, save_index
from indexer.model import Answer
from indexer.search.query import search

INDEX_HELP = "index file (default: AWSSEC_INDEX, else the data directory's index of these notes)"
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a program whose reader went away (``awssec ask ... | head``)."""


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def cmd_index(args: argparse.Namespace) -> int:
    choice = index_choice(args)
    dirs = choice.notes_to_build()
    try:
        index = build_index(dirs, progress=ProgressBar(sys.stderr))
    except OSError as exc:
        print(f"awssec index: {exc}", file=sys.stderr)
        return 1
    try:
        save_index(index, choice.path)
    except OSError as exc:
        print(f"awssec index: {choice.cannot_write(exc)}", file=sys.stderr)
        return 1
    s = index.stats
    for warning in s.get("warnings", ()):
        print(f"awssec index: {warning}", file=sys.stderr)
    print(
        f"Indexed {plural(s['files'], 'file')} into {plural(s['chunks'], 'chunk')}, vocabulary "
        f"{plural(s['vocabulary'], 'term')}, {plural(s['words_fixed'], 'word')} fixed, "
        f"in {s['seconds']:.2f} s."
    )
    print(f"Notes: {notes_label(index.corpus_dirs)}")
    print(f"Index: {choice.path}")
    return 0


def format_answer(answer: Answer, notes: str) -> str:
    """An answer as a person reads it in a terminal, headed by the question and the notes searched."""
    out = [f"Q: {answer.query}", f"Searched: {notes}"]
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


def cmd_ask(args: argparse.Namespace) -> int:
    if args.k < 1:
        print("awssec ask: -k must be at least 1", file=sys.stderr)
        return 2
    if args.question is not None and (reason := too_long(args.question.strip())):
        print(f"awssec ask: {reason}", file=sys.stderr)
        return 2
    index = load_cli_index(args, "awssec")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="awssec", description="Study AWS security from your own notes: search, quizzes, a Slack bot."
    )
    parser.add_argument("--version", action="version", version=f"awssec {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="build the search index from the notes", description=(
        "Parse, clean, chunk and index the notes. Folders: AWSSEC_CORPUS, else the bundled corpus/."))
    p.add_argument("--corpus", action="append", metavar="DIR", help="a folder of notes (repeatable)")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer a question with cited snippets from the notes", description=(
        "Print the best snippets for QUESTION, each with its heading path and file:lines. Without QUESTION, "
        "answer each line of standard input. Builds the index on first use and when the notes changed."))
    p.add_argument("question", nargs="?", help="the question (omit to read questions from standard input)")
    p.add_argument("-k", type=int, default=3, help="how many snippets at most (default 3)")
    p.add_argument("--json", action="store_true", help="one JSON object a line: {query, hits: [...], notes}")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    p.add_argument(
        "--corpus", action="append", metavar="DIR", help="search these notes, for this command (repeatable)"
    )
    p.set_defaults(func=cmd_ask)

    for module in (cli_clean, cli_serve, cli_quiz):
        module.register(sub)
    return parser


def installed_version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("awssec")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    """The reader of standard output went away: send what is left to /dev/null, so that Python's own
    flush at exit does not fail on the closed pipe a second time (and print a traceback)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
