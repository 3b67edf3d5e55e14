"""The `awssec` command, called the way a user runs it: main(argv) with real files."""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from bot.cli.common import choose_index
from bot.cli.main import build_parser, main
from bot.config.limits import MAX_QUESTION_CHARS
from bot.config.settings import Settings
from indexer.build import build_index, load_index, save_index
from indexer.search.indexfile import INDEX_VERSION, IndexFileError, index_to_dict
from indexer.search.query import search


@pytest.fixture(autouse=True)
def data_dir(monkeypatch, tmp_path: Path) -> Path:
    """A data directory of the test's own, and none of the settings a user might have exported."""
    for name in ("AWSSEC_INDEX", "AWSSEC_CORPUS", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path / "awssec-data"))
    return tmp_path / "awssec-data"


@pytest.fixture
def index_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "index.json.gz"


def run(argv: list[str], capsys, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_builds_the_index_on_first_use_and_cites_the_answer(index_file, capsys) -> None:
    code, out, err = run(["ask", "--index", str(index_file), "How does SSE-C work?"], capsys)
    assert code == 0
    assert index_file.exists()
    assert "indexed the notes" in err
    assert "security-by-service.md:17-22" in out
    assert "Security › S3 Encryption for Objects › SSE - C" in out
    assert out.startswith("Q: How does SSE-C work?\nSearched: the bundled notes\n")


def test_ask_json_shape(index_file, capsys) -> None:
    argv = ["ask", "--index", str(index_file), "--json", "-k", "2", "Is ACM public certificate free?"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    answer = json.loads(out)
    assert answer["query"] == "Is ACM public certificate free?"
    assert 1 <= len(answer["hits"]) <= 2
    assert set(answer["hits"][0]) == {"source", "line_start", "line_end", "heading", "text", "score"}
    assert answer["notes"] == [str(CORPUS)]


def test_ask_reads_questions_from_stdin_one_json_line_each(index_file, capsys, monkeypatch) -> None:
    questions = "What is the weather in Paris tomorrow?\nWho manages the keys with SSE-S3?\n"
    code, out, _ = run(["ask", "--index", str(index_file), "--json"], capsys, questions, monkeypatch)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [a["query"] for a in lines] == questions.splitlines()
    assert lines[0]["hits"] == []
    assert lines[1]["hits"][0]["line_start"] == 7


def test_no_answer_is_said_plainly(index_file, capsys) -> None:
    code, out, _ = run(["ask", "--index", str(index_file), "What is the capital of France?"], capsys)
    assert code == 0
    assert "Not in the notes" in out
    assert ".)." not in out and ".." not in out
    argv = ["ask", "--index", str(index_file), "--json", "What is the capital of France?"]
    code, out, _ = run(argv, capsys)
    answer = json.loads(out)
    assert answer["hits"] == [] and answer["note"]  # the reason, in JSON too


def test_a_named_topic_the_notes_never_mention_is_said_so_with_related_notes(index_file, capsys) -> None:
    question = "can a Nitro Enclave decrypt data with my KMS key?"
    code, out, _ = run(["ask", "--index", str(index_file), question], capsys)
    assert code == 0
    assert "Your notes don't cover AWS Nitro Enclaves." in out
    assert "Related in your notes (not an answer to your question):" in out
    assert "encryption-and-threat-protection.md:" in out
    code, out, _ = run(["ask", "--index", str(index_file), "--json", question], capsys)
    data = json.loads(out)
    assert data["hits"] == [] and data["missing_topics"] == ["AWS Nitro Enclaves"]
    assert data["related"] and all("line_start" in hit for hit in data["related"])


def test_a_corpus_flag_lasts_for_its_command(make_corpus, data_dir, capsys) -> None:
    other = make_corpus({"shield.md": "### Shield\n- protects from DDoS attacks\n"})
    code, out, _ = run(["ask", "--corpus", str(other), "ddos"], capsys)
    assert code == 0 and "shield.md:2" in out
    assert f"Searched: {other}" in out
    # Later commands without the flag (a fresh install sharing the data directory too) search the
    # default notes, and say so.
    code, out, _ = run(["ask", "--json", "How does SSE-C work?"], capsys)
    answer = json.loads(out)
    assert answer["notes"] == [str(CORPUS)]
    assert answer["hits"][0]["source"] == "security-by-service.md"
    code, out, _ = run(["ask", "ddos"], capsys)
    assert "Searched: the bundled notes" in out and "shield.md" not in out
    # Each set of notes has its own index in the data directory.
    assert len(list(data_dir.glob("indexes/*/index.json.gz"))) == 2


def test_awssec_corpus_is_the_default_and_the_bot_uses_the_same_index(make_corpus, monkeypatch, capsys):
    notes = make_corpus({"macie.md": "### Macie\n- finds personal data in buckets\n"})
    monkeypatch.setenv("AWSSEC_CORPUS", str(notes))
    code, out, _ = run(["ask", "personal data"], capsys)
    assert code == 0 and "macie.md:2" in out and f"Searched: {notes}" in out
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "AWSSEC_DATA_DIR": str(notes.parent / "d")}
    bundled, mine = Settings.from_env(env), Settings.from_env({**env, "AWSSEC_CORPUS": str(notes)})
    assert bundled.index_path != mine.index_path
    for settings in (bundled, mine):
        cli_env = {k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"}
        if settings is mine:
            cli_env["AWSSEC_CORPUS"] = str(notes)
        assert choose_index(Settings.from_env(cli_env), None, None).path == settings.index_path
    assert choose_index(Settings.from_env(env), None, [str(notes)]).path == mine.index_path


def test_commands_without_slack_need_no_token_and_ignore_the_bots_settings(index_file, capsys, monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("AWSSEC_QUIZ_TIME", "9am")  # malformed, but `ask` has no use for it
    code, out, _ = run(["ask", "--index", str(index_file), "How does SSE-C work?"], capsys)
    assert code == 0 and "security-by-service.md:17-22" in out


def test_a_too_long_question_is_refused_without_echoing_it(index_file, capsys) -> None:
    question = "kms " * (MAX_QUESTION_CHARS // 4) + "x"
    code, out, err = run(["ask", "--index", str(index_file), question], capsys)
    assert code == 2 and out == ""
    assert f"{len(question):,} characters" in err and f"{MAX_QUESTION_CHARS:,}" in err
    assert len(err) < 300
    code, out, _ = run(["ask", "--index", str(index_file), question[:MAX_QUESTION_CHARS]], capsys)
    assert code == 0 and "Q: kms kms" in out


def test_a_too_long_line_on_stdin_is_refused_and_the_others_answered(index_file, capsys, monkeypatch):
    lines = ["What is SSE-S3?", "kms " * MAX_QUESTION_CHARS, "Who manages CloudHSM keys?"]
    argv = ["ask", "--index", str(index_file), "--json"]
    code, out, err = run(argv, capsys, "\n".join(lines) + "\n", monkeypatch)
    assert code == 1
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == 3 and answers[0]["hits"] and answers[2]["hits"]
    assert answers[1]["hits"] == [] and "characters" in answers[1]["error"]
    assert len(out) < 20_000 and "line 2" in err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"awssec {metadata.version('awssec')}"


def test_a_closed_pipe_ends_the_command_quietly(tmp_path, corpus_index) -> None:
    """`awssec ask ... | head -1`: the reader goes away while answers are still coming."""
    save_index(corpus_index, tmp_path / "i.json.gz")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--index", str(tmp_path / "i.json.gz")],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdin.write("what is kms\n")
    process.stdin.flush()
    assert process.stdout.readline() == "Q: what is kms\n"
    process.stdout.close()  # like head: enough read
    process.stdin.write("what is sse-c\n")
    process.stdin.close()
    assert process.wait(timeout=60) == 141
    assert process.stderr.read() == ""


def test_an_unusable_data_directory_is_named(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path / "a-file" / "awssec"))
    code, out, err = run(["ask", "kms"], capsys)
    assert code == 1 and out == ""
    assert "AWSSEC_DATA_DIR" in err and str(tmp_path / "a-file") in err and "Not a directory" in err


def test_ask_rebuilds_when_the_notes_change(make_corpus, index_file, capsys) -> None:
    root = make_corpus({"a.md": "### Shield\n- protects from DDoS attacks\n"})
    run(["ask", "--index", str(index_file), "--corpus", str(root), "ddos"], capsys)
    (root / "sub").mkdir()
    (root / "sub" / "b.md").write_text("### Macie\n- finds personal data in buckets\n", encoding="utf-8")
    code, out, err = run(["ask", "--index", str(index_file), "macie personal data"], capsys)
    assert code == 0
    assert "indexed the notes" in err  # the index remembered its corpus and saw the new file
    assert "sub/b.md:2" in out


def test_index_command_prints_a_summary(make_corpus, index_file, capsys) -> None:
    root = make_corpus({"a.md": "# A\n- kms keys\n", "b.txt": "plain notes about iam roles\n", "c.png": "x"})
    code, out, _ = run(["index", "--corpus", str(root), "--index", str(index_file)], capsys)
    assert code == 0
    assert re.search(r"Indexed 2 files into 2 chunks, vocabulary \d+ terms, \d+ words fixed", out)
    assert f"Notes: {root}" in out
    assert load_index(index_file).sources() == [("a.md", 1), ("b.txt", 1)]


def test_index_summary_counts_one_in_the_singular(make_corpus, index_file, capsys) -> None:
    root = make_corpus({"a.md": "kms\n"})
    code, out, _ = run(["index", "--corpus", str(root), "--index", str(index_file)], capsys)
    assert code == 0
    one_or_many_terms = r"(1 term|(?!1 )[\d,]+ terms)"
    assert re.match(rf"Indexed 1 file into 1 chunk, vocabulary {one_or_many_terms}, 0 words fixed", out)


def test_index_of_a_missing_folder_says_so(tmp_path, index_file, capsys) -> None:
    code, _, err = run(["index", "--corpus", str(tmp_path / "nope"), "--index", str(index_file)], capsys)
    assert code == 1
    assert "does not exist" in err


def test_asking_an_index_about_a_missing_folder_says_so_instead_of_answering_from_other_notes(
    tmp_path, index_file, capsys
) -> None:
    assert run(["index", "--index", str(index_file)], capsys)[0] == 0
    argv = ["ask", "--index", str(index_file), "--corpus", str(tmp_path / "nope"), "what is sse-c"]
    code, out, err = run(argv, capsys)
    assert code == 1
    assert "does not exist" in err
    assert "SSE" not in out


def _index_with(**fields) -> bytes:
    """A real index file's bytes with some fields replaced."""
    data = index_to_dict(build_index([CORPUS], fix_typos=False))
    return gzip.compress(json.dumps({**data, **fields}).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (gzip.compress(b'{"format": "awssec-index", "version": 999}'), "version 999"),
        (gzip.compress(b'{"format":"awssec-index","version":%d,"chunks":[{}]}' % INDEX_VERSION), "corrupt"),
        (gzip.compress(b"[1, 2"), "corrupt"),
        (gzip.compress(b'{"format": "awssec-index"')[:-8], "corrupt"),  # cut short
        (_index_with(tokenizer=None), "corrupt"),  # a field of the wrong type
        (_index_with(tuning=[1]), "corrupt"),
    ],
)
def test_a_corrupt_index_gets_a_clear_message_and_offers_a_rebuild(index_file, capsys, content, message):
    index_file.parent.mkdir(parents=True)
    index_file.write_bytes(content)
    with pytest.raises(IndexFileError, match=message):
        load_index(index_file)
    code, out, err = run(["ask", "--index", str(index_file), "kms"], capsys)
    assert code == 1 and out == ""
    assert message in err and "awssec index" in err
    code, _, _ = run(["index", "--index", str(index_file)], capsys)
    assert code == 0
    assert search(load_index(index_file), "kms").hits


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"my precious notes", "not gzip data"), (gzip.compress(b'{"hello": 1}'), "not an awssec index")],
)
def test_a_file_that_is_no_index_is_named_and_never_overwritten(index_file, capsys, content, message):
    index_file.parent.mkdir(parents=True)
    index_file.write_bytes(content)
    code, out, err = run(["ask", "--index", str(index_file), "kms"], capsys)
    assert code == 1 and out == "" and message in err
    code, out, err = run(["index", "--index", str(index_file)], capsys)
    assert code == 1 and "not overwriting it" in err
    assert index_file.read_bytes() == content


def test_an_index_path_naming_a_note_keeps_the_note(make_corpus, capsys) -> None:
    # "--index" given a note's path by mistake: the note stays as it was, nothing is written
    notes = make_corpus({"kms.md": "# KMS\n- rotate the kms keys yearly\n"})
    before = (notes / "kms.md").read_bytes()
    code, out, err = run(["index", "--corpus", str(notes), "--index", str(notes / "kms.md")], capsys)
    assert code == 1 and "named like a note" in err
    assert (notes / "kms.md").read_bytes() == before
    code, out, err = run(["index", "--corpus", str(notes), "--index", str(notes / "new.txt")], capsys)
    assert code == 1 and not (notes / "new.txt").exists()


def test_an_index_written_by_an_older_awssec_is_rebuilt_from_its_notes(make_corpus, index_file, capsys):
    notes = make_corpus({"keys.md": "# KMS\n- rotate the kms keys yearly\n"})
    old = {"format": "awssec-index", "version": INDEX_VERSION - 1, "corpus_dirs": [str(notes)], "chunks": []}
    index_file.parent.mkdir(parents=True)
    index_file.write_bytes(gzip.compress(json.dumps(old).encode()))
    code, out, err = run(["ask", "--index", str(index_file), "kms rotation"], capsys)
    assert code == 0, err
    assert "keys.md:2" in out
    assert load_index(index_file).corpus_dirs == (str(notes.resolve()),)


def test_index_round_trip_answers_the_same(tmp_path) -> None:
    index = build_index([CORPUS])
    save_index(index, tmp_path / "i.json.gz")
    loaded = load_index(tmp_path / "i.json.gz")
    for question in ["SSE-C", "kms key policy", "kenisis encrption", "paris weather"]:
        assert search(loaded, question) == search(index, question)
    assert loaded.sources() == index.sources()


def test_the_index_file_is_versioned_json_not_pickle(tmp_path) -> None:
    save_index(build_index([CORPUS]), tmp_path / "i.json.gz")
    data = json.loads(gzip.decompress((tmp_path / "i.json.gz").read_bytes()))
    assert data["format"] == "awssec-index" and data["version"] == INDEX_VERSION
    assert "stopwords" in data["tokenizer"] and "acronyms" in data["tokenizer"]


def test_bad_k_is_refused(index_file, capsys) -> None:
    code, _, err = run(["ask", "--index", str(index_file), "-k", "0", "kms"], capsys)
    assert code == 2 and "-k" in err


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_is_in_the_readme(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: awssec " + command in capsys.readouterr().out
    assert f"awssec {command}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "usage: awssec" in capsys.readouterr().out
