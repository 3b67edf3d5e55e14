"""A line of notes as sentences: where a sentence ends (never at the full stop of ``e.g.`` or an
initial), the flashcard notations that make a question and its answer one sentence, and the options a
list names inline ("Governance mode: …", "Compliance mode: …")."""

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


_CARD_LINE = re.compile(r"\s*\?\??\s*")


def joined_cards(text: str) -> str:
    """A chunk's text with each card written over lines (the question, a ``?`` line, the answer) on its
    question's line and the two lines after it left empty, so every line keeps its number: the answer
    read alone ("S3 and DynamoDB.") says nothing, and the lines above would lend it their label."""
    lines = text.split("\n")
    for n in range(1, len(lines) - 1):
        question, answer = lines[n - 1].strip(), lines[n + 1].strip()
        if _CARD_LINE.fullmatch(lines[n]) and question.endswith("?") and answer and answer[0].isalnum():
            lines[n - 1] = f"{lines[n - 1].rstrip()} {lines[n].strip()} {answer}"
            lines[n] = lines[n + 1] = ""
    return "\n".join(lines)


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


_INLINE_LABEL = re.compile(
    r"^\W{0,2}(?P<label>[A-Za-z][\w/-]*(?:\s[\w/-]+){1,2})\W{0,2}:\s+(?P<text>\S.{8,})$"
)
MIN_OPTION_WORDS = 3
"""What a list says of an option it names is a statement of this many words ("HTTP endpoint: non-encrypted"
says too little to tell the two apart by)."""
_SAYS = re.compile(r"(?i)\b(?:can|is|are|must|should|will|may|does|do|has|have|not|no)\b")
"""A label holding one of these starts a sentence ("Policies can auto-remediate"), it names nothing."""


def inline_options(texts: list[str]) -> dict[int, tuple[str, str]]:
    """The lines of a list that name options side by side before a colon, by label and what follows:
    two or more lines side by side, labelled by one kind of thing: the same last word after different
    words ("Governance mode: …", "Compliance mode: …"; "Gateway endpoint: …", "Interface endpoint: …"),
    by line."""
    found: dict[int, tuple[str, str]] = {}
    for n, text in enumerate(texts):
        m = _INLINE_LABEL.match(text)
        if m and not _SAYS.search(m.group("label")) and len(m.group("text").split()) >= MIN_OPTION_WORDS:
            found[n] = (m.group("label").strip(), m.group("text").strip())
    runs: list[list[int]] = []
    for n in sorted(found):
        kind = found[n][0].rsplit(" ", 1)[-1].lower()
        if runs and runs[-1][-1] == n - 1 and found[runs[-1][-1]][0].rsplit(" ", 1)[-1].lower() == kind:
            runs[-1].append(n)
        else:
            runs.append([n])
    options = {n for run in runs if len({found[n][0].lower() for n in run}) >= 2 for n in run}
    return {n: found[n] for n in sorted(options)}
