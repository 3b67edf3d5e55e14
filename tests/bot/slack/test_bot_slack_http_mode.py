"""HTTP mode, driven the way Slack drives it: signed requests to the real WSGI app on 127.0.0.1,
Web API calls and response_url posts received by a local fake Slack."""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botrun import HttpBot, blocks_text, bot_env, buttons
from fakeslack import (
    BOT_ID,
    BOT_USER_ID,
    FakeSlack,
    block_action,
    dm_event,
    event_callback,
    mention_event,
    slash_command,
)

from bot.config.settings import Settings
from bot.services.index import IndexUnavailable, load_bot_index
from bot.slack.blocks.answer import ACTION_MORE, ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.store import Store
from indexer.build import build_index, save_index
from indexer.search.query import search

QUESTION = "what is sse-c"


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def make_bot(fake, tmp_path, corpus_index):
    """The real app behind waitress, answering on one worker thread: work is done in the order it was
    queued, so ``settle`` is a real barrier."""
    bots: list[HttpBot] = []
    workers = ThreadPoolExecutor(1, thread_name_prefix="test-worker")

    def make(index=None, database_url: str | None = None, **env: str) -> HttpBot:
        settings = Settings.from_env(bot_env(fake, tmp_path, **env))
        store = Store.connect(database_url or f"sqlite:///{tmp_path / 'bot.db'}")
        bot = HttpBot(settings, corpus_index if index is None else index, store, listener_executor=workers)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.close()
        bot.store.close()
    workers.shutdown()


@pytest.fixture
def bot(make_bot) -> HttpBot:
    return make_bot()


def ask(bot: HttpBot, fake: FakeSlack, text: str, name: str = "r1") -> dict:
    result = bot.command(slash_command(text, response_url=fake.response_url(name)))
    assert result.status == 200
    return fake.wait_for(lambda f: f.responses(name))[0].body


def settle(fake: FakeSlack, bot: HttpBot) -> None:
    """A barrier: a DM the bot must answer; everything sent before it has been handled once it is."""
    before = len(fake.api_calls("chat.postMessage"))
    bot.event(event_callback(dm_event("barrier question about kms", channel="DBARRIER")))
    fake.wait_for(lambda f: len(f.api_calls("chat.postMessage")) > before)


# -- /awssec -----------------------------------------------------------------------------------------


def test_slash_command_is_acked_then_answered_ephemerally_with_citations(bot, fake, corpus_index) -> None:
    result = bot.command(slash_command(QUESTION, response_url=fake.response_url("r1")))
    assert result.status == 200
    assert result.body == b""  # a bare ack: nothing is shown until the answer arrives
    body = fake.wait_for(lambda f: f.responses("r1"))[0].body
    assert body["response_type"] == "ephemeral"
    text = blocks_text(body)
    assert QUESTION in text
    expected = search(corpus_index, QUESTION, k=3).hits
    assert expected, "the bundled notes answer this question"
    for hit in expected:
        assert hit.citation in text
    assert "SSE - C" in expected[0].heading and expected[0].heading.split(" › ")[-1] in text
    assert set(buttons(body)) == {ACTION_SHARE, ACTION_VOTE_UP, ACTION_VOTE_DOWN, ACTION_MORE}


def test_citations_link_to_the_notes_when_a_source_url_is_configured(make_bot, fake, corpus_index) -> None:
    bot = make_bot(AWSSEC_SOURCE_URL="https://github.com/org/notes/blob/main/{path}#L{start}-L{end}")
    text = blocks_text(ask(bot, fake, QUESTION))
    top = search(corpus_index, QUESTION, k=1).hits[0]
    link = (
        f"<https://github.com/org/notes/blob/main/{top.source}#L{top.line_start}-L{top.line_end}"
        f"|{top.citation}>"
    )
    assert link in text


def test_help_sources_and_questions_that_start_with_a_subcommand_word(bot, fake, corpus_index) -> None:
    assert "/awssec sources" in blocks_text(ask(bot, fake, "help", "h1"))
    assert "/awssec sources" in blocks_text(ask(bot, fake, "", "h2"))
    sources = blocks_text(ask(bot, fake, "sources", "s1"))
    for source, count in corpus_index.sources():
        assert f"`{source}` — {count} chunks" in sources
    assert corpus_index.built_at in sources
    question = blocks_text(ask(bot, fake, "sources of cloudtrail logs", "q1"))
    assert "Q:" in question and "sources of cloudtrail logs" in question


def test_no_answer_is_said_plainly_with_a_pointer_to_help(bot, fake) -> None:
    body = ask(bot, fake, "zqxj vbnmw plorf")
    text = blocks_text(body)
    assert "couldn't find anything" in text and "/awssec help" in text
    assert not buttons(body)


def test_a_named_topic_the_notes_never_mention_is_said_so_and_related_notes_are_labelled(bot, fake) -> None:
    body = ask(bot, fake, "can a Nitro Enclave decrypt data with my KMS key?")
    text = blocks_text(body)
    assert "Your notes don't cover *AWS Nitro Enclaves*." in text
    assert "Related in your notes — not an answer to your question:" in text
    assert "encryption-and-threat-protection.md:" in text
    assert "Q:" not in text  # no hit is shown as the answer
    assert not buttons(body)


def test_empty_and_huge_questions_get_a_polite_message(bot, fake) -> None:
    huge = "how does kms work " * 300
    text = blocks_text(ask(bot, fake, huge, "big"))
    assert f"{len(huge.strip()):,} characters" in text and "1,000" in text
    assert "Ask me a question" in blocks_text(
        ask(bot, fake, "   \n\t ", "blank")
    ) or "/awssec" in blocks_text(ask(bot, fake, "   \n\t ", "blank2"))


def test_worst_case_input_stays_within_block_kit_limits(bot, fake) -> None:
    # 1,000 ampersands become 5,000 characters once escaped; the fake rejects oversize blocks like Slack.
    body = ask(bot, fake, "&" * 1000 + " kms", "amp")
    for block in body.get("blocks", []):
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert len(body.get("blocks", [])) <= 50


def test_markup_in_a_question_is_shown_as_text_never_as_live_mentions_or_links(bot, fake) -> None:
    hostile = "<!channel> <!here> <@U0VICTIM> <https://evil.example|click> a & b what is sse-c"
    body = ask(bot, fake, hostile)
    everything = json.dumps(body)
    for live in ("<!channel>", "<!here>", "<@U0VICTIM>", "<https://evil"):
        assert live not in everything
    assert "&lt;!channel&gt;" in blocks_text(body) and "a &amp; b" in blocks_text(body)
    bot.event(event_callback(mention_event(hostile)))
    posted = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0].body
    for live in ("<!channel>", "<!here>", "<@U0VICTIM>", "<https://evil"):
        assert live not in json.dumps(posted)
    assert posted.get("unfurl_links") is False


# -- mentions and DMs --------------------------------------------------------------------------------


def test_mention_is_answered_in_a_thread_under_it_visible_to_the_channel(bot, fake) -> None:
    event = mention_event("how do I rotate kms keys", ts="1700000100.000200")
    assert bot.event(event_callback(event)).status == 200
    call = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0]
    assert call.body["channel"] == "C0GENERAL"
    assert call.body["thread_ts"] == "1700000100.000200"
    assert "rotate kms keys" in blocks_text(call.body)
    assert call.token == fake.bot_token


def test_mention_inside_a_thread_is_answered_in_that_thread(bot, fake) -> None:
    event = mention_event("what is guardduty", ts="1700000300.000300", thread_ts="1700000200.000100")
    bot.event(event_callback(event))
    call = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0]
    assert call.body["thread_ts"] == "1700000200.000100"


def test_direct_message_is_answered_in_the_dm(bot, fake) -> None:
    bot.event(event_callback(dm_event("what is guardduty", channel="D0DIRECT")))
    call = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0]
    assert call.body["channel"] == "D0DIRECT"
    assert "thread_ts" not in call.body
    assert "guardduty" in blocks_text(call.body).lower()


def test_the_message_copy_of_a_mention_is_not_answered_twice(bot, fake) -> None:
    ts = "1700000400.000400"
    mention = mention_event("what is sse-c", channel="D0DIRECT", ts=ts)
    copy = dm_event(f"<@{BOT_USER_ID}> what is sse-c", channel="D0DIRECT", ts=ts)
    bot.event(event_callback(mention))
    bot.event(event_callback(copy))
    settle(fake, bot)
    answers = [c for c in fake.api_calls("chat.postMessage") if c.body["channel"] == "D0DIRECT"]
    assert len(answers) == 1


def test_own_and_other_bots_messages_and_edits_are_ignored(bot, fake) -> None:
    bot.event(event_callback(dm_event("what is kms", user=BOT_USER_ID)))
    bot.event(event_callback(dm_event("what is kms", bot_id=BOT_ID)))
    bot.event(event_callback(dm_event("what is kms", bot_id="B0OTHER", subtype="bot_message")))
    bot.event(event_callback(dm_event("what is kms", subtype="message_changed")))
    bot.event(event_callback({**mention_event("what is kms"), "bot_id": "B0OTHER"}))
    bot.event(event_callback(dm_event("what is kms", channel="C0PUBLIC", channel_type="channel")))
    settle(fake, bot)
    assert [c.body["channel"] for c in fake.api_calls("chat.postMessage")] == ["DBARRIER"]


def test_a_redelivered_event_is_answered_once_even_after_a_restart(make_bot, fake, database_url) -> None:
    first = make_bot(database_url=database_url)
    body = event_callback(mention_event("what is sse-c"), event_id="Ev0REDELIVER")
    first.event(body)
    first.event(body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    settle(fake, first)
    first.close()
    restarted = make_bot(database_url=database_url)
    assert (
        restarted.event(
            body, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"}
        ).status
        == 200
    )
    settle(fake, restarted)
    answers = [c for c in fake.api_calls("chat.postMessage") if c.body["channel"] == "C0GENERAL"]
    assert len(answers) == 1


# -- buttons -----------------------------------------------------------------------------------------


def test_share_posts_the_answer_in_the_channel_attributed_to_the_asker(bot, fake) -> None:
    answer = ask(bot, fake, QUESTION)
    share = buttons(answer)[ACTION_SHARE]
    bot.action(block_action(ACTION_SHARE, share["value"], response_url=fake.response_url("r1")))
    posted = fake.wait_for(lambda f: f.api_calls("chat.postMessage"))[0].body
    assert posted["channel"] == "C0GENERAL"
    text = blocks_text(posted)
    assert "<@U0ASKER> asked" in text and QUESTION in text
    assert ACTION_SHARE not in buttons(posted)
    removed = fake.wait_for(lambda f: len(f.responses("r1")) >= 2 and f.responses("r1"))[1].body
    assert removed.get("delete_original") is True


def test_share_goes_through_the_response_url_where_the_bot_cannot_post(bot, fake) -> None:
    share = buttons(ask(bot, fake, QUESTION))[ACTION_SHARE]
    fake.fail_next("chat.postMessage", error="channel_not_found")
    bot.action(
        block_action(ACTION_SHARE, share["value"], response_url=fake.response_url("r1"), channel_id="G0PRIV")
    )
    shared = fake.wait_for(
        lambda f: [c for c in f.responses("r1") if c.body.get("response_type") == "in_channel"]
    )
    assert "<@U0ASKER> asked" in blocks_text(shared[0].body)


def test_feedback_is_recorded_with_the_question_and_hits(bot, fake) -> None:
    answer = ask(bot, fake, QUESTION)
    cited = [c for c in re.findall(r"`([^`]+:\d+(?:-\d+)?)`", blocks_text(answer))]
    bot.action(
        block_action(
            ACTION_VOTE_UP, buttons(answer)[ACTION_VOTE_UP]["value"], response_url=fake.response_url("r1")
        )
    )
    thanks = fake.wait_for(lambda f: len(f.responses("r1")) >= 2 and f.responses("r1"))[1].body
    assert "👍" in blocks_text(thanks) and thanks["response_type"] == "ephemeral"
    bot.action(
        block_action(
            ACTION_VOTE_DOWN,
            buttons(answer)[ACTION_VOTE_DOWN]["value"],
            response_url=fake.response_url("r1"),
            user_id="U0OTHER",
        )
    )
    fake.wait_for(lambda f: len(f.responses("r1")) >= 3)
    records = bot.store.feedback_records()
    assert [(r.user_id, r.vote) for r in records] == [("U0ASKER", 1), ("U0OTHER", -1)]
    assert records[0].question == QUESTION
    assert [h.citation for h in records[0].hits] == cited


def test_more_results_shows_the_next_hits(bot, fake, corpus_index) -> None:
    answer = ask(bot, fake, "kms")
    more = buttons(answer)[ACTION_MORE]
    bot.action(block_action(ACTION_MORE, more["value"], response_url=fake.response_url("r1")))
    page2 = fake.wait_for(lambda f: len(f.responses("r1")) >= 2 and f.responses("r1"))[1].body
    text = blocks_text(page2)
    expected = search(corpus_index, "kms", k=6).hits[3:6]
    assert expected and all(hit.citation in text for hit in expected)
    assert "*4." in text


def test_a_button_for_an_unknown_answer_says_so(bot, fake) -> None:
    bot.action(block_action(ACTION_VOTE_UP, "not-an-answer", response_url=fake.response_url("r1")))
    assert "no longer available" in blocks_text(fake.wait_for(lambda f: f.responses("r1"))[0].body)


# -- Slack's protocol and security --------------------------------------------------------------------


def test_bad_signatures_and_stale_timestamps_get_401_and_do_nothing(bot, fake) -> None:
    fields = slash_command(QUESTION, response_url=fake.response_url("r1"))
    assert bot.command(fields, signature="v0=" + "0" * 64).status == 401
    stale = int(time.time()) - 6 * 60
    assert bot.command(fields, timestamp=stale).status == 401  # correctly signed, but 6 minutes old
    assert bot.event(event_callback(mention_event("kms")), signature="v0=bad").status == 401
    settle(fake, bot)
    assert not fake.responses("r1")
    assert [c.body["channel"] for c in fake.api_calls("chat.postMessage")] == ["DBARRIER"]


def test_malformed_payloads_get_4xx_and_do_nothing(bot, fake) -> None:
    assert bot.post("{not json", "application/json").status == 400
    assert bot.post("payload=%7Bbroken", "application/x-www-form-urlencoded").status == 400
    assert bot.post("{not json", "application/json", signature="v0=bad").status == 401
    assert bot.event({"type": "event_callback", "event": {"type": "app_mention"}}).status == 200
    assert bot.event({"type": "something_else"}).status == 404
    settle(fake, bot)
    assert [c.body["channel"] for c in fake.api_calls("chat.postMessage")] == ["DBARRIER"]


UNSIGNED_HOSTILE = [
    ("[1,2]", "application/json"),
    ('{"type":"event_callback","authorizations":5}', "application/json"),
    ("[" * 1000 + "]" * 1000, "application/json"),
    ('{"type":"block_actions","user":1e308}', "application/json"),
    ("payload=" + "%5B" * 5000, "application/x-www-form-urlencoded"),
    ("\ufffd not utf-8", "text/plain"),
]


def test_unsigned_requests_get_401_with_nothing_parsed_and_one_short_log_line(bot, fake, caplog) -> None:
    fields = slash_command(QUESTION, response_url=fake.response_url("r1"))
    with caplog.at_level(logging.DEBUG):
        statuses = [
            bot.post(body + "&x=BODYMARK", kind, signature="v0=bad").status for body, kind in UNSIGNED_HOSTILE
        ]
        # a correct signature for a timestamp that is no number, and headers that are not ASCII
        statuses.append(bot.command({**fields, "x": "BODYMARK"}, timestamp="abc").status)
        statuses.append(bot.command({**fields, "x": "BODYMARK"}, signature="v0=\xe9" * 20).status)
        records = [r for r in caplog.records if r.name.startswith(("awssec", "slack_bolt", "waitress"))]
    assert statuses == [401] * (len(UNSIGNED_HOSTILE) + 2)
    assert [r.name for r in records] == ["awssec.http"] * len(statuses)  # Bolt never sees them
    assert "BODYMARK" not in caplog.text and not [r for r in caplog.records if r.exc_info]
    assert "malformed timestamp" in records[-2].getMessage()
    settle(fake, bot)
    assert not fake.responses("r1")
    assert [c.body["channel"] for c in fake.api_calls("chat.postMessage")] == ["DBARRIER"]


def test_signed_payloads_of_the_wrong_shape_get_400_and_a_line_saying_what_is_wrong(
    bot, fake, caplog
) -> None:
    action = block_action(ACTION_VOTE_UP, "x", response_url=fake.response_url("r1"))
    action["actions"][0]["value"] = []
    form = "application/x-www-form-urlencoded"
    cases = [
        ("payload=true", form, "the payload is a boolean"),
        ("payload=%22s%22", form, "the payload is a string"),
        ("[1,2,3]", "application/json", "the payload is an array"),
        ('{"type":"event_callback","event":[1,2]}', "application/json", "`event` should be an object"),
        ('{"type":"block_actions","actions":[{"value":[]}]}', "application/json", "is missing"),
        (json.dumps(action), "application/json", "`actions[0].value` should be a string"),
        (
            '{"type":"event_callback","event":{"type":"app_mention","text":{"a":1}}}',
            "application/json",
            "`event.text`",
        ),
        ("[" * 1000 + "]" * 1000, "application/json", "deep"),
        ('{"event_time":' + "9" * 5000 + "}", "application/json", "not valid JSON"),
        ("command=%2Fawssec&text=kms", form, "`response_url` is missing"),
        (f"command=%2Fawssec&text=a&text=b&response_url={fake.response_url('r1')}", form, "more than once"),
    ]
    with caplog.at_level(logging.INFO):
        results = [(bot.post(body, kind), why) for body, kind, why in cases]
    for result, why in results:
        assert result.status == 400 and why in result.json()["problem"], (result, why)
    assert not [r for r in caplog.records if r.exc_info]
    assert all(why in caplog.text for _, _, why in cases)
    settle(fake, bot)
    assert not fake.responses("r1")
    assert [c.body["channel"] for c in fake.api_calls("chat.postMessage")] == ["DBARRIER"]


def test_a_question_with_the_word_payload_in_it_is_answered(bot, fake) -> None:
    text = blocks_text(ask(bot, fake, "what is in the payload of an s3 event notification"))
    assert "Q:" in text and "payload of an s3 event" in text


def test_a_button_whose_value_is_not_a_string_says_the_answer_is_gone(bot, fake, caplog) -> None:
    for n, action_id in enumerate((ACTION_MORE, ACTION_SHARE, ACTION_VOTE_UP)):
        payload = block_action(action_id, "x", response_url=fake.response_url(f"b{n}"))
        payload["actions"][0]["value"] = None
        assert bot.action(payload).status == 200
        assert "no longer available" in blocks_text(
            fake.wait_for(lambda f, n=n: f.responses(f"b{n}"))[0].body
        )
    assert not [r for r in caplog.records if r.exc_info]


def test_a_listener_that_fails_while_acking_gets_400_and_one_log_line(bot, caplog) -> None:
    @bot.app.command("/broken")
    def broken(ack) -> None:  # a listener with a bug, as Bolt runs it
        raise RuntimeError("listener bug")

    fields = {"command": "/broken", "text": "x", "response_url": "https://hooks.slack.test/r"}
    with caplog.at_level(logging.INFO):
        result = bot.command(fields)
    assert result.status == 400
    failures = [r for r in caplog.records if "listener bug" in r.getMessage()]
    assert len(failures) == 1 and failures[0].levelno == logging.ERROR and not failures[0].exc_info
    assert "RuntimeError" in failures[0].getMessage()


def test_url_verification_and_ssl_check(bot) -> None:
    result = bot.event(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    assert result.status == 200
    assert result.json()["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    assert bot.post("ssl_check=1&token=x", "application/x-www-form-urlencoded").status == 200
    assert bot.event({"token": "x", "type": "url_verification"}).status == 400  # no challenge to echo


def test_an_event_the_bot_does_not_handle_is_acked(bot, fake) -> None:
    # an event subscribed later (reaction_added): a non-2xx would count as a failed delivery, retried
    event = {"type": "reaction_added", "user": "U1", "reaction": "eyes", "event_ts": "1700000000.000100"}
    result = bot.event(event_callback(event))
    assert result.status == 200
    assert not fake.api_calls("chat.postMessage")


def test_health_endpoint(bot) -> None:
    result = bot.get("/healthz")
    assert result.status == 200 and result.json()["status"] == "ok"
    assert bot.get("/nope").status == 404


def test_rate_limited_call_is_retried_after_retry_after(bot, fake) -> None:
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    bot.event(event_callback(mention_event("what is sse-c")))
    calls = fake.wait_for(
        lambda f: len(f.api_calls("chat.postMessage")) >= 2 and f.api_calls("chat.postMessage"), timeout=10
    )
    assert calls[1].at - calls[0].at >= 1.0
    assert calls[0].body == calls[1].body


def test_a_slack_api_error_is_reported_briefly_and_the_bot_keeps_serving(bot, fake) -> None:
    fake.fail_next("chat.postMessage", error="internal_error")
    bot.event(event_callback(mention_event("what is sse-c", ts="1700000500.000500")))
    calls = fake.wait_for(
        lambda f: len(f.api_calls("chat.postMessage")) >= 2 and f.api_calls("chat.postMessage")
    )
    assert "something went wrong" in blocks_text(calls[1].body)
    assert calls[1].body["thread_ts"] == "1700000500.000500"
    # Every call failing, the error report included: still up and answering.
    fake.fail_next("chat.postMessage", error="channel_not_found", times=2)
    bot.event(event_callback(mention_event("what is kms")))
    fake.wait_for(lambda f: len(f.api_calls("chat.postMessage")) >= 4)
    assert bot.get("/healthz").status == 200
    assert "Q:" in blocks_text(ask(bot, fake, "what is kms", "after"))


def test_a_response_url_failure_is_logged_not_fatal(bot, fake, caplog) -> None:
    fake.fail_next("r-broken", status=500, times=2)
    bot.command(slash_command(QUESTION, response_url=fake.response_url("r-broken")))
    fake.wait_for(lambda f: len(f.responses("r-broken")) >= 2)
    assert "Q:" in blocks_text(ask(bot, fake, QUESTION, "r-ok"))


# -- the index ----------------------------------------------------------------------------------------


def test_a_missing_index_is_built_from_the_corpus(make_bot, fake, tmp_path, make_corpus) -> None:
    corpus = make_corpus(
        {"iam.md": "# IAM\n## Permission boundaries\n- limit the maximum permissions of a role\n"}
    )
    env = bot_env(
        fake, tmp_path, AWSSEC_CORPUS=str(corpus), AWSSEC_INDEX=str(tmp_path / "idx" / "index.json.gz")
    )
    index = load_bot_index(Settings.from_env(env), __import__("logging").getLogger("test"))
    assert not isinstance(index, IndexUnavailable)
    assert (tmp_path / "idx" / "index.json.gz").exists()
    bot = make_bot(index=index)
    text = blocks_text(ask(bot, fake, "permission boundaries"))
    assert "`iam.md:" in text and "maximum permissions of a role" in text


def test_a_corrupt_index_keeps_the_bot_up_and_says_why(make_bot, fake, tmp_path) -> None:
    bad = tmp_path / "corrupt.json.gz"
    bad.write_bytes(b"not gzip at all")
    env = bot_env(fake, tmp_path, AWSSEC_INDEX=str(bad))
    index = load_bot_index(Settings.from_env(env), __import__("logging").getLogger("test"))
    assert isinstance(index, IndexUnavailable)
    bot = make_bot(index=index)
    text = blocks_text(ask(bot, fake, QUESTION))
    assert "The index is not available" in text and "awssec index" in text
    assert "The index is not available" in blocks_text(ask(bot, fake, "sources", "s"))
    assert str(bad) not in text  # a channel may read it: no path of the server's
    health = bot.get("/healthz").json()
    assert "unavailable" in health["index"] and health["status"] == "degraded"


def test_a_slack_that_does_not_answer_auth_test_holds_up_no_ack(make_bot, fake) -> None:
    # auth.test (the bot's own ids) is asked when the bot starts, in the background: the first request
    # after a start is acked and answered while Slack still has not answered it
    fake.hold_next("auth.test")  # until released
    bot = make_bot()
    try:
        text = blocks_text(ask(bot, fake, QUESTION))
        assert "SSE-C" in text
        assert len(fake.api_calls("auth.test")) == 1  # asked once, still unanswered, not asked again
    finally:
        fake.release()


def test_a_bot_token_slack_refuses_is_reported_at_start(make_bot, fake, caplog) -> None:
    fake.fail_next("auth.test", error="invalid_auth")
    caplog.set_level(logging.INFO)
    make_bot()
    fake.wait_for(lambda f: f.api_calls("auth.test"))
    deadline = time.monotonic() + 5
    refused: list[logging.LogRecord] = []
    while time.monotonic() < deadline and not refused:
        time.sleep(0.02)
        refused = [r for r in caplog.records if "SLACK_BOT_TOKEN" in r.getMessage()]
    assert refused and refused[0].levelno == logging.ERROR and "invalid_auth" in refused[0].getMessage()


def test_an_index_rebuilt_while_the_bot_runs_is_used_without_a_restart(fake, tmp_path, make_corpus) -> None:
    note = "# IAM\n## Permission boundaries\n- limit the maximum permissions of a role\n"
    corpus = make_corpus({"iam.md": note})
    path = tmp_path / "idx" / "index.json.gz"
    path.parent.mkdir()
    path.write_bytes(gzip.compress(b"[1, 2"))  # a damaged index: the bot starts without one
    settings = Settings.from_env(bot_env(fake, tmp_path, AWSSEC_CORPUS=str(corpus), AWSSEC_INDEX=str(path)))
    store = Store.connect(f"sqlite:///{tmp_path / 'bot.db'}")
    bot = HttpBot(settings, None, store, index_recheck=0)
    try:
        assert "The index is not available" in blocks_text(ask(bot, fake, "permission boundaries", "r1"))
        save_index(build_index([corpus]), path)  # what `awssec index` does, from another process
        text = blocks_text(ask(bot, fake, "permission boundaries", "r2"))
        assert "`iam.md:" in text and "maximum permissions of a role" in text
        assert bot.get("/healthz").json()["status"] == "ok"
        path.write_bytes(gzip.compress(b"[1, 2"))  # a bad file later never replaces the index in use
        assert "`iam.md:" in blocks_text(ask(bot, fake, "permission boundaries", "r3"))
    finally:
        bot.close()
        store.close()
