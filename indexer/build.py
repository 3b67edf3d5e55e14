"""The top of the core: notes folders in, the search index (and the quiz bank) out.

No disk access of its own: :mod:`indexer.files` finds and reads the notes, the user's word lists and
the index file; this module hands their texts to the stages (clean, parse, chunk, index) and decides
when an index is stale (its content hash) and must be rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer import files
from indexer.files import USER_DIR, USER_FIXES_FILE, USER_WORDS_FILE, NotesFound, load_notes
from indexer.model import Chunk
from indexer.quiz.bank import BANK_VERSION, QuizBank, bank_from_dict, bank_to_dict
from indexer.quiz.checks import cleaner_guesses
from indexer.reading.chunk import chunk_blocks
from indexer.reading.parse import parse_blocks
from indexer.reading.roles import mark_boilerplate
from indexer.search.index import SearchIndex, SearchTuning
from indexer.search.indexfile import (
    INDEX_FORMAT,
    INDEX_VERSION,
    REBUILD,
    IndexFileError,
    IndexOutdated,
    index_from_dict,
    index_to_dict,
)
from indexer.search.tokenize import Tokenizer, TokenizerSettings
from indexer.spelling.clean import (
    Corrector,
    Fix,
    clean_text,
    make_corrector,
    parse_user_fixes,
    parse_user_words,
)

Progress = Callable[[int, int], None]
USER_FILES = (USER_WORDS_FILE, USER_FIXES_FILE)
QUIZ_SUFFIX = ".quiz.json.gz"
QUIZ_CODE = ("quiz/", "data/", "reading/", "spelling/", "search/")
"""The package files a question bank depends on (besides the notes)."""


def build_corrector(corpus_texts: Iterable[str], user_dirs: Iterable[Path] = ()) -> Corrector:
    """A corrector that knows the shipped lists, the words of ``corpus_texts`` and the user files
    (``words.txt``, ``fixes.txt``) found in each of ``user_dirs`` (``<corpus>/.awssec`` folders)."""
    words: list[str] = []
    fixes: dict[tuple[str, ...], str] = {}
    for folder in user_dirs:
        words += parse_user_words(_user_text(folder, USER_WORDS_FILE))
        fixes.update(parse_user_fixes(_user_text(folder, USER_FIXES_FILE)))
    return make_corrector(corpus_texts, words, fixes)


def _user_text(user_dir: Path, name: str) -> str:
    data = files.user_file(user_dir, name)
    return "" if data is None else data.decode("utf-8")


def corpus_hash(corpus_dirs: Sequence[Path], found: NotesFound | None = None) -> str:
    """A digest of all an index depends on: the notes (``found``, else read now) and what was said
    about them, the user word lists, the indexer's code and data."""
    found = found if found is not None else load_notes(corpus_dirs)
    digest = hashlib.sha256(f"awssec-index-{INDEX_VERSION}".encode())
    package = hashlib.sha256()
    for name, data in files.package_files():
        package.update(name.encode() + b"\0" + data)
    digest.update(package.digest())
    for corpus_dir in corpus_dirs:
        corpus_dir = files.real_path(corpus_dir)
        digest.update(str(corpus_dir).encode() + b"\0")
        for name in USER_FILES:
            user_data = files.user_file(corpus_dir / USER_DIR, name)
            if user_data is not None:
                digest.update(name.encode() + b"\0" + user_data)
    said = [note.source for note in found.notes] + list(found.texts) + [str(w) for w in found.warnings]
    for part in said:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def chunk_terms(chunk: Chunk, tokenizer: Tokenizer) -> list[str]:
    """The index terms of a chunk's body (its titles are fields of their own, see ``search.fields``)."""
    return tokenizer.terms(chunk.text)


@dataclass
class Chunked:
    """Notes cleaned, parsed and chunked, with each chunk's index terms: what a :class:`SearchIndex` is
    made of."""

    chunks: list[Chunk] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    extra_terms: list[list[str]] = field(default_factory=list)
    """Per chunk, the original spellings of uncertain typo fixes: findable, not counted."""
    vocabulary: dict[str, str] = field(default_factory=dict)
    """Every word of the chunks -> its index term."""
    words_fixed: int = 0


def chunk_notes(
    notes: Sequence[tuple[str, str]],
    tokenizer: Tokenizer,
    corrector: Corrector | None,
    progress: Progress | None = None,
) -> Chunked:
    """The pure pipeline: each note's text (``(source, text)``) cleaned with ``corrector`` (when given),
    parsed, chunked along its headings and turned into index terms, in order."""
    out = Chunked()
    for done, (source, raw) in enumerate(notes, start=1):
        text = raw
        fixes: tuple[Fix, ...] = ()
        if corrector is not None:
            cleaned = clean_text(raw, corrector)
            text, fixes = cleaned.text, cleaned.fixes
        out.words_fixed += len(fixes)
        kept_originals: dict[int, list[str]] = {}
        for fix in fixes:
            if not fix.certain:
                kept_originals.setdefault(fix.line, []).extend(tokenizer.words(fix.before))
        for chunk in chunk_blocks(parse_blocks(text), source):
            extra = [
                w
                for line in range(chunk.line_start, chunk.line_end + 1)
                for w in kept_originals.get(line, ())
            ]
            out.chunks.append(chunk)
            out.terms.append(chunk_terms(chunk, tokenizer))
            out.extra_terms.append([tokenizer.stem(w) for w in extra])
            for word in tokenizer.words(chunk.text) + tokenizer.words(chunk.heading) + extra:
                out.vocabulary.setdefault(word, tokenizer.stem(word))
        if progress:
            progress(done, len(notes))
    return out


def build_index(
    corpus_dirs: Sequence[Path],
    *,
    progress: Progress | None = None,
    tuning: SearchTuning | None = None,
    fix_typos: bool = True,
) -> SearchIndex:
    """Parse, clean, chunk and index every readable note in the folders.

    What :func:`~indexer.files.load_notes` says about the notes (files skipped and why) is kept, as
    sentences, in the index's ``stats["warnings"]``, for the command line to print and the bot to log.
    """
    started = time.perf_counter()
    settings = TokenizerSettings.default()
    found = load_notes(corpus_dirs)
    corrector = build_corrector(found.texts, [Path(d) / USER_DIR for d in corpus_dirs]) if fix_typos else None
    notes = [(note.source, text) for note, text in zip(found.notes, found.texts, strict=True)]
    chunked = chunk_notes(notes, Tokenizer(settings), corrector, progress)
    term_counts = Counter(t for doc in chunked.terms for t in doc)
    stats = {
        "files": len(notes),
        "chunks": len(chunked.chunks),
        "vocabulary": len(term_counts),
        "words_fixed": chunked.words_fixed,
        "seconds": round(time.perf_counter() - started, 2),
        "warnings": [str(w) for w in found.warnings],
    }
    return SearchIndex(
        mark_boilerplate(chunked.chunks),
        chunked.terms,
        settings,
        chunked.vocabulary,
        extra_terms=chunked.extra_terms,
        tuning=tuning,
        corpus_hash=corpus_hash(corpus_dirs, found),
        corpus_dirs=[str(files.real_path(d)) for d in corpus_dirs],
        stats=stats,
    )


def is_fresh(index: SearchIndex, corpus_dirs: Sequence[Path] | None = None) -> bool:
    """Whether ``index`` still matches its notes: those in ``corpus_dirs``, else the folders it was built
    from. An index of other folders is not fresh (even when they are missing: building then says so); an
    index whose own folders are gone is kept as it is (there is nothing to rebuild it from)."""
    dirs = list(corpus_dirs or [Path(d) for d in index.corpus_dirs])
    if sorted(str(files.real_path(d)) for d in dirs) != sorted(index.corpus_dirs):
        return False
    return not dirs or not all(files.is_folder(d) for d in dirs) or index.corpus_hash == corpus_hash(dirs)


def open_index(
    index_path: Path, corpus_dirs: Sequence[Path] | None = None, *, progress: Progress | None = None
) -> tuple[SearchIndex, bool]:
    """The index at ``index_path``, (re)built and saved first when missing or when its notes changed.

    ``corpus_dirs`` defaults to the folders the existing index was built from, else the bundled notes.
    Returns the index and whether it was (re)built. A corrupt or unreadable index file raises
    :class:`IndexFileError`: replacing a file the user may care about is their call (``awssec index``).
    """
    index_path = Path(index_path)
    index, recorded = fresh_index_at(index_path, corpus_dirs)
    if index is not None:
        return index, False
    dirs = list(corpus_dirs or recorded or [files.bundled_corpus_dir()])
    index = build_index(dirs, progress=progress)
    save_index(index, index_path)
    return index, True


def fresh_index_at(
    index_path: Path, corpus_dirs: Sequence[Path] | None = None
) -> tuple[SearchIndex | None, list[Path]]:
    """The index at ``index_path`` when it is up to date for ``corpus_dirs`` (default: its own folders),
    else None — missing, stale, or written by an older awssec — with the folders it records (empty when
    unknown). A corrupt file raises :class:`IndexFileError`."""
    if not files.exists(index_path):
        return None, []
    try:
        index = load_index(index_path)
    except IndexOutdated:
        return None, [Path(d) for d in _recorded_folders(index_path)]
    recorded = [Path(d) for d in index.corpus_dirs]
    return (index if is_fresh(index, corpus_dirs) else None), recorded


def _recorded_folders(index_path: Path) -> list[str]:
    try:
        data = files.read_json_gz(index_path)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    folders = data.get("corpus_dirs") if isinstance(data, dict) else None
    return [d for d in folders if isinstance(d, str)] if isinstance(folders, list) else []


def ensure_index(index_path: Path, corpus_dirs: Sequence[Path] | None = None) -> SearchIndex:
    """:func:`open_index` without the flag: the up-to-date index at ``index_path``."""
    return open_index(index_path, corpus_dirs)[0]


class NotAnIndexFile(IndexFileError):
    """A file where the index should go holds something else (a note, text): never overwritten."""


def save_index(index: SearchIndex, path: Path) -> None:
    """Write the index as gzipped JSON with a format version; atomically replaces an old (or corrupt)
    index. Raises :class:`NotAnIndexFile`, writing nothing, when ``path`` holds anything else or is named
    like a note: ``--index`` given a note's path by mistake must not destroy the note."""
    path = Path(path)
    problem = _not_an_index(path)
    if problem:
        raise NotAnIndexFile(f"{path} {problem}; not overwriting it. Remove it or choose another index path.")
    files.write_json_gz(path, index_to_dict(index))


def _not_an_index(path: Path) -> str | None:
    """Why ``path`` is no place for an index, or None: a note's name, a folder, or a file that is neither
    an awssec index nor a corrupt one (gzip data that does not read)."""
    if path.suffix.lower() in files.NOTE_SUFFIXES:
        return f"is named like a note ({path.suffix})"
    if not files.exists(path):
        return None
    if files.is_folder(path):
        return "is a folder"
    if not files.is_gzip(path):
        return "is not an awssec index (it is not gzip data)"
    try:
        data = files.read_json_gz(path)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # a damaged index: rebuilding it is what the user was told to do
    if isinstance(data, dict) and data.get("format") == INDEX_FORMAT:
        return None
    return "is gzip data but not an awssec index"


def load_index(path: Path) -> SearchIndex:
    """Read an index file; raises :class:`IndexFileError` saying what is wrong and how to fix it."""
    path = Path(path)
    if not files.exists(path):
        raise IndexFileError(f"No index at {path}. {REBUILD}")
    if not files.is_folder(path) and not files.is_gzip(path):
        raise NotAnIndexFile(
            f"{path} is not an awssec index (it is not gzip data). Give the path of an index file, or "
            "remove this file and run `awssec index`."
        )
    try:
        data = files.read_json_gz(path)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFileError(f"The index at {path} is corrupt ({exc}). {REBUILD}") from exc
    return index_from_dict(data, path)


def quiz_bank_for(index: SearchIndex, index_path: Path | None = None, today: date | None = None) -> QuizBank:
    """The questions of an index, checked against its notes as written when they can still be read (a fact
    whose cleaning looks like a guess is left out; see :mod:`indexer.quiz.checks`), as they stand
    ``today`` (by default, the day it is: dated notes age, see :mod:`indexer.quiz.dated`).

    With ``index_path`` (the index's file) the bank is made once per index and kept beside it
    (:func:`quiz_bank_path`), keyed by the index's corpus hash and the quiz code: later calls read it
    back until a dated note of it ages. A cache that cannot be read is made again; one that cannot be
    written is not kept."""
    if index_path is not None:
        cached = cached_quiz_bank(index, index_path, today)
        if cached is not None:
            return cached
    raw_notes = files.read_notes_at(index.corpus_dirs, {c.source for c in index.chunks})
    guesses = _cleaner_guesses(index, raw_notes) if raw_notes else {}
    bank = QuizBank.from_chunks(index.chunks, index.settings, raw_notes, guesses, today)
    if index_path is not None:
        try:
            files.write_json_gz(quiz_bank_path(index_path), bank_to_dict(bank, quiz_bank_key(index)))
        except OSError:
            pass  # a folder that cannot be written: the bank is made again next time
    return bank


def cached_quiz_bank(index: SearchIndex, index_path: Path, today: date | None = None) -> QuizBank | None:
    """The bank kept beside the index at ``index_path`` when it was made from this index by this quiz code
    and still holds ``today``; None when there is none, it is another's, its notes have aged since, or it
    cannot be read."""
    cache = quiz_bank_path(index_path)
    if not files.exists(cache):
        return None
    try:
        return bank_from_dict(files.read_json_gz(cache), quiz_bank_key(index), today)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def quiz_bank_path(index_path: Path) -> Path:
    """Where the question bank of the index at ``index_path`` is kept: ``<index>.quiz.json.gz``."""
    index_path = Path(index_path)
    name = index_path.name
    for suffix in (".json.gz", ".gz", ".json"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return index_path.with_name(name + QUIZ_SUFFIX)


def quiz_bank_key(index: SearchIndex) -> str:
    """What a cached bank must have been made from: the index's notes (its corpus hash) and the quiz's
    code and data."""
    digest = hashlib.sha256(f"awssec-quiz-{BANK_VERSION}".encode())
    for name, data in files.package_files():
        if name.startswith(QUIZ_CODE):
            digest.update(name.encode() + b"\0" + data)
    return f"{index.corpus_hash}:{digest.hexdigest()}"


def _cleaner_guesses(index: SearchIndex, raw_notes: Mapping[str, str]) -> dict[str, dict[int, list[str]]]:
    """The words the cleaner guessed in the notes of ``raw_notes``, the cleaner re-run over the index's
    folders (about a second for the bundled notes); empty when they cannot be read."""
    dirs = [Path(d) for d in index.corpus_dirs]
    try:
        found = load_notes(dirs)
        corrector = build_corrector(found.texts, [d / USER_DIR for d in dirs])
    except OSError:
        return {}
    pairs = zip(found.notes, found.texts, strict=True)
    notes = [(note.source, text) for note, text in pairs if note.source in raw_notes]
    return cleaner_guesses(notes, lambda text: clean_text(text, corrector))
