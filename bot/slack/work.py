"""Where the listeners' slow halves run: after the ack, on worker threads, bounded, acks first.

Bolt runs listeners in the request thread (``process_before_response=True``): they ``ack()`` at once and
hand the slow part to :meth:`Workers.run_later`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

MAX_PENDING_WORK = 64
"""Answers (and other listener work) waiting or running at once; beyond this the asker is told the bot
is busy, rather than queueing without bound (answers late by many seconds, memory never given back)."""
NOTICE_THREADS = 2
"""Threads that send the "busy" notices, apart from the answers' queue so that a notice never waits
behind it."""
LISTENER_THREADS = 6
"""Workers for the slow half of listeners (answers). Answers are mostly CPU under one GIL, so more
workers add no throughput; they only take the GIL from the request threads that ack (measured with
bench/bench_bot.py: 6 keeps the ack p99 near half of what 16 or 32 give, and answers no slower)."""

logger = logging.getLogger("awssec.bot")


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


class Workers:
    """The threads behind the listeners: ``executor`` runs the slow halves (at most ``max_pending`` waiting
    or running), a pool of its own sends the "busy" notices, and ``ack_first`` is entered around every
    request from Slack (HTTP and Socket Mode) and waited on before each piece of work."""

    def __init__(
        self, executor: Executor, max_pending: int = MAX_PENDING_WORK, notices: Executor | None = None
    ) -> None:
        self.executor = executor
        self.ack_first = AckFirst()
        notices = notices or ThreadPoolExecutor(NOTICE_THREADS, thread_name_prefix="awssec-notice")
        self._work = BoundedQueue(executor, max_pending, "answers")
        self._notices = BoundedQueue(notices, max_pending, "busy notices")

    def run_later(
        self, work: Callable[..., object], *args: object, busy: Callable[[], object] | None = None
    ) -> bool:
        """Run ``work(*args)`` on a worker thread; an exception it lets through is logged, never raised.

        Listeners call ``ack()`` and then this, so Slack's request is answered at once and the answer
        follows from a worker. When ``max_pending`` pieces of work are already waiting or running,
        ``work`` is dropped and ``busy()`` (telling the asker to ask again in a moment) runs instead, on a
        thread of its own pool; returns whether ``work`` was queued.
        """
        if self._work.submit(_logging_failures(work, args, before=self.ack_first.wait)):
            return True
        if busy is not None and not self._notices.submit(_logging_failures(busy, ())):
            logger.debug("too busy even to say so: a busy notice was dropped")
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
        except Exception:  # the worker must survive whatever the work does
            logger.exception("%s failed", getattr(work, "__name__", work))

    return run


class InlineExecutor(Executor):
    """Runs each submitted function at once in the caller's thread (the console: every reply is sent by
    the time a request is dispatched)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # handed to the future like a pool would
            future.set_exception(err)
        return future
