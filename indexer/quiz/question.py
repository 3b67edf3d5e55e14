"""What a quiz question is: its kind, its choices, its stable id, and how notes' text is worded in it."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from indexer.model import Chunk

BLANK = "____"
MAX_CHOICES = 4
MIN_CHOICES = 3
ID_CHARS = 16
CHOICE_LETTERS = "ABCDEFGH"
"""How choices are labelled, in order (A. B. C. D.), and what a learner may type to pick one."""
_ACRONYM_DASH = re.compile(r"\b([A-Z][A-Z0-9]{1,5})\s+-\s+([A-Z0-9]{1,4})\b")


class QuestionKind(StrEnum):
    """The three kinds of question; the values are stored in databases and JSON."""

    WHICH = "which"
    """A fact from the notes; which topic (sibling option or AWS service) is it about?"""
    STATEMENT = "statement"
    """A topic; which of these facts do the notes state about it?"""
    CLOZE = "cloze"
    """A fact with one term or quantity blanked out; which fills the blank?"""


KINDS: tuple[QuestionKind, ...] = tuple(QuestionKind)


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question with the chunk of the notes that answers it."""

    id: str
    """Stable across re-indexing while the fact's text and place in the notes don't change."""
    kind: QuestionKind
    """``which``, ``statement`` or ``cloze`` (a plain string is taken as the kind it names)."""
    prompt: str
    """The question as shown, plain text (escape it for Slack)."""
    choices: tuple[str, ...]
    """3–4 distinct choices, in a fixed order seeded by ``id``."""
    answer_index: int
    """Index of the right choice in ``choices``."""
    source: str
    """Note the answer is in, relative to its corpus folder."""
    line_start: int
    """First line of the cited chunk, 1-based."""
    line_end: int
    """Last line of the cited chunk, 1-based, inclusive."""
    heading: str
    """Heading path of the cited chunk."""
    snippet: str
    """The cited chunk's text: where the answer is stated."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", QuestionKind(self.kind))

    @property
    def answer(self) -> str:
        """The right choice."""
        return self.choices[self.answer_index]

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users."""
        if self.line_start == self.line_end:
            return f"{self.source}:{self.line_start}"
        return f"{self.source}:{self.line_start}-{self.line_end}"

    @property
    def topic(self) -> str:
        """The heading path minus its top level when deeper (``S3 Encryption for Objects › KMS``)."""
        parts = self.heading.split(" › ")
        return " › ".join(parts[-2:]) if len(parts) > 2 else self.heading

    def to_dict(self, *, with_snippet: bool = False) -> dict[str, Any]:
        """The JSON shape of ``awssec quiz list --json`` (the snippet only on request)."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer_index": self.answer_index,
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "heading": self.heading,
        }
        if with_snippet:
            data["snippet"] = self.snippet
        return data


def question_id(
    kind: QuestionKind, source: str, topic_path: Sequence[str], fact: str, blank: str = ""
) -> str:
    """A hash of the kind, the note, the fact's heading path and text and what is blanked: not of line
    numbers, so the id survives re-indexing while the fact is unchanged."""
    material = "\x1f".join((kind, source, " › ".join(topic_path), fact, blank))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:ID_CHARS]


def new_question(
    kind: QuestionKind, qid: str, prompt: str, answer: str, distractors: Sequence[str], chunk: Chunk
) -> QuizQuestion:
    """The question citing ``chunk``, its choices in an order seeded by its id; raises ``ValueError`` for
    choices that are not 3-4 distinct ones (a bug, never data: callers filter first)."""
    choices = [answer, *distractors]
    distinct = len({choice_key(c) for c in choices}) == len(choices)
    if not distinct or not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise ValueError(f"bad choices {choices!r}")
    random.Random(qid).shuffle(choices)
    return QuizQuestion(
        qid,
        kind,
        prompt,
        tuple(choices),
        choices.index(answer),
        chunk.source,
        chunk.line_start,
        chunk.line_end,
        chunk.heading,
        chunk.text,
    )


# -- wording: the notes' text as questions and choices show it -----------------------------------


def tidy(text: str) -> str:
    """One line, single spaces, ``SSE - C`` as ``SSE-C``, no trailing colon."""
    text = " ".join(text.split())
    text = _ACRONYM_DASH.sub(r"\1-\2", text)
    text = re.sub(r"\s+([,;:.?!)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return text.rstrip(" :;,").strip()


def display_label(label: str) -> str:
    """A heading as a choice: tidied, without a trailing ``(Important)`` or ``- Really Important``."""
    text = tidy(label.rstrip("…"))
    text = re.sub(r"\s*[-(]\s*(really\s+)?important\s*\)?\s*$", "", text, flags=re.IGNORECASE)
    return text.strip()


def capitalized(text: str) -> str:
    """The text with its first word capitalised when that word is all lower-case letters."""
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        return text[0].upper() + text[1:]
    return text


def choice_key(text: str) -> str:
    """What two choices must differ in: their letters and digits, lower case (``SSE-C`` ~ ``sse c``)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def spaced(text: str) -> str:
    """Lower case, every run of other characters one space: ``SSE - C:`` -> ``sse c``."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
