"""What the listeners share: settings, the index (or why it is unavailable), the store, the subcommands."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.build import ensure_index, is_fresh
from indexer.search import IndexFileError, SearchIndex, load_index

from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from slack_bolt.context.respond import Respond
    from slack_sdk import WebClient


@dataclass(frozen=True)
class IndexUnavailable:
    """The index could not be loaded; the bot stays up and tells people why."""

    reason: str


@dataclass(frozen=True)
class SubcommandCall:
    """One `/awssec <name> <args>` invocation, as a subcommand handler sees it."""

    args: str
    user_id: str
    channel_id: str
    respond: Respond
    client: WebClient
    deps: Deps
    logger: logging.Logger


@dataclass(frozen=True)
class Subcommand:
    """An entry of the `/awssec` dispatch table (other modules add theirs, e.g. quiz, leaderboard)."""

    name: str
    usage: str
    description: str
    handler: Callable[[SubcommandCall], None]
    takes_args: bool = False
    """False: only the whole text ``name`` is this subcommand; ``name something`` is a question."""


class AckFirst:
    """Lets acknowledgements go before answers: Python runs one thread at a time, and Slack waits only
    3 seconds for an ack, so answer work waits (briefly, bounded) while requests are being acked."""

    def __init__(self, max_wait_seconds: float = 0.1) -> None:
        self.max_wait_seconds = max_wait_seconds
        self._in_flight = 0
        self._idle = threading.Condition()

    def __enter__(self) -> AckFirst:
        with self._idle:
            self._in_flight += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._idle:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.notify_all()

    def wait(self) -> None:
        """Until no request is being acknowledged, or ``max_wait_seconds`` at most."""
        with self._idle:
            self._idle.wait_for(lambda: not self._in_flight, self.max_wait_seconds)


@dataclass(frozen=True)
class Deps:
    """Passed to every listener module's ``register(app, deps)``."""

    settings: Settings
    index: SearchIndex | IndexUnavailable
    store: Store
    workers: Executor
    """Runs the slow half of every listener, after the ack (see ``run_later``)."""
    subcommands: dict[str, Subcommand] = field(default_factory=dict)
    ack_first: AckFirst = field(default_factory=AckFirst)
    """Entered around every request from Slack (HTTP and Socket Mode); waited on by ``run_later``."""

    def add_subcommand(self, subcommand: Subcommand) -> None:
        self.subcommands[subcommand.name] = subcommand

    def run_later(self, work: Callable[..., object], *args: object) -> None:
        """Run ``work(*args)`` on a worker thread; an exception it lets through is logged, never raised.

        Listeners call ``ack()`` and then this, so Slack's request is answered at once (the app runs
        listeners with process_before_response=True) and the answer follows from a worker.
        """

        def run() -> None:
            self.ack_first.wait()
            try:
                work(*args)
            except Exception:  # noqa: BLE001 - the worker must survive whatever the work does
                logging.getLogger("awssec.bot").exception("%s failed", getattr(work, "__name__", work))

        self.workers.submit(run)


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
    if not path.exists():
        return None
    index = load_index(path)
    return index if is_fresh(index, dirs) else None


def _build_index_file(path: Path, dirs: list[Path]) -> None:
    """In the child process: the index library's own build-if-missing-or-stale, saved to ``path``."""
    ensure_index(path, dirs)
