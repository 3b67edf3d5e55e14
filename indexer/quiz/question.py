"""What a quiz question is: its kind, its choices, its stable id, and how notes' text is worded in it."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from indexer.model import Chunk
from indexer.reading.parse import SUB_STEP_MARK, TAG_MARK

BLANK = "____"
MAX_CHOICES = 4
MIN_CHOICES = 3
"""A question offers at least this many choices…"""
FEWEST_CHOICES = 2
"""…but a question an older awssec stored ("which of the two", no longer asked) may offer this many."""
ID_CHARS = 16
CHOICE_LETTERS = "ABCDEFGH"
"""How choices are labelled, in order (A. B. C. D.), and what a learner may type to pick one."""
_ACRONYM_DASH = re.compile(r"\b([A-Z][A-Z0-9]{1,5})\s+-\s+([A-Z0-9]{1,4})\b")


class QuestionKind(StrEnum):
    """The kinds of question; the values are stored in databases and JSON (add kinds, never rename)."""

    WHICH = "which"
    """A fact from the notes; which topic (sibling option or AWS service) is it about?"""
    STATEMENT = "statement"
    """A topic; which of these facts do the notes state about it?"""
    CLOZE = "cloze"
    """A fact with one term or quantity blanked out; which fills the blank?"""
    TABLE = "table"
    """A cell of a comparison table: which row has this value, or what is this row's value?"""
    ORDER = "order"
    """Numbered steps shown as lettered items, shuffled; which order is the notes' order?"""
    SELECT_TWO = "select_two"
    """Four lettered statements, two of them stated about the topic; which pair?"""
    MATCH = "match"
    """Numbered terms and lettered definitions; which mapping is the notes'?"""
    SCENARIO = "scenario"
    """A practice question the notes pose themselves: their scenario, their options, their answer."""


KINDS: tuple[QuestionKind, ...] = tuple(QuestionKind)


@dataclass(frozen=True)
class ChoiceNote:
    """Where the notes state what a choice is: shown after the click, so a wrong answer teaches too."""

    source: str
    """Note it is in, relative to its corpus folder."""
    line_start: int
    """First cited line, 1-based."""
    line_end: int
    """Last cited line, 1-based, inclusive."""
    heading: str
    """Topic label of the cited place (``AWS KMS › Key Rotation and Deletion``)."""
    snippet: str
    """A short text: what the notes say there."""

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users."""
        return _citation(self.source, self.line_start, self.line_end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "heading": self.heading,
            "snippet": self.snippet,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChoiceNote:
        return cls(
            str(data["source"]),
            int(data["line_start"]),
            int(data["line_end"]),
            str(data["heading"]),
            str(data["snippet"]),
        )


def _citation(source: str, first: int, last: int) -> str:
    return f"{source}:{first}" if first == last else f"{source}:{first}-{last}"


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question with the chunk of the notes that answers it."""

    id: str
    """Stable across re-indexing while the fact's text and place in the notes don't change."""
    kind: QuestionKind
    """One of :class:`QuestionKind` (a plain string is taken as the kind it names)."""
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
    items: tuple[str, ...] = ()
    """Lines shown between the prompt and the buttons, each with its label (``A. …``, ``1. …``)."""
    context: str = ""
    """The one line under the question that says where in the notes it is from; never names the answer."""
    topic: str = ""
    """What the question is about, for stats (``AWS KMS › Key Rotation and Deletion``); read off the
    heading path when not given."""
    explanations: tuple[ChoiceNote | None, ...] = ()
    """Parallel to ``choices``: where the notes state each choice (the right one: the cited chunk);
    None where the notes don't say. Empty for questions stored before explanations existed."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", QuestionKind(self.kind))
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "explanations", tuple(self.explanations))
        if not self.topic:
            object.__setattr__(self, "topic", heading_topic(self.heading))
        if self.explanations and len(self.explanations) != len(self.choices):
            raise ValueError("explanations must be parallel to choices")

    @property
    def answer(self) -> str:
        """The right choice."""
        return self.choices[self.answer_index]

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users."""
        return _citation(self.source, self.line_start, self.line_end)

    def shown_lines(self) -> tuple[str, ...]:
        """Exactly what a learner sees before answering, but the buttons: the prompt, the lettered or
        numbered items, and the context line."""
        return (self.prompt, *self.items, *((self.context,) if self.context else ()))

    def picked_items(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """For a select-two question, the texts of the items its answer ("A and C") picks, and of the
        others, their letters left off."""
        right = set(self.answer.split(" and "))
        picked: list[str] = []
        others: list[str] = []
        for item in self.items:
            letter, _, text = item.partition(". ")
            (picked if letter in right else others).append(text or letter)
        return tuple(picked), tuple(others)

    def explanation(self, choice_index: int) -> ChoiceNote | None:
        """Where the notes state choice ``choice_index``: for the right one, the cited chunk."""
        if 0 <= choice_index < len(self.explanations):
            return self.explanations[choice_index]
        if choice_index == self.answer_index:
            return ChoiceNote(self.source, self.line_start, self.line_end, self.topic, self.snippet)
        return None

    def to_dict(self, *, with_snippet: bool = False, with_shown: bool = False) -> dict[str, Any]:
        """The JSON shape of ``awssec quiz list --json``; ``with_shown`` adds ``shown`` (the shown lines,
        one a line); ``with_snippet`` adds the snippet and the rest of the record (topic, items, context,
        explanations): what :meth:`from_dict` reads back."""
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
        if with_shown:
            data["shown"] = "\n".join(self.shown_lines())
        if with_snippet:
            data["snippet"] = self.snippet
            data["topic"] = self.topic
            data["items"] = list(self.items)
            data["context"] = self.context
            data["explanations"] = [e.to_dict() if e else None for e in self.explanations]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuizQuestion:
        """The question :meth:`to_dict` (``with_snippet=True``) gave; records stored before the later
        fields existed read back with their defaults. Raises ``KeyError``/``ValueError``/``TypeError``
        for a record that is not a question."""
        return cls(
            str(data["id"]),
            QuestionKind(data["kind"]),
            str(data["prompt"]),
            tuple(str(c) for c in data["choices"]),
            int(data["answer_index"]),
            str(data["source"]),
            int(data["line_start"]),
            int(data["line_end"]),
            str(data["heading"]),
            str(data.get("snippet", "")),
            tuple(str(i) for i in data.get("items", ())),
            str(data.get("context", "")),
            str(data.get("topic", "")),
            tuple(ChoiceNote.from_dict(e) if e else None for e in data.get("explanations", ())),
        )


def question_id(
    kind: QuestionKind, source: str, topic_path: Sequence[str], fact: str, blank: str = ""
) -> str:
    """A hash of the kind, the note, the fact's heading path and text and what is blanked: not of line
    numbers, so the id survives re-indexing while the fact is unchanged."""
    material = "\x1f".join((kind, source, " › ".join(topic_path), fact, blank))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:ID_CHARS]


def shuffled(qid: str, answer: str, distractors: Sequence[str]) -> tuple[list[str], int]:
    """The choices in an order seeded by the question's id, and where the answer landed; raises
    ``ValueError`` for choices that are not 2-4 distinct ones (a bug, never data: callers filter first)."""
    choices = [answer, *distractors]
    distinct = len({choice_key(c) for c in choices}) == len(choices)
    if not distinct or not FEWEST_CHOICES <= len(choices) <= MAX_CHOICES:
        raise ValueError(f"bad choices {choices!r}")
    order = list(range(len(choices)))
    random.Random(f"choices/{qid}").shuffle(order)
    return [choices[i] for i in order], order.index(0)


def new_question(
    kind: QuestionKind,
    qid: str,
    prompt: str,
    answer: str,
    distractors: Sequence[str],
    chunk: Chunk,
    *,
    items: Sequence[str] = (),
    context: str = "",
    topic: str = "",
    answer_note: ChoiceNote | None = None,
    notes: Sequence[ChoiceNote | None] = (),
) -> QuizQuestion:
    """The question citing ``chunk``, its choices in an order seeded by its id; ``notes`` (parallel to
    ``distractors``) say where the notes state each wrong choice, ``answer_note`` the right one (by
    default the cited chunk). Raises ``ValueError`` for choices that are not 2-4 distinct ones."""
    answer, *rest = _even_endings([answer, *distractors])
    choices, answer_index = shuffled(qid, answer, rest)
    topic = topic or heading_topic(chunk.heading)
    right = answer_note or ChoiceNote(chunk.source, chunk.line_start, chunk.line_end, topic, chunk.text)
    wrong = {d: (notes[i] if i < len(notes) else None) for i, d in enumerate(rest)}
    by_choice = {answer: right, **wrong}
    return QuizQuestion(
        qid,
        kind,
        prompt,
        tuple(choices),
        answer_index,
        chunk.source,
        chunk.line_start,
        chunk.line_end,
        chunk.heading,
        chunk.text,
        tuple(items),
        context,
        topic,
        tuple(by_choice[c] for c in choices),
    )


def _even_endings(texts: list[str]) -> list[str]:
    """Choices that end alike: a full stop only some of them have ("Connects … through a central hub."
    among "Physical Ethernet port …") marks the line copied whole, so one sentence's is left off."""
    if len({t.endswith(".") for t in texts}) < 2:
        return texts
    return [t[:-1] if t.endswith(".") and not t.endswith("..") and ". " not in t else t for t in texts]


# -- wording: the notes' text as questions and choices show it -----------------------------------

_CODE_PREFIX = re.compile(
    r"^(?:[A-Z][a-z]+\s+)?\d+(?:\.\d+)+\s*[:.)\u2014\u2013-]?\s+|^[A-Z][a-z]+\s+\d+\s*[:\u2014\u2013]\s+"
    r"|^\d{1,2}[.)]\s+(?=\D)"
)
"""``Skill 2.1.3: ``, ``Task 1.1: ``, ``Domain 5: ``, ``Question 9 — ``, ``1.2 ``, ``2. ``: a code or a
section's number, not a topic."""
_JOINERS = {"\ufe0f", "\ufe0e", "\u200d", "\u20e3"}


def strip_symbols(text: str) -> str:
    """Emoji and other pictographs out, spaces tidied: ``📌 What You Need to Know`` -> ``What You Need
    to Know``."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("So", "Cs", "Co") or ch in _JOINERS else ch for ch in text
    )
    return " ".join(kept.split())


_ASIDE = re.compile(
    r"\s*\((?=[^()]*(?:!{2,}|\b(?:lab|labs|quiz|exam|instructor|lecture|slides?|todo|week)\b))[^()]*\)",
    re.IGNORECASE,
)
"""``(lab 2.2 steps)``, ``(will be on the quiz!!)``, ``(instructor said …)``: the class's chatter, not the
topic or the fact."""


def strip_asides(text: str) -> str:
    """The text without the class's asides in brackets (see ``_ASIDE``)."""
    return _ASIDE.sub("", text)


_EMPHASIS = re.compile(r"(?<=\w)\s*[!?]{2,}")
"""Two or more of "!" and "?" after a word: the writer's emphasis, not part of a topic's name."""


def clean_heading(text: str) -> str:
    """A heading as a topic label: no emoji, no class chatter in brackets, no leading skill or task code,
    no marks of emphasis ("4 KB limit!!", "IMPORTANT??"), no trailing colon."""
    text = " ".join(_EMPHASIS.sub(" ", strip_asides(strip_symbols(text))).split())
    text = re.sub(r"([(\[]) | ([)\]])", r"\1\2", text)  # "(who do what??)" is "(who do what)"
    while True:
        stripped = _CODE_PREFIX.sub("", text, count=1)
        if stripped == text or not stripped.strip():
            break
        text = stripped
    return text.strip().rstrip(":").strip()


def heading_topic(heading: str) -> str:
    """A topic label read off a heading path alone: its last two headings, cleaned (``S3 Encryption for
    Objects › SSE - C``). The generator gives better ones, knowing which headings are generic."""
    parts = [clean_heading(p) for p in heading.split(" › ")]
    parts = [p for p in parts if p]
    return " › ".join(parts[-2:]) if len(parts) > 2 else " › ".join(parts)


_SUB_STEP_MARK = re.compile(rf"^\s*\(?{SUB_STEP_MARK}\s+")
"""A sub-step's letter or roman numeral ("b. EBS snapshots …"), which its place already says."""
_NOTE_MARKUP = re.compile(
    rf"{TAG_MARK}|(?<!\S)\^[A-Za-z0-9-]{{4,}}\s*$|\s*\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]"
    r"|\s*\((?:see )?(?:next|previous) section\)|\s*\(see (?:above|below)\)"
    r"|\s*\((?:see\s+)?§\s*\d[\d.]*[^()]*\)|\s*\bsee\s+§\s*\d[\d.]*"
)
"""An Obsidian or Logseq tag (``#aws/kms``), a block reference (``^ctx01``), a recording's timestamp
(``[00:14:32]``) or a pointer to another part of the notes ("(next section)", "(§2.3)", "see §6.3"):
the writer's filing, no words of the fact."""


def tidy(text: str) -> str:
    """One line, single spaces, ``SSE - C`` as ``SSE-C``, no class chatter in brackets, no trailing
    colon."""
    text = strip_asides(strip_symbols(text))
    text = _SUB_STEP_MARK.sub("", _NOTE_MARKUP.sub("", text))
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
