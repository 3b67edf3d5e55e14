"""Block Kit for the quiz: pure functions from questions and results to Slack messages.

Everything from the notes goes through ``fit``/``escape`` (see ``common``), so a note containing
``<!channel>`` shows as text. A question shows exactly its ``shown_lines()`` (the prompt, any lettered or
numbered items, one context line that never names the answer) and its choices, listed with their labels
(``A.``, or ``Option 1:`` when the items are lettered) since a button label holds only 75 characters.
After the click every choice is explained: right or wrong, and where the notes put it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import POINTS_RIGHT, GradeResult, LeaderboardRow, UserStats

from ...services.practice import choice_label, labelled
from ..markup import escape
from .common import Message, button, context, fit, mention, section, source_link

ACTION_PRACTICE_CHOICE = "awssec_quiz_choice"
"""Practice buttons: ``awssec_quiz_choice_<n>`` with value ``<practice id>:<n>``."""
ACTION_PRACTICE_NEXT = "awssec_quiz_next"
ACTION_DAILY_CHOICE = "awssec_daily_choice"
"""Daily quiz buttons: ``awssec_daily_choice_<n>`` with value ``<daily id>:<n>``."""
PRACTICE_BLOCK = "awssec_quiz_choices"
DAILY_BLOCK = "awssec_daily_choices"
BUTTON_LABEL_LIMIT = 75
PROMPT_CHARS = 1200
CHOICE_CHARS = 300
SNIPPET_CHARS = 900


def _choices_text(question: QuizQuestion) -> str:
    return "\n".join(
        f"*{choice_label(question, i)}{':' if question.items else '.'}* {fit(c, CHOICE_CHARS)}"
        for i, c in enumerate(question.choices)
    )


def _buttons(question: QuizQuestion, action_prefix: str, ref: str) -> list[dict[str, Any]]:
    out = []
    for i, choice in enumerate(question.choices):
        label = labelled(question, i, choice)
        if len(label) > BUTTON_LABEL_LIMIT:
            label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
        out.append(button(label, f"{action_prefix}_{i}", f"{ref}:{i}"))
    return out


def _question_text(question: QuizQuestion) -> str:
    """The prompt and its items, as the question's shown lines give them."""
    lines = [question.prompt, *question.items]
    return fit("\n".join(lines), PROMPT_CHARS)


def _question_section(question: QuizQuestion, title: str) -> dict[str, Any]:
    return section(f"*{title}*\n{_question_text(question)}\n\n{_choices_text(question)}")


def _context_line(question: QuizQuestion, tail: str) -> dict[str, Any]:
    return context(f"{fit(question.context, 200)} · {tail}" if question.context else tail)


def practice_question_message(question: QuizQuestion, practice_id: str) -> Message:
    """A practice question for one person: its shown lines, its choices and a button per choice."""
    blocks = (
        _question_section(question, "Quiz"),
        {
            "type": "actions",
            "block_id": PRACTICE_BLOCK,
            "elements": _buttons(question, ACTION_PRACTICE_CHOICE, practice_id),
        },
        _context_line(question, "pick one; every choice is explained after"),
    )
    return Message(text=f"Quiz: {fit(question.prompt, 300)}", blocks=blocks)


def _verdict(question: QuizQuestion, result: GradeResult) -> str:
    right = f"*{fit(labelled(question, result.answer_index, question.answer), CHOICE_CHARS)}*"
    if result.correct:
        return f":white_check_mark: *Right!* {right} (+{result.points} points)"
    chosen = fit(labelled(question, result.chosen_index, question.choices[result.chosen_index]), CHOICE_CHARS)
    return f":x: *Not quite* — you picked {chosen}; the answer is {right}."


def _explanation_blocks(question: QuizQuestion, source_url: str) -> list[dict[str, Any]]:
    """The right choice with its cited snippet, then each wrong choice with where the notes put it."""
    right = question.explanation(question.answer_index)
    heading = fit(right.heading if right else question.topic, 300)
    snippet = fit(right.snippet if right else question.snippet, SNIPPET_CHARS)
    blocks = [
        section(f"*{heading}*\n{snippet}"),
        context(f":page_facing_up: {source_link(right or question, source_url)}"),
    ]
    wrong = []
    for i, choice in enumerate(question.choices):
        if i == question.answer_index:
            continue
        note = question.explanation(i)
        where = (
            f"{fit(note.heading, 150)} — {source_link(note, source_url)}: {fit(note.snippet, 200)}"
            if note is not None
            else ("—" if question.items else "the notes don't state it")
        )
        wrong.append(f":x: *{fit(labelled(question, i, choice), 150)}* — {where}")
    if wrong:
        blocks.append(section("*The other choices*\n" + "\n".join(wrong)))
    return blocks


def practice_result_message(question: QuizQuestion, result: GradeResult, source_url: str = "") -> Message:
    """Right or wrong, every choice explained, and a Next question button."""
    blocks = [
        section(f"{_question_text(question)}\n\n{_verdict(question, result)}"),
        *_explanation_blocks(question, source_url),
        {
            "type": "actions",
            "block_id": "awssec_quiz_after",
            "elements": [button("Next question", ACTION_PRACTICE_NEXT, "next", style="primary")],
        },
    ]
    text = "Right!" if result.correct else f"Not quite — the answer is {question.answer}"
    return Message(text=fit(text, 300), blocks=tuple(blocks))


def already_answered_message() -> Message:
    text = "You already answered that one. Ask for another with `/awssec quiz`."
    return Message(text=text, blocks=(section(text),))


def no_questions_message(reason: str = "") -> Message:
    text = "There are no quiz questions yet: the notes give none"
    add = ". Add notes with lists of facts about AWS security under headings."
    text += f" ({fit(reason, 500)})." if reason else add
    return Message(text=text, blocks=(section(text),))


def expired_question_message() -> Message:
    text = "That quiz question is no longer available. Start again with `/awssec quiz`."
    return Message(text=text, blocks=(section(text),))


# -- the daily quiz ---------------------------------------------------------------------------------------


def _day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def daily_post_message(
    question: QuizQuestion, daily_id: str, day: date, answered: int, reveal_at: datetime | None
) -> Message:
    """The channel's quiz of the day: the question, a button per choice, how many answered so far."""
    when = (
        f"The answer comes in the thread at {reveal_at:%H:%M %Z}".rstrip()
        if reveal_at
        else ("The answer comes in the thread")
    )
    count = (
        "Nobody has answered yet"
        if answered == 0
        else (f"{answered} {'person has' if answered == 1 else 'people have'} answered")
    )
    blocks = (
        _question_section(question, f":calendar: Daily quiz — {_day_label(day)}"),
        {
            "type": "actions",
            "block_id": DAILY_BLOCK,
            "elements": _buttons(question, ACTION_DAILY_CHOICE, daily_id),
        },
        _context_line(question, f"{count} · one answer each, only you see your result · {when}."),
    )
    return Message(text=f"Daily quiz: {fit(question.prompt, 300)}", blocks=blocks)


def daily_result_message(result: GradeResult, reveal_at: datetime | None) -> Message:
    when = f"at {reveal_at:%H:%M %Z}".rstrip() if reveal_at else "later"
    if result.correct:
        text = f":white_check_mark: *Right!* +{result.points} points. The answer comes in the thread {when}."
    else:
        text = f":x: *Not this time.* The answer and its source come in the thread {when}."
    return Message(text=text.replace("*", ""), blocks=(section(text),))


def daily_already_answered_message() -> Message:
    text = "You already answered today's quiz — one answer each. The answer comes in the thread."
    return Message(text=text, blocks=(section(text),))


def daily_closed_message() -> Message:
    text = "This quiz is closed: its answer is in the thread. Practise any time with `/awssec quiz`."
    return Message(text=text, blocks=(section(text),))


def reveal_message(
    question: QuizQuestion, answered: int, right: int, first_right: str | None, source_url: str = ""
) -> Message:
    """The answer of a daily quiz, posted in its thread."""
    answer = f"*{fit(labelled(question, question.answer_index, question.answer), CHOICE_CHARS)}*"
    tally = "Nobody answered." if not answered else f"{right} of {answered} got it right."
    first = f" First right answer: {mention(first_right)} :tada:" if first_right else ""
    blocks = [
        section(f":bulb: The answer is {answer}\n{tally}{first}"),
        *_explanation_blocks(question, source_url),
    ]
    return Message(text=f"The answer is {fit(question.answer, 200)}", blocks=tuple(blocks))


# -- scores --------------------------------------------------------------------------------------------------


def _rows(rows: Sequence[LeaderboardRow]) -> str:
    if not rows:
        return "_No answers yet._"
    medals = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}
    lines = []
    for r in rows:
        streak = f" · :fire: {r.streak}" if r.streak >= 2 else ""
        lines.append(
            f"{medals.get(r.rank, f'{r.rank}.')} {mention(r.user_id)} — *{r.points}* points "
            f"({r.right}/{r.answered} right){streak}"
        )
    return "\n".join(lines)


def leaderboard_message(
    month: Sequence[LeaderboardRow], all_time: Sequence[LeaderboardRow], month_name: str
) -> Message:
    blocks = (
        section(f"*Leaderboard — {escape(month_name)}*\n{_rows(month)}"),
        {"type": "divider"},
        section(f"*All time*\n{_rows(all_time)}"),
        context(
            f"{POINTS_RIGHT} points per right answer, practice and daily quiz alike. Streak: days in a row "
            "with an answer."
        ),
    )
    return Message(text=f"Quiz leaderboard — {month_name}", blocks=blocks)


def stats_message(user_id: str, stats: UserStats) -> Message:
    if stats.answered == 0:
        text = "You have not answered any quiz question yet. Try `/awssec quiz`."
        return Message(text=text, blocks=(section(text),))
    lines = [
        f"*Your quiz stats* ({mention(user_id)})",
        f"• Answered: *{stats.answered}* · right: *{stats.right}* · accuracy: *{stats.accuracy:.0%}*",
        f"• Points: *{stats.points}*",
        f"• Streak: *{stats.streak}* day{'s' if stats.streak != 1 else ''} (longest {stats.longest_streak})",
    ]
    if stats.weakest:
        lines.append("• Weakest topics:")
        lines += [f"    ◦ {fit(t.topic, 200)} — {t.right}/{t.answered} right" for t in stats.weakest]
    else:
        lines.append("• No weak topics: every answer so far was right.")
    return Message(
        text=f"Quiz stats: {stats.right}/{stats.answered} right", blocks=(section("\n".join(lines)),)
    )
