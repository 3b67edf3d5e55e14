"""The bot's index: loaded, built first (in a child process) when missing or stale, or why it is not."""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from indexer.build import ensure_index, fresh_index_at, load_index
from indexer.search.index import SearchIndex
from indexer.search.indexfile import IndexFileError

from ..config.settings import Settings


@dataclass(frozen=True)
class IndexUnavailable:
    """The index could not be loaded; the bot stays up and tells people why."""

    reason: str


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
            with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
                pool.submit(_build_index_file, path, dirs).result()
            index = load_index(path)
    except IndexFileError as err:
        logger.error("the index is not available: %s", err)
        return IndexUnavailable(str(err))
    except (OSError, BrokenProcessPool) as err:
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
    return index


def _fresh_index(path: Path, dirs: list[Path]) -> SearchIndex | None:
    """The index at ``path`` if it exists and its notes have not changed since; None if it needs a build."""
    return fresh_index_at(path, dirs)[0]


def _build_index_file(path: Path, dirs: list[Path]) -> None:
    """In the child process: the index library's own build-if-missing-or-stale, saved to ``path``."""
    ensure_index(path, dirs)
