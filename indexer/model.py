"""Value types shared by the indexer, the search, the quizzes, the CLI and the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChunkRole(StrEnum):
    """What a chunk is for, read off the notes' structure; search ranks facts above the rest, and the
    quiz asks only about facts. The values are stored in index files."""

    TEXT = "text"
    """Explanatory text that states facts."""
    LINKS = "links"
    """A list of links: navigation, further reading."""
    OPTIONS = "options"
    """The answer options (A, B, C, D) of a practice question."""
    QUESTION = "question"
    """The stem of a practice question: the text just before its options."""
    CODE = "code"
    """Code, commands or a policy example."""
    BOILERPLATE = "boilerplate"
    """Text repeated word for word across several notes (footers, notices)."""


@dataclass(frozen=True)
class Chunk:
    """A focused piece of the notes: one section, or one bullet group of a long section."""

    source: str
    """Path of the note relative to its corpus folder, with forward slashes."""
    line_start: int
    """First line in the raw file, 1-based."""
    line_end: int
    """Last line in the raw file, 1-based, inclusive."""
    heading: str
    """Heading path, e.g. ``Security › S3 Encryption for Objects › SSE - C``."""
    text: str
    """Display text: cleaned, markdown markup removed, one line per item."""
    headings: tuple[str, ...] = field(default=())
    """The heading path as a tuple (``heading`` joined with `` › ``)."""
    title_from: int = 0
    """Where in ``headings`` this chunk's own section title starts (the ones before are ancestors)."""
    role: ChunkRole = ChunkRole.TEXT
    """What the chunk is for (facts, links, practice options, code...)."""

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users, e.g. ``security-by-service.md:17-22``."""
        if self.line_start == self.line_end:
            return f"{self.source}:{self.line_start}"
        return f"{self.source}:{self.line_start}-{self.line_end}"


@dataclass(frozen=True)
class Hit:
    """One search result: a chunk and how well it matched."""

    source: str
    """Path of the note relative to its corpus folder."""
    line_start: int
    """First cited line, 1-based."""
    line_end: int
    """Last cited line, 1-based, inclusive."""
    heading: str
    """Heading path of the chunk."""
    text: str
    """The snippet to show."""
    score: float
    """BM25 score; higher is better. Only comparable within one query."""

    @property
    def citation(self) -> str:
        """``file:lines`` as shown to users."""
        if self.line_start == self.line_end:
            return f"{self.source}:{self.line_start}"
        return f"{self.source}:{self.line_start}-{self.line_end}"

    def to_dict(self) -> dict:
        """The JSON shape of ``awssec ask --json``."""
        return {
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "heading": self.heading,
            "text": self.text,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """The reply to one question: the best hits, best first; empty when the notes hold no answer."""

    query: str
    """The question as asked."""
    hits: tuple[Hit, ...]
    """Best first; empty when nothing in the notes answers the question."""
    note: str = ""
    """Why there are no hits, when there are none (e.g. the question is empty)."""
    missing_topics: tuple[str, ...] = ()
    """AWS topics the question names that the notes never mention (then there are no hits)."""
    related: tuple[Hit, ...] = ()
    """When a named topic is missing: the best chunks for the rest of the question, shown as related
    notes, never as the answer."""

    def to_dict(self) -> dict:
        """The JSON shape of ``awssec ask --json`` (``note``, why, when there are no hits;
        ``missing_topics`` and ``related`` when a named topic is missing from the notes)."""
        data: dict = {"query": self.query, "hits": [h.to_dict() for h in self.hits]}
        if self.note:
            data["note"] = self.note
        if self.missing_topics:
            data["missing_topics"] = list(self.missing_topics)
            data["related"] = [h.to_dict() for h in self.related]
        return data
