"""Practice logic: grading, FSRS ordering, streaks across days and time zones, leaderboard, stats."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import (
    POINTS_RIGHT,
    AnswerRecord,
    choose_daily,
    choose_next,
    grade,
    leaderboard,
    local_date,
    longest_streak,
    month_start,
    parse_choice,
    review,
    streak,
    user_stats,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")


def question(qid: str = "q1", answer_index: int = 2) -> QuizQuestion:
    return QuizQuestion(
        qid, "which", "Which one?", ("A1", "B1", "C1", "D1"), answer_index, "n.md", 1, 3, "H", "• C1"
    )


# -- grading ------------------------------------------------------------------------------------------


def test_grade_right_and_wrong():
    q = question(answer_index=2)
    right = grade(q, 2)
    assert right.correct and right.points == POINTS_RIGHT and right.answer == "C1"
    wrong = grade(q, 0)
    assert not wrong.correct and wrong.points == 0 and wrong.answer_index == 2


@pytest.mark.parametrize("choice", [-1, 4, 99])
def test_grade_refuses_a_choice_the_question_has_not(choice):
    with pytest.raises(ValueError):
        grade(question(), choice)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("a", 0),
        ("B", 1),
        (" c ", 2),
        ("4", 3),
        ("2.", 1),
        ("d)", 3),
        ("e", None),
        ("5", None),
        ("0", None),
        ("", None),
        ("ab", None),
    ],
)
def test_parse_choice(text, index):
    assert parse_choice(text, 4) == index


# -- spaced repetition -------------------------------------------------------------------------------


def test_a_missed_question_comes_back_sooner_than_a_known_one():
    missed = review(None, "miss", False, T0)
    known = review(None, "know", True, T0)
    known = review(known, "know", True, T0 + timedelta(minutes=10))
    assert missed.due < known.due
    assert missed.lapses == 1 and known.lapses == 0 and known.reviews == 2


def test_mastered_questions_move_further_out_with_each_right_answer():
    state = None
    now = T0
    gaps = []
    for _ in range(5):
        state = review(state, "q", True, now)
        gaps.append(state.due - now)
        now = state.due
    assert gaps == sorted(gaps) and gaps[-1] > timedelta(days=7)


def test_review_needs_aware_times():
    with pytest.raises(ValueError):
        review(None, "q", True, datetime(2026, 1, 1))


def test_choose_next_prefers_a_due_missed_question_over_new_ones():
    bank = [f"q{i}" for i in range(10)]
    states = {"q3": review(None, "q3", False, T0), "q5": review(None, "q5", True, T0)}
    later = T0 + timedelta(minutes=11)  # q3's relearning step (10 min) has passed
    picks = {choose_next(bank, states, later, rng=random.Random(seed), new_share=0.0) for seed in range(20)}
    assert picks == {"q3"}


def test_new_questions_are_mixed_in_while_cards_are_due():
    bank = [f"q{i}" for i in range(10)]
    states = {"q3": review(None, "q3", False, T0)}
    later = T0 + timedelta(hours=1)
    picks = [choose_next(bank, states, later, rng=random.Random(seed)) for seed in range(200)]
    share_new = sum(p != "q3" for p in picks) / len(picks)
    assert 0.1 < share_new < 0.45


def test_the_most_forgotten_due_card_comes_first():
    bank = ["old", "recent"]
    states = {
        "old": review(None, "old", True, T0 - timedelta(days=30)),
        "recent": review(None, "recent", True, T0 - timedelta(hours=1)),
    }
    assert choose_next(bank, states, T0 + timedelta(days=1), rng=random.Random(1)) == "old"


def test_nothing_due_means_a_new_question_and_nothing_new_means_the_soonest_due():
    bank = ["a", "b", "c"]
    states = {"a": review(None, "a", True, T0)}
    first = choose_next(bank, states, T0 + timedelta(seconds=1), user_id="U1")
    assert first in ("b", "c")
    states = {q: review(None, q, True, T0 + timedelta(minutes=i)) for i, q in enumerate(bank)}
    assert choose_next(bank, states, T0 + timedelta(seconds=5)) == "a"


def test_new_question_order_is_per_learner_and_stable():
    bank = [f"q{i}" for i in range(30)]
    u1 = choose_next(bank, {}, T0, user_id="U1")
    assert u1 == choose_next(bank, {}, T0 + timedelta(days=3), user_id="U1")
    assert len({choose_next(bank, {}, T0, user_id=f"U{i}") for i in range(10)}) > 1


def test_the_question_just_answered_is_not_asked_again_at_once():
    bank = ["a", "b"]
    states = {"a": review(None, "a", False, T0 - timedelta(hours=1))}
    assert choose_next(bank, states, T0, exclude=["a"], rng=random.Random(0), new_share=0) == "b"
    assert choose_next(["a"], states, T0, exclude=["a"]) == "a"  # nothing else left
    assert choose_next([], {}, T0) is None


def test_cards_of_removed_questions_are_ignored():
    states = {"gone": review(None, "gone", False, T0 - timedelta(days=1))}
    assert choose_next(["here"], states, T0, new_share=0) == "here"


# -- streaks, dates, time zones ----------------------------------------------------------------------


def test_streak_counts_consecutive_days_and_survives_until_a_whole_day_is_missed():
    today = date(2026, 3, 10)
    days = [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]
    assert streak(days, today) == 3  # not answered today yet: yesterday's streak still stands
    assert streak(days + [today], today) == 4
    assert streak(days, date(2026, 3, 11)) == 0  # the 10th passed without an answer
    assert streak([], today) == 0
    assert longest_streak(days + [date(2026, 3, 1)]) == 3


def test_local_date_uses_the_group_time_zone():
    late_utc = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    assert local_date(late_utc, BERLIN) == date(2026, 3, 10)
    assert local_date(late_utc, LA) == date(2026, 3, 9)


def test_a_streak_depends_on_where_midnight_is():
    # answers at 23:30 UTC on two consecutive evenings, then at 00:30 UTC the night after
    times = [
        datetime(2026, 3, 9, 23, 30, tzinfo=UTC),
        datetime(2026, 3, 10, 23, 30, tzinfo=UTC),
        datetime(2026, 3, 12, 0, 30, tzinfo=UTC),
    ]
    records = [AnswerRecord("U1", "q", True, t, "H", POINTS_RIGHT) for t in times]
    now = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
    # in UTC the days are 9, 10, 12: the 11th is missing
    assert user_stats(records, now, ZoneInfo("UTC")).streak == 1
    # in Berlin they are 10, 11, 12: three in a row
    assert user_stats(records, now, BERLIN).streak == 3


def test_streak_across_daylight_saving_change():
    tz = BERLIN  # clocks go forward on 2026-03-29
    days = [datetime(2026, 3, d, 8, 0, tzinfo=tz) for d in (28, 29, 30)]
    records = [AnswerRecord("U1", "q", True, t, "H", 10) for t in days]
    assert user_stats(records, datetime(2026, 3, 30, 20, 0, tzinfo=tz), tz).streak == 3


def test_month_start_is_local_midnight():
    now = datetime(2026, 4, 1, 0, 30, tzinfo=BERLIN)  # 22:30 UTC on 31 March
    assert month_start(now, BERLIN) == datetime(2026, 4, 1, tzinfo=BERLIN)
    assert month_start(now, ZoneInfo("UTC")) == datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC"))


# -- leaderboard and stats ---------------------------------------------------------------------------


def rec(user: str, correct: bool, when: datetime, topic: str = "KMS") -> AnswerRecord:
    return AnswerRecord(user, "q", correct, when, topic, POINTS_RIGHT if correct else 0)


def test_leaderboard_ranks_by_points_this_month_and_all_time():
    march = datetime(2026, 3, 5, 9, tzinfo=UTC)
    feb = datetime(2026, 2, 20, 9, tzinfo=UTC)
    records = [rec("U1", True, feb)] * 5 + [rec("U2", True, march)] * 2 + [rec("U1", False, march)]
    now = datetime(2026, 3, 6, tzinfo=UTC)
    all_time = leaderboard(records, now, BERLIN)
    assert [(r.user_id, r.points) for r in all_time] == [("U1", 50), ("U2", 20)]
    month = leaderboard(records, now, BERLIN, since=month_start(now, BERLIN))
    assert [(r.user_id, r.points, r.answered) for r in month] == [("U2", 20, 2), ("U1", 0, 1)]
    assert [r.rank for r in month] == [1, 2]


def test_leaderboard_ties_go_to_whoever_got_there_first_and_it_stops_at_ten():
    records = [rec("U2", True, T0 + timedelta(minutes=5)), rec("U1", True, T0 + timedelta(minutes=9))]
    records += [rec(f"X{i}", False, T0) for i in range(15)]
    rows = leaderboard(records, T0 + timedelta(hours=1), BERLIN)
    assert [r.user_id for r in rows[:2]] == ["U2", "U1"]
    assert len(rows) == 10


def test_user_stats_accuracy_streak_and_weakest_topics():
    day = timedelta(days=1)
    records = [
        rec("U1", True, T0, "S3 › SSE-C"),
        rec("U1", False, T0, "S3 › SSE-C"),
        rec("U1", False, T0 + day, "KMS"),
        rec("U1", False, T0 + day, "KMS"),
        rec("U1", True, T0 + 2 * day, "WAF"),
    ]
    stats = user_stats(records, T0 + 2 * day, BERLIN)
    assert (stats.answered, stats.right, stats.points) == (5, 2, 20)
    assert stats.accuracy == pytest.approx(0.4)
    assert stats.streak == 3
    assert [t.topic for t in stats.weakest] == ["KMS", "S3 › SSE-C"]  # WAF has no miss


def test_stats_of_nobody_are_zero():
    stats = user_stats([], T0, BERLIN)
    assert (stats.answered, stats.accuracy, stats.streak, stats.weakest) == (0, 0.0, 0, ())


# -- daily question choice ---------------------------------------------------------------------------


def test_daily_question_is_the_same_for_every_replica_and_avoids_repeats():
    bank = [f"q{i}" for i in range(5)]
    day = date(2026, 3, 2)
    first = choose_daily(bank, [], "C1", day)
    assert first == choose_daily(list(reversed(bank)), [], "C1", day)
    posted: list[str] = []
    for n in range(5):
        posted.append(choose_daily(bank, posted, "C1", day + timedelta(days=n)))
    assert sorted(posted) == bank  # every question once before any repeats
    assert choose_daily(bank, posted, "C1", day + timedelta(days=6)) in bank
    assert choose_daily([], [], "C1", day) is None


def test_a_new_question_of_the_table_just_answered_waits_while_others_are_new():
    # the answer shown after "which of these does the table say about Parameter Store?" rules out the
    # wrong choices of the next question on that table: the next new question comes from elsewhere
    table = [f"table-{i}" for i in range(4)]
    others = [f"other-{i}" for i in range(4)]
    groups = {q: {"kms.md:10-20"} for q in table} | {q: {f"notes.md:{i}"} for i, q in enumerate(others)}
    states = {"table-0": review(None, "table-0", True, T0)}
    for learner in range(20):
        pick = choose_next(table + others, states, T0 + timedelta(seconds=1), user_id=f"U{learner}",
                           groups=groups)
        assert pick in others, pick
    # nothing else new: the table's next question comes after all
    assert choose_next(table, states, T0 + timedelta(seconds=1), groups=groups) in table[1:]


def test_a_new_question_offering_a_line_just_answered_waits_too():
    # "Uses ML to discover sensitive data" was the answer of the last question (Macie); a statement
    # question offering that line as a wrong choice would be settled by it, so another comes first
    groups = {
        "macie-which": {"notes.md:30-31"},
        "inspector-statement": {"notes.md:40-41", "notes.md:30-31", "notes.md:50-51"},
        "kms-cloze": {"notes.md:60-61"},
    }
    states = {"macie-which": review(None, "macie-which", True, T0)}
    bank = ["macie-which", "inspector-statement", "kms-cloze"]
    for learner in range(10):
        pick = choose_next(bank, states, T0 + timedelta(seconds=1), user_id=f"U{learner}", groups=groups)
        assert pick == "kms-cloze"
