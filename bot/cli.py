"""The ``awssec`` command: a thin layer over the indexer library (and, for ``serve``, the Slack app).

Every command is ``awssec COMMAND --help``-documented; ``main(argv) -> int`` is what tests call.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from bot import cli_clean, cli_quiz, cli_serve
from bot.cli_common import ProgressBar, corpus_dirs, index_path, load_cli_index
from indexer.build import build_index
from indexer.model import Answer
from indexer.paths import corpus_dirs_from_env
from indexer.search import save_index, search

INDEX_HELP = "index file (default: AWSSEC_INDEX, else index.json.gz in the data directory)"


def cmd_index(args: argparse.Namespace) -> int:
    dirs = corpus_dirs(args) or corpus_dirs_from_env()
    path = index_path(args)
    try:
        index = build_index(dirs, progress=ProgressBar(sys.stderr))
    except FileNotFoundError as exc:
        print(f"awssec index: {exc}", file=sys.stderr)
        return 1
    save_index(index, path)
    s = index.stats
    for warning in s.get("warnings", ()):
        print(f"awssec index: {warning}", file=sys.stderr)
    print(
        f"Indexed {s['files']} files into {s['chunks']} chunks, vocabulary {s['vocabulary']} terms, "
        f"{s['words_fixed']} words fixed, in {s['seconds']:.2f} s."
    )
    print(f"Index: {path}")
    return 0


def format_answer(answer: Answer) -> str:
    """An answer as a person reads it in a terminal."""
    if not answer.hits:
        reason = f" ({answer.note})" if answer.note else ""
        return f"Q: {answer.query}\nNot in the notes{reason}. Try other words, or `awssec ask --help`.\n"
    out = [f"Q: {answer.query}"]
    for rank, hit in enumerate(answer.hits, start=1):
        out.append(f"\n{rank}. {hit.heading}\n   {hit.citation}")
        out.extend(f"   {line}" for line in hit.text.splitlines())
    return "\n".join(out) + "\n"


def cmd_ask(args: argparse.Namespace) -> int:
    if args.k < 1:
        print("awssec ask: -k must be at least 1", file=sys.stderr)
        return 2
    index = load_cli_index(args, "awssec")
    if index is None:
        return 1
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        if args.question is None and not question.strip() and not args.json:
            continue
        answer = search(index, question.strip(), k=args.k)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_answer(answer), flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="awssec", description="Study AWS security from your own notes: search, quizzes, a Slack bot."
    )
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
    p.add_argument("--json", action="store_true", help="one JSON object a line: {query, hits: [...]}")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    p.add_argument("--corpus", action="append", metavar="DIR", help="notes to (re)index from if stale")
    p.set_defaults(func=cmd_ask)

    for module in (cli_clean, cli_serve, cli_quiz):
        module.register(sub)
    return parser


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


if __name__ == "__main__":
    sys.exit(main())
