"""Docker's health check (`python -m bot.slack.health`) against `awssec serve` as a real process, listening on
ports other than the ones in the environment."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from botrun import SIGNING_SECRET
from fakeslack import FakeSlack, FakeSocketMode
from test_bot_cli_serve import REPO, free_port, serve_env, start_serve, stop, wait_healthy

from bot.slack.health import PORTS_FILENAME
from indexer.build import save_index


@pytest.fixture
def index_file(tmp_path, corpus_index):
    path = tmp_path / "index.json.gz"
    save_index(corpus_index, path)
    return path


def probe(env: dict[str, str]) -> int:
    """Run the HEALTHCHECK command as Docker does, in the bot's environment: its exit code."""
    command = [sys.executable, "-m", "bot.slack.health"]
    return subprocess.run(command, cwd=REPO, env=env, timeout=60).returncode


@pytest.mark.parametrize("mode", ["http", "socket"])
def test_the_health_check_probes_the_port_the_bot_really_listens_on(tmp_path, index_file, mode) -> None:
    with FakeSlack() as fake, FakeSocketMode() as sock:
        fake.socket_url = sock.url
        port, nothing_there = free_port(), free_port()
        env = serve_env(
            tmp_path,
            index_file,
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_APP_TOKEN=fake.app_token if mode == "socket" else "",
            SLACK_API_URL=fake.api_url,
            # what the image sets, while the command line says otherwise (`awssec serve --http --port 38202`)
            AWSSEC_PORT=str(nothing_there),
            AWSSEC_HEALTH_PORT=str(nothing_there),
            AWSSEC_RUN_DIR=str(tmp_path / "run"),
        )
        args = ["--http", "--port", str(port)] if mode == "http" else ["--health-port", str(port)]
        assert probe(env) == 1  # nothing runs yet
        process = start_serve([*args, "--host", "127.0.0.1"], env)
        try:
            if mode == "socket":
                sock.wait_connected(timeout=60)
            wait_healthy(port)
            assert probe(env) == 0
        finally:
            code, log = stop(process)
    assert code == 0, log
    assert not (tmp_path / "run" / PORTS_FILENAME).exists()  # a clean stop takes its record along
    assert probe(env) == 1


def test_a_killed_bot_is_unhealthy_though_its_record_stays(tmp_path, index_file) -> None:
    with FakeSlack() as fake:
        port = free_port()
        env = serve_env(
            tmp_path,
            index_file,
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
            AWSSEC_PORT=str(free_port()),
            AWSSEC_HEALTH_PORT=str(free_port()),
            AWSSEC_RUN_DIR=str(tmp_path / "run"),
        )
        process = start_serve(["--http", "--host", "127.0.0.1", "--port", str(port)], env)
        try:
            wait_healthy(port)
            assert probe(env) == 0
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=20)
            process.log.close()  # type: ignore[attr-defined]
    assert (tmp_path / "run" / PORTS_FILENAME).exists()
    assert probe(env) == 1
