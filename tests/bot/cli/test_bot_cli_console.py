"""`awssec console` driven through main(argv) with piped input: the real bot, the package's local Slack."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli import main
from indexer.build import save_index


@pytest.fixture
def index_file(tmp_path, corpus_index) -> Path:
    path = tmp_path / "index.json.gz"
    save_index(corpus_index, path)
    return path


def run_console(monkeypatch, capsys, index_file: Path, lines: list[str]) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["console", "--index", str(index_file)]) == 0
    return capsys.readouterr().out


def test_console_answers_commands_mentions_dms_and_clicks(monkeypatch, capsys, tmp_path, index_file) -> None:
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path))
    out = run_console(
        monkeypatch,
        capsys,
        index_file,
        [
            "/awssec what is sse-c",
            "2",
            "1",
            "@awssec how do I rotate kms keys",
            "what is guardduty",
            "/awssec sources",
            "99",
        ],
    )
    first = out.split("> 2")[0]
    assert "── awssec (#general, only visible to you) ──" in first and "Q: what is sse-c" in first
    assert "security-by-service.md:" in first and "[1] Share in channel" in first and "[2] 👍" in first
    assert "Thanks — your 👍 on this answer is recorded." in out
    assert "── awssec (#general) ──" in out and "@UCONSOLE asked:" in out
    assert "── awssec (#general, in the thread) ──\nQ: how do I rotate kms keys" in out
    assert "── awssec (direct message) ──\nQ: what is guardduty" in out
    assert "notes indexed" in out
    assert "There is no button [99] in the last message." in out


def test_console_shows_markup_as_the_text_that_was_typed(monkeypatch, capsys, tmp_path, index_file) -> None:
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path))
    out = run_console(monkeypatch, capsys, index_file, ["/awssec <!channel> kms & <b>", "/awsec typo"])
    assert "Q: <!channel> kms & <b>" in out
    assert "Unknown command '/awsec'" in out


def test_console_names_a_malformed_setting_and_stops(monkeypatch, capsys, tmp_path, index_file) -> None:
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AWSSEC_QUIZ_TIME", "9am")
    monkeypatch.setattr(sys, "stdin", io.StringIO("/awssec what is kms\n"))
    assert main(["console", "--index", str(index_file)]) == 2
    assert "AWSSEC_QUIZ_TIME must be a 24-hour time" in capsys.readouterr().out


def test_a_quiz_is_answered_by_its_letter_and_numbers_start_again_with_each_message(
    monkeypatch, capsys, tmp_path, index_file
) -> None:
    monkeypatch.setenv("AWSSEC_DATA_DIR", str(tmp_path))
    out = run_console(monkeypatch, capsys, index_file, ["/awssec quiz", "b", "1", "C"])
    question, first_click, next_question, second_click = out.split("\n> ")[1:5]
    assert "[1] A. " in question and "[2] B. " in question
    assert "you picked B." in first_click or "Right! B." in first_click  # "b" clicked choice B
    assert "[1] Next question" in first_click  # the result's own button, numbered from 1 again
    assert "[1] A. " in next_question  # "1" clicked Next question; the new one is numbered from 1 again
    assert "you picked C." in second_click or "Right! C." in second_click
