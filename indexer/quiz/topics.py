"""The notes as topics and facts for questions: where a fact belongs, which other topics it could be
confused with, and which facts are fit to ask about (readable, specific, said under one topic only)."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indexer.model import Chunk
from indexer.quiz.checks import TERM_TOKEN, RawCheck, Readability, Similarity
from indexer.quiz.facts import Fact, Node, build_tree
from indexer.quiz.question import MAX_CHOICES, MIN_CHOICES, capitalized, choice_key, display_label
from indexer.quiz.terms import Term, mentions, service_name, strip_label, term_named, terms_in
from indexer.search.tokenize import Tokenizer, TokenizerSettings

MAX_FACT_CHARS = 220
"""A longer fact is not asked about: too much to read in a question."""
_CONTINUATION = re.compile(r"(?i)(then|and then|also|but|so)\b")
"""A fact starting like this continues the one before it ("then store in code")."""
SHARED_FACT = 0.6
SHARED_BACK = 0.4
"""Two facts say the same thing when each holds this much of the other's (weighted) words."""
COVERED = 0.3
"""A topic could also be the answer when its notes hold this much of a fact's (weighted) words…"""
RARE_DF = 2
"""…or any word of the fact that the notes use in at most this many facts (``asymmetric``)."""


@dataclass(frozen=True)
class Shown:
    """A fact as a prompt shows it: ``text``, of which ``text[own:]`` is the fact's own words."""

    text: str
    own: int
    prefix: str


@dataclass(frozen=True)
class Topic:
    """A choice of a ``which`` or ``statement`` question: its name, and the parts of the notes about it."""

    name: str
    nodes: list[Node]


@dataclass(frozen=True)
class TopicSet:
    """The topic a fact belongs to, and the topics it could be confused with."""

    answer: Topic
    others: list[Topic]
    text: str
    """The fact as the question shows it (its own topic's label stripped from its start)."""
    scope: str
    """``Under “S3 Encryption for Objects”, `` for sibling options; empty for services."""
    family: str
    """The answer service's family (for plausible distractors), when it is a service."""


class Topics:
    """The notes as a quiz sees them: the fact tree, the services the notes have sections on, which facts
    and labels are fit to show, and which topics a fact could fairly belong to."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        settings: TokenizerSettings | None,
        raw_notes: Mapping[str, str] | None = None,
        guesses: Mapping[str, Mapping[int, Sequence[str]]] | None = None,
    ) -> None:
        self.tree = build_tree(chunks)
        self.tokenizer = Tokenizer(settings or TokenizerSettings.default())
        self.facts = list(self.tree.subtree_facts())
        self.nodes = list(self.tree.descendants())
        self.sim = Similarity([f.text for f in self.facts], self.tokenizer)
        self.readability = Readability(chunks, [n.label for n in self.nodes])
        self.corpus_terms: Counter[str] = Counter()
        for chunk in chunks:
            self.corpus_terms.update(t.name for t, _, _ in terms_in(chunk.heading + "\n" + chunk.text))
        raw = RawCheck(raw_notes, guesses)
        self.doubtful = {id(f) for f in self.facts if raw.doubtful(f)}
        self.doubtful_labels = {n.label for n in self.nodes if raw.doubtful_label(n)}
        self.services: dict[str, list[Node]] = {}
        for node in self.nodes:
            name = service_name(node.label) if node.label not in self.doubtful_labels else None
            if name:
                self.services.setdefault(name, []).append(node)
        self._vocab: dict[int, frozenset[str]] = {}
        self.fact_terms = {id(f): {t.name for t, _, _ in terms_in(f.text)} for f in self.facts}

    def readable(self, fact: Fact, shown: Shown) -> bool:
        """Readable English, and not a line the cleaner may have changed into other words."""
        return (
            id(fact) not in self.doubtful
            and shown.prefix not in self.doubtful_labels
            and self.readability.readable(shown.text)
        )

    def label_ok(self, node: Node) -> bool:
        """A heading or sub-list label fit to be a choice: readable, and no word of it a cleaner's guess."""
        return node.label not in self.doubtful_labels and self.readability.readable(node.shown)

    # -- shared helpers ----------------------------------------------------------------------------

    def vocabulary(self, node: Node) -> frozenset[str]:
        """Every content word of a topic: its facts and labels, those of everything under it, and those of
        facts elsewhere that name it ("HTTPS is required for CSE", said beside the CSE sub-list)."""
        found = self._vocab.get(id(node))
        if found is None:
            words: set[str] = set(self.sim.terms(node.label))
            naming = [f for f in self.facts if f.node is not node and mentions(f.text, node.shown)]
            for fact in [*node.subtree_facts(), *naming]:
                words |= self.sim.terms(fact.text)
            for child in node.descendants():
                words |= self.sim.terms(child.label)
            found = self._vocab[id(node)] = self.sim.loose(words)
        return found

    def shown(self, fact: Fact, node: Node, prefix: str) -> Shown:
        if prefix and choice_key(display_label(prefix)) not in choice_key(fact.text):
            head = f"{display_label(prefix)}: "
            return Shown(capitalized(head + fact.text), len(head), prefix)
        return Shown(capitalized(fact.text), 0, "")

    def family(self, node: Node) -> list[Node]:
        """Options listed side by side: non-heading nodes of one kind under one parent, three or more."""
        if node.kind == "heading" or node.parent is None:
            return []
        members = [n for n in node.parent.children.values() if n.kind == node.kind]
        return members if len(members) >= MIN_CHOICES else []

    def placement(self, fact: Fact) -> tuple[Node, str]:
        """The topic a fact is asked about, and the sub-heading to show before it when it was lifted
        out of a sub-list that has no siblings to choose from."""
        node, prefix = fact.node, ""
        while node.kind != "heading" and not self.family(node) and node.parent is not None:
            prefix = prefix or node.label
            node = node.parent
        return node, prefix

    def service_of(self, node: Node) -> str | None:
        for candidate in (node, *node.ancestors()):
            for name, nodes in self.services.items():
                if candidate in nodes:
                    return name
        return None

    def content_size(self, text: str) -> int:
        """How many content words a text has besides the names of services and protocols."""
        names = " ".join(text[s:e] for _, s, e in terms_in(text))
        content = self.sim.terms(text) - self.sim.terms(names)
        return len({t for t in content if not t.isdigit() and not t.startswith(TERM_TOKEN)})

    def _starts_with_other_service(self, text: str, answer: str) -> bool:
        found = terms_in(text)
        return (
            bool(found)
            and found[0][1] == 0
            and found[0][0].name != answer
            and found[0][0].name in self.services
        )

    def specific(self, text: str) -> bool:
        """A fact worth asking about: long enough, and saying more than a name or two."""
        size = self.content_size(text)
        if _CONTINUATION.match(text.split(": ")[-1]):
            return False  # "then store in code": the step before it is missing
        return size >= 2 and (len(text.split()) >= 4 or size >= 3) and len(text) <= MAX_FACT_CHARS

    def shared(self, fact: Fact, topics: Iterable[Topic]) -> bool:
        """Whether the notes say (nearly) the same thing under one of ``topics`` too ("KMS provide
        encryption at rest" under both RDS and Aurora): then neither is the one right answer."""
        for other in (f for t in topics for n in t.nodes for f in n.subtree_facts()):
            if other.node is fact.node or other is fact:
                continue
            if (
                self.sim.overlap(fact.text, other.text) >= SHARED_FACT
                and self.sim.overlap(other.text, fact.text) >= SHARED_BACK
            ):
                return True
        return False

    def could_be(self, text: str, nodes: list[Node], name: str = "") -> bool:
        """Whether a learner could fairly answer ``nodes`` (a topic) for this fact, by the notes."""
        rare = self.sim.loose(
            t for t in self.sim.terms(text) if self.sim.df.get(t, 0) <= RARE_DF and len(t) >= 4
        )
        for node in nodes:
            vocabulary = self.vocabulary(node)
            if self.sim.coverage(text, vocabulary) >= COVERED or rare & vocabulary:
                return True
            if mentions(text, node.shown):
                return True
        return bool(name) and mentions(text, name)

    # -- topics to choose from -----------------------------------------------------------------------

    def topic_set(self, fact: Fact, node: Node, shown: Shown) -> TopicSet | None:
        """The topic a fact belongs to and the other topics it could be confused with: its sibling options
        (``SSE-C`` among ``SSE-S3``, ``SSE-KMS``, ``CSE``), else the AWS services with notes of their own."""
        family = self.family(node)
        if family:
            text = strip_label(shown.text, node.shown)
            if mentions(text, node.shown) or not self.label_ok(node):
                return None
            others = [
                Topic(n.shown, [n])
                for n in family
                if n is not node and choice_key(n.shown) != choice_key(node.shown) and self.label_ok(n)
            ]
            parent = node.parent.shown if node.parent else ""
            return TopicSet(Topic(node.shown, [node]), others, text, f"Under “{parent}”, ", "")
        answer = self.service_of(node)
        if answer is None or not self.readability.readable(answer):
            return None
        own = self.services[answer]
        text = shown.text
        for n in own:
            text = strip_label(text, n.shown)
        if any(mentions(text, n.shown) for n in own) or mentions(text, answer):
            return None
        if self._starts_with_other_service(text, answer):
            return None  # "KMS => AWS manages the software" is said under CloudHSM but is about KMS
        related = {a for n in own for a in (n, *n.ancestors(), *n.descendants())}
        answer_term = term_named(answer)
        others = [
            Topic(name, nodes)
            for name, nodes in self.services.items()
            if name != answer
            and not any(n in related for n in nodes)
            and not (answer_term and _same_meaning(answer_term, term_named(name)))
            and self.readability.readable(name)
        ]
        return TopicSet(Topic(answer, own), others, text, "", answer_term.family if answer_term else "")

    def pick_topics(self, topics: list[Topic], family: str, rng: random.Random) -> list[Topic]:
        """Up to three distractor topics: the answer's family first (more plausible), never two where one
        is part of the other (Shield and Shield Advanced)."""
        topics = list(topics)
        rng.shuffle(topics)
        topics.sort(key=lambda t: not (family and _family_of(t.name) == family))
        picked: list[Topic] = []
        for topic in topics:
            near = {a for n in topic.nodes for a in (n, *n.ancestors(), *n.descendants())}
            if not any(n in near for p in picked for n in p.nodes):
                picked.append(topic)
        return picked[: MAX_CHOICES - 1]

    def usable(self, fact: Fact, shown: Shown) -> bool:
        return self.specific(fact.text) and self.readable(fact, shown)

    def same_names(self, text: str, nodes: list[Node]) -> bool:
        """Whether a sibling option's notes name a service or protocol the fact names: options side by
        side that both use KMS ("AWS KMS provides server side encryption", "can encrypt the delivery
        stream with KMS") are not told apart by it."""
        names = {t for t in self.sim.terms(text) if t.startswith(TERM_TOKEN)}
        return any(names & self.vocabulary(n) for n in nodes)

    def names_any_service(self, text: str) -> bool:
        return any(t.name in self.services for t, _, _ in terms_in(text))


def _same_meaning(a: Term, b: Term | None) -> bool:
    """Whether two terms share a group (TLS, SSL, HTTPS): never choices together."""
    return b is not None and bool(a.groups & b.groups)


def _family_of(name: str) -> str:
    """The family of the term ``name`` is (``threat`` for GuardDuty), empty for names the table lacks."""
    term = term_named(name)
    return term.family if term else ""
