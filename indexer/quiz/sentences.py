"""A line of notes as sentences: where a sentence ends (never at the full stop of ``e.g.`` or an
initial), and the flashcard notations that make a question and its answer one sentence."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]”\"'])[.!?]\s+(?=[A-Z“\"(])")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx)|\b[A-Z])$", re.IGNORECASE)


def abbreviation_before(text: str) -> bool:
    """Whether ``text`` ends with an abbreviation (``e.g.``, an initial): its full stop ends nothing."""
    return bool(_ABBREVIATION.search(text.rstrip(".")))


def sentences(text: str) -> list[str]:
    """A paragraph cut into its sentences (never at the full stop of ``e.g.`` or ``etc.``)."""
    ends = [m for m in _SENTENCE_END.finditer(text) if not abbreviation_before(text[: m.start()])]
    bounds = [0, *(i for m in ends for i in (m.start() + 1, m.end())), len(text)]
    return [s for a, b in zip(bounds[::2], bounds[1::2], strict=True) if (s := text[a:b].strip())]


_CARD = re.compile(r":::?")
_MULTILINE_CARD = re.compile(r"(\S)\s+\?\??\s+(?=\S)")
"""A card written over lines: the question, a line of ``?`` (``??`` both ways round), the answer (the
lines of a paragraph may come joined by spaces)."""


def flashcard(text: str) -> str:
    """A flashcard as a sentence: ``Question?::Answer`` (``:::`` both ways round; the spaced-repetition
    notation of Obsidian), or the question, a ``?`` line and the answer, reads "Question? — Answer" (one
    fact, not a question and an answer cut apart), ``Term::Definition`` "Term — Definition".
    A ``::`` inside a name (``arn:aws:iam::123456789012:root``) is not a card."""
    text = _MULTILINE_CARD.sub(r"\1 — ", text)
    found = list(_CARD.finditer(text))
    if len(found) != 1:
        return text
    left, right = text[: found[0].start()].rstrip(), text[found[0].end() :].strip()
    words = left.split()
    if not words or not right or ":" in words[-1] or right.startswith(":"):
        return text
    return f"{left} — {right}"
