"""How a question shows its topic without naming its answer, where the notes state each choice, and the
last checks before a question is made (nothing shown names the answer; everything reads as English)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from indexer.model import Chunk
from indexer.quiz.facts import Fact, Node
from indexer.quiz.fairness import is_acronym
from indexer.quiz.question import (
    ChoiceNote,
    QuestionKind,
    QuizQuestion,
    choice_key,
    clean_heading,
    new_question,
    shuffled,
)
from indexer.quiz.terms import mentions, terms_in
from indexer.quiz.topics import Topics, TopicSet

SNIPPET_CHARS = 240
"""How much of the notes a choice's explanation quotes."""
CONTEXT = "From your notes on {}"
CONTEXT_PLAIN = "From your notes"
CODED = (QuestionKind.ORDER, QuestionKind.SELECT_TWO, QuestionKind.MATCH)
"""Kinds whose choices are codes for the items shown (``B, A, C``, ``A and C``, ``1-B, 2-A``)."""
_LABEL = re.compile(r"^[A-Z0-9]{1,2}\. ")

LONGEST_BY_FAR = 1.7
"""A right answer this many times as long as the longest wrong one (and a sentence's worth) stands out."""
LONG_ANSWER_CHARS = 30


def longest_by_far(answer: str, distractors: Sequence[str], min_chars: int = LONG_ANSWER_CHARS) -> bool:
    """Whether the right answer is the one long, qualified choice ("advanced tier only (shared via RAM)"
    among "yes", "no" …): picked by its length alone. Shorter than ``min_chars``, a short phrase among
    single words, it is not."""
    longest = max((len(d) for d in distractors), default=0)
    return len(answer) >= min_chars and len(answer) >= LONGEST_BY_FAR * max(longest, 1)


SHORT_AMONG_LONG = 3
"""A name of one or two words among cells each this many times as long (and four words longer) is picked
by its shape."""


def odd_shape(answer: str, distractors: Sequence[str]) -> bool:
    """Whether a table cell or a blank's answer is the one bare acronym among phrases ("ABAC" among "Deny
    plain HTTP on S3", "Require MFA for destructive actions"…), the one short name among sentences, or
    the one phrase among bare acronyms ("client-side encryption" among SSE-C, SSE-KMS): picked by its
    shape alone. (Service names are no phrases: "EBS" among
    "AWS Backup" and "S3 Glacier" is fair.)"""
    if not distractors:
        return False
    if _bare_acronym(answer):
        return all(len(d.split()) >= 2 for d in distractors)
    words = len(answer.split())
    if words <= 2 and all(len(d.split()) >= max(SHORT_AMONG_LONG * words, words + 4) for d in distractors):
        return True  # "IP Range" among "Must be edited to add routes from subnets to the IGW, …"
    return words >= 2 and all(_bare_acronym(d) or _CAPITALS.fullmatch(d) for d in distractors)


_CAPITALS = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")
"""A name of capitals in parts (``SSE-KMS``, ``DSSE-KMS``): among them "client-side encryption" stands out."""
_QUOTED = re.compile(r"“(.*)”")
_PREDICATE_BLANK = re.compile(r"\b(?:is|are)\s+_{2,}\W*$")


def _stands_alone(prompt: str) -> bool:
    """Whether a blank's sentence says what it is about without a heading: the blank is its subject
    ("____ is object-based") or what it is ("… is ____"), or it names another AWS term."""
    found = _QUOTED.search(prompt)
    sentence = (found.group(1) if found else prompt).strip()
    if sentence.startswith("_") or _PREDICATE_BLANK.search(sentence):
        return True
    return bool(terms_in(re.sub(r"_{2,}", " ", sentence)))


def _bare_acronym(cell: str) -> bool:
    """A cell that is one acronym, maybe plural (``ABAC``, ``ACLs``)."""
    return is_acronym(cell.strip().removesuffix("s"))


class Presenter(Topics):
    """Topics, able to make a question: its context line, its explanations, its last checks."""

    def context_line(
        self,
        node: Node,
        chunk: Chunk,
        shown: str,
        answer_index: int,
        choices: Sequence[str],
        items: Sequence[str] = (),
    ) -> str:
        """The one line saying where a question is from, naming no choice more than the others, and no
        item shown (a match's term: the line would say which definition is its): the topic, else a
        broader heading, else the note's title, else no place at all."""
        candidates = [self.topic_label(node)]
        chain = [n for n in (*reversed(node.ancestors()), node) if n.shown]
        served = [i for i, n in enumerate(chain) if self.is_service_node(n)]
        if served:  # above a service heading the notes may nest it anywhere ("S3 Encryption › RDS")
            candidates.append(chain[served[-1]].shown)
        else:
            candidates += [n.shown for n in reversed(chain[:-1])]
        title = (
            clean_heading(chunk.headings[0]) if chunk.headings and chunk.headings[0] != chunk.source else ""
        )
        candidates.append(title)
        said = choice_key(shown)
        for candidate in candidates:
            if not candidate or choice_key(candidate) in said:
                continue  # none, or said already ("Under “S3 Encryption for Objects”, which …")
            line = CONTEXT.format(candidate)
            if self.words.leaks(f"{shown}\n{line}", answer_index, choices):
                continue
            if any(mentions(candidate, c) for c in choices):
                continue
            if any(_names_item(candidate, item) for item in items):
                continue
            return line
        return CONTEXT_PLAIN

    def fact_note(self, fact: Fact) -> ChoiceNote:
        first, last = fact.citation
        return ChoiceNote(fact.chunk.source, first, last, self.topic_label(fact.node), _short(fact.text))

    def node_note(self, node: Node) -> ChoiceNote | None:
        """Where the notes put a topic: its facts' chunk, quoting its first facts."""
        facts = list(node.subtree_facts())
        if not facts:
            return None
        chunk = facts[0].chunk
        same = [f.text for f in facts if f.chunk is chunk][:3]
        return ChoiceNote(
            chunk.source, chunk.line_start, chunk.line_end, self.topic_label(node), _short("; ".join(same))
        )

    @cached_property
    def naming(self) -> dict[str, list[Fact]]:
        """Each term of the quiz's table -> the facts that name it, in the notes' order."""
        found: dict[str, list[Fact]] = {}
        for fact in self.facts:
            for term in self.fact_terms[id(fact)]:
                found.setdefault(term, []).append(fact)
        return found

    def term_note(self, name: str, avoid: Fact | None = None) -> ChoiceNote | None:
        """Where the notes mention a term (its own section first), or None."""
        nodes = self.services.get(name)
        if nodes:
            return self.node_note(nodes[0])
        for fact in self.naming.get(name, ()):
            if fact is not avoid:
                return self.fact_note(fact)
        return None

    def section_of(self, chunk: Chunk, node: Node) -> Node:
        """The node of the cited chunk's own heading path (what a question's topic is), else ``node``."""
        return self.outline.sections.get((chunk.source, chunk.line_start, chunk.line_end), node)

    def finish(
        self,
        kind: QuestionKind,
        qid: str,
        prompt: str,
        answer: str,
        distractors: Sequence[str],
        chunk: Chunk,
        node: Node,
        *,
        items: Sequence[str] = (),
        answer_note: ChoiceNote | None = None,
        notes: Sequence[ChoiceNote | None] = (),
        about: Node | None = None,
        subject: str = "",
    ) -> QuizQuestion | None:
        """The question citing ``chunk``, about ``node`` (its topic: the chunk's section); None when what
        it shows names its answer more than the other choices, or is not readable. ``about``: the
        subject the prompt asks about, which the context line names instead of ``node`` (a statement
        question's answer is under a sub-heading of it the line would give away). ``subject``: what every
        choice is one of (a table's title), whose words tie no choice more than another."""
        choices, answer_index = shuffled(qid, answer, distractors)
        shown = "\n".join((prompt, *items))
        if self.words.leaks(shown, answer_index, choices, subject) or longest_by_far(answer, distractors):
            return None
        if kind in (QuestionKind.TABLE, QuestionKind.CLOZE) and odd_shape(answer, distractors):
            return None
        coded = kind in CODED
        texts = (prompt, *(_LABEL.sub("", i) for i in items), *(() if coded else choices))
        if not all(self.readability.readable(text) for text in texts):
            return None
        context = self.context_line(about or node, chunk, shown, answer_index, choices, items)
        if kind is QuestionKind.CLOZE and context == CONTEXT_PLAIN and not _stands_alone(prompt):
            return None  # "Unencrypted and encrypted using ____ are replicated": replicated where?
        return new_question(
            kind,
            qid,
            prompt,
            answer,
            distractors,
            chunk,
            items=items,
            context=context,
            topic=self.topic_label(self.section_of(chunk, node)),
            answer_note=answer_note,
            notes=notes,
        )

    def finish_fact(
        self,
        kind: QuestionKind,
        qid: str,
        prompt: str,
        answer: str,
        distractors: Sequence[str],
        fact: Fact,
        *,
        notes: Sequence[ChoiceNote | None] = (),
        node: Node | None = None,
        about: Node | None = None,
    ) -> QuizQuestion | None:
        """:meth:`finish` for a question about one fact: citing its chunk, explaining the answer by it."""
        return self.finish(
            kind,
            qid,
            prompt,
            answer,
            distractors,
            fact.chunk,
            node or fact.node,
            answer_note=self.fact_note(fact),
            notes=notes,
            about=about,
        )

    def subject_node(self, topics: TopicSet, node: Node) -> Node:
        """The node of what a statement question asks about: the answer topic's own section that holds
        ``node`` (a service's heading, a sibling option's label), never the sub-heading under it."""
        holding = [n for n in topics.answer.nodes if n is node or n in node.ancestors()]
        return (holding or topics.answer.nodes or [node])[0]


def _names_item(candidate: str, item: str) -> bool:
    """Whether a context line's topic names a shown item (``Inspector › For Lambda functions`` names
    the item ``1. For Lambda functions``)."""
    text = choice_key(_LABEL.sub("", item))
    return len(text) >= 3 and text in choice_key(candidate)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
