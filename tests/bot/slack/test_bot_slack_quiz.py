"""The quiz in Slack, end to end: signed requests to the real app on 127.0.0.1, replies received by the
local fake Slack. Practice questions and their buttons, Next question, the daily post's buttons,
leaderboard and stats."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from botrun import HttpBot, blocks_text, bot_env, buttons
from conftest import REPO
from fakeslack import FakeSlack, block_action, slash_command

from bot.config.settings import Settings
from bot.store import Store
from indexer.build import build_index, quiz_bank_for
from indexer.quiz.bank import QuizBank
from indexer.quiz.question import QuizQuestion

FIXTURES = REPO / "tests" / "fixtures" / "quiz"
CHANNEL = "C0STUDY"
GROUP_TIMEZONE = "Europe/Berlin"
"""The bot's AWSSEC_TIMEZONE here: its months and days begin at midnight there, not in UTC."""


@pytest.fixture(scope="module")
def quiz_index():
    return build_index([FIXTURES], fix_typos=False)


@pytest.fixture(scope="module")
def bank(quiz_index) -> QuizBank:
    return quiz_bank_for(quiz_index)


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def bot(fake, tmp_path, quiz_index, database_url):
    settings = Settings.from_env(
        bot_env(fake, tmp_path, AWSSEC_TIMEZONE=GROUP_TIMEZONE, AWSSEC_QUIZ_CHANNEL=CHANNEL)
    )
    store = Store.connect(database_url)
    bot = HttpBot(settings, quiz_index, store)
    yield bot
    bot.close()
    store.close()


def slash(bot: HttpBot, fake: FakeSlack, text: str, name: str, user: str = "U0ASKER") -> dict:
    result = bot.command(slash_command(text, response_url=fake.response_url(name), user_id=user))
    assert result.status == 200
    return fake.wait_for(lambda f: f.responses(name))[0].body


def click(bot: HttpBot, fake: FakeSlack, button: dict, name: str, user: str = "U0ASKER", **kwargs) -> dict:
    payload = block_action(
        button["action_id"], button["value"], response_url=fake.response_url(name), user_id=user, **kwargs
    )
    assert bot.action(payload).status == 200
    return fake.wait_for(lambda f: f.responses(name))[0].body


def shown_question(body: dict, bank: QuizBank) -> QuizQuestion:
    text = blocks_text(body)
    found = [
        q
        for q in bank.questions
        if q.prompt.replace("&", "&amp;") in text
        and all(  # "*B.* SSE-KMS", or "*Option 2:* B, A, D, C" when the items are lettered
            (f"*Option {i + 1}:* " if q.items else f"*{'ABCD'[i]}.* ") + c.replace("&", "&amp;") in text
            for i, c in enumerate(q.choices)
        )
    ]
    assert len(found) == 1, text
    return found[0]


def choice_buttons(body: dict) -> list[dict]:
    found = buttons(body)
    return [
        found[k]
        for k in sorted(k for k in found if k.startswith(("awssec_quiz_choice_", "awssec_daily_choice_")))
    ]


# -- practice -------------------------------------------------------------------------------------------


def test_a_question_shows_its_shown_lines_and_a_wrong_click_explains_every_choice(bot, fake, bank):
    body = slash(bot, fake, "quiz", "w1")
    q = shown_question(body, bank)
    text = blocks_text(body)
    for line in q.shown_lines():  # exactly what `awssec quiz list --json` gives as "shown"
        assert line in text
    assert q.heading not in text or q.heading in "\n".join(q.shown_lines())  # no heading path beyond them
    wrong = next(i for i in range(len(q.choices)) if i != q.answer_index)
    result = blocks_text(click(bot, fake, choice_buttons(body)[wrong], "w2"))
    assert "Not quite" in result and "The other choices" in result
    for i in range(len(q.choices)):
        note = q.explanation(i)
        if i != q.answer_index and note is not None:
            assert note.citation in result
    assert q.explanation(q.answer_index).citation in result


def test_quiz_gives_a_private_question_and_a_click_shows_the_answer_and_source(bot, fake, bank):
    body = slash(bot, fake, "quiz", "q1")
    assert body["response_type"] == "ephemeral"
    q = shown_question(body, bank)
    choices = choice_buttons(body)
    assert len(choices) == len(q.choices)
    for letter, choice in zip("ABCD", q.choices, strict=False):
        assert f"*{letter}.* {choice}" in blocks_text(body)
    result = click(bot, fake, choices[q.answer_index], "c1")
    assert result["replace_original"] is True
    text = blocks_text(result)
    assert "Right!" in text and q.answer in text and q.explanation(q.answer_index).citation in text
    right = q.explanation(q.answer_index)  # the right answer's cited lines, else the question's
    assert (right.snippet if right else q.snippet.splitlines()[0].replace("•", "").strip()) in text
    assert "awssec_quiz_next" in buttons(result)
    [record] = bot.store.answer_records("U0ASKER")
    assert record.correct and record.points == 10 and record.question_id == q.id


def test_a_wrong_click_shows_the_right_answer_and_only_the_first_click_counts(bot, fake, bank):
    body = slash(bot, fake, "quiz", "q1")
    q = shown_question(body, bank)
    wrong = (q.answer_index + 1) % len(q.choices)
    text = blocks_text(click(bot, fake, choice_buttons(body)[wrong], "c1"))
    assert "Not quite" in text and f"the answer is *{'ABCD'[q.answer_index]}. {q.answer}*" in text
    again = blocks_text(click(bot, fake, choice_buttons(body)[q.answer_index], "c2"))
    assert "already answered" in again
    records = bot.store.answer_records("U0ASKER")
    assert [r.correct for r in records] == [False]


def test_next_question_brings_another_question(bot, fake, bank):
    first = slash(bot, fake, "quiz", "q1")
    q1 = shown_question(first, bank)
    result = click(bot, fake, choice_buttons(first)[q1.answer_index], "c1")
    following = click(bot, fake, buttons(result)["awssec_quiz_next"], "n1")
    assert following["response_type"] == "ephemeral"
    q2 = shown_question(following, bank)
    assert q2.id != q1.id and choice_buttons(following)


def test_someone_elses_or_a_broken_button_is_answered_kindly(bot, fake, bank):
    body = slash(bot, fake, "quiz", "q1", user="U0OWNER")
    button = choice_buttons(body)[0]
    assert "no longer available" in blocks_text(click(bot, fake, button, "x1", user="U0OTHER"))
    for n, value in enumerate(["", "nonsense", "abc:", ":1", "x" * 3000 + ":1", "deadbeef:9"]):
        broken = {"action_id": "awssec_quiz_choice_0", "value": value}
        assert "no longer available" in blocks_text(click(bot, fake, broken, f"b{n}"))
    assert bot.store.answer_records() == []


def test_help_lists_the_quiz_commands(bot, fake):
    text = blocks_text(slash(bot, fake, "help", "h1"))
    for command in ("/awssec quiz", "/awssec leaderboard", "/awssec stats"):
        assert command in text


# -- leaderboard and stats ----------------------------------------------------------------------------


def answer_one(bot, fake, bank, user: str, right: bool, name: str) -> QuizQuestion:
    body = slash(bot, fake, "quiz", f"{name}q", user=user)
    q = shown_question(body, bank)
    index = q.answer_index if right else (q.answer_index + 1) % len(q.choices)
    click(bot, fake, choice_buttons(body)[index], f"{name}c", user=user)
    return q


def test_leaderboard_and_stats(bot, fake, bank):
    answer_one(bot, fake, bank, "U0ADA", True, "a1")
    answer_one(bot, fake, bank, "U0ADA", True, "a2")
    missed = answer_one(bot, fake, bank, "U0BOB", False, "b1")
    answer_one(bot, fake, bank, "U0BOB", True, "b2")
    board = blocks_text(slash(bot, fake, "leaderboard", "l1"))
    month = datetime.now(ZoneInfo(GROUP_TIMEZONE)).strftime("%B %Y")  # the group's month, not UTC's
    assert f"Leaderboard — {month}" in board and "All time" in board
    assert board.index("<@U0ADA> — *20* points") < board.index("<@U0BOB> — *10* points")
    stats = blocks_text(slash(bot, fake, "stats", "s1", user="U0BOB"))
    assert "Answered: *2*" in stats and "accuracy: *50%*" in stats and "Streak: *1* day" in stats
    assert missed.topic in stats  # the weakest topic, by heading
    assert "not answered any quiz question" in blocks_text(slash(bot, fake, "stats", "s2", user="U0NEW"))


# -- the daily quiz ---------------------------------------------------------------------------------------


def test_daily_quiz_buttons_count_answers_once_each_and_the_reveal_names_the_first(bot, fake, bank):
    daily = bot.services.daily
    now = datetime.now(UTC)
    monday_nine = (
        (now - timedelta(days=now.weekday()))
        .astimezone(bot.settings.quiz.timezone)
        .replace(hour=9, minute=0, second=0, microsecond=0)
    )
    [result] = daily.tick(monday_nine)
    assert result.status == "posted"
    [post_call] = fake.api_calls("chat.postMessage")
    assert post_call.body["channel"] == CHANNEL
    post = bot.store.daily_post(CHANNEL, monday_nine.date())
    q = post.question
    blocks = post_call.body["blocks"]
    post_body = {"blocks": json.loads(blocks) if isinstance(blocks, str) else blocks}
    choices = choice_buttons(post_body)
    assert len(choices) == len(q.choices)
    public = {"channel_id": CHANNEL, "message_ts": post.message_ts}

    right = click(bot, fake, choices[q.answer_index], "d1", user="U0FIRST", **public)
    assert right["response_type"] == "ephemeral" and right["replace_original"] is False
    assert "Right!" in blocks_text(right)
    wrong = click(bot, fake, choices[(q.answer_index + 1) % len(q.choices)], "d2", user="U0SECOND", **public)
    assert "Not this time" in blocks_text(wrong) and q.answer not in blocks_text(wrong)
    again = click(bot, fake, choices[q.answer_index], "d3", user="U0SECOND", **public)
    assert "already answered" in blocks_text(again)

    updates = fake.wait_for(
        lambda f: f.api_calls("chat.update") if len(f.api_calls("chat.update")) >= 2 else None
    )
    latest = updates[-1].body
    assert latest["ts"] == post.message_ts and "2 people have answered" in blocks_text(latest)

    daily.tick(monday_nine + timedelta(hours=6))
    [reveal] = [c for c in fake.api_calls("chat.postMessage") if c.body.get("thread_ts")]
    text = blocks_text(reveal.body)
    assert reveal.body["thread_ts"] == post.message_ts
    cited = q.explanation(q.answer_index).citation
    assert q.answer in text and cited in text and "<@U0FIRST>" in text and "1 of 2 got it right" in text
    closed = click(bot, fake, choices[q.answer_index], "d4", user="U0LATE", **public)
    assert "closed" in blocks_text(closed)


def test_serve_starts_the_daily_scheduler_with_the_app(bot, fake):
    tz = bot.settings.quiz.timezone
    monday_nine = datetime(2026, 3, 2, 9, 0, tzinfo=tz)
    daily = bot.runtime.start_scheduler(clock=lambda: monday_nine, interval=0.01)
    try:
        fake.wait_for(lambda f: f.api_calls("chat.postMessage"), timeout=10)
    finally:
        daily.stop()
    assert len(fake.api_calls("chat.postMessage")) == 1


def test_notes_with_slack_markup_are_shown_as_text():
    from bot.slack.blocks.quiz import practice_question_message, practice_result_message, reveal_message
    from indexer.quiz.review import grade

    q = QuizQuestion(
        "q1",
        "which",
        "Which one says “<!channel> ping <@U123>”?",
        ("<!here>", "B & C", "D"),
        0,
        "n.md",
        1,
        2,
        "H <#C1>",
        "• <!channel> ping",
    )
    for message in (
        practice_question_message(q, "p1"),
        practice_result_message(q, grade(q, 1)),
        reveal_message(q, 2, 1, "U0FIRST"),
    ):
        payload = message.payload()
        # what Slack parses for mentions: the notification text and every mrkdwn text (plain_text, as on
        # buttons, is shown literally)
        parsed = [payload["text"]] + [
            t["text"] for t in _walk(payload["blocks"]) if isinstance(t, dict) and t.get("type") == "mrkdwn"
        ]
        for text in parsed:
            assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text, text
        assert any("&lt;!channel&gt;" in text for text in parsed)


def test_quiz_without_an_index_says_why(fake, tmp_path, monkeypatch, database_url):
    from bot.services.index import IndexUnavailable

    settings = Settings.from_env(bot_env(fake, tmp_path))
    store = Store.connect(database_url)
    bot = HttpBot(settings, IndexUnavailable("the index file is corrupt; run `awssec index`"), store)
    try:
        text = blocks_text(slash(bot, fake, "quiz", "u1"))
        assert "index is not available" in text and "awssec index" in text
    finally:
        bot.close()
        store.close()


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
