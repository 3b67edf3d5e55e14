"""The daily quiz post with a controllable clock: normal days, weekends, restarts, downtime, failures,
replicas racing (threads and processes, on SQLite and on PostgreSQL), reveals and answer counting.

Every test drives ``DailyQuiz.tick(now)`` against the local fake Slack and a real store; "exactly once"
is checked by counting the chat.postMessage calls the fake received.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO
from dblink import DatabaseLink
from fakeslack import Call, FakeSlack
from slack_sdk import WebClient
from sqlalchemy.engine import make_url

from bot.config.settings import Settings, SettingsError, normalize_database_url, parse_days
from bot.services.daily import DailyQuiz, quiz_day
from bot.slack.publisher import SlackDailyPublisher
from bot.store import MAX_ATTEMPTS, DailyAnswerOutcome, Store
from indexer.build import build_index
from indexer.quiz.bank import QuizBank
from indexer.quiz.review import grade, review

FIXTURES = REPO / "tests" / "fixtures" / "quiz"
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 2, tzinfo=BERLIN)  # CET, UTC+1
CHANNEL = "C0STUDY"


def at(day: datetime, hhmm: str, seconds: int = 0) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return day.replace(hour=hours, minute=minutes, second=seconds)


_BANK: QuizBank | None = None


def bank() -> QuizBank:
    global _BANK
    if _BANK is None:
        _BANK = QuizBank.from_chunks(build_index([FIXTURES], fix_typos=False).chunks)
    return _BANK


def quiz_env(**extra: str) -> dict[str, str]:
    return {
        "AWSSEC_QUIZ_CHANNEL": CHANNEL,
        "AWSSEC_QUIZ_TIME": "09:00",
        "AWSSEC_TIMEZONE": "Europe/Berlin",
        **extra,
    }


class HistoryFakeSlack(FakeSlack):
    """The fake Slack, whose history holds what was posted whatever ``oldest`` asks: these tests' clock
    (March 2026) is not the clock the fake's message timestamps come from."""

    def _read_back(self, method: str, body: dict) -> list[dict]:
        return super()._read_back(method, {**body, "oldest": "0"})


@pytest.fixture
def fake():
    with HistoryFakeSlack() as fake:
        yield fake


@pytest.fixture
def make_daily(fake, database_url):
    stores: list[Store] = []

    def make(*, env: dict[str, str] | None = None, client: WebClient | None = None, **kwargs) -> DailyQuiz:
        store = Store.connect(database_url)
        stores.append(store)
        settings = Settings.from_env(quiz_env(**(env or {}))).quiz
        client = client or WebClient(token=fake.bot_token, base_url=fake.api_url)
        return DailyQuiz(store, bank, SlackDailyPublisher(client), settings, **kwargs)

    yield make
    for store in stores:
        store.close()


def quiz_posts(fake: FakeSlack) -> list[Call]:
    """Daily quiz posts the fake accepted (not reveals, which go in threads)."""
    return [c for c in fake.api_calls("chat.postMessage") if not c.body.get("thread_ts")]


def reveals(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.api_calls("chat.postMessage") if c.body.get("thread_ts")]


def text_of(call: Call) -> str:
    blocks = call.body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False) + call.body.get("text", "")


# -- when ---------------------------------------------------------------------------------------------


def test_posts_once_at_quiz_time_on_a_weekday(make_daily, fake):
    daily = make_daily()
    for now in (at(MONDAY, "00:00"), at(MONDAY, "08:59", 59)):
        daily.tick(now)
    assert quiz_posts(fake) == []
    results = daily.tick(at(MONDAY, "09:00"))
    assert [r.status for r in results] == ["posted"]
    for now in (at(MONDAY, "09:00", 30), at(MONDAY, "12:00"), at(MONDAY, "23:59", 59)):
        daily.tick(now)
    [post] = quiz_posts(fake)
    assert post.body["channel"] == CHANNEL
    metadata = post.body["metadata"]
    metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
    stored = daily.store.daily_post(CHANNEL, MONDAY.date())
    assert stored.status == "posted" and metadata["event_payload"]["daily_id"] == stored.id
    assert stored.question.prompt.split("“")[-1].rstrip("”")[:40] in text_of(post)
    assert "awssec_daily_choice_0" in text_of(post)
    # the next weekday gets its own quiz, with another question
    daily.tick(at(MONDAY + timedelta(days=1), "09:00"))
    posts = quiz_posts(fake)
    assert len(posts) == 2
    days = daily.store.daily_posts(CHANNEL)
    assert [d.day for d in days] == [MONDAY.date(), MONDAY.date() + timedelta(days=1)]
    assert days[0].question.id != days[1].question.id


def test_no_quiz_at_the_weekend_unless_configured(make_daily, fake):
    saturday = MONDAY + timedelta(days=5)
    make_daily().tick(at(saturday, "09:00"))
    assert quiz_posts(fake) == []
    make_daily(env={"AWSSEC_QUIZ_DAYS": "daily"}).tick(at(saturday, "09:00"))
    assert len(quiz_posts(fake)) == 1


def test_quiz_time_is_in_the_group_time_zone(make_daily, fake):
    daily = make_daily(env={"AWSSEC_TIMEZONE": "America/Los_Angeles", "AWSSEC_QUIZ_TIME": "09:00"})
    monday_utc = datetime(2026, 3, 2, tzinfo=UTC)
    daily.tick(monday_utc.replace(hour=16, minute=59))  # 08:59 in Los Angeles (PST, UTC-8)
    assert quiz_posts(fake) == []
    daily.tick(monday_utc.replace(hour=17))
    assert len(quiz_posts(fake)) == 1
    assert daily.store.daily_posts(CHANNEL)[0].day.isoformat() == "2026-03-02"


def test_a_restart_after_posting_does_not_post_again(make_daily, fake):
    make_daily().tick(at(MONDAY, "09:00"))
    restarted = make_daily()  # a new process: new owner id, new connection, empty memory
    for now in (at(MONDAY, "09:00", 20), at(MONDAY, "09:30"), at(MONDAY, "18:00")):
        restarted.tick(now)
    assert len(quiz_posts(fake)) == 1


def test_bot_down_at_nine_and_back_at_eleven_catches_up_that_day(make_daily, fake):
    make_daily().tick(at(MONDAY, "11:00"))
    assert len(quiz_posts(fake)) == 1
    assert make_daily().store.daily_post(CHANNEL, MONDAY.date()).status == "posted"


def test_bot_down_all_day_does_not_post_yesterdays_quiz(make_daily, fake):
    tuesday = MONDAY + timedelta(days=1)
    daily = make_daily()
    daily.tick(at(tuesday, "00:30"))
    daily.tick(at(tuesday, "08:00"))
    assert quiz_posts(fake) == []
    daily.tick(at(tuesday, "09:00"))
    assert [d.day for d in daily.store.daily_posts(CHANNEL)] == [tuesday.date()]
    assert len(quiz_posts(fake)) == 1


def test_no_channel_configured_means_no_post_but_reveals_still_run(make_daily, fake):
    make_daily(env={"AWSSEC_QUIZ_CHANNEL": ""}).tick(at(MONDAY, "09:00"))
    assert quiz_posts(fake) == []


# -- failures -----------------------------------------------------------------------------------------


def test_a_post_slack_refuses_is_retried_with_backoff(make_daily, fake):
    daily = make_daily()
    fake.fail_next("chat.postMessage", error="not_in_channel")
    assert [r.status for r in daily.tick(at(MONDAY, "09:00"))] == ["retry"]
    daily.tick(at(MONDAY, "09:00", 40))  # within the 1-minute backoff: no attempt
    assert len(fake.api_calls("chat.postMessage")) == 1
    other_replica = make_daily()
    assert [r.status for r in other_replica.tick(at(MONDAY, "09:01", 5))] == ["posted"]
    assert len(fake.api_calls("chat.postMessage")) == 2 and len(quiz_posts(fake)) == 2
    daily.tick(at(MONDAY, "09:05"))
    assert len(fake.api_calls("chat.postMessage")) == 2


def test_a_post_is_given_up_after_repeated_refusals(make_daily, fake):
    daily = make_daily()
    fake.fail_next("chat.postMessage", error="channel_not_found", times=MAX_ATTEMPTS + 3)
    now = at(MONDAY, "09:00")
    for _ in range(12):
        daily.tick(now)
        now += timedelta(minutes=20)
    assert len(fake.api_calls("chat.postMessage")) == MAX_ATTEMPTS
    assert daily.store.daily_post(CHANNEL, MONDAY.date()).status == "failed"


class DeadClient(WebClient):
    """A client whose chat.postMessage never gets a reply (the connection is refused)."""

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(token=fake.bot_token, base_url="http://127.0.0.1:9/api/", timeout=1)


def test_a_claim_with_no_outcome_is_taken_over_after_a_while(make_daily, fake):
    first = make_daily(client=DeadClient(fake))
    assert [r.status for r in first.tick(at(MONDAY, "09:00"))] == ["unknown"]
    second = make_daily()
    second.tick(at(MONDAY, "09:03"))  # the first claim is recent: it may still be posting
    assert quiz_posts(fake) == []
    assert [r.status for r in second.tick(at(MONDAY, "09:05", 30))] == ["posted"]
    second.tick(at(MONDAY, "09:12"))
    assert len(quiz_posts(fake)) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_with_the_database_gone_the_scheduler_logs_one_line_and_posts_once_it_is_back(
    fake, database_url, caplog
):
    url = make_url(normalize_database_url(database_url))
    link = DatabaseLink(url.host or "127.0.0.1", url.port or 5432)
    store = Store.connect(link.url(database_url))
    try:
        daily = DailyQuiz(
            store,
            bank,
            SlackDailyPublisher(WebClient(token=fake.bot_token, base_url=fake.api_url)),
            Settings.from_env(quiz_env()).quiz,
        )
        caplog.set_level(logging.INFO)
        link.cut()
        for minute in range(5):
            assert daily.tick(at(MONDAY, f"09:0{minute}")) == []
        assert quiz_posts(fake) == []
        problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(problems) == 1 and "database unavailable" in problems[0].getMessage()
        assert not any(r.exc_info for r in caplog.records)

        link.restore()
        assert [r.status for r in daily.tick(at(MONDAY, "09:06"))] == ["posted"]
        assert len(quiz_posts(fake)) == 1
    finally:
        store.close()
        link.close()


class SentThenDiedClient(WebClient):
    """Slack gets the message, but the process dies before it can record that (an error after sending)."""

    def chat_postMessage(self, **kwargs):  # slack_sdk's name
        super().chat_postMessage(**kwargs)
        raise ConnectionResetError("killed after sending")


def test_a_post_that_reached_slack_before_a_crash_is_recovered_not_repeated(make_daily, fake):
    crashed = make_daily(client=SentThenDiedClient(token=fake.bot_token, base_url=fake.api_url))
    assert [r.status for r in crashed.tick(at(MONDAY, "09:00"))] == ["unknown"]
    assert len(quiz_posts(fake)) == 1
    restarted = make_daily()
    assert [r.status for r in restarted.tick(at(MONDAY, "09:06"))] == ["recovered"]
    assert len(quiz_posts(fake)) == 1
    assert fake.api_calls("conversations.history")
    post = restarted.store.daily_post(CHANNEL, MONDAY.date())
    assert post.status == "posted" and post.message_ts == quiz_posts(fake)[0].reply["ts"]


# -- replicas racing ----------------------------------------------------------------------------------


def test_replicas_racing_in_threads_post_once(make_daily, fake):
    replicas = [make_daily() for _ in range(6)]
    barrier = threading.Barrier(len(replicas))
    errors: list[BaseException] = []

    def run(daily: DailyQuiz) -> None:
        try:
            barrier.wait()
            for second in range(0, 90, 3):
                daily.tick(at(MONDAY, "09:00") + timedelta(seconds=second))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(d,)) for d in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(quiz_posts(fake)) == 1
    assert len(replicas[0].store.daily_posts(CHANNEL)) == 1


RACE_WORKER = """
import sys, time
from datetime import datetime, timedelta
sys.path[:0] = [{tests!r}, {here!r}]
import test_bot_services_daily as t
from bot.config.settings import Settings
from bot.slack.publisher import SlackDailyPublisher
from bot.services.daily import DailyQuiz
from bot.store import Store
from slack_sdk import WebClient
store = Store.connect({url!r})
client = WebClient(token={token!r}, base_url={api!r})
daily = DailyQuiz(store, t.bank, SlackDailyPublisher(client),
                  Settings.from_env(t.quiz_env()).quiz)
t.bank()
print("ready", flush=True)
sys.stdin.readline()  # "go": every worker is ready
for second in range(0, 60, 2):
    daily.tick(t.at(t.MONDAY, "09:00") + timedelta(seconds=second))
store.close()
"""


def test_processes_racing_post_once(make_daily, fake, database_url):
    make_daily()  # creates the schema first, as a deployed bot would have
    code = RACE_WORKER.format(
        tests=str(REPO / "tests"),
        here=str(Path(__file__).parent),
        url=database_url,
        token=fake.bot_token,
        api=fake.api_url,
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()[-2000:]
    for worker in workers:  # all at once
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
    assert len(quiz_posts(fake)) == 1
    assert len(fake.api_calls("chat.postMessage")) == 1


# -- answers and the reveal ---------------------------------------------------------------------------


def answer(daily: DailyQuiz, user: str, right: bool, when: datetime) -> str:
    post = daily.store.daily_post(CHANNEL, when.astimezone(BERLIN).date())
    q = post.question
    choice = q.answer_index if right else (q.answer_index + 1) % len(q.choices)
    result = grade(q, choice)
    return daily.store.answer_daily(post, user, result, review(None, q.id, result.correct, when), when)


def test_each_member_answers_once_and_the_post_counts_answers_not_the_answer(make_daily, fake):
    daily = make_daily()
    daily.tick(at(MONDAY, "09:00"))
    assert answer(daily, "U1", False, at(MONDAY, "09:05")) == DailyAnswerOutcome.RECORDED
    assert answer(daily, "U1", True, at(MONDAY, "09:06")) == DailyAnswerOutcome.ALREADY
    assert answer(daily, "U2", True, at(MONDAY, "09:07")) == DailyAnswerOutcome.RECORDED
    post = daily.store.daily_post(CHANNEL, MONDAY.date())
    daily.refresh_count(post)
    [update] = fake.api_calls("chat.update")
    assert update.body["ts"] == post.message_ts and update.body["channel"] == CHANNEL
    shown = text_of(update)
    assert "2 people have answered" in shown
    assert "The answer is" not in shown and post.question.answer not in shown.split("answered")[-1]


def test_the_reveal_comes_in_the_thread_after_the_configured_hours(make_daily, fake):
    daily = make_daily(env={"AWSSEC_REVEAL_AFTER": "6"})
    daily.tick(at(MONDAY, "09:00"))
    answer(daily, "U1WRONG", False, at(MONDAY, "09:05"))
    answer(daily, "U2FIRST", True, at(MONDAY, "09:10"))
    answer(daily, "U3LATER", True, at(MONDAY, "09:20"))
    daily.tick(at(MONDAY, "14:59"))
    assert reveals(fake) == []
    daily.tick(at(MONDAY, "15:00"))
    make_daily().tick(at(MONDAY, "15:00", 30))  # another replica: nothing more
    [reveal] = reveals(fake)
    post = daily.store.daily_post(CHANNEL, MONDAY.date())
    assert reveal.body["thread_ts"] == post.message_ts
    shown = text_of(reveal)
    cited = post.question.explanation(post.question.answer_index)
    assert post.question.answer in shown and cited.citation in shown
    assert "<@U2FIRST>" in shown and "2 of 3 got it right" in shown
    assert answer(daily, "U4", True, at(MONDAY, "15:01")) == DailyAnswerOutcome.CLOSED


def test_the_reveal_comes_when_the_next_quiz_is_posted(make_daily, fake):
    daily = make_daily(env={"AWSSEC_REVEAL_AFTER": "48"})
    daily.tick(at(MONDAY, "09:00"))
    daily.tick(at(MONDAY, "20:00"))
    assert reveals(fake) == []
    tuesday = MONDAY + timedelta(days=1)
    daily.tick(at(tuesday, "09:00"))
    [reveal] = reveals(fake)
    monday_post = daily.store.daily_post(CHANNEL, MONDAY.date())
    assert reveal.body["thread_ts"] == monday_post.message_ts
    assert len(quiz_posts(fake)) == 2
    # the reveal came before the new quiz
    calls = fake.api_calls("chat.postMessage")
    assert calls.index(reveal) < calls.index(quiz_posts(fake)[1])


def test_scheduler_thread_ticks_with_an_injected_clock(make_daily, fake):
    daily = make_daily()
    moments = iter([at(MONDAY, "08:59")] * 3 + [at(MONDAY, "09:00")] * 1000)
    daily.start(clock=lambda: next(moments), interval=0.01)
    try:
        fake.wait_for(lambda f: quiz_posts(f), timeout=10)
    finally:
        daily.stop()
    assert len(quiz_posts(fake)) == 1


# -- settings -------------------------------------------------------------------------------------------


def test_quiz_settings_defaults_and_parsing():
    s = Settings.from_env({}).quiz
    assert s.channel == "" and s.post_time.hour == 9 and s.timezone.key == "UTC"
    assert s.days == frozenset(range(5)) and s.reveal_after == timedelta(hours=6)
    assert parse_days("sat,sun") == {5, 6}
    assert parse_days("Friday-Monday") == {4, 5, 6, 0}
    assert parse_days("daily") == frozenset(range(7))
    s = Settings.from_env({"AWSSEC_QUIZ_TIME": "7:30", "AWSSEC_REVEAL_AFTER": "1.5"}).quiz
    assert (s.post_time.hour, s.post_time.minute, s.reveal_after) == (7, 30, timedelta(minutes=90))
    assert quiz_day(datetime(2026, 3, 2, 6, 29, tzinfo=UTC), s) is None
    assert quiz_day(datetime(2026, 3, 2, 7, 30, tzinfo=UTC), s).isoformat() == "2026-03-02"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AWSSEC_QUIZ_TIME", "9am"),
        ("AWSSEC_QUIZ_TIME", "25:00"),
        ("AWSSEC_TIMEZONE", "Mars/Olympus"),
        ("AWSSEC_QUIZ_DAYS", "someday"),
        ("AWSSEC_REVEAL_AFTER", "soon"),
        ("AWSSEC_REVEAL_AFTER", "0"),
    ],
)
def test_bad_quiz_settings_name_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}).check()
