"""The bot when things around it fail: the database gone while serving, a claim whose process died,
Slack slow to reply to a post that did arrive, and more questions than the bot can work through.

Driven like tests/test_bot_http.py: signed requests to the real app on 127.0.0.1, replies received by the
local fake Slack; the database is the real PostgreSQL behind a TCP link the test can cut.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from botrun import HttpBot, blocks_text, bot_env, buttons
from dblink import DatabaseLink
from fakeslack import FakeSlack, block_action, dm_event, event_callback, mention_event, slash_command
from sqlalchemy.engine import make_url

from bot.config.settings import Settings, normalize_database_url
from bot.slack.blocks.answer import ACTION_MORE, ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.slack.blocks.common import SOMETHING_WENT_WRONG
from bot.slack.blocks.quiz import ACTION_PRACTICE_CHOICE
from bot.slack.listeners.events.questions import message_claim_key
from bot.slack.listeners.replies import BUSY, STORE_UNAVAILABLE
from bot.store import CLAIM_LEASE, ClaimOutcome, Store


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def make_bot(fake, tmp_path, corpus_index):
    """``make_bot(database_url=None, **create_app_options)``: the real app (SQLite unless told otherwise)."""
    bots: list[HttpBot] = []

    def make(database_url: str | None = None, **app_options) -> HttpBot:
        settings = Settings.from_env(bot_env(fake, tmp_path))
        store = Store.connect(database_url or f"sqlite:///{tmp_path / 'bot.db'}")
        bot = HttpBot(settings, corpus_index, store, **app_options)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.close()
        bot.store.close()


@pytest.fixture
def one_worker():
    """One worker thread: work is done in the order it was queued, so a later answer is a barrier."""
    with ThreadPoolExecutor(1, thread_name_prefix="test-worker") as pool:
        yield pool


def posts_in(fake: FakeSlack, channel: str, thread_ts: str | None = None) -> list[dict]:
    return [
        c.body
        for c in fake.api_calls("chat.postMessage")
        if c.body["channel"] == channel and c.body.get("thread_ts") == thread_ts
    ]


def ask(bot: HttpBot, fake: FakeSlack, text: str, name: str) -> dict:
    assert bot.command(slash_command(text, response_url=fake.response_url(name))).status == 200
    return fake.wait_for(lambda f: f.responses(name))[0].body


def click(bot: HttpBot, fake: FakeSlack, action_id: str, value: str, name: str) -> dict:
    assert bot.action(block_action(action_id, value, response_url=fake.response_url(name))).status == 200
    return fake.wait_for(lambda f: f.responses(name))[-1].body


def barrier(bot: HttpBot, fake: FakeSlack) -> None:
    """With one worker: once this DM is answered, everything queued before it has been done."""
    bot.event(event_callback(dm_event("barrier question about kms", channel="DBARRIER")))
    fake.wait_for(lambda f: posts_in(f, "DBARRIER"), timeout=15)


# -- the database gone while serving -------------------------------------------------------------------


@pytest.fixture
def link(database_url):
    """A cuttable link to the PostgreSQL server of ``database_url``."""
    url = make_url(normalize_database_url(database_url))
    link = DatabaseLink(url.host or "127.0.0.1", url.port or 5432)
    yield link
    link.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_with_the_database_gone_every_question_is_answered_and_it_is_recorded_again_once_back(
    make_bot, fake, link, database_url, caplog
) -> None:
    caplog.set_level(logging.INFO)
    bot = make_bot(database_url=link.url(database_url))
    saved = ask(bot, fake, "what is sse-c", "before")
    assert ACTION_VOTE_UP in buttons(saved)

    link.cut()
    bot.event(event_callback(mention_event("how do I rotate kms keys", ts="1700000100.000100")))
    mention_reply = fake.wait_for(lambda f: posts_in(f, "C0GENERAL", "1700000100.000100"))[0]
    assert "rotate kms keys" in blocks_text(mention_reply)
    bot.event(event_callback(dm_event("what is guardduty", channel="D0DOWN")))
    dm_reply = fake.wait_for(lambda f: posts_in(f, "D0DOWN"))[0]
    assert "guardduty" in blocks_text(dm_reply).lower()
    answer = ask(bot, fake, "kms", "down")
    assert "Q:" in blocks_text(answer)
    # not stored: no Share or 👍 / 👎 (they need the stored answer), but More results still works
    assert set(buttons(answer)) == {ACTION_MORE}
    more = click(bot, fake, ACTION_MORE, buttons(answer)[ACTION_MORE]["value"], "down-more")
    assert "*4." in blocks_text(more)
    # what cannot be done without the database is said so, not left silent
    vote = click(bot, fake, ACTION_VOTE_UP, buttons(saved)[ACTION_VOTE_UP]["value"], "down-vote")
    assert STORE_UNAVAILABLE in blocks_text(vote)
    assert STORE_UNAVAILABLE in blocks_text(ask(bot, fake, "leaderboard", "down-board"))
    practice = click(bot, fake, f"{ACTION_PRACTICE_CHOICE}_1", "0123456789abcdef:1", "down-quiz")
    assert STORE_UNAVAILABLE in blocks_text(practice)
    everything = [c.body for c in fake.messages()]
    assert not any(SOMETHING_WENT_WRONG in blocks_text(body) for body in everything)
    outage = [r for r in caplog.records if r.name == "awssec.store" and r.levelno >= logging.WARNING]
    assert len(outage) == 1 and "database unavailable" in outage[0].getMessage()
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.WARNING)

    link.restore()
    again = ask(bot, fake, "what is sse-c", "after")
    assert set(buttons(again)) == {ACTION_SHARE, ACTION_VOTE_UP, ACTION_VOTE_DOWN, ACTION_MORE}
    thanks = click(bot, fake, ACTION_VOTE_DOWN, buttons(again)[ACTION_VOTE_DOWN]["value"], "after-vote")
    assert "recorded" in blocks_text(thanks)
    direct = Store.connect(database_url)  # the database itself, not through the link
    assert [(r.user_id, r.vote, r.question) for r in direct.feedback_records()] == [
        ("U0ASKER", -1, "what is sse-c")
    ]
    direct.close()
    assert any(r.name == "awssec.store" and "database back" in r.getMessage() for r in caplog.records)


# -- claims ----------------------------------------------------------------------------------------------


def test_a_message_claimed_by_a_process_that_died_is_answered_after_the_lease(
    make_bot, fake, database_url, one_worker
) -> None:
    bot = make_bot(database_url=database_url, listener_executor=one_worker)
    now = datetime.now(UTC)
    # another replica claimed these and died before answering: one a while ago, one just now
    dead, fresh = "1700000200.000200", "1700000300.000300"
    bot.store.claim_event(message_claim_key("C0GENERAL", dead), "message", now=now - CLAIM_LEASE * 2)
    bot.store.claim_event(message_claim_key("C0GENERAL", fresh), "message", now=now)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    redelivered = event_callback(mention_event("what is sse-c", ts=dead))
    bot.event(redelivered, headers=retry)
    bot.event(event_callback(mention_event("what is kms", ts=fresh)), headers=retry)
    barrier(bot, fake)
    assert len(posts_in(fake, "C0GENERAL", dead)) == 1
    assert posts_in(fake, "C0GENERAL", fresh) == []  # still within its lease: someone is on it
    # answered now, so a later redelivery is not answered again
    bot.event(redelivered, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"})
    barrier(bot, fake)
    assert len(posts_in(fake, "C0GENERAL", dead)) == 1
    assert bot.store.claim_event(message_claim_key("C0GENERAL", dead)) == ClaimOutcome.COMPLETED


# -- Slack slow to reply ---------------------------------------------------------------------------------


def test_a_post_that_timed_out_but_arrived_gets_no_apology(make_bot, fake, one_worker) -> None:
    bot = make_bot(listener_executor=one_worker, web_api_timeout=1)
    fake.hold_next("chat.postMessage", times=2)  # Slack takes the posts but is slow to say so
    bot.event(event_callback(mention_event("what is sse-c", ts="1700000400.000400")))
    bot.event(event_callback(dm_event("what is guardduty", channel="D0SLOW")))
    fake.wait_for(lambda f: f.api_calls("conversations.history"), timeout=15)  # the DM's answer looked for
    barrier(bot, fake)
    assert len(posts_in(fake, "C0GENERAL", "1700000400.000400")) == 1
    assert len(posts_in(fake, "D0SLOW")) == 1
    assert not any(SOMETHING_WENT_WRONG in blocks_text(c.body) for c in fake.messages())


def test_a_post_that_timed_out_and_did_not_arrive_gets_the_apology(make_bot, fake, one_worker) -> None:
    bot = make_bot(listener_executor=one_worker, web_api_timeout=1)
    fake.fail_next("chat.postMessage", error="internal_error")  # refused, and the refusal is late
    fake.hold_next("chat.postMessage")
    bot.event(event_callback(mention_event("what is sse-c", ts="1700000500.000500")))
    barrier(bot, fake)
    refused, apology = posts_in(fake, "C0GENERAL", "1700000500.000500")
    assert "Q:" in blocks_text(refused) and SOMETHING_WENT_WRONG in blocks_text(apology)


def test_with_slack_gone_each_failure_is_one_line(make_bot, fake, one_worker, caplog) -> None:
    bot = make_bot(listener_executor=one_worker)
    barrier(bot, fake)
    caplog.set_level(logging.INFO)
    fake.stop()  # the Web API refuses every connection
    assert bot.event(event_callback(dm_event("what is guardduty", channel="D0GONE"))).status == 200
    assert bot.command(slash_command("what is sse-c", response_url=fake.response_url("gone"))).status == 200
    deadline = time.monotonic() + 15
    unreachable: list[str] = []
    while time.monotonic() < deadline and len(unreachable) < 2:  # the DM's answer and the command's
        time.sleep(0.05)
        unreachable = [r.getMessage() for r in caplog.records if "Slack cannot be reached" in r.getMessage()]
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(unreachable) >= 2, [r.getMessage() for r in problems]
    assert not [r for r in problems if r.exc_info], "a traceback for every request Slack never saw"


# -- too many questions at once --------------------------------------------------------------------------


def test_when_the_queue_is_full_the_asker_is_told_the_bot_is_busy(make_bot, fake, one_worker) -> None:
    bot = make_bot(listener_executor=one_worker, max_pending=2)
    fake.hold_next("chat.postMessage")  # the first answer's post hangs: its worker is stuck
    bot.event(event_callback(mention_event("what is sse-c", ts="1700000600.000001")))
    fake.wait_for(lambda f: f.api_calls("chat.postMessage"), timeout=15)
    bot.event(event_callback(mention_event("what is kms", ts="1700000600.000002")))  # waits: 2 of 2
    assert (
        bot.command(slash_command("what is guardduty", response_url=fake.response_url("full"))).status == 200
    )
    assert bot.event(event_callback(mention_event("what is macie", ts="1700000600.000003"))).status == 200
    busy = fake.wait_for(lambda f: f.responses("full"))[0].body
    assert BUSY in blocks_text(busy) and busy["response_type"] == "ephemeral"
    [busy_reply] = fake.wait_for(lambda f: posts_in(f, "C0GENERAL", "1700000600.000003"))
    assert BUSY in blocks_text(busy_reply)

    fake.release()
    for ts in ("1700000600.000001", "1700000600.000002"):
        fake.wait_for(lambda f, ts=ts: posts_in(f, "C0GENERAL", ts), timeout=15)
    assert "Q:" in blocks_text(ask(bot, fake, "what is sse-c", "later"))  # room again
    # what was declined was never queued: nothing more came for it
    assert [blocks_text(c.body) for c in fake.responses("full")] == [blocks_text(busy)]
    assert posts_in(fake, "C0GENERAL", "1700000600.000003") == [busy_reply]


# -- a post that may have landed is not sent again -------------------------------------------------------


class HangUpAfterReading:
    """A Web API stand-in on 127.0.0.1 that reads each request whole, then hangs up without a reply: the
    request reached "Slack", the client cannot know it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/api/"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length")), b"0"))
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests.append(head.split(b"\r\n")[0])

    def close(self) -> None:
        self.server.close()


def test_a_post_whose_connection_drops_after_sending_is_not_sent_twice() -> None:
    from bot.slack.web_client import make_web_client

    slack = HangUpAfterReading()
    try:
        settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": slack.api_url})
        client = make_web_client(settings)
        with pytest.raises(Exception):  # noqa: B017 - whatever the HTTP stack raises for a hang-up
            client.chat_postMessage(channel="C1", text="hello")
        assert [line.split()[1] for line in slack.requests] == [b"/api/chat.postMessage"]
        with pytest.raises(Exception):  # noqa: B017
            client.conversations_history(channel="C1")
        assert len(slack.requests) == 3  # a read is safe to try again
    finally:
        slack.close()
