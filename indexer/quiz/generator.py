"""The three kinds of question, read off the notes' topics and facts (see :mod:`indexer.quiz`)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from indexer.quiz.facts import Fact, Node
from indexer.quiz.quantities import find_quantities, quantity_distractors
from indexer.quiz.question import (
    BLANK,
    MAX_CHOICES,
    MIN_CHOICES,
    QuestionKind,
    QuizQuestion,
    choice_key,
    new_question,
    question_id,
)
from indexer.quiz.terms import Term, mentions, quiz_terms, strip_label, terms_in
from indexer.quiz.topics import MAX_FACT_CHARS, SHARED_FACT, Shown, Topic, Topics, TopicSet

MIN_SERVICE_FACT = 3
"""A fact asked as "which service" needs this many content words besides names."""
GENERIC = 3
"""A fact that this many other services' notes could also claim is not asked as "which service"."""


def _id(kind: QuestionKind, fact: Fact, blank: str = "") -> str:
    return question_id(kind, fact.chunk.source, fact.node.path, fact.text, blank)


def _question(
    kind: QuestionKind, qid: str, prompt: str, answer: str, distractors: Sequence[str], fact: Fact
) -> QuizQuestion:
    return new_question(kind, qid, prompt, answer, distractors, fact.chunk)


class Generator(Topics):
    """Makes the questions of one set of notes: ``which``, ``statement`` and ``cloze``."""

    # -- which ----------------------------------------------------------------------------------------

    def which_questions(self) -> list[QuizQuestion]:
        out: list[QuizQuestion] = []
        prompts: set[str] = set()
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if not self.usable(fact, shown):
                continue
            question = self.which_question(fact, node, shown)
            if question and question.prompt not in prompts:
                prompts.add(question.prompt)
                out.append(question)
        return out

    def which_question(self, fact: Fact, node: Node, shown: Shown) -> QuizQuestion | None:
        topics = self.topic_set(fact, node, shown)
        if topics is None:
            return None
        text = topics.text
        if not topics.scope and self.content_size(text) < MIN_SERVICE_FACT:
            return None  # "seamless encryption using KMS" would fit many services
        if self.shared(fact, topics.others):
            return None
        candidates = [
            t
            for t in topics.others
            if not self.could_be(text, t.nodes, t.name)
            and not (topics.scope and self.same_names(text, t.nodes))
        ]
        if not topics.scope and sum(self.could_be(text, t.nodes) for t in topics.others) >= GENERIC:
            return None  # several other services' notes say much the same
        qid = _id(QuestionKind.WHICH, fact)
        picked = self.pick_topics(candidates, topics.family, random.Random(qid))
        if len(picked) < MIN_CHOICES - 1:
            return None
        if topics.scope:
            prompt = f"{topics.scope}which one do the notes say this about? “{text}”"
        else:
            prompt = f"Which AWS service do the notes say this about? “{text}”"
        return _question(QuestionKind.WHICH, qid, prompt, topics.answer.name, [t.name for t in picked], fact)

    # -- statement ------------------------------------------------------------------------------------

    def statement_questions(self) -> list[QuizQuestion]:
        """ "Which of these do the notes say about SSE-C?": the right fact among facts of sibling topics."""
        placed = []
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if self.usable(fact, shown):
                placed.append((fact, node, shown))
        by_node: dict[int, list[tuple[Fact, str]]] = {}
        for fact, node, shown in placed:
            topic = self.service_of(node) if not self.family(node) else None
            key = id(self.services[topic][0]) if topic else id(node)
            by_node.setdefault(key, []).append((fact, shown.text))
        out: list[QuizQuestion] = []
        for fact, node, shown in placed:
            topics = self.topic_set(fact, node, shown)
            if topics is None:
                continue
            question = self.statement_question(fact, topics, by_node)
            if question:
                out.append(question)
        return out

    def statement_question(
        self, fact: Fact, topics: TopicSet, by_node: dict[int, list[tuple[Fact, str]]]
    ) -> QuizQuestion | None:
        answer_nodes = topics.answer.nodes
        right = topics.text
        if any(mentions(right, t.name) for t in topics.others) or self.names_any_service(right):
            return None
        qid = _id(QuestionKind.STATEMENT, fact)
        rng = random.Random(qid)
        options: list[tuple[Topic, str]] = []
        for topic in topics.others:
            key = id(self.services[topic.name][0]) if not topics.scope else id(topic.nodes[0])
            for _fact, text in by_node.get(key, []):
                text = strip_label(text, topic.name)
                if (
                    (topics.scope and self.same_names(text, answer_nodes))
                    or mentions(text, topic.name)
                    or self.names_any_service(text)
                    or choice_key(text) == choice_key(right)
                    or self.could_be(text, answer_nodes, topics.answer.name)
                ):
                    continue
                options.append((topic, text))
        # one statement per topic, from topics of the answer's family first
        rng.shuffle(options)
        chosen: list[str] = []
        seen = {choice_key(right)}
        for topic in self.pick_topics(list({t.name: t for t, _ in options}.values()), topics.family, rng):
            texts = [text for t, text in options if t.name == topic.name and choice_key(text) not in seen]
            if texts:
                # statements of a length like the right one's, so length gives nothing away
                texts.sort(key=lambda t: abs(len(t) - len(right)))
                chosen.append(texts[0])
                seen.add(choice_key(texts[0]))
        if len(chosen) < MIN_CHOICES - 1:
            return None
        if topics.scope:
            prompt = f"{topics.scope}which of these do the notes say about {topics.answer.name}?"
        else:
            prompt = f"Which of these do the notes say about {topics.answer.name}?"
        return _question(QuestionKind.STATEMENT, qid, prompt, right, chosen, fact)

    # -- cloze ----------------------------------------------------------------------------------------

    def cloze_questions(self) -> list[QuizQuestion]:
        out: list[QuizQuestion] = []
        seen_texts: set[str] = set()
        seen_blanks: set[tuple[int, str]] = set()
        for fact in self.facts:
            node, prefix = self.placement(fact)
            shown = self.shown(fact, node, prefix)
            if len(shown.text) > MAX_FACT_CHARS or not self.readable(fact, shown):
                continue
            if choice_key(shown.text) in seen_texts:
                continue
            question = self.quantity_cloze(fact, node, shown, seen_blanks) or self.term_cloze(
                fact, node, shown, seen_blanks
            )
            if question:
                seen_texts.add(choice_key(shown.text))
                out.append(question)
        return out

    def context(self, node: Node, blank: str) -> str:
        """The topic named in a cloze prompt: the fact's topic, or its parent's when the topic's name would
        give the blank away ("SSE-KMS" for "managed by ____"); empty when both would."""
        candidates = (node,) if self.service_of(node) else (node, node.parent)
        for candidate in candidates:
            if candidate is None or candidate.parent is None:
                continue
            label = self.service_of(candidate) or candidate.shown
            if not label or choice_key(blank) in choice_key(label) or choice_key(label) in choice_key(blank):
                continue
            if mentions(label, blank):
                continue
            return label if self.readability.readable(label) else ""
        return ""

    def cloze_prompt(self, text: str, start: int, end: int, context: str) -> str | None:
        blanked = text[:start] + BLANK + text[end:]
        rest = text[:start] + " " + text[end:]
        if not self.specific(rest):
            return None
        where = f" ({context})" if context else ""
        return f"Fill in the blank{where}: “{blanked}”"

    @staticmethod
    def _blank_allowed(
        shown: Shown, start: int, node: Node, blank: str, seen: set[tuple[int, str]]
    ) -> bool:
        """Blanks go in the fact's own words; one in the sub-heading before it, once per sub-heading."""
        if start >= shown.own:
            return True
        key = (id(node), choice_key(shown.prefix) + "/" + choice_key(blank))
        if key in seen:
            return False
        seen.add(key)
        return True

    def quantity_cloze(
        self, fact: Fact, node: Node, shown: Shown, seen: set[tuple[int, str]]
    ) -> QuizQuestion | None:
        quantities = find_quantities(shown.text)
        if len(quantities) != 1:
            return None
        q = quantities[0]
        if not self._blank_allowed(shown, q.start, node, q.shown, seen):
            return None
        prompt = self.cloze_prompt(shown.text, q.start, q.end, self.context(node, q.shown))
        if prompt is None:
            return None
        qid = _id(QuestionKind.CLOZE, fact, q.shown)
        distractors = [
            d for d in quantity_distractors(q, random.Random(qid)) if choice_key(d) != choice_key(q.shown)
        ]
        if len(distractors) < MIN_CHOICES - 1:
            return None
        return _question(QuestionKind.CLOZE, qid, prompt, q.shown, distractors, fact)

    def term_cloze(
        self, fact: Fact, node: Node, shown: Shown, seen: set[tuple[int, str]]
    ) -> QuizQuestion | None:
        if fact.is_list:
            return None  # a blank in a list invites every other true member as an answer
        found = terms_in(shown.text)
        by_kind = Counter(t.kind for t, _, _ in found)
        options = [(t, s, e) for t, s, e in found if by_kind[t.kind] == 1]
        if not options:
            return None
        # the term the notes mention least is the most telling blank
        term, start, end = min(options, key=lambda f: (self.corpus_terms[f[0].name], f[1]))
        if not self._blank_allowed(shown, start, node, term.name, seen):
            return None
        if (id(node), "term/" + term.name) in seen or term.name == self.service_of(node):
            return None  # a blank for the topic's own name leaves a sentence about "it" (the topic)
        prompt = self.cloze_prompt(shown.text, start, end, self.context(node, term.name))
        if prompt is None:
            return None
        rest = shown.text[:start] + " " + shown.text[end:]
        present = {t.name for t, _, _ in found}
        candidates = [
            t
            for t in quiz_terms()
            if t.kind == term.kind
            and t.name not in present
            and not (t.groups & term.groups)
            and not self._stated_elsewhere(rest, t, fact)
        ]
        if len(candidates) < MIN_CHOICES - 1:
            return None
        seen.add((id(node), "term/" + term.name))
        qid = _id(QuestionKind.CLOZE, fact, term.name)
        rng = random.Random(qid)
        in_chunk = {t.name for t, _, _ in terms_in(fact.chunk.text)}

        def rank(t: Term) -> tuple[bool, bool, bool, float]:
            unknown = self.corpus_terms[t.name] == 0
            return (t.family != term.family, t.name not in in_chunk, unknown, rng.random())

        picked = sorted(candidates, key=rank)[: MAX_CHOICES - 1]
        return _question(QuestionKind.CLOZE, qid, prompt, term.name, [t.name for t in picked], fact)

    def _stated_elsewhere(self, rest: str, term: Term, fact: Fact) -> bool:
        """Whether the notes say the same thing with ``term`` in the blank somewhere else."""
        for other in self.facts:
            if other is fact or term.name not in self.fact_terms[id(other)]:
                continue
            if self.sim.overlap(rest, other.text) >= SHARED_FACT:
                return True
        return False
