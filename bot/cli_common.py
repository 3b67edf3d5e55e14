"""What the command modules share: where the index is, which notes it comes from, loading it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from indexer.build import open_index
from indexer.paths import corpus_dirs_from_env, default_index_path
from indexer.search import IndexFileError, SearchIndex


def index_path(args: argparse.Namespace) -> Path:
    """``--index``, else AWSSEC_INDEX, else the data directory's index file."""
    return Path(args.index) if args.index else default_index_path()


def corpus_dirs(args: argparse.Namespace) -> list[Path] | None:
    """Folders named with --corpus, else AWSSEC_CORPUS, else None (let the index decide)."""
    if args.corpus:
        return [Path(d) for d in args.corpus]
    if os.environ.get("AWSSEC_CORPUS"):
        return corpus_dirs_from_env()
    return None


class ProgressBar:
    """A one-line progress bar on standard error, shown for corpora of many files."""

    def __init__(self, stream: TextIO, min_total: int = 50) -> None:
        self.stream = stream
        self.min_total = min_total
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_total:
            return
        percent = done * 100 // total
        if percent == self._last and done != total:
            return
        self._last = percent
        filled = percent // 4
        self.stream.write(f"\rindexing [{'#' * filled}{'.' * (25 - filled)}] {done}/{total} files")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def load_cli_index(args: argparse.Namespace, prog: str, stderr: TextIO | None = None) -> SearchIndex | None:
    """The up-to-date index for a command (built or rebuilt first when needed), or None after saying why."""
    stderr = stderr or sys.stderr
    path = index_path(args)
    try:
        index, rebuilt = open_index(path, corpus_dirs(args), progress=ProgressBar(stderr))
    except (IndexFileError, FileNotFoundError) as exc:
        print(f"{prog}: {exc}", file=stderr)
        return None
    if rebuilt:
        print(f"(indexed the notes into {path})", file=stderr)
    return index
