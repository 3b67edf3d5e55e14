"""The index build and the question bank run in a child process that exits when its job is done: a bot
killed meanwhile (kill -9, the OOM killer) leaves nothing behind waiting for work, holding memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import REPO

from bot.services.child import ChildFailed, run_in_child
from indexer.search.indexfile import IndexFileError


def _fails_with_corrupt_index(path: str) -> None:
    raise IndexFileError(f"{path} is corrupt")


def _fails(message: str) -> None:
    raise ValueError(message)


def _writes(path: str) -> None:
    Path(path).write_text("done", encoding="utf-8")


def test_a_job_s_work_is_done_and_its_failure_reaches_the_caller_with_its_reason(tmp_path) -> None:
    run_in_child(_writes, str(tmp_path / "out.txt"))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "done"
    with pytest.raises(IndexFileError, match="index.json.gz is corrupt"):
        run_in_child(_fails_with_corrupt_index, "index.json.gz")
    with pytest.raises(ChildFailed, match="ValueError: no space left"):
        run_in_child(_fails, "no space left")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads a process's children from /proc")
def test_a_job_s_process_exits_when_done_though_the_bot_that_started_it_was_killed(tmp_path) -> None:
    # the parent starts a job of a second, is killed with SIGKILL at once; the job's process must end
    # on its own (a pool's worker would wait for its next job for ever)
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(REPO)!r})
            from bot.services.child import run_in_child
            run_in_child(time.sleep, 1.0)
            time.sleep(60)
        """)],
        cwd=tmp_path,
    )
    try:
        children: list[int] = []
        deadline = time.monotonic() + 20
        while not children and time.monotonic() < deadline:
            found = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
            children = [int(p) for p in found.read_text().split()] if found.exists() else []
            time.sleep(0.05)
        assert children, "the job's process never started"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children), "a child outlived its job"
    finally:
        if parent.poll() is None:
            parent.kill()
