"""The core's one disk module: every read, write, look and search of the file system the indexer does.

Finding and reading the notes of a folder (links out of it, hidden folders and binary files skipped,
with reasons), the user's word lists (``<notes>/.awssec/words.txt``, ``fixes.txt``), the shipped data
files (``indexer/data/``, symspellpy's English lists), the bundled notes, the index file (gzipped JSON,
replaced atomically) and the package's own files (for the index's freshness). It imports no stage:
the stages take what it reads as arguments, or read their shipped data through it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from indexer.notetext import (
    NoteProblem,
    NoteWarning,
    UnreadableNote,
    decode_leniently,
    decode_note,
    holds_control_characters,
)

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
USER_DIR = ".awssec"
"""A notes folder's own settings folder: the user's word lists."""
USER_WORDS_FILE = "words.txt"
USER_FIXES_FILE = "fixes.txt"
BUNDLED_CORPUS_PACKAGE_DIR = "bundled_corpus"
"""The bundled notes inside the installed ``indexer`` package (pyproject.toml maps ``corpus/`` there)."""
_PACKAGE = "indexer"
_DATA_DIR = "data"


# -- notes folders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A note file found in a corpus folder."""

    corpus_dir: Path
    """The corpus folder it was found in."""
    path: Path
    """Its full path."""
    folder_label: str = ""
    """What its citation starts with when another folder searched with it holds a note of the same path:
    its folder's name (``kms.md`` in two folders is ``notes/kms.md`` and ``more/kms.md``), with as many
    parent folders as tell two folders of one name apart (``a/notes/kms.md``, ``b/notes/kms.md``)."""

    @property
    def source(self) -> str:
        """Its path relative to the corpus folder, with forward slashes: what citations show."""
        rel = self.path.relative_to(self.corpus_dir).as_posix()
        return f"{self.folder_label}/{rel}" if self.folder_label else rel


class CorpusFolderError(FileNotFoundError):
    """A notes folder is missing, is a file, or holds no notes."""


@dataclass(frozen=True)
class NotesFound:
    """The readable notes of some folders, their texts, and what the user should hear about the rest."""

    notes: tuple[Note, ...]
    texts: tuple[str, ...]
    """Each note's text, as :func:`~indexer.notetext.decode_note` read it."""
    warnings: tuple[NoteWarning, ...]
    """Files skipped (and why), and notes read with care (another encoding, bytes replaced)."""


def load_notes(corpus_dirs: Iterable[Path]) -> NotesFound:
    """Every readable note under the folders (subfolders too), read, in name order.

    Skipped, with a warning: a file whose real path is outside its folder (a link to ``/etc/passwd``),
    a link to a folder, a file whose name holds control characters (citations print it), a binary
    file, text in an encoding that cannot be told, a file that cannot be read. Hidden files and
    folders (``.git``, ``.awssec``) are skipped without one. Raises :class:`CorpusFolderError` when
    a folder is missing or is a file, or when no folder holds a note.
    """
    corpus_dirs = list(corpus_dirs)
    notes: list[Note] = []
    texts: list[str] = []
    warnings: list[NoteWarning] = []
    looked_for = f"looked for {', '.join(NOTE_SUFFIXES)} files"
    for corpus_dir in corpus_dirs:
        corpus_dir = Path(corpus_dir).resolve()
        if not corpus_dir.exists():
            raise CorpusFolderError(f"Corpus folder {corpus_dir} does not exist.")
        if not corpus_dir.is_dir():
            raise CorpusFolderError(f"Corpus folder {corpus_dir} is not a folder.")
        found_here = 0
        for path in sorted(corpus_dir.rglob("*")):
            rel = path.relative_to(corpus_dir)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if path.is_symlink() and path.is_dir():
                warnings.append(NoteWarning(path, NoteProblem.LINKED_FOLDER,
                                            "skipped: a link to a folder (links are not followed)."))
                continue
            if not (path.is_file() and path.suffix.lower() in NOTE_SUFFIXES):
                continue
            if holds_control_characters(rel.as_posix()):
                warnings.append(NoteWarning(path, NoteProblem.CONTROL_IN_NAME,
                                            "skipped: its name holds control characters; rename it."))
                continue
            real = path.resolve()
            if not real.is_relative_to(corpus_dir):
                warnings.append(NoteWarning(path, NoteProblem.OUTSIDE_FOLDER,
                                            f"skipped: it is a link to {real}, outside the notes folder."))
                continue
            try:
                read = decode_note(path.read_bytes())
            except UnreadableNote as exc:
                warnings.append(NoteWarning(path, exc.problem, f"skipped: {exc.detail}."))
                continue
            except OSError as exc:
                warnings.append(NoteWarning(path, NoteProblem.UNREADABLE,
                                            f"skipped: it cannot be read ({exc.strerror or exc})."))
                continue
            notes.append(Note(corpus_dir, path))
            texts.append(read.text)
            warnings.extend(read.warnings(path))
            found_here += 1
        if not found_here:
            warnings.append(NoteWarning(corpus_dir, NoteProblem.NO_NOTES, f"no notes found ({looked_for})."))
    paths = Counter(note.source for note in notes)
    labels = folder_labels(corpus_dirs)
    notes = [replace(n, folder_label=labels[n.corpus_dir]) if paths[n.source] > 1 else n for n in notes]
    if corpus_dirs and not notes:
        folders = ", ".join(str(Path(d).resolve()) for d in corpus_dirs)
        skipped = [str(w) for w in warnings if w.problem is not NoteProblem.NO_NOTES]
        raise CorpusFolderError(f"No notes found in {folders} ({looked_for})."
                                + (f" Skipped: {' '.join(skipped)}" if skipped else ""))
    return NotesFound(tuple(notes), tuple(texts), tuple(warnings))


def folder_labels(corpus_dirs: Iterable[Path | str]) -> dict[Path, str]:
    """Each notes folder (resolved) -> the fewest of its last path parts that no other folder shares:
    ``notes`` and ``more``; ``a/notes`` and ``b/notes``."""
    folders = list(dict.fromkeys(Path(d).resolve() for d in corpus_dirs))
    for depth in range(1, max((len(f.parts) for f in folders), default=1) + 1):
        labels = {f: "/".join(f.parts[-depth:]).lstrip("/") for f in folders}
        if len(set(labels.values())) == len(folders):
            return labels
    return {f: f.as_posix().lstrip("/") for f in folders}


def find_notes(corpus_dirs: Iterable[Path]) -> list[Note]:
    """The readable notes of :func:`load_notes`: every ``.md``/``.markdown``/``.txt`` file under the
    folders that is text inside its folder, skipping hidden ones."""
    return list(load_notes(corpus_dirs).notes)


def read_note(path: Path) -> str:
    """A note's text as :func:`~indexer.notetext.decode_note` reads it; never fatal (see
    :func:`~indexer.notetext.decode_leniently`)."""
    return decode_leniently(Path(path).read_bytes())


def read_notes_at(corpus_dirs: Iterable[Path | str], sources: Iterable[str]) -> dict[str, str]:
    """source -> text of each of these notes (paths relative to a notes folder) that is still on disk,
    from the first folder that has it; notes that are gone or cannot be read are left out."""
    wanted = set(sources)
    notes: dict[str, str] = {}
    folders = list(corpus_dirs)
    labels = folder_labels(folders)
    for folder in folders:
        label = labels[Path(folder).resolve()] + "/"
        for source in wanted - set(notes):
            path = Path(folder) / source
            if not path.is_file() and source.startswith(label):
                path = Path(folder) / source[len(label) :]  # "more/kms.md": kms.md of "more" (see Note)
            if path.is_file():
                try:
                    notes[source] = read_note(path)
                except OSError:
                    continue
    return notes


def user_file(corpus_user_dir: Path, name: str) -> bytes | None:
    """The bytes of a user file (``words.txt``, ``fixes.txt``) in a notes folder's ``.awssec`` folder,
    None when there is none."""
    path = Path(corpus_user_dir) / name
    return path.read_bytes() if path.is_file() else None


# -- where things are ----------------------------------------------------------------------------


def bundled_corpus_dir() -> Path:
    """The notes shipped with awssec: inside the installed package, else the repository's ``corpus/``."""
    here = Path(__file__).resolve().parent
    packaged = here / BUNDLED_CORPUS_PACKAGE_DIR
    return packaged if packaged.is_dir() else here.parent / "corpus"


def is_bundled(corpus_dir: Path | str) -> bool:
    """Whether a folder is the bundled notes."""
    return Path(corpus_dir).resolve() == bundled_corpus_dir()


def real_path(path: Path | str) -> Path:
    """The absolute path with every link resolved (as the disk has it now)."""
    return Path(path).resolve()


def is_folder(path: Path | str) -> bool:
    return Path(path).is_dir()


def exists(path: Path | str) -> bool:
    return Path(path).exists()


# -- shipped data and the package's own files ----------------------------------------------------


def shipped_text(name: str) -> str:
    """The text of a data file shipped in ``indexer/data/``."""
    return resources.files(_PACKAGE).joinpath(_DATA_DIR, name).read_text(encoding="utf-8")


def shipped_data_dir() -> Path:
    """Where the shipped data files are (``indexer/data/``), for the tools that write them."""
    return Path(__file__).resolve().parent / _DATA_DIR


def symspellpy_text(name: str) -> str:
    """The text of one of the English word lists shipped in symspellpy's wheel."""
    return (resources.files("symspellpy") / name).read_text(encoding="utf-8")


def package_files() -> list[tuple[str, bytes]]:
    """(path inside the package, bytes) of every ``.py`` and ``.txt`` file of the indexer package and its
    subpackages, by path; the bundled notes are left out (an index hashes its own notes)."""
    return _package_files(resources.files(_PACKAGE), "")


def _package_files(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name not in (BUNDLED_CORPUS_PACKAGE_DIR, "__pycache__"):
                out += _package_files(entry, name + "/")
        elif entry.name.endswith((".txt", ".py")):
            out.append((name, entry.read_bytes()))
    return sorted(out)


# -- the index file and other files --------------------------------------------------------------


def write_json_gz(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as gzipped compact JSON, atomically replacing any old file (folders made)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)


GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """Whether a file starts as gzip data does (an empty or unreadable one does not)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except OSError:
        return False


def read_json_gz(path: Path) -> object:
    """What :func:`write_json_gz` wrote; raises ``OSError``, ``EOFError``, ``UnicodeDecodeError`` or
    ``json.JSONDecodeError`` for a file that is not gzipped JSON."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def files_under(root: Path, pattern: str) -> list[Path]:
    """Files under ``root`` (subfolders too) whose names match ``pattern``, by path."""
    return sorted(p for p in Path(root).rglob(pattern) if p.is_file())


def read_text(path: Path) -> str:
    """A text file as UTF-8, invalid bytes replaced."""
    return Path(path).read_text(encoding="utf-8", errors="replace")


def write_text(path: Path, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")
