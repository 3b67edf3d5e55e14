"""The notes as topics and facts for questions: where a fact belongs, which other topics it could be
confused with, which facts are fit to ask about (readable, specific, said under one topic only), how a
question names its topic without naming its answer, and where the notes state each choice."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indexer.model import Chunk
from indexer.quiz.checks import TERM_TOKEN, RawCheck, Readability, Similarity
from indexer.quiz.facts import LIST_LABELS, Fact, Node, build_outline
from indexer.quiz.fairness import Neighbours, Words, is_imperative, own_words_in, plausible_for, stopwords
from indexer.quiz.features import feature_names, is_pricing, repeated_lines
from indexer.quiz.notfacts import announces, bare_list, leans_on_context
from indexer.quiz.options import lists_each_other, of_a_kind
from indexer.quiz.question import (
    MAX_CHOICES,
    MIN_CHOICES,
    capitalized,
    choice_key,
    clean_heading,
    display_label,
    spaced,
)
from indexer.quiz.terms import (
    compares,
    family_of,
    first_word,
    heading_service,
    mentions,
    same_meaning,
    service_name,
    strip_label,
    subject_blanked,
    term_named,
    terms_in,
)
from indexer.reading.roles import generic_headings
from indexer.search.tokenize import Tokenizer, TokenizerSettings

MAX_FACT_CHARS = 220
"""A longer fact is not asked about: too much to read in a question."""
MAX_OPTION_WORDS = 6
"""A sub-list label of more words is a sentence, not a name to offer as a choice."""
_CONTINUATION = re.compile(
    r"(?i)(then|and then|also|but|so|this|that|it|they|these|those|another|other)\b"
    r"|(?:\w+\s+){1,3}(?:this|these|those|it|them)\b"
    r"|ones\b|one\s+(?:for|of|per|with|in|on|at|to|from|that|which|who|where|is|are|was|can|must|should"
    r"|will|may|does|has|gets?|uses?|needs?)\b"
)
"""A fact starting like this leans on the one before it ("then store in code", "by doing this …", "one
for the master node": *one* stands for a thing named before)."""
CROSS_CUTTING = 2
"""A service the notes name under this many other services' sections is one many services use."""
SHARED_FACT, SHARED_BACK = 0.6, 0.4
"""Two facts say the same thing when each holds this much of the other's (weighted) words."""
COVERED = 0.3
"""A topic could also be the answer when its notes hold this much of a fact's (weighted) words…"""
RAREST = 3
"""Facts that may say the same thing are looked for among those sharing one of a fact's rarest words."""
RARE_DF = 2
"""…or any word of the fact that the notes use in at most this many facts (``asymmetric``)."""
_NEGATION = re.compile(
    r"(?i)\b(?:no|not|never|cannot|can't|doesn't|don't|isn't|aren't|won't|without|nothing|none)\b|n't\b"
)
"""A negative fact ("Parameter Store has no built-in rotation") is true of many other things too."""
_PRONOUN = re.compile(r"(?i)\b(?:it|them|this|these|those)\b")
_DEMONSTRATIVE = re.compile(r"(?i)\b(?:this|these|(?:either|neither) one)\b|\bthe same\b(?!.*\bas\b)")
"""``regardless of this VPC``, ``has the same dependency``, ``either one could be denying``: the thing it
points back to is not shown."""
SHORT_FACT_WORDS = 10
"""A short fact with "it" or "this" in it leans on what was said before it."""


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
        self.chunks = list(chunks)
        self.raw_notes = raw_notes or {}
        """source -> the note as written, when at hand."""
        self.outline = build_outline(chunks, raw_notes, generic_headings(chunks), is_imperative)
        self.tree = self.outline.root
        self.tokenizer = Tokenizer(settings or TokenizerSettings.default())
        self.facts = list(self.tree.subtree_facts())
        self.nodes = list(self.tree.descendants())
        self.sim = Similarity([f.text for f in self.facts], self.tokenizer)
        self.words = Words(self.tokenizer)
        self.stop = stopwords()
        self.neighbours = Neighbours(c.text for c in chunks)
        labels = [n.label for n in self.nodes] + [c for t in self.outline.tables for c in t.header]
        self.readability = Readability(chunks, labels)
        self.corpus_terms: Counter[str] = Counter()
        for chunk in chunks:
            self.corpus_terms.update(t.name for t, _, _ in terms_in(chunk.heading + "\n" + chunk.text))
        raw = RawCheck(raw_notes, guesses)
        self.doubtful = {id(f) for f in self.facts if raw.doubtful(f)}
        self.doubtful_labels = {n.label for n in self.nodes if raw.doubtful_label(n)}
        self.services: dict[str, list[Node]] = {}
        self.prefixed: set[int] = set()
        """Headings that start with a service's name ("KMS Multi Region Keys"): about it, but not the
        headings under them (notes nest unrelated sections under such a heading)."""
        for node in self.nodes:
            if node.label in self.doubtful_labels:
                continue
            name = service_name(node.shown)
            if name is None and node.kind == "heading":
                name = heading_service(node.shown)
                if name:
                    self.prefixed.add(id(node))
            if name:
                self.services.setdefault(name, []).append(node)
        self._service_of: dict[int, str | None] = {}
        self._vocab: dict[int, frozenset[str]] = {}
        self.fact_terms = {id(f): {t.name for t, _, _ in terms_in(f.text)} for f in self.facts}
        self._fact_words: list[tuple[Fact, str]] | None = None
        self._similar: dict[int, list[Fact]] = {}
        self._by_term: dict[str, list[Fact]] | None = None
        self._cross: frozenset[str] | None = None
        self._features: dict[str, frozenset[frozenset[str]]] = {}
        self._repeated: frozenset[str] | None = None
        self._offered: Counter[str] = Counter()
        """How often each statement was offered as a wrong choice so far (spread over the bank)."""
        self._pools: dict[tuple[str, str, int], list[tuple[Topic, str, Fact]]] = {}
        """Per answer topic: the other topics' statements fit to offer as wrong for it."""
        self._said_of_many: dict[str, bool] = {}

    def readable(self, fact: Fact, shown: Shown) -> bool:
        """Readable English, and not a line the cleaner may have changed into other words."""
        return (
            id(fact) not in self.doubtful
            and shown.prefix not in self.doubtful_labels
            and self.readability.readable(shown.text)
        )

    def label_ok(self, node: Node) -> bool:
        """A heading or sub-list label fit to be a choice: a name, not a sentence ("finding type names read
        ThreatPurpose…" beside "severity bands"), readable, and no word of it a cleaner's guess."""
        shown = node.shown
        named = bool(shown) and len(shown.split()) <= MAX_OPTION_WORDS
        return named and node.label not in self.doubtful_labels and self.readability.readable(shown)

    def is_service_node(self, node: Node) -> bool:
        """Whether a node is a service's own section (not a section under one)."""
        name = self.service_of(node)
        return bool(name) and node in self.services.get(name or "", [])

    def topic_label(self, node: Node) -> str:
        """The nearest service heading and the fact's sub-topic (``AWS STS › SAML Federation``; a list's label
        with its heading, ``VPC › NAT Instance › Inbound``), else the last two headings; no unrelated parent
        ("S3 Encryption › RDS" is "RDS"; "RDS Overview › IAM Authentication" keeps the service's section)."""
        chain = [n for n in (*reversed(node.ancestors()), node) if n.shown]
        if not chain:
            return ""
        service = next((n for n in reversed(chain) if self.is_service_node(n)), None)
        if service is not None:
            below = chain[chain.index(service) + 1 :]
            labelled = len(below) >= 2 and below[-1].kind in LIST_LABELS and below[-2].kind == "heading"
            parts = [service.shown] + [n.shown for n in below[-2 if labelled else -1 :]]
            if id(service) in self.prefixed:  # "IAM Authentication", named after IAM, in RDS's section
                above = chain[: chain.index(service)]
                outer = next((n for n in reversed(above) if self.is_service_node(n)), None)
                own = first_word(self.service_of(service) or "")
                if outer is not None and first_word(self.service_of(outer) or "") != own:
                    parts.insert(0, outer.shown)
        else:
            parts = [n.shown for n in chain[-2:]]
        return " › ".join(dict.fromkeys(p for p in parts if p))

    # -- shared helpers ----------------------------------------------------------------------------

    def vocabulary(self, node: Node) -> frozenset[str]:
        """Every content word of a topic: its facts and labels, those of everything under it, and those of
        facts elsewhere that name it ("HTTPS is required for CSE", said beside the CSE sub-list)."""
        found = self._vocab.get(id(node))
        if found is None:
            words: set[str] = set(self.sim.terms(node.label))
            shown = node.shown
            naming = [f for f in self.facts_naming(shown) if f.node is not node]
            for fact in [*node.subtree_facts(), *naming]:
                words |= self.sim.terms(fact.text)
            for child in node.descendants():
                words |= self.sim.terms(child.label)
            found = self._vocab[id(node)] = self.sim.loose(words)
        return found

    def facts_naming(self, name: str) -> list[Fact]:
        """The facts that name ``name`` (as written, or as a vocabulary term)."""
        if not name:
            return []
        if self._fact_words is None:
            self._fact_words = [(f, spaced(f.text)) for f in self.facts]
        words = [w for w in spaced(re.sub(r"\s*\([^)]*\)", "", name)).split() if w not in ("aws", "amazon")]
        term = term_named(service_name(name) or name)
        return [
            f
            for f, text in self._fact_words
            if (all(w in text for w in words) or (term is not None and term.name in self.fact_terms[id(f)]))
            and mentions(f.text, name)
        ]

    def shown(self, fact: Fact, node: Node, prefix: str) -> Shown:
        if prefix and choice_key(display_label(clean_heading(prefix))) not in choice_key(fact.text):
            head = f"{display_label(clean_heading(prefix))}: "
            return Shown(capitalized(head + fact.text), len(head), prefix)
        return Shown(capitalized(fact.text), 0, "")

    def family(self, node: Node) -> list[Node]:
        """Options side by side: three or more non-heading nodes of one kind under one parent."""
        if node.kind == "heading" or node.parent is None:
            return []
        members = [n for n in node.parent.children.values() if n.kind == node.kind]
        return members if len(members) >= MIN_CHOICES and of_a_kind(members, is_imperative) else []

    def placement(self, fact: Fact) -> tuple[Node, str]:
        """The topic a fact is asked about, and the sub-heading to show before it when it was lifted
        out of a sub-list that has no siblings to choose from."""
        node, prefix = fact.node, ""
        while node.kind != "heading" and not self.family(node) and node.parent is not None:
            prefix = prefix or node.label
            node = node.parent
        return node, prefix

    def service_of(self, node: Node) -> str | None:
        key = id(node)
        if key not in self._service_of:
            found = None
            crossed_heading = False
            for candidate in (node, *node.ancestors()):
                if not (crossed_heading and id(candidate) in self.prefixed):
                    found = next((name for name, nodes in self.services.items() if candidate in nodes), None)
                if found or (candidate.kind == "heading" and compares(candidate.label)):
                    break  # under "Global Accelerator vs CloudFront", the section above is neither
                crossed_heading = crossed_heading or candidate.kind == "heading"
            self._service_of[key] = found
        return self._service_of[key]

    def content_size(self, text: str, telling: bool = False) -> int:
        """How many content words a text has besides the names of services and protocols (``telling``:
        and besides the words most facts use, "encrypt", "use")."""
        names = " ".join(text[s:e] for _, s, e in terms_in(text))
        content = self.sim.terms(text) - self.sim.terms(names)
        if telling:
            content = frozenset(t for t in content if self.sim.df.get(t, 0) < self.sim.common_df)
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
        if bare_list(text.split(": ")[-1]):
            return False  # "serverless, scalable, durable": true of many services; "TCP, TLS & UDP": of what?
        if len(text.split()) < SHORT_FACT_WORDS and _PRONOUN.search(text):
            return False  # "must have an Elastic IP attached to it": it is said before
        if _DEMONSTRATIVE.search(text):
            return False  # "regardless of this VPC's gateway": the scenario it speaks of is not shown
        return size >= 2 and (len(text.split()) >= 4 or size >= 3) and len(text) <= MAX_FACT_CHARS

    def similar(self, fact: Fact) -> list[Fact]:
        """The other facts that say (nearly) the same thing: each holds most of the other's (weighted)
        words. Worked out per fact when first asked (a large corpus asks about few of its facts)."""
        found = self._similar.get(id(fact))
        if found is None:
            if self._by_term is None:
                self._by_term = {}
                for f in self.facts:
                    for term in self.sim.terms(f.text):
                        self._by_term.setdefault(term, []).append(f)
            seen: dict[int, Fact] = {}
            rare = sorted(
                (t for t in self.sim.terms(fact.text) if self.sim.df.get(t, 0) < self.sim.common_df),
                key=lambda t: (self.sim.df.get(t, 0), t),
            )
            # a fact saying the same thing shares most of the weight, so one of the rarest words
            for term in rare[:RAREST]:
                for other in self._by_term.get(term, ()):
                    seen[id(other)] = other
            found = self._similar[id(fact)] = []
            for o in seen.values():
                if o is not fact:
                    mine, theirs = self.sim.mutual(fact.text, o.text)
                    if mine >= SHARED_FACT and theirs >= SHARED_BACK:
                        found.append(o)
        return found

    def shared(self, fact: Fact, topics: Iterable[Topic]) -> bool:
        """Whether the notes say (nearly) the same thing under one of ``topics`` too ("KMS provide
        encryption at rest" under both RDS and Aurora): then neither is the one right answer."""
        similar = [o for o in self.similar(fact) if o.node is not fact.node]
        if not similar:
            return False
        under = {id(n) for t in topics for top in t.nodes for n in (top, *top.descendants())}
        return any(id(o.node) in under for o in similar)

    def said_elsewhere(self, fact: Fact) -> bool:
        """Whether the notes say (nearly) the same thing under another heading anywhere."""
        return any(o.node is not fact.node for o in self.similar(fact))

    def could_be(self, text: str, nodes: list[Node], name: str = "") -> bool:
        """Whether a learner could fairly answer ``nodes`` (a topic) for this fact, by the notes, or by
        AWS documentation (which writes the topic's name with the fact's words)."""
        rare = self.sim.loose(
            t for t in self.sim.terms(text) if self.sim.df.get(t, 0) <= RARE_DF and len(t) >= 4
        )
        for node in nodes:
            vocabulary = self.vocabulary(node)
            if self.sim.coverage(text, vocabulary) >= COVERED or rare & vocabulary:
                return True
            if mentions(text, node.shown):
                return True
        if name and (mentions(text, name) or plausible_for(name, text, self.stop)):
            return True
        return False

    # -- topics to choose from -----------------------------------------------------------------------

    def topic_set(self, fact: Fact, node: Node, shown: Shown, blank_subject: bool = False) -> TopicSet | None:
        """The topic a fact belongs to and the other topics it could be confused with: its sibling options
        (``SSE-C`` among ``SSE-S3``, ``SSE-KMS``, ``CSE``), else the AWS services with notes of their own."""
        family = self.family(node)
        if family and not all(self.is_service_node(n) for n in family):
            text = strip_label(shown.text, node.shown)
            if mentions(text, node.shown) or not self.label_ok(node):
                return None
            overlapping = lists_each_other(self.words, family, node)
            others = [
                Topic(n.shown, [n])
                for n in family
                if n is not node
                and choice_key(n.shown) != choice_key(node.shown)
                and self.label_ok(n)
                and id(n) not in overlapping
            ]
            parent = node.parent.shown if node.parent else ""
            if not parent or leans_on_context(parent):
                return None  # options under no heading, or under "It has": nothing to name them by
            return TopicSet(Topic(node.shown, [node]), others, text, f"Under “{parent}”, ", "")
        answer = self.service_of(node)
        if answer is None or not self.readability.readable(answer):
            return None
        own = self.services[answer]
        text = shown.text
        for n in own:
            text = strip_label(text, n.shown)
        if any(mentions(text, n.shown) for n in own) or mentions(text, answer):
            text = (subject_blanked(text, answer) if blank_subject else None) or ""  # prose: "____ is …"
            if not text or any(mentions(text, n.shown) for n in own) or mentions(text, answer):
                return None
        if self._starts_with_other_service(text, answer):
            return None  # "KMS => AWS manages the software" is said under CloudHSM but is about KMS
        related = {a for n in own for a in (n, *n.ancestors(), *n.descendants())}
        answer_term = term_named(answer)
        first = first_word(answer)
        others = [
            Topic(name, nodes)
            for name, nodes in self.services.items()
            if name != answer
            and first_word(name) != first  # Kinesis Data Streams and Kinesis Data Firehose share much
            and not any(n in related for n in nodes)
            and not (answer_term and same_meaning(answer_term, term_named(name)))
            and self.readability.readable(name)
        ]
        return TopicSet(Topic(answer, own), others, text, "", answer_term.family if answer_term else "")

    def pick_topics(self, topics: list[Topic], family: str, rng: random.Random, part: Node) -> list[Topic]:
        """Up to three distractor topics, of the answer's family if known, never one part of another (Shield,
        Shield Advanced); first those filed in the part of the notes ``part`` (the answer's node) is in."""
        topics = [t for t in topics if not family or family_of(t.name) == family]
        rng.shuffle(topics)
        topics.sort(key=lambda t: not any(n.path[:1] == part.path[:1] for n in t.nodes))
        picked: list[Topic] = []
        for topic in topics:
            near = {a for n in topic.nodes for a in (n, *n.ancestors(), *n.descendants())}
            if any(n in near for p in picked for n in p.nodes):
                continue
            if any(mentions(topic.name, p.name) or mentions(p.name, topic.name) for p in picked):
                continue
            picked.append(topic)
        return picked[: MAX_CHOICES - 1]

    def feature_names(self, topic: Topic) -> frozenset[frozenset[str]]:
        """See :func:`indexer.quiz.features.feature_names`."""
        if topic.name not in self._features:
            self._features[topic.name] = feature_names(topic.nodes, self.words.of, topic.name)
        return self._features[topic.name]

    def names_feature_of(self, text: str, topic: Topic, answer: Topic) -> bool:
        """Whether a statement names a feature of ``topic`` that is not also one of ``answer``'s."""
        theirs = self.feature_names(answer)
        return any(n <= self.words.of(text) and n not in theirs for n in self.feature_names(topic))

    def usable(self, fact: Fact, shown: Shown) -> bool:
        """Specific, readable, not boilerplate or a price, not an item of a list its label only announces
        ("In the event of the following: DB instance failure"), nor of one a label negates."""
        text = fact.text
        if shown.prefix and announces(shown.prefix):
            return False
        if any(n.kind != "heading" and self.negative(n.label) for n in (fact.node, *fact.node.ancestors())):
            return False  # under "Not ALL IP traffic is monitored": what follows is what flow logs miss
        usable = self.specific(text) and self.readable(fact, shown)
        return usable and not (self.boilerplate(text) or is_pricing(text))

    def boilerplate(self, text: str) -> bool:
        """See :func:`indexer.quiz.features.repeated_lines`."""
        if self._repeated is None:
            self._repeated = repeated_lines(self.facts)
        return choice_key(text) in self._repeated

    @staticmethod
    def negative(text: str) -> bool:
        """Whether a fact says what something is not or does not do."""
        return bool(_NEGATION.search(text))

    def same_names(self, text: str, nodes: list[Node]) -> bool:
        """Whether a sibling option's notes name a service or protocol the fact names: options side by
        side that both use KMS ("AWS KMS provides server side encryption", "can encrypt the delivery
        stream with KMS") are not told apart by it."""
        names = {t for t in self.sim.terms(text) if t.startswith(TERM_TOKEN)}
        return any(names & self.vocabulary(n) for n in nodes)

    def names_any_service(self, text: str) -> bool:
        return any(t.kind == "service" or t.name in self.services for t, _, _ in terms_in(text))

    def names_subject(self, text: str, subject: str) -> bool:
        """Whether a text names a subject by its words or its aliases' (``TLS certificates`` ~ ACM, the
        Certificate Manager; ``emrfs`` ~ EMR)."""
        names = self.words.names(subject)
        if own_words_in(text, subject):
            return True  # "new buckets are private": S3's own word
        return bool(self.words.of(text) & names or self.words.prefixed(text, [names]))

    def uses_any(self, topic: Topic, names: Iterable[str]) -> bool:
        """Whether the notes about a topic name any of these services."""
        wanted = set(names)
        return any(wanted & self.fact_terms[id(f)] for n in topic.nodes for f in n.subtree_facts())

    def cross_cutting(self) -> frozenset[str]:
        """Services the notes bring up under several other services (KMS, IAM, EventBridge): a fact
        naming one ("send findings to EventBridge") is likely true of services the notes don't say it of."""
        if self._cross is None:
            seen: dict[str, set[str]] = {}
            for fact in self.facts:
                owner = self.service_of(fact.node)
                for name in self.fact_terms[id(fact)]:
                    if owner and name != owner:
                        seen.setdefault(name, set()).add(owner)
            self._cross = frozenset(n for n, owners in seen.items() if len(owners) >= CROSS_CUTTING)
        return self._cross
