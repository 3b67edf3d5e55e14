"""``awssec quiz list|next|post``: the quiz from the command line (``register(subparsers)``).

- ``quiz list [--json] [--count N] [--kind K]``: the question bank, for review (JSON lines with
  ``id, kind, prompt, choices, answer_index, source, line_start, line_end, heading``).
- ``quiz next [--json] [--user NAME]``: one question chosen by spaced repetition; reads your choice
  (letter or number) from standard input, then shows the result and the cited snippet. Your progress is
  kept in the bot's store (AWSSEC_DATABASE_URL, else the SQLite file in the data directory) under
  ``cli:<NAME>`` (default: your login name).
- ``quiz post --channel C``: post today's daily quiz to channel C now — for cron or a Kubernetes
  CronJob. Same guarantee as the bot's scheduler: at most one quiz per channel per day, whoever posts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from indexer.quiz.bank import QuizBank
from indexer.quiz.question import KINDS, QuizQuestion
from indexer.search.index import SearchIndex

from ..config.settings import CHANNEL_ID, Settings, SettingsError
from ..services.bank import QuestionBanks
from ..services.practice import PracticeService, choice_label, labelled, parse_answer
from ..services.scores import TERMINAL_USER_PREFIX
from ..store import Store
from .common import index_choice, load_cli_index


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    quiz = subparsers.add_parser(
        "quiz",
        help="practise with questions generated from the notes; post the daily quiz",
        description="Multiple-choice questions generated from the notes, each citing where its answer is.",
    )
    sub = quiz.add_subparsers(dest="quiz_command", metavar="SUBCOMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--index", metavar="PATH", help="index file (default AWSSEC_INDEX, else the data directory's)"
        )
        p.add_argument("--corpus", action="append", metavar="DIR", help="these notes, for this command")

    p = sub.add_parser(
        "list",
        help="print the question bank",
        description=(
            "Print every question with its choices, the right answer and its citation "
            "(JSON lines with --json)."
        ),
    )
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument(
        "--count", type=int, metavar="N", help="at most N questions (a random sample, seeded by --seed)"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the --count sample (default 0)")
    p.add_argument(
        "--kind", choices=[str(k) for k in KINDS], help="only questions of this kind"
    )  # plain names: an error lists "which, statement, …", not the enum's members
    common(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "next",
        help="answer one question (spaced repetition)",
        description=(
            "Show one question, read your answer (A-D or 1-4) from standard input, then show whether it was "
            "right, the right answer and the snippet of the notes that says so."
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the question as JSON (without the answer), then the result as JSON",
    )
    p.add_argument("--user", help="whose progress to use (default: your login name)")
    p.add_argument("--no-save", action="store_true", help="do not record the answer")
    common(p)
    p.set_defaults(func=cmd_next)

    p = sub.add_parser(
        "post",
        help="post today's daily quiz to a channel (for cron)",
        description=(
            "Post today's quiz (today in AWSSEC_TIMEZONE) to CHANNEL unless it is already posted, revealing "
            "the previous one first. Safe to run from several places at once: one quiz per channel per day. "
            "Needs SLACK_BOT_TOKEN; uses AWSSEC_DATABASE_URL like the bot."
        ),
    )
    p.add_argument("--channel", required=True, help="channel id, e.g. C0123456789")
    common(p)
    p.set_defaults(func=cmd_post)

    quiz.set_defaults(func=lambda args, settings: (quiz.print_help(), 2)[1])


# -- helpers ------------------------------------------------------------------------------------------


def load_bank(
    args: argparse.Namespace, settings: Settings, banks: QuestionBanks, stderr: TextIO | None = None
) -> tuple[SearchIndex, QuizBank] | None:
    """The (up-to-date) index and its question bank, or None after saying why."""
    stderr = stderr or sys.stderr
    index = load_cli_index(args, settings, "awssec quiz", stderr)
    if index is None:
        return None
    bank = banks.bank_for(index, index_choice(args, settings).path)
    assert isinstance(bank, QuizBank)  # the index is there
    if not len(bank):
        print(
            "awssec quiz: the notes give no quiz questions "
            "(they need lists of facts about AWS security under headings)",
            file=stderr,
        )
        return None
    return index, bank


def format_question(question: QuizQuestion) -> str:
    """What a learner sees before answering (the shown lines) and the choices."""
    lines = [*question.shown_lines(), ""]
    lines += [f"  {labelled(question, i, choice)}" for i, choice in enumerate(question.choices)]
    return "\n".join(lines)


def format_explanations(question: QuizQuestion) -> str:
    """Every choice after the answer: right or wrong, and where the notes put it (so a wrong answer
    teaches too)."""
    lines = []
    for i, choice in enumerate(question.choices):
        mark = "right" if i == question.answer_index else "wrong"
        lines.append(f"  {labelled(question, i, choice)}  ({mark})")
        note = question.explanation(i)
        if note is None:
            lines.append("       —" if question.items else "       the notes don't state it")
        else:
            lines.append(f"       {note.heading} — {note.citation}")
            lines.extend(f"       {line}" for line in note.snippet.splitlines())
    return "\n".join(lines)


def format_review(question: QuizQuestion) -> str:
    lines = [f"[{question.id}] ({question.kind})", *(f"  | {line}" for line in question.shown_lines())]
    for i, choice in enumerate(question.choices):
        mark = "*" if i == question.answer_index else " "
        lines.append(f"  {mark} {labelled(question, i, choice)}")
    lines.append(f"    {question.topic} — {question.citation}")
    return "\n".join(lines)


# -- commands -----------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    if args.count is not None and args.count < 1:
        print("awssec quiz list: --count must be at least 1", file=sys.stderr)
        return 2
    loaded = load_bank(args, settings, QuestionBanks())
    if loaded is None:
        return 1
    _, bank = loaded
    questions = [q for q in bank.questions if not args.kind or q.kind == args.kind]
    if args.count is not None and args.count < len(questions):
        questions = random.Random(args.seed).sample(questions, args.count)
    for q in questions:
        if args.json:
            print(json.dumps(q.to_dict(with_shown=True), ensure_ascii=False), flush=True)
        else:
            print(format_review(q) + "\n", flush=True)
    return 0


def _read_choice(question: QuizQuestion, stdin: TextIO, prompt: bool) -> int | None:
    last = len(question.choices)
    names = f"1-{last}" if question.items else f"A-{choice_label(question, last - 1)} or 1-{last}"
    while True:
        if prompt:
            print(f"Your answer ({names}): ", end="", flush=True)
        line = stdin.readline()
        if not line:
            return None
        choice = parse_answer(question, line)
        if choice is not None:
            return choice
        if line.strip().lower() in ("q", "quit", "exit"):
            return None
        print(f"Please answer with {names}.", file=sys.stderr)


def cmd_next(args: argparse.Namespace, settings: Settings, stdin: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    loaded = load_bank(args, settings, QuestionBanks())
    if loaded is None:
        return 1
    _, bank = loaded
    user = f"{TERMINAL_USER_PREFIX}{args.user or settings.login_name}"
    store = None if args.no_save else _open_store(settings)
    try:
        return _practise(args, bank, user, store, stdin)
    finally:
        if store is not None:
            store.engine.dispose()


def _open_store(settings: Settings) -> Store | None:
    """The store to record answers in; None (practice goes on, unrecorded) when it cannot be opened or
    AWSSEC_DATABASE_URL is malformed (never the default store in its place)."""
    malformed = [p.message for p in settings.problems if p.variable == "AWSSEC_DATABASE_URL"]
    try:
        if malformed:
            raise SettingsError(malformed[0])
        return Store.connect(settings.database_url)
    except Exception as err:  # practice still works, unrecorded
        print(
            f"awssec quiz: cannot open the store ({err}); this answer will not be recorded", file=sys.stderr
        )
        return None


def _practise(args: argparse.Namespace, bank: QuizBank, user: str, store: Store | None, stdin: TextIO) -> int:
    practice = PracticeService(store, lambda: bank)
    asked = practice.next_question(user, "cli").practice
    assert asked is not None  # the bank is not empty
    question = asked.question
    if args.json:
        shown = {k: v for k, v in question.to_dict(with_shown=True).items() if k != "answer_index"}
        print(json.dumps(shown, ensure_ascii=False), flush=True)
    else:
        print(format_question(question), flush=True)
    choice = _read_choice(question, stdin, prompt=not args.json)
    if choice is None:
        print("awssec quiz: no answer given", file=sys.stderr)
        return 1
    result = practice.answer(asked, user, choice).result
    assert result is not None  # a choice it has, and its first answer
    if args.json:
        result_json = {"id": question.id, "choice": choice, "correct": result.correct}
        result_json |= {
            k: v
            for k, v in question.to_dict(with_snippet=True).items()
            if k not in ("id", "kind", "prompt", "choices")
        }
        result_json["answer"] = question.answer
        print(json.dumps(result_json, ensure_ascii=False))
        return 0
    answer = labelled(question, question.answer_index, question.answer)
    if result.correct:
        print(f"\nRight! {answer}")
    else:
        print(f"\nNot quite — the answer is {answer}")
    print("\n" + format_explanations(question))
    return 0


def cmd_post(args: argparse.Namespace, settings: Settings) -> int:
    from ..runtime import StoreUnavailable, build

    channel = args.channel.strip()
    if not CHANNEL_ID.fullmatch(channel):
        print(
            f"awssec quiz post: --channel must be a channel id like C0123456789, got {args.channel!r}",
            file=sys.stderr,
        )
        return 2
    try:
        settings.require_bot_token()
        settings.check()
    except SettingsError as err:
        print(f"awssec quiz post: {err}", file=sys.stderr)
        return 2
    banks = QuestionBanks()
    loaded = load_bank(args, settings, banks)
    if loaded is None:
        return 1
    try:
        runtime = build(settings, index=loaded[0], banks=banks)
    except StoreUnavailable as err:
        print(f"awssec quiz post: {err}", file=sys.stderr)
        return 1
    try:
        now = datetime.now(UTC)
        day = now.astimezone(settings.quiz.timezone).date()
        result = runtime.services.daily.post(channel, day, now)
    finally:
        runtime.close()
    messages = {
        "posted": f"Posted the quiz of {day} to {channel}.",
        "recovered": f"The quiz of {day} was already in {channel}; recorded it.",
        "exists": f"The quiz of {day} for {channel} is already posted (or being posted); nothing to do.",
        "retry": f"Slack refused the post ({result.detail}); run again to retry.",
        "failed": f"Slack refused the post ({result.detail}); gave up for today after several attempts.",
        "unknown": f"No reply from Slack ({result.detail}); run again in a few minutes to check and retry.",
        "no-questions": "The notes give no quiz questions; nothing posted.",
    }
    print(
        messages.get(result.status, result.status),
        file=sys.stdout if result.status in ("posted", "recovered", "exists") else sys.stderr,
    )
    return 0 if result.status in ("posted", "recovered", "exists") else 1
