"""One job in a child process: the index build and the question bank take memory the bot should give
back (the typo model, the parser, the checks), so each runs in a process of its own that exits when done.

A one-shot process, not a pool's worker: a worker waits for its next job, and one whose bot was killed
(``kill -9``, the OOM killer) waits for ever, holding its memory; this one finishes its job and exits.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from indexer.search.indexfile import IndexFileError


class ChildFailed(OSError):
    """The child process failed (or died) without saying why in a way the caller knows."""


def run_in_child(job: Callable[..., Any], *args: Any) -> None:
    """Run ``job(*args)`` in a spawned child process and wait for it. An :class:`IndexFileError` it
    raises is raised here again with its message; any other failure, or the child's death, is a
    :class:`ChildFailed` (an ``OSError``) saying what happened. ``job`` must be importable by name."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(send, job, args), daemon=True)
    process.start()
    send.close()  # the child holds the only sending end: its exit ends the pipe
    try:
        outcome = receive.recv()
    except EOFError:
        outcome = ("died", f"the child process ended without a word (exit code {process.exitcode})")
    finally:
        receive.close()
        process.join()
    if outcome is None:
        return
    kind, message = outcome
    if kind == "index":
        raise IndexFileError(message)
    raise ChildFailed(message if kind == "died" else f"{kind}: {message}")


def _run(send: Connection, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        job(*args)
    except IndexFileError as err:
        send.send(("index", str(err)))
    except Exception as err:  # any failure is the parent's to report
        send.send((type(err).__name__, str(err)))
    else:
        send.send(None)
    finally:
        send.close()
