"""``awssec clean FILE [--diff]``: what the typo cleaner makes of one note (``register(subparsers)``).

- ``clean FILE`` prints the cleaned note: the same lines, typos fixed, markdown untouched.
- ``clean --diff FILE`` lists each fix as ``line: before -> after`` (``?`` marks a judgement call,
  for which the index keeps the word as written too).

The corrector knows the shipped AWS and English lists, the words of every note in FILE's folder (its
corpus), and that folder's ``.awssec/words.txt`` (never change) and ``.awssec/fixes.txt``
(``wrong -> right``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from indexer.build import build_corrector
from indexer.files import USER_DIR, find_notes, read_note
from indexer.notetext import UnreadableNote, decode_note
from indexer.spelling.clean import CleanResult, clean_text


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    clean = subparsers.add_parser(
        "clean", help="show a note with its typos fixed (or, with --diff, the fixes)",
        description="Fix the typos of one note the way the indexer does: same lines, markdown, code, "
                    "URLs and AWS names untouched. Uses the words of the notes in the same folder and "
                    "its .awssec/words.txt and .awssec/fixes.txt.")
    clean.add_argument("file", metavar="FILE", help="a markdown note")
    clean.add_argument("--diff", action="store_true", help="list the fixes as 'line: before -> after'")
    clean.set_defaults(func=lambda args, settings: cmd_clean(args))


def cmd_clean(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    path = Path(args.file)
    if not path.is_file():
        print(f"awssec clean: {path} is not a file", file=err)
        return 1
    try:
        result = clean_note(path)
    except UnreadableNote as exc:
        print(f"awssec clean: {path}: {exc}", file=err)
        return 1
    if args.diff:
        for fix in result.fixes:
            mark = "" if fix.certain else "  ?"
            out.write(f"{fix.line}: {fix.before} -> {fix.after}{mark}\n")
    else:
        out.write(result.text)
    return 0


def clean_note(path: Path) -> CleanResult:
    """Clean one note with a corrector built from the notes of its folder; raises ``UnreadableNote`` for a
    binary file or text in an encoding that cannot be told, as the indexer would skip it."""
    folder = path.resolve().parent
    raw = decode_note(path.read_bytes()).text
    texts = [read_note(note.path) for note in find_notes([folder]) if note.path != path.resolve()]
    corrector = build_corrector([raw, *texts], [folder / USER_DIR])
    return clean_text(raw, corrector)
