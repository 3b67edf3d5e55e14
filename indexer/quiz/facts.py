"""The notes' topics as a tree: headings, sub-headings and bullet labels, each with the facts listed under
it (the items and sentences of a chunk's text), which questions are read off; and, beside the tree, the
notes' procedures (numbered or imperative steps) and comparison tables.

Only chunks that state facts are read (role ``text``); generic headings ("What You Need to Know", "Exam
Tips") are left out of the tree, so their facts belong to the nearest specific heading. Lines that are
not facts stay out: task and skill codes, exam-tip lines that map a quoted scenario to an answer, lead-in
lines of a list, and the steps of a procedure (asked about as an order, never as facts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from indexer.model import Chunk, ChunkRole
from indexer.quiz.notfacts import (
    keyword_answer,
    memory_aid,
    not_a_fact,
    record_section,
    retired_section,
    speaker_turn,
    titles,
)
from indexer.quiz.question import capitalized, choice_key, clean_heading, display_label, strip_symbols, tidy
from indexer.quiz.rawlines import RawLines
from indexer.quiz.sentences import flashcard, inline_options, joined_cards, sentences
from indexer.quiz.templates import Templates
from indexer.reading.roles import heading_key

_BULLET_LINE = re.compile(r"^( *)• (.*)$")
LIST_ITEM_WORDS = 4
"""Sub-bullets of at most this many words are read as a list (``integrates with: ELB, CloudFront``)."""
MIN_STEPS = 3
"""A procedure has at least this many steps."""
_AID_HEADING = re.compile(r"^(?:memory\s+(?:tricks?|aids?|hooks?)|mnemonics?)\W*$", re.IGNORECASE)
"""A heading over memory aids only (an "Exam Tips" heading is generic: its facts are the topic's)."""
_TABLE_CELLS = " | "
_SEE_ALSO = re.compile(r"\s*\((?:see|cf\.?|more in)\s[^)]*\)", re.IGNORECASE)
"""``(see Domain 2)``: a pointer to elsewhere in the notes, not part of the fact."""
_CLAUSE = re.compile(r"[,:;\u2014\u2013\u2192]|\s-\s")
_SEQUENCE = re.compile(
    r"\b(?:steps?|order|runbook|procedure|process|workflow|sequence|phases?|lab|first|then|next|after|"
    r"before|finally|once)\b"
)
"""Words that say steps come in an order (a numbered list of patterns or alarms is not an order)."""
_ORDERED = re.compile(r"\b(?:steps|runbook|procedure|process|workflow|sequence|phases|in order|this order)\b")
"""A title or lead-in that calls a numbered list steps."""
MAX_TITLE_CHARS = 70
"""A longer lead-in is a sentence, not a title: the procedure is named by its heading."""


@dataclass
class Item:
    text: str
    level: int
    bullet: bool
    index: int
    """Which line of the chunk's text the item starts on."""
    children: list[Item] = field(default_factory=list)


def parse_items(text: str) -> list[Item]:
    """A chunk's text as a bullet tree; a paragraph ending in ``:`` adopts the bullets after it, and a line
    that titles the line after it (see :func:`~indexer.quiz.notfacts.titles`) that line."""
    flat: list[Item] = []
    for number, line in enumerate(joined_cards(text).split("\n")):
        if not line.strip():
            continue
        m = _BULLET_LINE.match(line)
        if m:
            flat.append(Item(m.group(2).strip(), len(m.group(1)) // 2, True, number))
        elif line.startswith(" ") and flat:
            flat[-1].text += " " + line.strip()  # continuation of a multi-line item
        else:
            flat.append(Item(line.strip(), 0, False, number))
    roots: list[Item] = []
    stack: list[Item] = []
    for n, item in enumerate(flat):
        if n and not flat[n - 1].bullet and not item.bullet and titles(flat[n - 1].text, item.text):
            flat[n - 1].children.append(item)  # "Strongly Consistent Reads" over the line defining it
            continue
        if not item.bullet:
            roots.append(item)
            stack = [item] if item.text.rstrip().endswith(":") else []
            continue
        item.level += 1 if stack and not stack[0].bullet else 0
        while stack and stack[-1].level >= item.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots


@dataclass(eq=False)
class Fact:
    text: str
    """The item's text, tidied."""
    chunk: Chunk
    node: Node
    is_list: bool = False
    """A label with its short sub-bullets joined: ``integrates with: ELB, CloudFront``."""
    line: int = 0
    """The raw line the fact is on (the chunk's first line when it cannot be told)."""

    @property
    def citation(self) -> tuple[int, int]:
        """(first, last) line of the fact."""
        line = self.line or self.chunk.line_start
        return line, line


LIST_LABELS = frozenset({"bullet", "para", "inline"})
"""Kinds of :class:`Node` that label a list's items rather than head a section."""


@dataclass(eq=False)
class Node:
    label: str
    kind: str
    """``heading`` (a ``#`` heading), ``bold`` (a bold line used as a heading), ``bullet`` (a bullet with
    sub-bullets), ``para`` (a line ending in ``:`` with bullets under it) or ``inline`` (an option a list
    names before a colon, see :func:`~indexer.quiz.sentences.inline_options`). Only nodes of one kind under
    one parent are options side by side."""
    parent: Node | None = None
    children: dict[str, Node] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    whole: str = ""
    """The lead-in line a label cut short was made from ("For example, if your CIDR block is …")."""

    def child(self, label: str, kind: str) -> Node:
        key = choice_key(display_label(label)) or choice_key(label)
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = Node(label, kind, self)
        return node

    @property
    def path(self) -> tuple[str, ...]:
        out: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            out.append(node.label)
            node = node.parent
        return tuple(reversed(out))

    @cached_property
    def shown(self) -> str:
        """The label as a learner reads it (read once the outline is built: ``whole`` may replace it)."""
        return display_label(clean_heading(self.whole or self.label))

    def ancestors(self) -> list[Node]:
        out: list[Node] = []
        node = self.parent
        while node is not None and node.parent is not None:
            out.append(node)
            node = node.parent
        return out

    def descendants(self) -> Iterable[Node]:
        for child in self.children.values():
            yield child
            yield from child.descendants()

    def subtree_facts(self) -> Iterable[Fact]:
        yield from self.facts
        for child in self.children.values():
            yield from child.subtree_facts()


@dataclass(frozen=True)
class Step:
    """One step of a procedure."""

    text: str
    line: int


@dataclass(frozen=True)
class Procedure:
    """Steps the notes take in order: a numbered list, or a list of imperative steps."""

    title: str
    """What the steps do: the lead-in line, else the section's heading."""
    steps: tuple[Step, ...]
    chunk: Chunk
    node: Node
    numbered: bool


@dataclass(frozen=True)
class Table:
    """A table of a chunk: a header row and rows of cells, each row with its raw line."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    chunk: Chunk
    node: Node
    title: str
    """The section's heading (``S3 Encryption Options``)."""


@dataclass
class Outline:
    """What the quiz reads off the notes."""

    root: Node
    procedures: list[Procedure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: dict[tuple[str, int, int], Node] = field(default_factory=dict)
    """The node of each chunk's own heading path, by (source, first line, last line)."""


def _short_list(items: list[Item]) -> bool:
    return len(items) >= 2 and all(
        not c.children and c.bullet and len(c.text.split()) <= LIST_ITEM_WORDS for c in items
    )


def _a_title(text: str) -> bool:
    return bool(text) and len(text) <= MAX_TITLE_CHARS and len(sentences(text)) == 1


def _same_label(text: str, label: str) -> bool:
    a, b = choice_key(text), choice_key(label.rstrip("…"))
    return bool(b) and (a == b or (label.endswith("…") and a.startswith(b)))


_ARROW_LABEL = re.compile(r"^[^.!?]{1,40}?\s(?:->|=>|→|⇒)\s")
"""A line led by a name and an arrow ("SSE-C -> … the key. HTTPS mandatory."): one fact, not a few."""


def table_cells(text: str) -> tuple[str, ...] | None:
    """The cells of a table row (``a | b | c``, ``| | A | B``), or None for a line that is not one."""
    if text.count("|") < 2 and not (text.count("|") == 1 and _TABLE_CELLS in f" {text} "):
        return None
    cells = tuple(tidy(c) for c in text.split("|"))
    closed = text.strip().startswith("|") and text.rstrip().endswith("|")
    if len(cells) > 2 and cells[-1] == "" and closed:
        cells = cells[:-1]  # "| a | b |" closes the row; in "a | b | " the last cell is empty
    return cells if len(cells) >= 2 else None


class _Builder:
    def __init__(
        self,
        raw: RawLines,
        generic: frozenset[str],
        imperative: Callable[[str], bool],
        templates: Templates,
    ) -> None:
        self.raw = raw
        self.templates = templates
        self.generic = generic
        self.imperative = imperative
        self.outline = Outline(Node("", "heading"))

    def path_of(self, chunk: Chunk, items: list[Item]) -> Node:
        node = self.outline.root
        last = len(chunk.headings) - 1
        for i, heading in enumerate(chunk.headings):
            if i <= chunk.title_from:
                kind = "heading"
            elif i == last and items and _same_label(items[0].text, heading):
                kind = "bullet" if items[0].bullet else "para"
            else:
                kind = "bold" if i == chunk.title_from + 1 else "bullet"
            turn = speaker_turn(heading)  # "[00:41:20] Ana (Security Hub)" is on Security Hub
            heading = heading if turn is None else turn
            if heading_key(heading) in self.generic or not clean_heading(heading):
                continue  # "What You Need to Know": its facts belong to the heading above
            if i == 0 and heading == chunk.source:
                continue  # a note without headings
            node = node.child(heading, kind)
        return node

    def add(self, chunk: Chunk) -> None:
        items = parse_items(chunk.text)
        lines = self.raw.locate(chunk)
        headings = chunk.headings
        if any(_AID_HEADING.match(h) or record_section(h) for h in map(clean_heading, headings)):
            return  # "🧠 Memory tricks": aids, not facts; "Agenda", "Page history": the notes' own record
        if any(map(retired_section, headings)):
            return  # "AWS ClassicLink (Deprecated)": history, not today's AWS
        node = self.path_of(chunk, items)
        self.outline.sections[chunk.source, chunk.line_start, chunk.line_end] = node
        items = self.take_tables(chunk, items, lines, node)
        if node.kind in ("bullet", "para") and items and _same_label(items[0].text, node.label):
            head = items.pop(0)
            items = head.children + items
            if node.label.endswith("…"):
                node.whole = head.text  # the label was cut short: show the line as the notes wrote it
            if _short_list(items) and not not_a_fact(head.text):
                node.facts.append(self.list_fact(head.text, items, chunk, node, lines))
                return
            if self.procedure(chunk, node, head.text, items, lines):
                return
        self.attach(node, items, chunk, lines)

    def take_tables(self, chunk: Chunk, items: list[Item], lines: list[int], node: Node) -> list[Item]:
        """Rows of cells (``a | b | c``) out of the items, as tables of their own (a table cut across
        chunks goes on under its header); a row is never a fact."""
        rest: list[Item] = []
        run: list[tuple[str, ...]] = []
        run_lines: list[int] = []

        def flush() -> None:
            if run:
                self.add_table(chunk, node, run, run_lines)
            run.clear()
            run_lines.clear()

        for item in items:
            cells = table_cells(item.text) if not item.bullet and not item.children else None
            if cells is None:
                flush()
                rest.append(item)
                continue
            if len(run) == 1 and len(cells) == len(run[0]) + 1:
                run[0] = ("", *run[0])  # a header whose empty first cell was dropped (HTML <th></th>)
            if run and len(cells) != len(run[0]):
                flush()
            run.append(cells)
            run_lines.append(lines[item.index])
        flush()
        return rest

    def add_table(self, chunk: Chunk, node: Node, rows: list[tuple[str, ...]], lines: list[int]) -> None:
        last = self.outline.tables[-1] if self.outline.tables else None
        if (
            last is not None
            and last.chunk.source == chunk.source
            and last.chunk.headings == chunk.headings
            and len(last.header) == len(rows[0])
            and last.chunk.line_end < chunk.line_start
        ):  # the rest of a long table, cut into another chunk: same header
            self.outline.tables.append(Table(last.header, tuple(rows), tuple(lines), chunk, node, last.title))
            return
        if len(rows) < 2:
            return
        title = self.table_title(chunk)
        self.outline.tables.append(Table(rows[0], tuple(rows[1:]), tuple(lines[1:]), chunk, node, title))

    def table_title(self, chunk: Chunk) -> str:
        """The table's section heading; a generic one ("Comparison Table") borrows the one above."""
        names = [clean_heading(h) for h in chunk.headings if heading_key(h) not in self.generic]
        names = [n for n in names if n]
        if not names:
            return ""
        last = clean_heading(chunk.headings[-1])
        return last if names[-1] == last else names[-1]

    def list_fact(self, label: str, items: list[Item], chunk: Chunk, node: Node, lines: list[int]) -> Fact:
        text = f"{tidy(label)}: {', '.join(tidy(c.text) for c in items)}"
        return Fact(text, chunk, node, True, lines[items[0].index] if items else chunk.line_start)

    def is_step(self, text: str, numbered: bool) -> bool:
        """Whether an item reads as a step: it starts with a verb ("create a snapshot"); in a numbered
        list, a clause of it may ("In account A, edit the key policy", "createSecret — generate …")."""
        if not numbered:
            return self.imperative(text)
        for clause in _CLAUSE.split(text)[:3]:
            words = clause.split()
            if any(self.imperative(" ".join(words[k:])) for k in range(min(2, len(words)))):
                return True
        return False

    def steps_qualify(
        self, chunk: Chunk, steps: list[Item], lines: list[int], lead: str = ""
    ) -> tuple[bool, bool]:
        """(a procedure, numbered). A numbered list whose title or lead-in calls it steps, a runbook, a
        procedure; or items that read as steps (most of a numbered list, all of another) and say they
        come in an order: a task as the title ("Enabling …", "Copying …"), or words of sequence ("then",
        "first") in the title, the lead-in or the steps. A numbered list of patterns is not an order."""
        if len(steps) < MIN_STEPS:
            return False, False
        numbered = all(self.raw.numbered(chunk.source, lines[i.index]) for i in steps)
        title = clean_heading(chunk.headings[-1]) if chunk.headings else ""
        if numbered and _ORDERED.search(f"{title} {lead}".lower()):
            return True, True
        stepped = sum(self.is_step(i.text, numbered) for i in steps)
        if not (2 * stepped >= len(steps) if numbered else stepped == len(steps)):
            return False, numbered
        said = " ".join([title, lead, *(i.text for i in steps)]).lower()
        task = bool(re.match(r"^[a-z]+ing\b", title.lower())) and not title.lower().startswith("pricing")
        return task or bool(_SEQUENCE.search(said)), numbered

    def add_procedure(
        self, chunk: Chunk, node: Node, title: str, steps: list[Item], lines: list[int], numbered: bool
    ) -> None:
        title = tidy(title.rstrip(":"))
        if not _a_title(title):  # a lead-in ("Encrypt takes 4 KB. Anything bigger:"): named by its heading
            named = (n.shown for n in (node, *node.ancestors()) if _a_title(n.shown))
            title = next(named, None) or clean_heading(chunk.headings[-1])
        self.outline.procedures.append(
            Procedure(title, tuple(Step(tidy(i.text), lines[i.index]) for i in steps), chunk, node, numbered)
        )

    def procedure(self, chunk: Chunk, node: Node, title: str, items: list[Item], lines: list[int]) -> bool:
        """A list under a lead-in whose items are steps becomes a procedure, not facts."""
        steps = [i for i in items if i.bullet and not i.children]
        if len(steps) != len(items):
            return False
        ok, numbered = self.steps_qualify(chunk, steps, lines, title)
        if ok:
            self.add_procedure(chunk, node, title, steps, lines, numbered)
        return ok

    def step_runs(self, node: Node, items: list[Item], chunk: Chunk, lines: list[int]) -> set[int]:
        """Runs of top-level one-line items that are a procedure's steps; returns their positions."""
        taken: set[int] = set()
        n = 0
        while n < len(items):
            end = n
            numbered = self.raw.numbered(chunk.source, lines[items[n].index])
            while (
                end < len(items)
                and items[end].bullet
                and not items[end].children
                and self.raw.numbered(chunk.source, lines[items[end].index]) == numbered
            ):
                end += 1
            run = items[n:end]
            before = items[n - 1] if n > 0 and not items[n - 1].bullet else None
            lead = before.text if before is not None else ""
            ok, numbered = self.steps_qualify(chunk, run, lines, lead) if run else (False, False)
            if ok:
                title = before.text if before is not None and before.text.rstrip().endswith(":") else ""
                self.add_procedure(chunk, node, title, run, lines, numbered)
                taken |= set(range(n, end))
                if before is not None:
                    taken.add(n - 1)  # the scenario or lead-in before the steps is not a fact
            n = max(end, n + 1)
        return taken

    def add_fact(self, node: Node, text: str, chunk: Chunk, line: int) -> None:
        if self.raw.is_link(chunk.source, line) or keyword_answer(text) or not_a_fact(text):
            return  # "[Permissions boundaries for IAM entities](…)"; "App users → Cognito."; "Why KMS?"
        text = self.templates.strip(tidy(_SEE_ALSO.sub("", flashcard(text))))
        if text:
            node.facts.append(Fact(capitalized(text), chunk, node, line=line))

    def attach(self, node: Node, items: list[Item], chunk: Chunk, lines: list[int]) -> None:
        steps = self.step_runs(node, items, chunk, lines)
        options = inline_options(
            [i.text if i.bullet and not i.children and n not in steps else "" for n, i in enumerate(items)]
        )
        for n, item in enumerate(items):
            text = item.text
            if n in steps:
                continue
            if n in options:  # "Governance mode: …" beside "Compliance mode: …": options of Object Lock
                label, said = options[n]
                self.add_fact(node.child(label, "inline"), said, chunk, lines[item.index])
                continue
            if not item.children:
                if not_a_fact(text):
                    continue
                if item.bullet:
                    self.add_fact(node, text, chunk, lines[item.index])
                elif _ARROW_LABEL.match(text):  # its later sentences leave the name out
                    self.add_fact(node, strip_symbols(text), chunk, lines[item.index])
                elif not text.rstrip().endswith(":"):
                    card = flashcard(text)  # a card's answer is read whole, with its question
                    for sentence in [strip_symbols(card)] if card != text else sentences(strip_symbols(text)):
                        self.add_fact(node, sentence, chunk, lines[item.index])
                continue
            if memory_aid(text) or record_section(text) or retired_section(text):
                continue  # "Mnemonic:" and the aids under it; "Action items:" and the tasks under it
            if _short_list(item.children) and not not_a_fact(text):
                node.facts.append(self.list_fact(text, item.children, chunk, node, lines))
            elif not self.procedure(chunk, node, text, item.children, lines):
                turn = speaker_turn(text)  # "[00:04:50] **Tom:**" and what he said: facts of the topic
                child = node
                if turn is None or (turn and choice_key(turn) != choice_key(node.label)):
                    child = node.child(turn or text, "bullet" if item.bullet else "para")
                self.attach(child, item.children, chunk, lines)


def build_outline(
    chunks: Sequence[Chunk],
    raw_notes: Mapping[str, str] | None = None,
    generic: frozenset[str] = frozenset(),
    imperative: Callable[[str], bool] = lambda text: False,
) -> Outline:
    """The notes' topics, procedures and tables; only chunks that state facts are read.

    ``raw_notes`` (source -> the note as written) tell each fact's line and which lists are numbered;
    ``generic`` holds the keys (:func:`~indexer.reading.roles.heading_key`) of generic headings;
    ``imperative`` tells a step ("create a snapshot") from a statement."""
    builder = _Builder(RawLines(raw_notes or {}), generic, imperative, Templates.of(chunks))
    for chunk in chunks:
        if chunk.role is ChunkRole.TEXT:
            builder.add(chunk)
    return builder.outline
