"""The bot's index: loaded, built first (in a child process) when missing or stale, or why it is not."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.build import ensure_index, fresh_index_at, load_index
from indexer.search.index import SearchIndex
from indexer.search.indexfile import IndexFileError

from ..config.settings import Settings
from .child import run_in_child


@dataclass(frozen=True)
class IndexUnavailable:
    """The index could not be loaded; the bot stays up and tells people why."""

    reason: str


INDEX_RECHECK_SECONDS = 5.0
"""How often, at most, the bot looks whether its index file was rewritten (by `awssec index`)."""


class LiveIndex:
    """The bot's index as it stands: the one loaded, or why there is none. When ``awssec index`` rewrites
    the index file, the next question after a recheck (every ``recheck`` seconds at most) loads the new
    file, and every question after it uses it: no restart. A new file that cannot be read never replaces
    a working index (the error is logged); it does replace the reason an unavailable one gave. One thread
    loads while the others go on with what they have."""

    def __init__(
        self,
        index: SearchIndex | IndexUnavailable,
        path: Path | None = None,
        logger: logging.Logger | None = None,
        recheck: float = INDEX_RECHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``path``: the file to follow (None: an index given from outside, kept as it is)."""
        self._index = index
        self._path = path
        self._logger = logger or logging.getLogger("awssec.index")
        self._recheck = recheck
        self._clock = clock
        self._seen = _file_state(path) if path is not None else None
        self._checked = clock()
        self._lock = threading.Lock()

    def current(self) -> SearchIndex | IndexUnavailable:
        """The index to answer from now."""
        if self._path is not None and self._clock() - self._checked >= self._recheck:
            if self._lock.acquire(blocking=False):  # one thread looks and loads; the rest go on
                try:
                    self._checked = self._clock()
                    state = _file_state(self._path)
                    if state != self._seen:
                        self._seen = state
                        self._reload(self._path)
                finally:
                    self._lock.release()
        return self._index

    def _reload(self, path: Path) -> None:
        try:
            index = load_index(path)
        except (IndexFileError, OSError) as err:
            if isinstance(self._index, IndexUnavailable):
                self._index = IndexUnavailable(str(err))
                self._logger.error("the index is still not available: %s", err)
            else:
                self._logger.error("the index file changed but cannot be read; kept the one in use: %s", err)
            return
        index.warm()
        self._index = index
        self._logger.info(
            "index reloaded from %s: %d chunks, built %s", path, len(index.chunks), index.built_at
        )


def _file_state(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (None when it is missing): what changes when it is rewritten."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def describe_index(index: SearchIndex | IndexUnavailable) -> str:
    """The index in a few words, for health reports."""
    if isinstance(index, IndexUnavailable):
        return f"unavailable: {index.reason}"
    return f"{len(index.chunks)} chunks, built {index.built_at}"


def load_bot_index(settings: Settings, logger: logging.Logger) -> SearchIndex | IndexUnavailable:
    """The index at AWSSEC_INDEX, built from the corpus first when missing or stale.

    Building happens in a child process, so the memory it takes (the typo model, the parser) is given
    back before the bot starts serving. A corrupt index is not replaced behind the user's back: the
    error is logged and the bot answers questions with the reason until someone runs `awssec index`.
    """
    path, dirs = settings.index_path, list(settings.corpus_dirs)
    try:
        index = _fresh_index(path, dirs)
        if index is None:
            logger.info("building the index at %s from %s", path, ", ".join(str(d) for d in dirs))
            run_in_child(_build_index_file, path, dirs)
            index = load_index(path)
    except IndexFileError as err:
        logger.error("the index is not available: %s", err)
        return IndexUnavailable(str(err))
    except OSError as err:
        logger.error("the index could not be built or read: %s", err)
        return IndexUnavailable(f"the index could not be built or read ({err})")
    logger.info(
        "index loaded: %d chunks from %d notes, built %s",
        len(index.chunks),
        len(index.sources()),
        index.built_at,
    )
    for warning in index.stats.get("warnings", ()):
        logger.warning("notes: %s", warning)
    index.warm()
    return index


def _fresh_index(path: Path, dirs: list[Path]) -> SearchIndex | None:
    """The index at ``path`` if it exists and its notes have not changed since; None if it needs a build."""
    return fresh_index_at(path, dirs)[0]


def _build_index_file(path: Path, dirs: list[Path]) -> None:
    """In the child process: the index library's own build-if-missing-or-stale, saved to ``path``."""
    ensure_index(path, dirs)
