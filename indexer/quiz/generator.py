"""Questions about single facts: ``which`` (which topic is this about), ``statement`` (which of these is
said about this topic) and ``cloze`` (fill the blank); see :mod:`indexer.quiz`."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from functools import cached_property

from indexer.quiz.clozes import Clozes, fact_id, in_enumeration, with_a_rival
from indexer.quiz.facts import Fact, Node
from indexer.quiz.fairness import (
    Neighbours,
    blank_neighbours,
    common_property,
    is_advice,
    is_imperative,
    own_words_in,
    tokens,
)
from indexer.quiz.features import is_pricing
from indexer.quiz.question import BLANK, MAX_CHOICES, MIN_CHOICES, QuestionKind, choice_key
from indexer.quiz.spread import Candidate
from indexer.quiz.terms import Term, family_of, mentions, of_kind_shown, quiz_terms, strip_label, terms_in
from indexer.quiz.topics import MAX_FACT_CHARS, Shown, Topic, TopicSet

MIN_SERVICE_FACT = 3
"""A fact asked as "which service" needs this many content words besides names."""
MIN_TELLING = 2
"""…of which this many are not words most facts use ("encrypt", "use")…"""
MIN_CAPABILITY_FACT = 7
"""…and a capability ("Supports …", "Can …") this many content words: a short one is true of many."""
MIN_STATEMENT = 2
"""A statement offered as a wrong choice needs this many content words besides names…"""
LENGTH_STEP = 25
"""Wrong statements within this many characters of the right one's length count as equally long."""
MAX_STATEMENT_WORDS = 12
"""…and at most this many words, as the right one: a longer one carries its own subject's terms."""
GENERIC = 3
"""A fact that this many other services' notes could also claim is not asked as "which service"."""
MOSTLY_HELD = 0.6
"""A service's notes hold a statement when they hold this share of its (weighted) telling words; a
statement more than ``GENERIC`` services' notes hold is said of many."""
SAID_WITH = 0.45
"""A wrong term is out when the notes say this much of the blank's sentence with it elsewhere…"""
SAID_WITH_BESIDE = 0.35
"""…or this much in the blank's own chunk, where lines side by side speak of one subject ("SSE-S3 objects
are replicated by default" beside "SSE-C objects can be replicated")."""
_ALTERNATIVE_AFTER = re.compile(r"(?i)[ \t]*\(?[ \t]*(?:or|vs\.?|versus)[ \t]+\S")
_ALTERNATIVE_BEFORE = re.compile(
    r"(?i)\b(?:or|vs\.?|versus|like|such as|e\.g\.?|including|rather than|instead of)[ \t]*\(?[ \t]*$"
)
"""A term beside "or"/"vs" (naming its kind), an example ("like ____") or what is not used ("rather than")."""
_ARROW_AFTER = re.compile(r"^\s*(?:=>|->|→|⇒)")
"""A term opening a line with an arrow ("KMS => …") under another topic's heading: said as a contrast."""
_PAIR_BEFORE = re.compile(r"\S\s*\+\s*\S[^.;:+]*\s(?:for|on|in|to|with|of)\s*$", re.IGNORECASE)
"""Two things joined by "+" and what they are for ("LUKS + EMRFS for ____"): the blank may be one's only."""
_EQUALS_AFTER = re.compile(r"^\s*=(?!=)")
"""A name opening a line "Secrets Manager = rotation, replication, …": cue words for telling two services
apart in a takeaway, which other services of its kind may have as well."""
_NAME_GOES_ON = re.compile(r"[ \t]+(?:[A-Z][a-z]+|[A-Z]{2,})\b(?![:.,;])")
_NAME_STARTS = re.compile(r"[a-z0-9,)][ \t]+[A-Z][a-z]+[ \t]+$")
"""A capitalised word just after or before a term: the term is part of a longer name."""
_NUMBER_AFTER = re.compile(r"^[ \t]*(?:\([ \t]*\d+[ \t]*\)|v?\d+\.\d+)")
"""A port or version just after a blank ("____ (22)", "____ 1.2"): it names the term."""
_GLOSS_AFTER = re.compile(r"^[ \t]*\([ \t]*[A-Za-z][^()]*[A-Za-z]{3}[^()]*\)")
"""Words in brackets just after a blank ("____ (block countries)"): the notes' gloss of the term names it."""
_GLOSSED_BEFORE = re.compile(r"\b[a-z]+[ \t]*\([ \t]*$")
"""A blank that is the whole bracket after plain words ("common web exploits (____)"): the words are its
gloss (after a name, "S3 (____)", the bracket says something of the name)."""
_CAPABILITY = re.compile(r"(?i)^\W*(?:\w+\s+){0,2}?(?:can|could|may|supports?|allows?|is able|are able)\b")
"""Words just after a blank that claim a capability: true of the blank's siblings too, often."""
_INTEGRATES_WITH = re.compile(
    r"(?i)\b(?:integrat\w*|works?|plugs? in|connects?)\s+(?:\w+\s+)?(?:with|into|to)\s*$"
)
"""A blank after "can be integrated with" or "works with": one partner of many (Cognito with API Gateway,
and with ALB and AppSync too), so wrong choices of its kind are often right."""


class Generator(Clozes):
    """Makes the single-fact questions of one set of notes."""

    def placed(self) -> list[tuple[Fact, Node, Shown]]:
        out = []
        for fact in self.facts:
            node, prefix = self.placement(fact)
            out.append((fact, node, self.shown(fact, node, prefix)))
        return out

    def single_fact_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        placed = self.placed()
        by_node = self._statements_by_topic(placed)
        cloze_texts: set[str] = set()
        blanks: set[tuple[int, str]] = set()
        for fact, node, shown in placed:
            usable = self.usable(fact, shown)
            topics = self.topic_set(fact, node, shown, blank_subject=True) if usable else None
            made = []
            if topics is not None:
                made.append(self.which_question(fact, node, topics))
                made.append(self.statement_question(fact, topics, by_node))
            if len(shown.text) <= MAX_FACT_CHARS and self.readable(fact, shown) and not is_pricing(fact.text):
                if choice_key(shown.text) not in cloze_texts:
                    cloze = self.quantity_cloze(fact, node, shown, blanks) or self.term_cloze(
                        fact, node, shown, blanks
                    )
                    if cloze is not None:
                        cloze_texts.add(choice_key(shown.text))
                        made.append(cloze)
            out += [c for c in made if c is not None]
        return out

    # -- which ----------------------------------------------------------------------------------------

    def which_question(self, fact: Fact, node: Node, topics: TopicSet) -> Candidate | None:
        text = topics.text
        if self.negative(text):
            return None  # "has no built-in rotation": true of many other topics too
        if not topics.scope and (
            self.content_size(text) < MIN_SERVICE_FACT or self.content_size(text, telling=True) < MIN_TELLING
        ):
            return None  # "seamless encryption using KMS" would fit many services
        if not topics.scope and _CAPABILITY.match(text) and self.content_size(text) < MIN_CAPABILITY_FACT:
            return None  # "Supports both IPv4 and IPv6": so do Transit Gateway, PrivateLink, Route 53
        if self.names_subject(text, topics.answer.name):
            return None  # "replicate secrets …": the fact names its answer
        if not topics.scope and own_words_in(node.shown, topics.answer.name):
            return None  # under "NAT Gateway": about the gateway, not VPC as a whole
        if not topics.scope and self.names_own_feature(text, topics.answer):
            return None  # "…, long polling is preferable": SQS's own feature named, the detail untested
        integration = not topics.scope and bool(self.fact_terms[id(fact)] & self.cross_cutting())
        if integration and not topics.family:
            return None  # "notify through an EventBridge rule": true of many services, kind unknown
        if self.shared(fact, topics.others):
            return None
        in_notes = [self.could_be(text, t.nodes) for t in topics.others]
        if not topics.scope and sum(in_notes) >= GENERIC:
            return None  # several other services' notes say much the same
        could = [
            maybe or self.could_be(text, [], t.name) for t, maybe in zip(topics.others, in_notes, strict=True)
        ]
        named = self.fact_terms[id(fact)] & self.cross_cutting()
        candidates = [
            t
            for t, maybe in zip(topics.others, could, strict=True)
            if not maybe
            and not (topics.scope and self.same_names(text, t.nodes))
            and not (integration and family_of(t.name) == topics.family)  # Macie sends findings there too
            and not (named and self.uses_any(t, named))  # RDS's notes use KMS too
            and of_kind_shown(topics.answer.name, t.name, text)  # "a key-value store": no graph database
        ]
        qid = fact_id(QuestionKind.WHICH, fact)
        picked = self.pick_topics(candidates, topics.family, random.Random(qid), node)
        if len(picked) < MIN_CHOICES - 1:
            return None
        if topics.scope:
            prompt = f"{topics.scope}which one do the notes say this about? “{text}”"
        else:
            prompt = f"Which AWS service do the notes say this about? “{text}”"
        question = self.finish_fact(
            QuestionKind.WHICH,
            qid,
            prompt,
            topics.answer.name,
            [t.name for t in picked],
            fact,
            notes=[self.node_note(t.nodes[0]) for t in picked],
            node=node.parent if topics.scope else node,
        )
        return Candidate(question, frozenset({id(fact)}), 1.0) if question else None

    def names_own_feature(self, text: str, answer: Topic) -> bool:
        """Whether a quote names a feature of the answer's (a heading or label of its notes: "long polling"
        under SQS, "NAT instance" under VPC) that no other service's notes speak of: the name gives the
        service away, and what the quote says of it goes untested."""
        said = self.words.of(text)
        named = [n for n in self.feature_names(answer) if n <= said]
        others = [words for name, words in self.service_words.items() if name != answer.name]
        return any(not any(n <= words for words in others) for n in named)

    @cached_property
    def service_words(self) -> dict[str, frozenset[str]]:
        """Each service's words: of its facts, headings and labels, and everything under them."""
        out: dict[str, frozenset[str]] = {}
        for name, nodes in self.services.items():
            found: set[str] = set()
            for node in nodes:
                for child in (node, *node.descendants()):
                    found |= self.words.of(child.label)
                for fact in node.subtree_facts():
                    found |= self.words.of(fact.text)
            out[name] = frozenset(found)
        return out

    # -- statement ------------------------------------------------------------------------------------

    def _statements_by_topic(
        self, placed: list[tuple[Fact, Node, Shown]]
    ) -> dict[int, list[tuple[Fact, str]]]:
        by_node: dict[int, list[tuple[Fact, str]]] = {}
        for fact, node, shown in placed:
            if not self.usable(fact, shown) or fact.is_list:
                continue
            topic = self.service_of(node) if not self.family(node) else None
            key = id(self.services[topic][0]) if topic else id(node)
            by_node.setdefault(key, []).append((fact, shown.text))
        return by_node

    def said_of_many(self, text: str) -> bool:
        """Whether the notes of several services hold most of a statement's telling words ("SSL provides
        encryption in flight"): true of each of them, so neither a fair answer nor a fair wrong choice."""
        found = self._said_of_many.get(text)
        if found is None:
            holding = sum(
                1
                for nodes in self.services.values()
                if any(self.sim.coverage(text, self.vocabulary(n)) >= MOSTLY_HELD for n in nodes)
            )
            found = self._said_of_many[text] = holding > GENERIC
        return found

    def wrong_statement_ok(self, text: str, answer: Topic, scope: str) -> bool:
        """A statement of another topic that is fit to offer as wrong for ``answer``: specific, naming no
        service (integrations hold for many), and neither the notes nor the documentation say it of
        ``answer``."""
        if self.names_any_service(text) or self.content_size(text) < MIN_STATEMENT or self.negative(text):
            return False
        if not 2 <= len(text.split()) <= MAX_STATEMENT_WORDS or self.boilerplate(text):
            return False  # "AssumeRoleWithSAML" is a name, not a statement, however many parts it has
        if (not scope and self.said_of_many(text)) or common_property(text):
            return False
        if is_imperative(text) or is_advice(text):
            return False  # "Test with governance mode first.": advice, read as a statement of nothing
        if scope and self.same_names(text, answer.nodes):
            return False
        return not self.could_be(text, answer.nodes, answer.name)

    def statement_question(
        self, fact: Fact, topics: TopicSet, by_node: dict[int, list[tuple[Fact, str]]]
    ) -> Candidate | None:
        right = topics.text
        if BLANK in right or fact.is_list:
            return None  # a statement is shown whole: one with its subject blanked is a "which" question;
            # a list's items joined ("HTTP, HTTPS, TCP, DO NOT support SSL") are no statement
        if own_words_in(right, topics.answer.name):
            return None  # "…, you need to choose Memcached" about ElastiCache: its engine names it
        if any(mentions(right, t.name) for t in topics.others) or self.names_any_service(right):
            return None
        if not 2 <= len(right.split()) <= MAX_STATEMENT_WORDS:
            return None
        if self.names_subject(right, topics.answer.name):
            return None  # "TLS certificates" about ACM (Certificate Manager): named by its words
        if not topics.scope and self.said_of_many(right):
            return None
        if not topics.scope and not topics.family:
            return None  # FSx, of no known kind: other services' lines (SQS, DynamoDB) are ruled out by topic
        qid = fact_id(QuestionKind.STATEMENT, fact)
        rng = random.Random(qid)
        options = self.wrong_statements(topics, by_node, right)
        rng.shuffle(options)
        chosen: list[tuple[str, Fact]] = []
        seen = {choice_key(right)}
        offered = list({t.name: t for t, _, _ in options}.values())
        for topic in self.pick_topics(offered, topics.family, rng, fact.node):
            texts = [
                (text, f) for t, text, f in options if t.name == topic.name and choice_key(text) not in seen
            ]
            if texts:
                # statements of a length like the right one's, so length gives nothing away; of those,
                # the ones offered least so far, so the same few lines are not in every question
                texts.sort(
                    key=lambda tf: (
                        abs(len(tf[0]) - len(right)) // LENGTH_STEP,
                        self._offered[choice_key(tf[0])],
                        abs(len(tf[0]) - len(right)),
                    )
                )
                chosen.append(texts[0])
                seen.add(choice_key(texts[0][0]))
        if len(chosen) < MIN_CHOICES - 1:
            return None
        self._offered.update(choice_key(t) for t, _ in chosen)
        prompt = f"{topics.scope}which of these do the notes say about {topics.answer.name}?"
        prompt = prompt[0].upper() + prompt[1:]
        question = self.finish_fact(
            QuestionKind.STATEMENT,
            qid,
            prompt,
            right,
            [t for t, _ in chosen],
            fact,
            notes=[self.fact_note(f) for _, f in chosen],
            about=self.subject_node(topics, fact.node),
        )
        return Candidate(question, frozenset({id(fact)}), 0.9) if question else None

    def wrong_statements(
        self, topics: TopicSet, by_node: dict[int, list[tuple[Fact, str]]], right: str
    ) -> list[tuple[Topic, str, Fact]]:
        """Statements of the other topics fit to offer as wrong for the answer topic."""
        key = (topics.scope, topics.answer.name, id(topics.answer.nodes[0]))
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = []
            for topic in topics.others:
                node_key = id(self.services[topic.name][0]) if not topics.scope else id(topic.nodes[0])
                for other, text in by_node.get(node_key, []):
                    text = strip_label(text, topic.name)
                    if self.names_subject(text, topic.name):
                        continue  # "trails …", "user pools …": its own words tell it is another service's
                    if self.names_feature_of(text, topic, topics.answer):
                        continue  # "Object Lock stores …": a feature the notes head under its own topic
                    if not mentions(text, topic.name) and self.wrong_statement_ok(
                        text, topics.answer, topics.scope
                    ):
                        pool.append((topic, text, other))
        return [(t, text, f) for t, text, f in pool if choice_key(text) != choice_key(right)]

    # -- cloze ----------------------------------------------------------------------------------------

    def term_cloze(
        self, fact: Fact, node: Node, shown: Shown, seen: set[tuple[int, str]]
    ) -> Candidate | None:
        if fact.is_list:
            return None  # a blank in a list invites every other true member as an answer
        if self.negative(shown.text):
            return None  # "cannot use ACM with ____": most wrong choices would be true too
        found = terms_in(shown.text)
        by_kind = Counter(t.kind for t, _, _ in found)
        options = [(t, s, e) for t, s, e in found if by_kind[t.kind] == 1]
        # the term the notes mention least is the most telling blank; when it cannot be asked, the next
        for term, start, end in sorted(options, key=lambda f: (self.corpus_terms[f[0].name], f[1])):
            made = self._term_cloze_at(fact, node, shown, seen, (term, start, end), found)
            if made is not None:
                return made
        return None

    def _term_cloze_at(
        self, fact: Fact, node: Node, shown: Shown, seen: set[tuple[int, str]],
        blank: tuple[Term, int, int], found: Sequence[tuple[Term, int, int]],
    ) -> Candidate | None:
        """The cloze of ``fact`` with ``blank`` (a term and where it is in ``shown``) blanked, if fair."""
        term, start, end = blank
        if not self._blank_allowed(shown, start, node, term.name, seen):
            return None
        if (id(node), "term/" + term.name) in seen or term.name == self.service_of(node):
            return None  # a blank for the topic's own name leaves a sentence about "it" (the topic)
        if in_enumeration(shown.text, start, end):
            return None  # "a user pool, a social provider, ____, …": other members would fit too
        if _NAME_GOES_ON.match(shown.text[end:]) or _NAME_STARTS.search(shown.text[:start]):
            return None  # "____ Traffic Mirroring": part of a longer name; the others make no real names
        if _NUMBER_AFTER.match(shown.text[end:]):
            return None  # "inbound ____ (22)": the port names SSH; "negotiate ____ 1.2": TLS's version
        if _ALTERNATIVE_AFTER.match(shown.text[end:]) or _ALTERNATIVE_BEFORE.search(shown.text[:start]):
            return None  # "____ (or Terraform) products": the alternative tells what kind of tool it is
        glossed = _GLOSSED_BEFORE.search(shown.text[:start]) and shown.text[end:].lstrip(" \t")[:1] == ")"
        if _GLOSS_AFTER.match(shown.text[end:]) or glossed:
            return None  # "____ (block countries)" is geo match; "… web exploits (____)" is layer 7
        own = self.service_of(node)
        if own and not shown.text[:start].strip() and _ARROW_AFTER.match(shown.text[end:]):
            return None  # "KMS => AWS manages the software" under CloudHSM: a contrast with the section's
        if _PAIR_BEFORE.search(shown.text[:start]):
            return None  # "LUKS + EMRFS for ____": each of the pair has its own target (EBS, S3)
        if not shown.text[:start].strip() and _EQUALS_AFTER.match(shown.text[end:]):
            return None  # "____ = rotation, replication, …": a name keyed to cue words; KMS fits them too
        if _CAPABILITY.match(shown.text[end:]) or _INTEGRATES_WITH.search(shown.text[:start]):
            return None  # "____ can be replicated", "integrated with ____": true of its kind, often
        if self._said_alike_beside(fact, term.name, at_end=not shown.text[end:].strip(" .;")):
            return None  # "EC2 instances - ____" beside "ECS tasks - HTTP": the list's pattern gives it
        prompt = self.cloze_prompt(shown.text, start, end)
        if prompt is None:
            return None
        rest = shown.text[:start] + " " + shown.text[end:]
        present = {t.name for t, _, _ in found}
        # "Allow SSH from home" beside "Allow HTTP/HTTPS from subnets"; RDS's engines, for Aurora's
        beside = self._parallel_terms(fact) | self._listed_with(term.name, own)
        candidates = [
            t
            for t in quiz_terms()
            if t.kind == term.kind
            and t.name not in present
            and t.name not in beside
            and not (t.groups & term.groups)
            and not self._stated_elsewhere(rest, t, fact)
            and not _doubles_a_word(t.name, shown.text[:start], shown.text[end:])
        ]
        picked = self.fitting_terms(prompt, term, candidates, fact)
        if len(picked) < MIN_CHOICES - 1:
            return None
        seen.add((id(node), "term/" + term.name))
        qid = fact_id(QuestionKind.CLOZE, fact, term.name)
        question = self.finish_fact(
            QuestionKind.CLOZE,
            qid,
            prompt,
            term.name,
            [t.name for t in picked],
            fact,
            notes=[self.term_note(t.name, fact) for t in picked],
        )
        return Candidate(question, frozenset({id(fact)}), 1.0) if question else None

    def fitting_terms(self, prompt: str, term: Term, candidates: Sequence[Term], fact: Fact) -> list[Term]:
        """Up to three wrong terms for a blank, each fitting the blank's neighbours about as well as the
        answer does (so "____ functions" cannot be told by its neighbour), of the answer's family first, and
        one of them as well or better where the documentation writes the answer there."""
        left, right = blank_neighbours(prompt)
        if self.neighbours.settled(left, right, term.name, fact.text, self.stop):
            return []  # "an ____ bucket": the neighbour may give it away and nothing says otherwise
        answer_fit = self.neighbours.fit(left, right, term.name, fact.text)
        rng, shown = random.Random(prompt), " ".join([prompt, *fact.node.path])  # "Relational DB: ____"
        in_chunk = {t.name for t, _, _ in terms_in(fact.chunk.text)}
        of_kind = [
            t
            for t in candidates
            if of_kind_shown(term.name, t.name, shown)
            # a service blank offers services of its kind: a log source does not fill "send findings to ____"
            and not (term.kind == "service" and term.family and t.family != term.family)
        ]
        fit_of = {t.name: self.neighbours.fit(left, right, t.name, fact.text) for t in of_kind}
        fitting = [t for t in of_kind if Neighbours.fits_equally(answer_fit, fit_of[t.name])]

        def rank(t: Term) -> tuple[bool, bool, bool, float]:
            unknown = self.corpus_terms[t.name] == 0
            return (t.family != term.family, t.name not in in_chunk, unknown, rng.random())

        picked: list[Term] = []
        for t in sorted(fitting, key=rank):
            if any(mentions(t.name, p.name) or mentions(p.name, t.name) for p in [*picked, term]):
                continue  # Shield Advanced for "AWS ____" when the answer is Shield: one is the other
            if any(t.groups & p.groups for p in picked):
                continue  # OAC and OAI, both ways to let CloudFront alone read a bucket: never side by side
            picked.append(t)
        return with_a_rival(picked, lambda t: fit_of[t.name][0], answer_fit[0], MAX_CHOICES - 1)

    def _parallel_terms(self, fact: Fact) -> set[str]:
        """The terms of the lines beside a fact that open with its first word ("Allow HTTP/HTTPS traffic
        from private subnets" beside "Allow SSH from your home network"), or of every item of the short
        list it is in ("Watch for usage: CloudTrail … / CloudWatch alarm …"): the same thing done to another
        term, or another part of the same answer, so no wrong choice."""
        first = tokens(fact.text)[:1]
        in_a_list = fact.node.kind in ("bullet", "para")  # "Watch for usage: a. CloudTrail … b. CloudWatch …"
        return {
            name
            for other in fact.node.facts
            if other is not fact and (in_a_list or (first and tokens(other.text)[:1] == first))
            for name in self.fact_terms[id(other)]
        }

    def _listed_with(self, name: str, own: str | None) -> frozenset[str]:
        """The terms listed with ``name`` in one enumeration of another topic's notes ("RDS: Postgres,
        MySQL, MariaDB, Oracle"): members of a set that topic has together, several of which the blank's
        own topic may have too (Aurora is MySQL- and PostgreSQL-compatible), so none is a wrong choice."""
        others = [listed for service, listed in self._enumerations if service != own and name in listed]
        return frozenset(term for listed in others for term in listed)

    @cached_property
    def _enumerations(self) -> list[tuple[str | None, frozenset[str]]]:
        """Each enumeration of terms the notes write ("A, B, C and D"), with the service it is said of."""
        out = []
        for fact in self.facts:
            listed = frozenset(t.name for t, s, e in terms_in(fact.text) if in_enumeration(fact.text, s, e))
            if len(listed) >= 2:
                out.append((self.service_of(fact.node), listed))
        return out

    def _said_alike_beside(self, fact: Fact, name: str, *, at_end: bool) -> bool:
        """Whether a line beside the fact, under the same label, ends with the same term as the fact does
        ("ECS tasks - HTTP" beside "EC2 instances - HTTP"): a blank there is filled by the list's pattern."""
        if not at_end:
            return False
        words = len(name.split())
        own = _last_words(fact.text, words)
        return own == name.lower() and any(
            _last_words(other.text, words) == own for other in fact.node.facts if other is not fact
        )

    def _stated_elsewhere(self, rest: str, term: Term, fact: Fact) -> bool:
        """Whether the notes say the same thing with ``term`` in the blank somewhere else."""
        for other in self.naming.get(term.name, ()):
            if other is fact:
                continue
            said_with = SAID_WITH_BESIDE if other.chunk is fact.chunk else SAID_WITH
            if self.sim.overlap(rest, other.text) >= said_with:
                return True
        return False


def _last_words(text: str, count: int) -> str:
    return " ".join(text.rstrip(" .;").split()[-count:]).lower()


def _doubles_a_word(name: str, before: str, after: str) -> bool:
    """Whether a name in the blank repeats a word beside it ("with ____ encryption" + "KMS encryption")."""
    words = tokens(name)
    return bool(words) and (words[-1:] == tokens(after)[:1] or words[:1] == tokens(before)[-1:])
