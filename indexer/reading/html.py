"""Text inside HTML blocks of a markdown note, line by line, so it is indexed with its true line numbers.

Notes written for Jekyll or other site generators keep facts in HTML: ``<div class="alert">`` boxes of
``<li>`` items, ``<details><summary>`` sections, ``<table>`` rows. markdown-it hands such a block over as
raw HTML; here its tags are dropped and its text kept: a ``<li>`` is a list item, ``<h1>``–``<h6>`` a
heading, ``<summary>`` a label (a section title), a ``<tr>`` one table row of ``|``-joined cells, and
other text a paragraph. Scripts, styles and comments are skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SKIPPED = ("script", "style", "template", "svg")
_LISTS = ("ul", "ol")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BREAKS = ("p", "div", "details", "blockquote", "table", "section", "br", "hr", "pre")


@dataclass(frozen=True)
class HtmlText:
    """A piece of text found in an HTML block, with where it is in the note."""

    kind: str
    """``item``, ``heading``, ``label``, ``table`` (one row) or ``para``."""
    line_start: int
    """First raw line, 1-based."""
    line_end: int
    """Last raw line, 1-based, inclusive."""
    text: str
    """The text, tags dropped and entities decoded."""
    level: int = 0
    """Heading level for headings."""
    depth: int = 0
    """List nesting for items (0: an item of a top-level list)."""


@dataclass
class _Open:
    kind: str
    line_start: int
    line_end: int
    parts: list[str] = field(default_factory=list)
    level: int = 0
    depth: int = 0


def html_block_texts(content: str, first_line: int) -> list[HtmlText]:
    """The texts of one HTML block whose first line is raw line ``first_line`` (1-based)."""
    content = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), content)
    found: list[HtmlText] = []
    skipping: str | None = None
    lists = 0
    current: _Open | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            text = " ".join(" ".join(current.parts).split())
            joined = " | ".join(p for p in (" ".join(c.split()) for c in current.parts) if p)
            text = joined if current.kind == "table" else text
            if text:
                found.append(
                    HtmlText(current.kind, current.line_start, current.line_end, text,
                             current.level, current.depth)
                )
        current = None

    def start(kind: str, line: int, *, level: int = 0, depth: int = 0) -> None:
        nonlocal current
        close()
        current = _Open(kind, line, line, level=level, depth=depth)

    def add(fragment: str, number: int) -> None:
        text = _visible(fragment)
        if not text:
            return
        if current is None:
            start("para", number)
        assert current is not None
        if current.kind == "table" and current.parts:
            current.parts[-1] = f"{current.parts[-1]} {text}".strip()
        else:
            current.parts.append(text)
        current.line_end = number

    for offset, line in enumerate(content.split("\n")):
        number = first_line + offset
        position = 0
        for match in _TAG.finditer(line):
            closing, name = match.group(1) == "/", match.group(2).lower()
            if skipping is None:
                add(line[position : match.start()], number)
            position = match.end()
            if skipping is not None:
                if closing and name == skipping:
                    skipping = None
                continue
            if name in _SKIPPED and not closing:
                skipping = name
            elif name in _LISTS:
                close()
                lists = max(lists - 1, 0) if closing else lists + 1
            elif name == "li" and not closing:
                start("item", number, depth=max(lists - 1, 0))
            elif name in _HEADINGS and not closing:
                start("heading", number, level=_HEADINGS[name])
            elif name == "summary" and not closing:
                start("label", number)
            elif name == "tr" and not closing:
                start("table", number)
            elif name in ("td", "th") and not closing and current is not None and current.kind == "table":
                current.parts.append("")
            elif current is not None and current.kind == "table" and name in _BREAKS and name != "table":
                continue  # "<td>7 years<br><em>(1 year in S3 Standard …)</em></td>": the cell goes on
            elif name in _BREAKS or (closing and name in ("li", "summary", "tr", *_HEADINGS)):
                close()
        if skipping is None:
            add(line[position:], number)
            if current is not None and current.kind == "para":
                close()  # a paragraph of loose text is one line: each keeps its own line number
    close()
    return found


def _visible(fragment: str) -> str:
    return " ".join(html.unescape(fragment).split())
