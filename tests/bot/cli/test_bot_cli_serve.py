"""`awssec serve` as a real process: what it refuses to start without, HTTP and Socket Mode."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from botrun import SIGNING_SECRET
from conftest import REPO
from fakeslack import FakeSlack, FakeSocketMode, event_callback, mention_event, slash_command
from slack_sdk.signature import SignatureVerifier

from indexer.build import save_index


@pytest.fixture
def index_file(tmp_path, corpus_index) -> Path:
    path = tmp_path / "index.json.gz"
    save_index(corpus_index, path)
    return path


# -- awssec serve, a real process ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(tmp_path: Path, index_file: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWSSEC_"))}
    env.update(
        {
            "AWSSEC_DATA_DIR": str(tmp_path / "data"),
            "AWSSEC_INDEX": str(index_file),
            "AWSSEC_LOG_LEVEL": "DEBUG",
            **extra,
        }
    )
    return env


def start_serve(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # The log goes to a file: a DEBUG log would fill a pipe nobody reads yet and block the bot.
    log = open(Path(env["AWSSEC_DATA_DIR"]).parent / f"serve-{time.monotonic_ns()}.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", *args],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def output(process: subprocess.Popen) -> str:
    process.log.seek(0)  # type: ignore[attr-defined]
    text = process.log.read()  # type: ignore[attr-defined]
    process.log.close()  # type: ignore[attr-defined]
    return text


def wait_healthy(port: int, timeout: float = 60.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the bot never became healthy")


def stop(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    return process.returncode, output(process)


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        ([], {}, "SLACK_BOT_TOKEN"),
        (["--http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        (["--http"], {"SLACK_BOT_TOKEN": "abc", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN must"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN must"),
    ],
)
def test_serve_refuses_to_start_without_what_it_needs(tmp_path, index_file, args, env, named) -> None:
    process = start_serve(args, serve_env(tmp_path, index_file, **env))
    process.wait(timeout=60)
    assert process.returncode == 2
    assert named in output(process)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--http", "--port", "99999"], "argument --port: must be a port number (0-65535), got '99999'"),
        (["--http", "--port", "-1"], "argument --port: must be a port number"),
        (["--http", "--threads", "0"], "argument --threads: must be a number of threads"),
        (["--health-port", "70000"], "argument --health-port: must be a port number"),
    ],
)
def test_serve_refuses_a_port_or_thread_count_out_of_range(tmp_path, index_file, args, named) -> None:
    env = serve_env(tmp_path, index_file, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    process = start_serve(args, env)
    process.wait(timeout=60)
    text = output(process)
    assert process.returncode == 2 and named in text and "Traceback" not in text


def test_serve_says_plainly_when_its_port_is_taken(tmp_path, index_file) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = serve_env(tmp_path, index_file, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
        env["SLACK_API_URL"] = "http://127.0.0.1:9/api/"  # no Slack: the start must not depend on it
        process = start_serve(["--http", "--host", "127.0.0.1", "--port", str(port)], env)
        process.wait(timeout=60)
    text = output(process)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port} (Address already in use)" in text
    assert "Traceback" not in text


def test_serve_names_an_unusable_data_directory_at_once(tmp_path, index_file) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    env = serve_env(tmp_path, index_file, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    env["AWSSEC_DATA_DIR"] = str(tmp_path / "a-file" / "awssec")
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        code = subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--http", "--port", "0"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=60,
        ).returncode
    text = log.read_text()
    assert code == 2
    assert f"AWSSEC_DATA_DIR {tmp_path / 'a-file' / 'awssec'} (Not a directory)" in text
    assert "Traceback" not in text and "building the index" not in text


def test_http_serve_answers_and_never_logs_tokens(tmp_path, index_file) -> None:
    with FakeSlack() as fake:
        port = free_port()
        env = serve_env(
            tmp_path,
            index_file,
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
        )
        process = start_serve(["--http", "--host", "127.0.0.1", "--port", str(port)], env)
        try:
            assert b'"status": "ok"' in wait_healthy(port)
            body = urllib.parse.urlencode(
                slash_command("what is sse-c", response_url=fake.response_url("r1"))
            )
            ts = str(int(time.time()))
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/slack/events",
                data=body.encode(),
                method="POST",
                headers={
                    "X-Slack-Request-Timestamp": ts,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
                        timestamp=ts, body=body
                    ),
                },
            )
            assert urllib.request.urlopen(request, timeout=10).status == 200
            assert "what is sse-c" in str(fake.wait_for(lambda f: f.responses("r1"), timeout=20)[0].body)
        finally:
            code, err = stop(process)
    assert code == 0
    assert "listening on http://127.0.0.1" in err
    assert "chat" in err or "response" in err.lower()  # DEBUG logging really was on
    assert "will be unused" not in err  # Bolt's warning about the token it read from the environment
    for secret in (fake.bot_token, SIGNING_SECRET):
        assert secret not in err


def test_socket_mode_serve_reports_health_and_never_logs_tokens(tmp_path, index_file) -> None:
    with FakeSlack() as fake, FakeSocketMode() as sock:
        fake.socket_url = sock.url
        port = free_port()
        env = serve_env(
            tmp_path,
            index_file,
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_APP_TOKEN=fake.app_token,
            SLACK_API_URL=fake.api_url,
        )
        process = start_serve(["--host", "127.0.0.1", "--health-port", str(port)], env)
        failure = ""
        try:
            sock.wait_connected(timeout=60)
            assert b'"connected"' in wait_healthy(port)
            sock.send_envelope("events_api", event_callback(mention_event("what is kms")))
            fake.wait_for(lambda f: f.api_calls("chat.postMessage"), timeout=60)
        except AssertionError as problem:  # say what the bot logged, not only what the test saw
            failure = str(problem)
        finally:
            code, err = stop(process)
    assert not failure, f"{failure}\n--- the bot's log ---\n{err[-3000:]}"
    assert code == 0, err[-3000:]
    for secret in (fake.bot_token, fake.app_token):
        assert secret not in err
