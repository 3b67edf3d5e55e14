"""The notes as written, line by line: which raw line each line of a chunk's text comes from, and which
list items are numbered (the cleaned chunk text keeps neither)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz

from indexer.model import Chunk
from indexer.reading.parse import FOOTNOTE_MARK

_NUMBERED = re.compile(r"^\s*(?:\d{1,3}[.)]|<li\b[^>]*>\s*\d{1,3}[.)])\s")
_MARKUP = re.compile(r"^\s*(?:[-*+]|\\\*|\d{1,3}[.)]|#+|>)\s+|\*\*|__|`|<[^>]+>|!\[\[[^\]]*\]\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BULLET = re.compile(r"^\s*• ")
_FOOTNOTE = re.compile(rf"^\s{{0,3}}{FOOTNOTE_MARK}:")
_LINK_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[^\]]*\]\([^)]*\)|<?https?://\S+>?)\s*[.;,]?\s*$")
MATCH = 55.0
"""A raw line is a text line's source when they are at least this alike (0-100)."""
PROBE = 80
"""Characters of each line compared."""


def _plain(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _MARKUP.sub(" ", line).replace("|", " ")
    return " ".join(line.split()).lower()[:PROBE]


class RawLines:
    """The raw notes by source; without them every text line maps to its chunk's first line."""

    def __init__(self, raw_notes: Mapping[str, str]) -> None:
        self.lines = {source: text.split("\n") for source, text in raw_notes.items()}

    def numbered(self, source: str, line: int) -> bool:
        """Whether raw line ``line`` (1-based) of ``source`` is a numbered list item."""
        lines = self.lines.get(source) or []
        return 0 < line <= len(lines) and bool(_NUMBERED.match(lines[line - 1]))

    def is_link(self, source: str, line: int) -> bool:
        """Whether raw line ``line`` of ``source`` is nothing but a link (a "Relevant Links" item), or a
        footnote's text (``[^1]: …``), which belongs where its mark is, not under the note's last heading."""
        lines = self.lines.get(source) or []
        raw = lines[line - 1] if 0 < line <= len(lines) else ""
        return bool(_LINK_LINE.match(raw) or _FOOTNOTE.match(raw))

    def locate(self, chunk: Chunk) -> list[int]:
        """The raw line of each line of ``chunk.text``: the best in-order alignment of the two (a line
        left unmatched takes the line of the one before it)."""
        text_lines = chunk.text.split("\n")
        raw = self.lines.get(chunk.source)
        if not raw:
            return [chunk.line_start] * len(text_lines)
        first, last = chunk.line_start, min(chunk.line_end, len(raw))
        numbers = [n for n in range(first, last + 1) if _plain(raw[n - 1])]
        plain = [_plain(raw[n - 1]) for n in numbers]
        probes = [" ".join(_BULLET.sub("", t).replace("|", " ").split()).lower()[:PROBE] for t in text_lines]
        rows, cols = len(probes), len(plain)
        score = [[fuzz.ratio(p, q) if p else 0.0 for q in plain] for p in probes]
        best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
        for i in range(rows - 1, -1, -1):
            for j in range(cols - 1, -1, -1):
                take = score[i][j] + best[i + 1][j + 1] if score[i][j] >= MATCH else -1.0
                best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
        out: list[int] = []
        i = j = 0
        at = first
        while i < rows:
            if j < cols and score[i][j] >= MATCH and best[i][j] == score[i][j] + best[i + 1][j + 1]:
                at = numbers[j]
                out.append(at)
                i, j = i + 1, j + 1
            elif j < cols and best[i][j] == best[i][j + 1]:
                j += 1
            else:
                out.append(at)
                i += 1
        return out
