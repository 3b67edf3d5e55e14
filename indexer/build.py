"""Build the search index from one or more corpus folders of notes."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from indexer.chunk import chunk_blocks
from indexer.clean import build_corrector, clean_text
from indexer.model import Chunk
from indexer.parse import parse_blocks
from indexer.paths import bundled_corpus_dir
from indexer.search import INDEX_VERSION, IndexFileError, SearchIndex, SearchTuning, load_index, save_index
from indexer.tokenize import Tokenizer, TokenizerSettings

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
USER_DIR = ".awssec"

Progress = Callable[[int, int], None]


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


def find_notes(corpus_dirs: Iterable[Path]) -> list[Note]:
    """Every ``.md``/``.markdown``/``.txt`` file under the folders (subfolders too), skipping hidden ones."""
    notes: list[Note] = []
    for corpus_dir in corpus_dirs:
        corpus_dir = Path(corpus_dir).resolve()
        if not corpus_dir.is_dir():
            raise FileNotFoundError(f"Corpus folder {corpus_dir} does not exist.")
        for path in sorted(corpus_dir.rglob("*")):
            rel = path.relative_to(corpus_dir)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if path.is_file() and path.suffix.lower() in NOTE_SUFFIXES:
                notes.append(Note(corpus_dir, path))
    return notes


def read_note(path: Path) -> str:
    """A note's text with line endings unified; undecodable bytes replaced, never fatal."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _package_digest() -> bytes:
    """The indexer's own code and data files: a change to either makes old indexes stale."""
    digest = hashlib.sha256()
    package = resources.files("indexer")
    entries = list(package.iterdir()) + list(package.joinpath("data").iterdir())
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.endswith((".txt", ".py")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.digest()


def corpus_hash(corpus_dirs: Sequence[Path]) -> str:
    """A digest of all an index depends on: the notes, the user word lists, the indexer's code and data."""
    digest = hashlib.sha256(f"awssec-index-{INDEX_VERSION}".encode())
    digest.update(_package_digest())
    for corpus_dir in corpus_dirs:
        corpus_dir = Path(corpus_dir).resolve()
        digest.update(str(corpus_dir).encode() + b"\0")
        user = corpus_dir / USER_DIR
        for name in ("words.txt", "fixes.txt"):
            if (user / name).is_file():
                digest.update(name.encode() + b"\0" + (user / name).read_bytes())
    for note in find_notes(corpus_dirs):
        digest.update(note.source.encode() + b"\0" + note.path.read_bytes() + b"\0")
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
    """Parse, clean, chunk and index every note in the folders."""
    started = time.perf_counter()
    settings = TokenizerSettings.default()
    tokenizer = Tokenizer(settings)
    notes = find_notes(corpus_dirs)
    texts = [read_note(n.path) for n in notes]
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
    }
    return SearchIndex(
        chunks,
        terms,
        settings,
        vocabulary,
        extra_terms=extra_terms,
        tuning=tuning,
        corpus_hash=corpus_hash(corpus_dirs),
        corpus_dirs=[str(Path(d).resolve()) for d in corpus_dirs],
        stats=stats,
    )


def is_fresh(index: SearchIndex, corpus_dirs: Sequence[Path] | None = None) -> bool:
    """Whether ``index`` still matches its notes: those in ``corpus_dirs``, else the folders it was built
    from. An index whose folders are gone is kept as it is (there is nothing to rebuild it from)."""
    dirs = list(corpus_dirs or [Path(d) for d in index.corpus_dirs])
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


def ensure_index(index_path: Path, corpus_dirs: Sequence[Path] | None = None) -> SearchIndex:
    """:func:`open_index` without the flag: the up-to-date index at ``index_path``."""
    return open_index(index_path, corpus_dirs)[0]


__all__ = [
    "IndexFileError",
    "Note",
    "build_index",
    "corpus_hash",
    "ensure_index",
    "find_notes",
    "is_fresh",
    "open_index",
]
