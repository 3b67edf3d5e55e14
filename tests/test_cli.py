"""The `awssec` command, called the way a user runs it: main(argv) with real files."""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from bot.cli import build_parser, main
from indexer.build import build_index
from indexer.search import IndexFileError, load_index, save_index, search


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


def test_ask_json_shape(index_file, capsys) -> None:
    argv = ["ask", "--index", str(index_file), "--json", "-k", "2", "Is ACM public certificate free?"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    answer = json.loads(out)
    assert answer["query"] == "Is ACM public certificate free?"
    assert 1 <= len(answer["hits"]) <= 2
    assert set(answer["hits"][0]) == {"source", "line_start", "line_end", "heading", "text", "score"}


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
    assert load_index(index_file).sources() == [("a.md", 1), ("b.txt", 1)]


def test_index_of_a_missing_folder_says_so(tmp_path, index_file, capsys) -> None:
    code, _, err = run(["index", "--corpus", str(tmp_path / "nope"), "--index", str(index_file)], capsys)
    assert code == 1
    assert "does not exist" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip at all", "corrupt"),
        (gzip.compress(b'{"format": "awssec-index", "version": 999}'), "version 999"),
        (gzip.compress(b'{"format": "awssec-index", "version": 1, "chunks": [{}]}'), "corrupt"),
        (gzip.compress(b"[1, 2"), "corrupt"),
        (gzip.compress(b'{"hello": 1}'), "not an awssec index"),
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
    assert data["format"] == "awssec-index" and data["version"] == 1
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
