"""``awssec index``: build the search index from the notes (``register(subparsers)``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from indexer.build import NotAnIndexFile, build_index, save_index

from ..config.settings import Settings
from .common import INDEX_HELP, ProgressBar, index_choice, notes_label, plural


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "index",
        help="build the search index from the notes",
        description=(
            "Parse, clean, chunk and index the notes. Folders: AWSSEC_CORPUS, else the bundled corpus/."
        ),
    )
    p.add_argument("--corpus", action="append", metavar="DIR", help="a folder of notes (repeatable)")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    p.set_defaults(func=cmd_index)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    choice = index_choice(args, settings)
    dirs = choice.notes_to_build()
    try:
        index = build_index(dirs, progress=ProgressBar(sys.stderr))
    except OSError as exc:
        print(f"awssec index: {exc}", file=sys.stderr)
        return 1
    try:
        save_index(index, choice.path)
    except NotAnIndexFile as exc:  # "--index kms.md": the note is kept
        print(f"awssec index: {exc}", file=sys.stderr)
        return 1
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
