"""Fuzzing the HTTP endpoint: a few thousand hostile requests from a seed (tests/httpfuzz.py) against the
real app behind waitress, with Web API calls going to the fake Slack. bench/fuzz_http.py runs more."""

from __future__ import annotations

import logging
import time
from collections import Counter

import httpfuzz
import pytest
from botrun import SIGNING_SECRET, HttpBot, blocks_text, bot_env
from fakeslack import FakeSlack, dm_event, event_callback, slash_command

from bot.config.settings import Settings
from bot.slack.listeners.replies import BUSY
from bot.store import Store

SEED = 8
COUNT = 3000


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def bot(fake, tmp_path, corpus_index):
    settings = Settings.from_env(bot_env(fake, tmp_path))
    bot = HttpBot(settings, corpus_index, Store.connect(f"sqlite:///{tmp_path / 'bot.db'}"))
    yield bot
    bot.close()
    bot.store.close()


def settle(fake: FakeSlack, bot: HttpBot, channel: str) -> None:
    """A DM the bot must answer: what was sent before it has been picked up once it is. While the bot is
    too busy to take it (it says so), the DM is sent again a little later."""
    def posts_in(f: FakeSlack) -> list:
        return [c for c in f.api_calls("chat.postMessage") if c.body["channel"] == channel]

    for attempt in range(1, 30):
        bot.event(event_callback(dm_event("what is kms", channel=channel)))
        reply = fake.wait_for(lambda f, n=attempt: posts_in(f)[n - 1 :], 20)[0]
        if BUSY not in reply.body.get("text", ""):
            return
        time.sleep(0.5)
    raise AssertionError(f"the bot stayed too busy to answer in {channel}")


def test_fuzzed_requests_never_get_a_5xx_and_unsigned_ones_do_nothing(bot, fake, caplog) -> None:
    requests = list(httpfuzz.requests(SEED, COUNT, fake.response_url("fuzz")))
    sender = httpfuzz.Sender(bot.server.effective_port, SIGNING_SECRET)
    unsigned = [r for r in requests if not r.signed]
    signed = [r for r in requests if r.signed]
    assert len(unsigned) > COUNT // 4 and len(signed) > COUNT // 4
    with caplog.at_level(logging.INFO):
        unsigned_outcomes = [sender.send(r) for r in unsigned]
        settle(fake, bot, "DUNSIGNED")
        calls_after_unsigned = [(c.name, c.body.get("channel")) for c in fake.calls]
        signed_outcomes = [sender.send(r) for r in signed]
        settle(fake, bot, "DSIGNED")
    sender.close()

    not_401 = [
        (o.status, o.request.kind, str(o.request.signing)) for o in unsigned_outcomes if o.status != 401
    ]
    assert not not_401, not_401[:10]
    # nothing but the barrier (and the bot's auth.test for it) reached Slack
    assert {call for call in calls_after_unsigned if call[0] != "auth.test"} == {
        ("chat.postMessage", "DUNSIGNED")
    }
    server_errors = [
        (o.status, o.request.kind, o.request.body[:200]) for o in signed_outcomes if o.status >= 500
    ]
    assert not server_errors, server_errors[:10]
    statuses = Counter(o.status for o in signed_outcomes)
    assert set(statuses) <= {200, 400, 404}, statuses
    assert statuses[200] and statuses[400]  # both well-formed and malformed payloads were among them
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
    assert not tracebacks, tracebacks[:5]

    # and Slack's own requests still work
    result = bot.command(slash_command("what is sse-c", response_url=fake.response_url("after")))
    assert result.status == 200
    assert "Q:" in blocks_text(fake.wait_for(lambda f: f.responses("after"))[0].body)
