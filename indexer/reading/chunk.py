"""Cut parsed notes into focused chunks along the heading tree.

A section (under a ``#`` heading or a bold label line) short enough to read at a glance is one chunk.
Numbered section titles nest by their numbers, however they are set off (``**2.3 Key rotation**`` after
a ``2.2`` heading is its sibling; ``**2.3.1 …**`` is 2.3's child), as exported documents write them.
A longer one splits at its top-level bullet groups: a bullet with sub-bullets becomes a chunk of its own
whose heading path ends with the bullet's text (``Security › S3 Encryption for Objects › SSE - C``);
runs of one-line bullets are kept together. Every chunk cites the raw lines it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.model import Chunk
from indexer.reading.parse import Block, without_tags
from indexer.reading.roles import chunk_role, mark_questions

HEADING_SEPARATOR = " › "
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3})+)\.?\s+\S|^(\d{1,2})\.\s+\S")
"""A section number opening a title: ``2.3``, ``2.3.1.`` or ``2.`` (a lone number needs its dot)."""


def section_number(title: str) -> tuple[int, ...] | None:
    """The section number a title opens with (``(2, 3, 1)`` for "2.3.1 Rotating a key"), or None."""
    m = _SECTION_NUMBER.match(title.strip())
    if not m:
        return None
    return tuple(int(part) for part in (m.group(1) or m.group(2)).split("."))


def _encloses(outer: tuple[int, ...] | None, inner: tuple[int, ...]) -> bool:
    """Whether section ``outer`` holds section ``inner`` (2.3 holds 2.3.1)."""
    return outer is not None and len(outer) < len(inner) and inner[: len(outer)] == outer


@dataclass(frozen=True)
class _Open:
    """A heading open at this point of a note: a real one, or a numbered label that nests like one."""

    level: int
    text: str
    number: tuple[int, ...] | None


@dataclass(frozen=True)
class ChunkLimits:
    """How big a chunk may grow before it is split."""

    section_lines: int = 12
    """A section spanning at most this many lines stays one chunk."""
    group_lines: int = 8
    """One-line bullets of a long section are grouped up to this many lines."""
    label_chars: int = 60
    """A bullet used as a sub-heading is cut to this many characters in the heading path."""


def _render(block: Block, base_depth: int) -> str:
    if block.kind == "item":
        pad = "  " * max(block.depth - base_depth, 0)
        first, *rest = block.text.split("\n")
        lines = [f"{pad}• {first}"] + [f"{pad}  {line}" for line in rest]
        return "\n".join(lines)
    return block.text


def _units(blocks: list[Block], base_depth: int) -> list[list[Block]]:
    """Group blocks: a bullet at ``base_depth`` with everything nested under it; a paragraph ending in
    ``:`` with the list that follows it; any other block alone."""
    units: list[list[Block]] = []
    for block in blocks:
        nested = block.kind in ("item", "table", "code") and block.depth > base_depth
        if units and nested and units[-1][0].kind in ("item", "para"):
            head = units[-1][0]
            if head.kind == "item" or head.text.rstrip().endswith(":"):
                units[-1].append(block)
                continue
        if (
            units
            and block.kind == "item"
            and block.depth == base_depth
            and units[-1][0].kind == "para"
            and units[-1][0].text.rstrip().endswith(":")
        ):
            units[-1].append(block)
            continue
        units.append([block])
    return units


def _span(blocks: list[Block]) -> tuple[int, int]:
    return blocks[0].line_start, max(b.line_end for b in blocks)


def _label(block: Block, limit: int) -> str:
    text = without_tags(" ".join(block.text.split())).rstrip(":").strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def _line_numbers(block: Block) -> list[int] | None:
    """The raw line of each line of a block's text, or None when they cannot be told apart."""
    lines = block.text.split("\n")
    span = block.line_end - block.line_start + 1
    if block.kind == "code" and len(lines) in (span - 2, span - 1):
        return [block.line_start + 1 + i for i in range(len(lines))]
    if block.kind == "table" and len(lines) == span - 1:
        return [block.line_start] + [block.line_start + 1 + i for i in range(1, len(lines))]
    if len(lines) == span:
        return [block.line_start + i for i in range(len(lines))]
    return None


def _windows(block: Block, size: int) -> list[Block]:
    """A long paragraph, table or code block cut into runs of ``size`` lines, each citing its own lines."""
    numbers = _line_numbers(block)
    if numbers is None:
        return [block]
    lines = block.text.split("\n")
    return [
        replace(block, line_start=numbers[i], line_end=numbers[min(i + size, len(lines)) - 1],
                text="\n".join(lines[i : i + size]))
        for i in range(0, len(lines), size)
    ]


def _split(
    blocks: list[Block], headings: tuple[str, ...], base_depth: int, limits: ChunkLimits
) -> list[tuple[tuple[str, ...], list[Block], int]]:
    """Split a run of blocks into (heading path, blocks, render depth) pieces."""
    first, last = _span(blocks)
    if last - first + 1 <= limits.section_lines:
        return [(headings, blocks, base_depth)]
    pieces: list[tuple[tuple[str, ...], list[Block], int]] = []
    group: list[Block] = []

    def flush() -> None:
        if group:
            pieces.append((headings, list(group), base_depth))
            group.clear()

    for unit in _units(blocks, base_depth):
        start, end = _span(unit)
        if len(unit) == 1 and end == start:
            if group and end - group[0].line_start + 1 > limits.group_lines:
                flush()
            group.append(unit[0])
            continue
        flush()
        head = unit[0]
        titled = head.kind == "item" or head.text.rstrip().endswith(":")
        sub_headings = headings + ((_label(head, limits.label_chars),) if titled else ())
        if end - start + 1 <= limits.section_lines:
            pieces.append((sub_headings, unit, base_depth))
        elif len(unit) == 1:
            pieces.extend((sub_headings, [part], base_depth) for part in _windows(head, limits.group_lines))
        else:
            child_depth = head.depth + 1 if head.kind == "item" else base_depth
            children = _split(unit[1:], sub_headings, child_depth, limits)
            # The head line belongs with the first piece under it, so no line goes uncited.
            first_headings, first_blocks, first_depth = children[0]
            children[0] = (first_headings, [head] + first_blocks, first_depth)
            pieces.extend(children)
    flush()
    return pieces


def chunk_blocks(blocks: list[Block], source: str, limits: ChunkLimits | None = None) -> list[Chunk]:
    """Chunks of one note, in file order. ``source`` is the note's path relative to its corpus."""
    limits = limits or ChunkLimits()
    chunks: list[Chunk] = []
    heading_stack: list[_Open] = []  # real headings, and numbered labels that nest as headings
    label: str | None = None
    body: list[Block] = []

    def path() -> tuple[str, ...]:
        names = tuple(h.text for h in heading_stack)
        return names + ((label,) if label else ())

    def numbered_label(number: tuple[int, ...] | None) -> bool:
        """Whether a label's number makes it a section of its own: a dotted one always; a lone "3." when
        no open section has a dotted number (under "2.3", a bold "1." is a step of it)."""
        if number is None:
            return False
        return len(number) > 1 or all(h.number is None or len(h.number) == 1 for h in heading_stack)

    def flush() -> None:
        if not body:
            return
        # the shallowest bullet of a section is its top level: under "- ## SCP", a heading written as a
        # bullet (an outliner's page), the section's bullets are nested one deeper than the heading's
        top = min((b.depth for b in body if b.kind == "item"), default=0)
        for headings, blocks_, depth in _split(body, path(), top, limits):
            start, end = _span(blocks_)
            text = "\n".join(_render(b, depth) for b in blocks_)
            chunks.append(
                Chunk(
                    source=source,
                    line_start=start,
                    line_end=end,
                    heading=HEADING_SEPARATOR.join(headings) or source,
                    text=text,
                    headings=headings or (source,),
                    title_from=max(len(heading_stack) - 1, 0),
                    role=chunk_role(blocks_),
                )
            )
        body.clear()

    for block in blocks:
        if block.kind == "heading":
            flush()
            label = None
            while heading_stack and heading_stack[-1].level >= block.level:
                heading_stack.pop()
            heading_stack.append(_Open(block.level, block.text, section_number(block.text)))
        elif block.kind == "label" and numbered_label(number := section_number(block.text)):
            assert number is not None
            flush()
            label = None
            # "2.3" closes "2.2" and what is under it, down to its numbered ancestor ("2") or, with none
            # open, to the first numbered section; the note's unnumbered title above them stays
            numbered = [i for i, h in enumerate(heading_stack) if h.number is not None]
            if numbered:
                holders = [i for i in numbered if _encloses(heading_stack[i].number, number)]
                del heading_stack[holders[-1] + 1 if holders else numbered[0] :]
            level = heading_stack[-1].level + 1 if heading_stack else 1
            heading_stack.append(_Open(level, block.text, number))
        elif block.kind == "label":
            flush()
            label = block.text
        elif block.kind == "rule":
            flush()
        else:
            body.append(block)
    flush()
    return mark_questions(chunks)
