"""What each chunk is for, and which headings say nothing of their topic, read off structure alone.

Notes mix facts with other things: lists of links, the options of practice questions and the question
before them, code and policy examples, text repeated in every file. None of it is recognised by its
words (every group writes its own), only by its shape: how much of it is link text, lettered options
after a question, fenced code, the same text in several notes. Likewise a heading is generic when the
notes use it under many different parents ("Exam Tips", "Overview", "Pricing").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from indexer.model import Chunk, ChunkRole
from indexer.reading.parse import SUB_STEP_MARK, Block

LINK_SHARE = 0.5
"""A line at least this much link text or URL is a link."""
MOSTLY = 0.6
"""A chunk is links (or code) when at least this share of its lines are."""
MIN_OPTIONS = 3
"""Lettered lines A, B, C... in a row that make a practice question's options."""
GENERIC_PARENTS = 3
"""A heading used under at least this many different parents is generic."""
BOILERPLATE_NOTES = 3
"""Text found word for word in at least this many notes is boilerplate."""
BOILERPLATE_MIN_CHARS = 40

_OPTION = re.compile(r"^\(?([A-Ha-h])[.):]\s+\S")
_KEY = re.compile(r"[a-z0-9]+")
_SUB_STEP = re.compile(rf"^\(?{SUB_STEP_MARK}\s")
"""A nested item lettered in lower case: a sub-step of a procedure (options are lettered at the top)."""


def _lines(block: Block) -> int:
    return block.text.count("\n") + 1


def chunk_role(blocks: Sequence[Block]) -> ChunkRole:
    """The role of a chunk made of ``blocks``: code, links, options, or text."""
    total = sum(_lines(b) for b in blocks) or 1
    if sum(_lines(b) for b in blocks if b.kind == "code") >= MOSTLY * total:
        return ChunkRole.CODE
    linked = sum(_lines(b) for b in blocks if b.kind in ("item", "para") and b.link_share >= LINK_SHARE)
    if linked >= 2 and linked >= MOSTLY * total:
        return ChunkRole.LINKS
    if _has_options(blocks):
        return ChunkRole.OPTIONS
    return ChunkRole.TEXT


def _has_options(blocks: Sequence[Block]) -> bool:
    """Lines lettered A, B, C (at least three, in order): the options of a multiple-choice question."""
    expected, run = "a", 0
    for block in blocks:
        if block.kind not in ("item", "para"):
            continue
        if block.kind == "item" and block.depth > 0 and _SUB_STEP.match(block.text):
            continue  # "a. schedule-key-deletion …" nested under step 2: a sub-step, not an option
        for line in block.text.split("\n"):
            found = _OPTION.match(line.strip())
            letter = found.group(1).lower() if found else ""
            if letter == expected:
                run += 1
                expected = chr(ord(expected) + 1)
                if run >= MIN_OPTIONS:
                    return True
            elif letter == "a":
                run, expected = 1, "b"
            elif found:
                run, expected = 0, "a"
    return False


def mark_questions(chunks: list[Chunk]) -> list[Chunk]:
    """A text chunk just before options under the same heading is the question they answer."""
    out = list(chunks)
    for i in range(1, len(out)):
        before, current = out[i - 1], out[i]
        if (
            current.role is ChunkRole.OPTIONS
            and before.role is ChunkRole.TEXT
            and before.source == current.source
            and before.headings == current.headings
        ):
            out[i - 1] = replace(before, role=ChunkRole.QUESTION)
    return out


def mark_boilerplate(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Chunks whose text stands word for word in several notes become boilerplate."""
    notes: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        key = " ".join(_KEY.findall(chunk.text.lower()))
        if len(key) >= BOILERPLATE_MIN_CHARS:
            notes[key].add(chunk.source)
    repeated = {key for key, sources in notes.items() if len(sources) >= BOILERPLATE_NOTES}
    if not repeated:
        return list(chunks)
    return [
        replace(c, role=ChunkRole.BOILERPLATE)
        if c.role is ChunkRole.TEXT and " ".join(_KEY.findall(c.text.lower())) in repeated
        else c
        for c in chunks
    ]


def heading_key(text: str) -> str:
    """A heading as compared with others: its words, lower-cased (emoji and punctuation dropped)."""
    return " ".join(_KEY.findall(text.lower()))


def generic_headings(chunks: Sequence[Chunk]) -> frozenset[str]:
    """Keys (:func:`heading_key`) of headings the notes use under several different parents."""
    parents: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for chunk in chunks:
        for depth, heading in enumerate(chunk.headings):
            parents[heading_key(heading)].add((chunk.source, *chunk.headings[:depth]))
    return frozenset(key for key, seen in parents.items() if len(seen) >= GENERIC_PARENTS or not key)
