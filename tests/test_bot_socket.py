"""Socket Mode against a local WebSocket server speaking Slack's envelope protocol."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from botrun import blocks_text, bot_env
from fakeslack import FakeSlack, FakeSocketMode, event_callback, mention_event, slash_command

from bot.app import create_app
from bot.settings import Settings
from bot.socket_mode import SocketModeRunner, SocketModeStartError
from bot.store import Store


@pytest.fixture
def slack():
    with FakeSlack() as fake, FakeSocketMode() as socket:
        fake.socket_url = socket.url
        yield fake, socket


@pytest.fixture
def make_runner(slack, tmp_path, corpus_index):
    fake, _ = slack
    runners: list[SocketModeRunner] = []

    def make(database_url: str | None = None, **env: str) -> SocketModeRunner:
        settings = Settings.from_env(bot_env(fake, tmp_path, **env))
        store = Store.connect(database_url or f"sqlite:///{tmp_path / 'bot.db'}")
        app = create_app(settings, corpus_index, store=store)
        runner = SocketModeRunner(
            app, settings.app_token, health_host="127.0.0.1", health_port=0, ping_interval=1
        )
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.stop()


def health(runner: SocketModeRunner) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{runner.health.port}/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_connects_through_slack_api_url_with_the_app_token_and_reports_health(make_runner, slack) -> None:
    fake, socket = slack
    runner = make_runner()
    runner.start_health()
    assert health(runner) == (503, {"status": "disconnected", "mode": "socket"})
    runner.start()
    socket.wait_connected()
    opened = fake.api_calls("apps.connections.open")
    assert len(opened) == 1 and opened[0].token == fake.app_token
    assert health(runner) == (200, {"status": "connected", "mode": "socket"})


def test_slash_command_envelope_is_acked_with_its_id_then_answered(make_runner, slack) -> None:
    fake, socket = slack
    make_runner().start()
    envelope_id = socket.send_envelope(
        "slash_commands", slash_command("what is sse-c", response_url=fake.response_url("r1"))
    )
    ack = socket.wait_for_ack(envelope_id)
    assert ack["envelope_id"] == envelope_id
    body = fake.wait_for(lambda f: f.responses("r1"))[0].body
    assert body["response_type"] == "ephemeral" and "what is sse-c" in blocks_text(body)


def test_mention_envelope_is_answered_in_a_thread_once_despite_redelivery(make_runner, slack) -> None:
    fake, socket = slack
    make_runner().start()
    payload = event_callback(mention_event("how do I rotate kms keys", ts="1700000600.000600"))
    first = socket.send_envelope("events_api", payload)
    again = socket.send_envelope("events_api", payload, retry_attempt=1, retry_reason="timeout")
    assert socket.wait_for_ack(first) and socket.wait_for_ack(again)
    call = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0]
    assert call.body["thread_ts"] == "1700000600.000600"
    # A later, different event is answered: so the redelivery above really was dropped, not delayed.
    socket.send_envelope("events_api", event_callback(mention_event("what is guardduty")))
    calls = fake.wait_for(
        lambda f: len(f.api_calls("chat.postMessage")) >= 2 and f.api_calls("chat.postMessage")
    )
    assert len(calls) == 2 and "guardduty" in blocks_text(calls[1].body).lower()


def test_reconnects_when_slack_asks_and_when_the_connection_drops(make_runner, slack) -> None:
    fake, socket = slack
    runner = make_runner()
    runner.start()
    socket.wait_connected()
    socket.request_disconnect("refresh_requested")
    socket.wait_for_hellos(2)
    assert len(fake.api_calls("apps.connections.open")) == 2
    socket.drop_connections()
    socket.wait_for_hellos(3, timeout=15)
    assert len(fake.api_calls("apps.connections.open")) == 3
    envelope_id = socket.send_envelope(
        "slash_commands", slash_command("what is kms", response_url=fake.response_url("r2"))
    )
    socket.wait_for_ack(envelope_id, timeout=10)
    fake.wait_for(lambda f: f.responses("r2"))


def test_a_refused_app_token_stops_start_with_a_clear_error(make_runner, slack) -> None:
    runner = make_runner(SLACK_APP_TOKEN="xapp-wrong-token")
    with pytest.raises(SocketModeStartError, match="SLACK_APP_TOKEN"):
        runner.start()
