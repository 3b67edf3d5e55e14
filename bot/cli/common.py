"""What the command modules share: which index and notes a command uses, loading it, saying what failed.

Which index a command uses (the same rules as the bot's, so ``awssec ask`` and ``awssec serve`` share
one index for the same notes):

- ``--index PATH``: that file, for the notes named with ``--corpus``, else ``AWSSEC_CORPUS``, else the
  folders it was built from (a new file: the bundled notes).
- ``--corpus DIR ...``: the data directory's index of exactly those folders; it lasts for this command.
- otherwise the default notes, ``AWSSEC_CORPUS`` or else the bundled notes, in ``AWSSEC_INDEX`` if set,
  else in the data directory's index of those notes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from indexer.build import load_index, open_index
from indexer.files import bundled_corpus_dir, is_bundled
from indexer.search.index import SearchIndex
from indexer.search.indexfile import IndexFileError

from ..config.paths import index_path_for
from ..config.settings import Settings

INDEX_HELP = "index file (default: AWSSEC_INDEX, else the data directory's index of these notes)"


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class IndexChoice:
    """The index file a command uses, the notes it must hold, and what chose the file."""

    path: Path
    corpus_dirs: tuple[Path, ...] | None
    """None: whatever notes the file was built from (an index file named with --index)."""
    chosen_by: str
    """``--index``, ``AWSSEC_INDEX``, ``AWSSEC_DATA_DIR`` or ``data directory``: named in error messages."""
    data_dir: Path
    """The data directory, for messages."""

    def notes_to_build(self) -> list[Path]:
        """The folders to (re)build this index from."""
        if self.corpus_dirs is not None:
            return list(self.corpus_dirs)
        try:
            recorded = [Path(d) for d in load_index(self.path).corpus_dirs] if self.path.exists() else []
        except IndexFileError:
            recorded = []
        return recorded or [bundled_corpus_dir()]

    def cannot_write(self, err: OSError) -> str:
        """Why the index could not be written, naming the setting that put it there."""
        reason = err.strerror or str(err)
        head = f"cannot write the index {self.path} ({reason})"
        if self.chosen_by == "--index":
            return f"{head}: give --index a file in a folder you can write"
        if self.chosen_by == "AWSSEC_INDEX":
            return f"{head}: point AWSSEC_INDEX at a file in a folder you can write"
        if self.chosen_by == "AWSSEC_DATA_DIR":
            return f"{head}: AWSSEC_DATA_DIR is {self.data_dir}; set it to a folder you can write"
        where = f"the data directory is {self.data_dir}"
        return f"{head}: {where}; set AWSSEC_DATA_DIR to a folder you can write"

    def is_write_error(self, err: OSError) -> bool:
        """Whether ``err`` came from writing this index (not from reading the notes)."""
        return bool(err.filename) and Path(err.filename).parent == self.path.parent


def choose_index(settings: Settings, index: str | None, corpus: Sequence[str] | None) -> IndexChoice:
    """The index for ``--index`` / ``--corpus`` (None when not given) under ``settings``."""
    from_data_dir = "AWSSEC_DATA_DIR" if settings.data_dir_is_set else "data directory"
    directory = settings.data_dir
    if index:
        if corpus:
            dirs: tuple[Path, ...] | None = tuple(Path(d).expanduser() for d in corpus)
        elif settings.corpus_is_set:
            dirs = settings.corpus_dirs
        else:
            dirs = None
        return IndexChoice(Path(index).expanduser(), dirs, "--index", directory)
    if corpus:
        dirs = tuple(Path(d).expanduser() for d in corpus)
        return IndexChoice(index_path_for(directory, dirs), dirs, from_data_dir, directory)
    chosen_by = "AWSSEC_INDEX" if settings.index_is_set else from_data_dir
    return IndexChoice(settings.index_path, settings.corpus_dirs, chosen_by, directory)


def index_choice(args: argparse.Namespace, settings: Settings) -> IndexChoice:
    """The index of a command with ``--index`` and ``--corpus`` options."""
    return choose_index(settings, getattr(args, "index", None), getattr(args, "corpus", None))


def notes_label(corpus_dirs: Sequence[Path | str]) -> str:
    """The notes folders as a person reads them: ``the bundled notes``, ``~/notes``..."""
    if not corpus_dirs:
        return "the notes this index was built from (not recorded)"
    home = Path.home()
    shown = []
    for folder in corpus_dirs:
        path = Path(folder)
        if is_bundled(path):
            shown.append("the bundled notes")
        elif path.is_relative_to(home) and path != home:
            shown.append(f"~/{path.relative_to(home).as_posix()}")
        else:
            shown.append(str(path))
    return ", ".join(shown)


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


def load_cli_index(
    args: argparse.Namespace, settings: Settings, prog: str, stderr: TextIO | None = None
) -> SearchIndex | None:
    """The up-to-date index for a command (built or rebuilt first when needed), or None after saying why."""
    stderr = stderr or sys.stderr
    choice = index_choice(args, settings)
    try:
        choice.path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"{prog}: {choice.cannot_write(err)}", file=stderr)
        return None
    try:
        index, rebuilt = open_index(choice.path, choice.corpus_dirs, progress=ProgressBar(stderr))
    except IndexFileError as err:
        print(f"{prog}: {err}", file=stderr)
        return None
    except OSError as err:
        print(f"{prog}: {choice.cannot_write(err) if choice.is_write_error(err) else err}", file=stderr)
        return None
    if rebuilt:
        for warning in index.stats.get("warnings", ()):
            print(f"{prog}: {warning}", file=stderr)
        print(f"(indexed the notes into {choice.path})", file=stderr)
    return index
