"""`awssec quiz list|next|post` as a person (or cron) runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import REPO
from fakeslack import FakeSlack

from bot.cli import main
from indexer.build import build_index, quiz_bank_for, save_index
from indexer.quiz.bank import QuizBank

FIXTURES = REPO / "tests" / "fixtures" / "quiz"
REVIEW_KEYS = {
    "id",
    "kind",
    "prompt",
    "choices",
    "answer_index",
    "source",
    "line_start",
    "line_end",
    "heading",
    "shown",
}


@pytest.fixture(scope="module")
def index_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("quizindex") / "index.json.gz"
    save_index(build_index([FIXTURES], fix_typos=False), path)
    return path


@pytest.fixture(scope="module")
def bank(index_file) -> QuizBank:
    from indexer.build import load_index

    return quiz_bank_for(load_index(index_file))


@pytest.fixture(autouse=True)
def quiet_env(monkeypatch, tmp_path):
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path / "data"))
    for name in ("AWSSEC_DATABASE_URL", "AWSSEC_CORPUS", "AWSSEC_INDEX", "SLACK_BOT_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)


def run(argv: list[str], monkeypatch, capsys, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_prints_the_bank_for_review(index_file, bank, monkeypatch, capsys):
    code, out, _ = run(["quiz", "list", "--json", "--index", str(index_file)], monkeypatch, capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(bank) and all(set(r) == REVIEW_KEYS for r in rows)
    assert {r["id"] for r in rows} == set(bank.ids)
    for row in rows:
        q = bank.get(row["id"])
        assert row["choices"][row["answer_index"]] == q.answer and row["prompt"] == q.prompt
        assert row["shown"] == "\n".join(q.shown_lines())  # what a learner sees before answering


def test_list_count_and_kind(index_file, monkeypatch, capsys):
    code, out, _ = run(
        ["quiz", "list", "--json", "--count", "5", "--index", str(index_file)], monkeypatch, capsys
    )
    assert code == 0 and len(out.splitlines()) == 5
    code, out, _ = run(
        ["quiz", "list", "--json", "--kind", "cloze", "--index", str(index_file)], monkeypatch, capsys
    )
    assert code == 0 and {json.loads(line)["kind"] for line in out.splitlines()} == {"cloze"}
    with pytest.raises(SystemExit) as refused:
        run(["quiz", "list", "--kind", "bogus", "--index", str(index_file)], monkeypatch, capsys)
    err = capsys.readouterr().err
    assert refused.value.code == 2 and "'cloze'" in err and "QuestionKind" not in err  # kinds as typed
    code, _, err = run(["quiz", "list", "--count", "0", "--index", str(index_file)], monkeypatch, capsys)
    assert code == 2 and "--count" in err


def test_list_text_marks_the_answer_and_cites(index_file, monkeypatch, capsys):
    code, out, _ = run(["quiz", "list", "--index", str(index_file)], monkeypatch, capsys)
    assert code == 0
    assert "  * " in out and "network-security.md:" in out and "identity.md:" in out


def test_next_reads_the_answer_and_shows_result_and_source(index_file, bank, monkeypatch, capsys):
    code, out, _ = run(
        ["quiz", "next", "--index", str(index_file), "--user", "ada"], monkeypatch, capsys, "A\n"
    )
    assert code == 0
    prompt = out.splitlines()[0]
    [q] = [q for q in bank.questions if q.prompt == prompt]
    if q.answer_index == 0:
        assert f"Right! A. {q.answer}" in out
    else:
        assert f"Not quite — the answer is {'ABCD'[q.answer_index]}. {q.answer}" in out
    cited = q.explanation(q.answer_index)  # the lines that state the answer
    assert cited.citation in out and cited.snippet.splitlines()[0] in out


def test_next_keeps_progress_so_a_question_does_not_come_straight_back(index_file, monkeypatch, capsys):
    seen = []
    for _ in range(3):
        code, out, _ = run(
            ["quiz", "next", "--index", str(index_file), "--user", "bo"], monkeypatch, capsys, "1\n"
        )
        assert code == 0
        seen.append(out.splitlines()[0])
    assert len(set(seen)) == 3


def test_terminal_practice_is_kept_but_not_ranked(index_file, monkeypatch, capsys, tmp_path):
    from zoneinfo import ZoneInfo

    from bot.services.scores import Scores
    from bot.store import Store

    monkeypatch.setenv("AWSSEC_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.db'}")  # the bot's store
    code, _, _ = run(["quiz", "next", "--index", str(index_file), "--user", "bo"], monkeypatch, capsys, "1\n")
    assert code == 0
    store = Store.connect(f"sqlite:///{tmp_path / 'shared.db'}")
    try:
        scores = Scores(store, ZoneInfo("UTC"))
        assert scores.stats("cli:bo").answered == 1  # kept: the next `quiz next` knows what bo answered
        board = scores.leaderboard()
        assert board.month == [] and board.all_time == []  # not a Slack member on `/awssec leaderboard`
    finally:
        store.close()


def test_next_json_hides_the_answer_until_answered(index_file, bank, monkeypatch, capsys):
    code, out, _ = run(["quiz", "next", "--json", "--index", str(index_file)], monkeypatch, capsys, "x\n2\n")
    assert code == 0
    shown, result = (json.loads(line) for line in out.splitlines())
    assert "answer_index" not in shown and shown["choices"]
    q = bank.get(shown["id"])
    assert result["choice"] == 1 and result["correct"] == (q.answer_index == 1)
    assert result["answer"] == q.answer and result["snippet"] == q.snippet


def test_next_without_an_answer_says_so(index_file, monkeypatch, capsys):
    code, _, err = run(["quiz", "next", "--index", str(index_file)], monkeypatch, capsys, "")
    assert code == 1 and "no answer" in err
    code, _, err = run(["quiz", "next", "--index", str(index_file)], monkeypatch, capsys, "zz\nq\n")
    assert code == 1 and "Please answer with " in err


def test_a_corrupt_index_gives_a_clear_message(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not an index")
    code, _, err = run(["quiz", "list", "--index", str(bad)], monkeypatch, capsys)
    assert code == 1 and "awssec quiz:" in err and "index" in err


def test_notes_with_no_questions_say_so(tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "prose.md").write_text("# Diary\n\nToday I read about encryption.\n")
    path = tmp_path / "i.json.gz"
    save_index(build_index([notes], fix_typos=False), path)
    code, _, err = run(["quiz", "next", "--index", str(path)], monkeypatch, capsys, "a\n")
    assert code == 1 and "no quiz questions" in err


def test_notes_on_other_matter_than_security_say_what_the_quiz_needs(tmp_path, monkeypatch, capsys):
    # an Associate cheat sheet on databases makes good lists, but the quiz asks about AWS security
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "db.md").write_text(
        "# Databases\n\n## DynamoDB\n- tables hold items\n- maximum item size is 400 KB\n"
        "- on-demand capacity for spiky load\n\n## Aurora\n- storage grows in 10 GB steps up to 128 TB\n"
        "- up to 15 read replicas\n\n## ElastiCache\n- Redis or Memcached\n- sub-millisecond latency\n"
    )
    path = tmp_path / "i.json.gz"
    save_index(build_index([notes], fix_typos=False), path)
    code, _, err = run(["quiz", "next", "--index", str(path)], monkeypatch, capsys, "a\n")
    assert code == 1 and "no quiz questions" in err and "AWS security" in err


def test_post_posts_once_per_day_from_cron(index_file, monkeypatch, capsys, tmp_path):
    with FakeSlack() as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", fake.bot_token)
        monkeypatch.setenv("SLACK_API_URL", fake.api_url)
        monkeypatch.setenv("AWSSEC_DATABASE_URL", f"sqlite:///{tmp_path / 'cron.db'}")
        argv = ["quiz", "post", "--channel", "C0CRON", "--index", str(index_file)]
        code, out, _ = run(argv, monkeypatch, capsys)
        assert code == 0 and "Posted the quiz" in out
        code, out, _ = run(argv, monkeypatch, capsys)
        assert code == 0 and "already posted" in out
        posts = fake.api_calls("chat.postMessage")
        assert len(posts) == 1 and posts[0].body["channel"] == "C0CRON"


def test_post_reports_a_refusal_and_needs_a_token(index_file, monkeypatch, capsys, tmp_path):
    argv = ["quiz", "post", "--channel", "C0CRON", "--index", str(index_file)]
    code, _, err = run(argv, monkeypatch, capsys)
    assert code == 2 and "SLACK_BOT_TOKEN" in err
    with FakeSlack() as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", fake.bot_token)
        monkeypatch.setenv("SLACK_API_URL", fake.api_url)
        monkeypatch.setenv("AWSSEC_DATABASE_URL", f"sqlite:///{tmp_path / 'cron.db'}")
        fake.fail_next("chat.postMessage", error="not_in_channel")
        code, _, err = run(argv, monkeypatch, capsys)
        assert code == 1 and "not_in_channel" in err
        code, _, err = run(
            ["quiz", "post", "--channel", "#general", "--index", str(index_file)], monkeypatch, capsys
        )
        assert code == 2 and "channel id" in err
        code, _, err = run(
            ["quiz", "post", "--channel", "bad channel!", "--index", str(index_file)], monkeypatch, capsys
        )
        assert code == 2 and "channel id" in err
        assert len(fake.api_calls("chat.postMessage")) == 1  # the refused one only: nothing sent since
