"""Parsing and chunking: fixture cases for each markdown oddity, and citations true to the raw files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from indexer.files import find_notes, read_note
from indexer.reading.chunk import chunk_blocks
from indexer.reading.parse import _SLACK_MENTION, normalize_markdown, parse_blocks

FIXTURES = REPO / "tests" / "fixtures" / "chunks.txt"


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it-py style fixtures: title, `.`, input, `.`, expected, `.`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1] == "." and lines[i].strip():
            title = lines[i]
            j = i + 2
            k = lines.index(".", j)
            m = lines.index(".", k + 1)
            cases.append((title, "\n".join(lines[j:k]) + "\n", "\n".join(lines[k + 1 : m])))
            i = m + 1
        else:
            i += 1
    return cases


def render(text: str, source: str = "note.md") -> str:
    out = []
    for c in chunk_blocks(parse_blocks(text), source):
        lines = str(c.line_start) if c.line_start == c.line_end else f"{c.line_start}-{c.line_end}"
        out.append(f"=== {lines} | {c.heading}\n{c.text}")
    return "\n".join(out)


CASES = read_cases(FIXTURES)


def test_fixture_file_has_cases() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize(("title", "source", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_chunk_fixture(title: str, source: str, expected: str) -> None:
    assert render(source) == expected


_STYLES = sorted(p for p in (REPO / "tests" / "fixtures" / "notes").iterdir() if p.is_dir())
STYLE_NOTES = find_notes([CORPUS, *_STYLES])
"""The bundled notes and every style of note the tests hold (outliner, wiki export, minutes, …)."""


@pytest.mark.parametrize("note", STYLE_NOTES, ids=lambda n: n.source)
def test_normalising_keeps_every_line_in_place(note) -> None:
    raw = read_note(note.path)
    normalised = normalize_markdown(raw)
    assert normalised.count("\n") == raw.count("\n")
    for before, after in zip(raw.split("\n"), normalised.split("\n"), strict=True):
        # words kept as written; an escape ("1\\." keeps CommonMark from opening a list) and an admonition's
        # kind ("!!! warning" is "Warning") aside, only indentation and bullets change
        kept = " ".join(after.replace("\\", "").split()).lstrip("*-+ ").lower()
        before = _SLACK_MENTION.sub("", before)  # a pasted thread's "<@U04TOMK2Q>": dropped
        assert kept in " ".join(before.replace("\\", "").split()).lower()


def _words(text: str) -> list[str]:
    text = re.sub(r"<[^<>|]*\|([^<>]*)>", r" \1 ", text)  # a Slack link: its text
    # an HTML tag starts with a letter, "/" or "!": "(<- perms checked …" is an arrow, not a tag
    return re.findall(r"[a-z0-9]+", re.sub(r"<[A-Za-z/!][^>]*>", " ", text).lower())


def _in_order(words: list[str], cited: list[str]) -> bool:
    """Whether ``words`` occur in ``cited`` in that order (a link's address or an alias's page name, dropped
    from the snippet, may sit between them)."""
    rest = iter(cited)
    return all(word in rest for word in words)


@pytest.mark.parametrize("note", STYLE_NOTES, ids=lambda n: n.source)
def test_every_snippet_line_stands_in_its_cited_raw_lines(note) -> None:
    raw_lines = read_note(note.path).split("\n")
    chunks = chunk_blocks(parse_blocks(read_note(note.path)), note.source)
    assert chunks
    for chunk in chunks:
        assert 1 <= chunk.line_start <= chunk.line_end <= len(raw_lines)
        cited = _words(" ".join(raw_lines[chunk.line_start - 1 : chunk.line_end]))
        for line in chunk.text.splitlines():
            assert _in_order(_words(line), cited), (chunk.citation, line)
        # the first and last cited lines are real content, not blank padding
        assert raw_lines[chunk.line_start - 1].strip() and raw_lines[chunk.line_end - 1].strip()


def test_chunks_of_the_notes_are_focused_and_cover_the_content() -> None:
    for note in find_notes([CORPUS]):
        raw = read_note(note.path)
        chunks = chunk_blocks(parse_blocks(raw), note.source)
        assert max(c.line_end - c.line_start + 1 for c in chunks) <= 15
        covered = {n for c in chunks for n in range(c.line_start, c.line_end + 1)}
        for number, line in enumerate(raw.split("\n"), start=1):
            content = line.strip()
            if content and not content.startswith(("#", "![[", "---", "- - -", "**")) and content != "---":
                assert number in covered, (note.source, number, line)


def test_sse_c_chunk_is_titled_by_its_bullet() -> None:
    raw = read_note(CORPUS / "security-by-service.md")
    chunks = chunk_blocks(parse_blocks(raw), "security-by-service.md")
    sse_c = [c for c in chunks if c.headings[-1] == "SSE - C"]
    assert len(sse_c) == 1
    assert sse_c[0].heading == "Security › S3 Encryption for Objects › SSE - C"
    assert (sse_c[0].line_start, sse_c[0].line_end) == (17, 22)


@pytest.mark.parametrize(
    "body",
    [
        "```\n" + "\n".join(f"aws kms encrypt --key-id k{i}" for i in range(20)) + "\n```\n",
        "| key | use |\n|---|---|\n" + "\n".join(f"| k{i} | data {i} |" for i in range(20)) + "\n",
    ],
    ids=["code", "table"],
)
def test_long_code_and_tables_are_cut_with_true_citations(body: str) -> None:
    raw = "### Commands\n" + body
    raw_lines = raw.split("\n")
    chunks = chunk_blocks(parse_blocks(raw), "n.md")
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.line_end - chunk.line_start + 1 <= 12
        cited = " ".join(_words(" ".join(raw_lines[chunk.line_start - 1 : chunk.line_end])))
        for line in chunk.text.splitlines():
            assert " ".join(_words(line)) in cited
