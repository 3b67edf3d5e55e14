"""The notes' topics as a tree: headings, sub-headings and bullet labels, each with the facts listed under
it (the items of a chunk's text), which questions are read off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from indexer.model import Chunk
from indexer.quiz.question import choice_key, display_label, tidy

_BULLET_LINE = re.compile(r"^( *)• (.*)$")
LIST_ITEM_WORDS = 4
"""Sub-bullets of at most this many words are read as a list (``integrates with: ELB, CloudFront``)."""


@dataclass
class Item:
    text: str
    level: int
    bullet: bool
    children: list[Item] = field(default_factory=list)


def parse_items(text: str) -> list[Item]:
    """A chunk's text as a bullet tree; a paragraph ending in ``:`` adopts the bullets after it."""
    flat: list[Item] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _BULLET_LINE.match(line)
        if m:
            flat.append(Item(m.group(2).strip(), len(m.group(1)) // 2, True))
        elif line.startswith(" ") and flat:
            flat[-1].text += " " + line.strip()  # continuation of a multi-line item
        else:
            flat.append(Item(line.strip(), 0, False))
    roots: list[Item] = []
    stack: list[Item] = []
    for item in flat:
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


@dataclass(eq=False)
class Node:
    label: str
    kind: str
    """``heading`` (a ``#`` heading), ``bold`` (a bold line used as a heading), ``bullet`` (a bullet with
    sub-bullets) or ``para`` (a line ending in ``:`` with bullets under it). Only nodes of one kind under
    one parent are options side by side."""
    parent: Node | None = None
    children: dict[str, Node] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

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

    @property
    def shown(self) -> str:
        return display_label(self.label)

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


def _short_list(items: list[Item]) -> bool:
    return len(items) >= 2 and all(
        not c.children and c.bullet and len(c.text.split()) <= LIST_ITEM_WORDS for c in items
    )


def _same_label(text: str, label: str) -> bool:
    a, b = choice_key(text), choice_key(label.rstrip("…"))
    return bool(b) and (a == b or (label.endswith("…") and a.startswith(b)))


def _list_fact(label: str, items: list[Item], chunk: Chunk, node: Node) -> Fact:
    return Fact(f"{tidy(label)}: {', '.join(tidy(c.text) for c in items)}", chunk, node, True)


def build_tree(chunks: Sequence[Chunk]) -> Node:
    """The notes' topics as a tree: headings and sub-headings, each with the facts listed under it."""
    root = Node("", "heading")
    for chunk in chunks:
        items = parse_items(chunk.text)
        node = root
        last = len(chunk.headings) - 1
        for i, heading in enumerate(chunk.headings):
            if i <= chunk.title_from:
                kind = "heading"
            elif i == last and items and _same_label(items[0].text, heading):
                kind = "bullet" if items[0].bullet else "para"
            else:
                kind = "bold" if i == chunk.title_from + 1 else "bullet"
            node = node.child(heading, kind)
        if node.kind in ("bullet", "para") and items and _same_label(items[0].text, node.label):
            head = items.pop(0)
            items = head.children + items
            if _short_list(items):
                node.facts.append(_list_fact(head.text, items, chunk, node))
                continue
        _attach(node, items, chunk)
    return root


def _attach(node: Node, items: list[Item], chunk: Chunk) -> None:
    for item in items:
        if not item.children:
            if item.bullet:
                node.facts.append(Fact(tidy(item.text), chunk, node))
        elif _short_list(item.children):
            node.facts.append(_list_fact(item.text, item.children, chunk, node))
        else:
            _attach(node.child(item.text, "bullet" if item.bullet else "para"), item.children, chunk)
