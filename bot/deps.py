"""What the listeners share: settings, the index (or why it is unavailable), the store, the subcommands."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.build import ensure_index, fresh_index_at, load_index
from indexer.search.index import SearchIndex
from indexer.search.indexfile import IndexFileError

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


MAX_PENDING_WORK = 64
"""Answers (and other listener work) waiting or running at once; beyond this the asker is told the bot
is busy, rather than queueing without bound (answers late by many seconds, memory never given back)."""
NOTICE_THREADS = 2
"""Threads that send the "busy" notices, apart from the answers' queue so that a notice never waits
behind it."""


class BoundedQueue:
    """Runs work on ``executor`` with at most ``limit`` pieces waiting or running; beyond that it declines.

    Declined work is counted, and logged once per busy spell (when it starts and when it ends).
    """

    def __init__(self, executor: Executor, limit: int, name: str) -> None:
        self.executor = executor
        self.limit = limit
        self.name = name
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._declined = 0

    def submit(self, run: Callable[[], None]) -> bool:
        """Queue ``run`` if a slot is free (True); otherwise do nothing (False)."""
        logger = logging.getLogger("awssec.bot")
        if not self._slots.acquire(blocking=False):
            with self._lock:
                self._declined += 1
                first = self._declined == 1
            if first:
                logger.warning(
                    "busy: %d %s waiting or running; declining more until one is done", self.limit, self.name
                )
            return False
        with self._lock:
            declined, self._declined = self._declined, 0
        if declined:
            logger.info("no longer busy: %d %s were declined", declined, self.name)

        def run_then_free_the_slot() -> None:
            try:
                run()
            finally:
                self._slots.release()

        try:
            self.executor.submit(run_then_free_the_slot)
        except BaseException:
            self._slots.release()
            raise
        return True


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
    max_pending: int = MAX_PENDING_WORK
    """How much work ``run_later`` lets wait or run at once (see ``MAX_PENDING_WORK``)."""
    notices: Executor = field(
        default_factory=lambda: ThreadPoolExecutor(NOTICE_THREADS, thread_name_prefix="awssec-notice")
    )
    """Sends the "busy" notices of ``run_later``."""
    work_queue: BoundedQueue = field(init=False, repr=False, compare=False)
    notice_queue: BoundedQueue = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # a frozen dataclass sets its derived fields this way
        object.__setattr__(self, "work_queue", BoundedQueue(self.workers, self.max_pending, "answers"))
        object.__setattr__(self, "notice_queue", BoundedQueue(self.notices, self.max_pending, "busy notices"))

    def add_subcommand(self, subcommand: Subcommand) -> None:
        self.subcommands[subcommand.name] = subcommand

    def run_later(
        self, work: Callable[..., object], *args: object, busy: Callable[[], object] | None = None
    ) -> bool:
        """Run ``work(*args)`` on a worker thread; an exception it lets through is logged, never raised.

        Listeners call ``ack()`` and then this, so Slack's request is answered at once (the app runs
        listeners with process_before_response=True) and the answer follows from a worker.
        When ``max_pending`` pieces of work are already waiting or running, ``work`` is dropped and
        ``busy()`` (telling the asker to ask again in a moment) runs instead, on a thread of its own
        pool; returns whether ``work`` was queued.
        """
        if self.work_queue.submit(_logging_failures(work, args, before=self.ack_first.wait)):
            return True
        if busy is not None and not self.notice_queue.submit(_logging_failures(busy, ())):
            logging.getLogger("awssec.bot").debug("too busy even to say so: a busy notice was dropped")
        return False


def _logging_failures(
    work: Callable[..., object], args: tuple[object, ...], before: Callable[[], None] | None = None
) -> Callable[[], None]:
    """``work(*args)`` as a worker runs it: an exception it lets through is logged, never raised."""

    def run() -> None:
        if before is not None:
            before()
        try:
            work(*args)
        except Exception:  # noqa: BLE001 - the worker must survive whatever the work does
            logging.getLogger("awssec.bot").exception("%s failed", getattr(work, "__name__", work))

    return run


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
