"""Build the search index from one or more corpus folders of notes."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from indexer.model import Chunk
from indexer.paths import BUNDLED_CORPUS_PACKAGE_DIR, bundled_corpus_dir
from indexer.reading.chunk import chunk_blocks
from indexer.reading.parse import parse_blocks
from indexer.search.index import SearchIndex, SearchTuning
from indexer.search.indexfile import INDEX_VERSION, REBUILD, IndexFileError, index_from_dict, index_to_dict
from indexer.search.tokenize import Tokenizer, TokenizerSettings
from indexer.spelling.clean import build_corrector, clean_text

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
USER_DIR = ".awssec"

Progress = Callable[[int, int], None]

LEGACY_ENCODING = "cp1252"
"""Tried for a note that is not UTF-8: Windows' Western European code page, a superset of Latin-1's
printable characters (``café`` saved by an old editor)."""
MAX_CONTROL_SHARE = 0.05
"""A file with more control characters (outside terminal escape sequences) than this share of its
characters is binary, not text."""
MAX_LEGACY_NON_ASCII_SHARE = 0.2
"""A note read in the legacy encoding with more non-ASCII characters than this share of its
non-space characters is some other encoding read wrongly (Cyrillic, Greek), so it is skipped."""
MIN_LEGACY_NON_ASCII_DOUBT = 8
"""...unless there are only this many: a short note saying ``Café`` is fine."""

_TERMINAL_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC: window titles, links (never past a line end)
    r"|\x1b[ -/]*[0-~]"  # other escape sequences
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline (C0, DEL, C1): a terminal may act on them."""


@dataclass(frozen=True)
class Note:
    """A note file found in a corpus folder."""

    corpus_dir: Path
    """The corpus folder it was found in."""
    path: Path
    """Its full path."""

    @property
    def source(self) -> str:
        """Its path relative to the corpus folder, with forward slashes: what citations show."""
        return self.path.relative_to(self.corpus_dir).as_posix()


class NoteProblem(StrEnum):
    """Why a file of a notes folder was skipped, or what was done to read it."""

    OUTSIDE_FOLDER = "outside-folder"
    LINKED_FOLDER = "linked-folder"
    CONTROL_IN_NAME = "control-in-name"
    UNREADABLE = "unreadable"
    BINARY = "binary"
    UNKNOWN_ENCODING = "unknown-encoding"
    LEGACY_ENCODING = "legacy-encoding"
    INVALID_UTF8 = "invalid-utf8"
    CONTROL_CHARACTERS = "control-characters"
    NO_NOTES = "no-notes"

    @property
    def skips(self) -> bool:
        """Whether a file with this problem is left out of the index (else it is read as said)."""
        return self not in (NoteProblem.LEGACY_ENCODING, NoteProblem.INVALID_UTF8,
                            NoteProblem.CONTROL_CHARACTERS)


@dataclass(frozen=True)
class NoteWarning:
    """Something about a notes folder the user should hear of: a file skipped or read with care."""

    path: Path
    """The file (or folder) as found in the notes folder."""
    problem: NoteProblem
    detail: str
    """What happened, in words, without the path."""

    def __str__(self) -> str:
        """``path: detail``, with any control character in a file name shown as ``\\x1b``."""
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", f"{self.path}: {self.detail}")


class UnreadableNote(ValueError):
    """A note file that is not text awssec can read: binary, or in an encoding it cannot tell."""

    def __init__(self, problem: NoteProblem, detail: str) -> None:
        super().__init__(problem, detail)
        self.problem = problem
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


class CorpusFolderError(FileNotFoundError):
    """A notes folder is missing, is a file, or holds no notes."""


@dataclass(frozen=True)
class NoteText:
    """A note file's text as read, and what reading it took."""

    text: str
    """Line endings unified, terminal control characters removed."""
    encoding: str
    replaced_bytes: int = 0
    """Bytes of an otherwise UTF-8 note that were not valid UTF-8, replaced with U+FFFD."""
    removed_controls: int = 0
    """Control characters (escape sequences counted as one) taken out."""

    def warnings(self, path: Path) -> list[NoteWarning]:
        """What the user should hear about reading the note at ``path``."""
        out = []
        if self.encoding == LEGACY_ENCODING:
            out.append(NoteWarning(path, NoteProblem.LEGACY_ENCODING,
                                   f"not UTF-8; read as {LEGACY_ENCODING} (Western European). "
                                   "Save it as UTF-8 to be sure it reads right."))
        if self.replaced_bytes:
            out.append(NoteWarning(path, NoteProblem.INVALID_UTF8,
                                   f"{self.replaced_bytes} byte(s) that are not valid UTF-8 were replaced "
                                   "with \N{REPLACEMENT CHARACTER}."))
        if self.removed_controls:
            out.append(NoteWarning(path, NoteProblem.CONTROL_CHARACTERS,
                                   f"{self.removed_controls} terminal control character(s) or "
                                   "escape sequence(s) removed."))
        return out


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts like UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_note(data: bytes) -> NoteText:
    """A note file's bytes as text: UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM, else,
    for text that is not UTF-8, the Western European legacy encoding (cp1252).

    A UTF-8 note with a few invalid bytes keeps its UTF-8 and has those bytes replaced. Raises
    :class:`UnreadableNote` for a binary file (NUL bytes, or many control characters) and for text in
    an encoding that cannot be told.
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    replaced = 0
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            name = encoding.removesuffix("-sig").upper()
            raise UnreadableNote(NoteProblem.UNKNOWN_ENCODING,
                                 f"starts with a {name} byte order mark but is not {name}") from exc
    elif b"\0" in data:
        raise UnreadableNote(NoteProblem.BINARY, "a binary file, not text (it holds NUL bytes)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding, replaced = _decode_not_utf8(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, sequences = _TERMINAL_SEQUENCE.subn("", text)  # colours in pasted terminal output: still text
    text, singles = _CONTROL.subn("", text)
    if singles > MAX_CONTROL_SHARE * (len(text) + singles):
        raise UnreadableNote(NoteProblem.BINARY, f"a binary file, not text ({singles} control characters)")
    if encoding == LEGACY_ENCODING:
        letters = [ch for ch in text if not ch.isspace()]
        beyond_ascii = sum(1 for ch in letters if ord(ch) > 0x7F)
        if beyond_ascii > max(MAX_LEGACY_NON_ASCII_SHARE * len(letters), MIN_LEGACY_NON_ASCII_DOUBT):
            raise UnreadableNote(NoteProblem.UNKNOWN_ENCODING,
                                 "not UTF-8 and not Western European text; save it as UTF-8")
    return NoteText(text, encoding, replaced, sequences + singles)


def _decode_not_utf8(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, bytes replaced) of bytes that are not valid UTF-8."""
    as_utf8 = data.decode("utf-8", errors="replace")
    replaced = as_utf8.count("\N{REPLACEMENT CHARACTER}") - data.decode("utf-8", errors="ignore").count(
        "\N{REPLACEMENT CHARACTER}")
    multibyte = sum(1 for ch in as_utf8 if ord(ch) > 0x7F and ch != "\N{REPLACEMENT CHARACTER}")
    if multibyte > replaced:  # UTF-8 with a few stray bytes, not a legacy encoding
        return as_utf8, "utf-8", replaced
    try:
        return data.decode(LEGACY_ENCODING), LEGACY_ENCODING, 0
    except UnicodeDecodeError:  # 5 bytes cp1252 leaves undefined: as Latin-1 they are control characters
        return data.decode("latin-1"), LEGACY_ENCODING, 0


def read_note(path: Path) -> str:
    """A note's text as :func:`decode_note` reads it; never fatal: a file that is not readable text
    gives its bytes read as UTF-8, invalid bytes replaced, control characters removed."""
    data = path.read_bytes()
    try:
        return decode_note(data).text
    except UnreadableNote:
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL.sub("", _TERMINAL_SEQUENCE.sub("", text))


@dataclass(frozen=True)
class NotesFound:
    """The readable notes of some folders, their texts, and what the user should hear about the rest."""

    notes: tuple[Note, ...]
    texts: tuple[str, ...]
    """Each note's text, as :func:`decode_note` read it."""
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
            if _CONTROL.search(rel.as_posix()):
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
    if corpus_dirs and not notes:
        folders = ", ".join(str(Path(d).resolve()) for d in corpus_dirs)
        skipped = [str(w) for w in warnings if w.problem is not NoteProblem.NO_NOTES]
        raise CorpusFolderError(f"No notes found in {folders} ({looked_for})."
                                + (f" Skipped: {' '.join(skipped)}" if skipped else ""))
    return NotesFound(tuple(notes), tuple(texts), tuple(warnings))


def find_notes(corpus_dirs: Iterable[Path]) -> list[Note]:
    """The readable notes of :func:`load_notes`: every ``.md``/``.markdown``/``.txt`` file under the
    folders that is text inside its folder, skipping hidden ones."""
    return list(load_notes(corpus_dirs).notes)


def _package_digest() -> bytes:
    """The indexer's own code and data files: a change to either makes old indexes stale."""
    digest = hashlib.sha256()
    for name, data in _package_files(resources.files("indexer"), ""):
        digest.update(name.encode() + b"\0" + data)
    return digest.digest()


def _package_files(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    """(path inside the package, bytes) of every ``.py`` and ``.txt`` file of the indexer package and its
    subpackages, by path; the bundled notes are left out (an index hashes its own notes)."""
    out: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name not in (BUNDLED_CORPUS_PACKAGE_DIR, "__pycache__"):
                out += _package_files(entry, name + "/")
        elif entry.name.endswith((".txt", ".py")):
            out.append((name, entry.read_bytes()))
    return sorted(out)


def corpus_hash(corpus_dirs: Sequence[Path], found: NotesFound | None = None) -> str:
    """A digest of all an index depends on: the notes (``found``, else read now) and what was said
    about them, the user word lists, the indexer's code and data."""
    found = found if found is not None else load_notes(corpus_dirs)
    digest = hashlib.sha256(f"awssec-index-{INDEX_VERSION}".encode())
    digest.update(_package_digest())
    for corpus_dir in corpus_dirs:
        corpus_dir = Path(corpus_dir).resolve()
        digest.update(str(corpus_dir).encode() + b"\0")
        user = corpus_dir / USER_DIR
        for name in ("words.txt", "fixes.txt"):
            if (user / name).is_file():
                digest.update(name.encode() + b"\0" + (user / name).read_bytes())
    said = [note.source for note in found.notes] + list(found.texts) + [str(w) for w in found.warnings]
    for part in said:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def chunk_terms(chunk: Chunk, tokenizer: Tokenizer) -> list[str]:
    """The index terms of a chunk: its text and its own titles (weighted)."""
    titles = " ".join(chunk.headings[chunk.title_from :])
    return tokenizer.terms(chunk.text) + tokenizer.terms(titles) * tokenizer.settings.heading_weight


def build_index(
    corpus_dirs: Sequence[Path],
    *,
    progress: Progress | None = None,
    tuning: SearchTuning | None = None,
    fix_typos: bool = True,
) -> SearchIndex:
    """Parse, clean, chunk and index every readable note in the folders.

    What :func:`load_notes` says about the notes (files skipped and why) is kept, as sentences, in the
    index's ``stats["warnings"]``, for the command line to print and the bot to log.
    """
    started = time.perf_counter()
    settings = TokenizerSettings.default()
    tokenizer = Tokenizer(settings)
    found = load_notes(corpus_dirs)
    notes, texts = found.notes, found.texts
    corrector = build_corrector(texts, [Path(d) / USER_DIR for d in corpus_dirs]) if fix_typos else None
    chunks: list[Chunk] = []
    terms: list[list[str]] = []
    extra_terms: list[list[str]] = []  # original spellings of uncertain fixes: findable, not counted
    vocabulary: dict[str, str] = {}
    fixed = 0
    for done, (note, raw) in enumerate(zip(notes, texts, strict=True), start=1):
        text, fixes = raw, ()
        if corrector is not None:
            cleaned = clean_text(raw, corrector)
            text, fixes = cleaned.text, cleaned.fixes
        fixed += len(fixes)
        kept_originals: dict[int, list[str]] = {}
        for fix in fixes:
            if not fix.certain:
                kept_originals.setdefault(fix.line, []).extend(tokenizer.words(fix.before))
        for chunk in chunk_blocks(parse_blocks(text), note.source):
            extra = [
                w
                for line in range(chunk.line_start, chunk.line_end + 1)
                for w in kept_originals.get(line, ())
            ]
            chunks.append(chunk)
            terms.append(chunk_terms(chunk, tokenizer))
            extra_terms.append([tokenizer.stem(w) for w in extra])
            for word in tokenizer.words(chunk.text) + tokenizer.words(chunk.heading) + extra:
                vocabulary.setdefault(word, tokenizer.stem(word))
        if progress:
            progress(done, len(notes))
    term_counts = Counter(t for doc in terms for t in doc)
    stats = {
        "files": len(notes),
        "chunks": len(chunks),
        "vocabulary": len(term_counts),
        "words_fixed": fixed,
        "seconds": round(time.perf_counter() - started, 2),
        "warnings": [str(w) for w in found.warnings],
    }
    return SearchIndex(
        chunks,
        terms,
        settings,
        vocabulary,
        extra_terms=extra_terms,
        tuning=tuning,
        corpus_hash=corpus_hash(corpus_dirs, found),
        corpus_dirs=[str(Path(d).resolve()) for d in corpus_dirs],
        stats=stats,
    )


def is_fresh(index: SearchIndex, corpus_dirs: Sequence[Path] | None = None) -> bool:
    """Whether ``index`` still matches its notes: those in ``corpus_dirs``, else the folders it was built
    from. An index of other folders is not fresh (even when they are missing: building then says so); an
    index whose own folders are gone is kept as it is (there is nothing to rebuild it from)."""
    dirs = list(corpus_dirs or [Path(d) for d in index.corpus_dirs])
    if sorted(str(Path(d).resolve()) for d in dirs) != sorted(index.corpus_dirs):
        return False
    return not dirs or not all(Path(d).is_dir() for d in dirs) or index.corpus_hash == corpus_hash(dirs)


def open_index(
    index_path: Path, corpus_dirs: Sequence[Path] | None = None, *, progress: Progress | None = None
) -> tuple[SearchIndex, bool]:
    """The index at ``index_path``, (re)built and saved first when missing or when its notes changed.

    ``corpus_dirs`` defaults to the folders the existing index was built from, else the bundled notes.
    Returns the index and whether it was (re)built. A corrupt or unreadable index file raises
    :class:`IndexFileError`: replacing a file the user may care about is their call (``awssec index``).
    """
    index_path = Path(index_path)
    if index_path.exists():
        index = load_index(index_path)
        if is_fresh(index, corpus_dirs):
            return index, False
        dirs = list(corpus_dirs or [Path(d) for d in index.corpus_dirs])
    else:
        dirs = list(corpus_dirs or [bundled_corpus_dir()])
    index = build_index(dirs, progress=progress)
    save_index(index, index_path)
    return index, True


def save_index(index: SearchIndex, path: Path) -> None:
    """Write the index as gzipped JSON with a format version; atomically replaces any old file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
        json.dump(index_to_dict(index), fh, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)


def load_index(path: Path) -> SearchIndex:
    """Read an index file; raises :class:`IndexFileError` saying what is wrong and how to fix it."""
    path = Path(path)
    if not path.exists():
        raise IndexFileError(f"No index at {path}. {REBUILD}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFileError(f"The index at {path} is corrupt ({exc}). {REBUILD}") from exc
    return index_from_dict(data, path)


def ensure_index(index_path: Path, corpus_dirs: Sequence[Path] | None = None) -> SearchIndex:
    """:func:`open_index` without the flag: the up-to-date index at ``index_path``."""
    return open_index(index_path, corpus_dirs)[0]


__all__ = [
    "CorpusFolderError",
    "IndexFileError",
    "Note",
    "NoteProblem",
    "NoteText",
    "NoteWarning",
    "NotesFound",
    "UnreadableNote",
    "build_index",
    "corpus_hash",
    "decode_note",
    "ensure_index",
    "find_notes",
    "load_notes",
    "is_fresh",
    "load_index",
    "open_index",
    "read_note",
    "save_index",
]
