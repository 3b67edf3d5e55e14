"""Match questions: numbered terms and lettered definitions, one right mapping among 3–4 (``1-B, 2-A,
3-C``). The terms are sibling options (SSE-S3, SSE-KMS, SSE-C), the bold labels of a definition list
(``Grants: …``), or AWS services, each with a fact the notes state under it alone."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import replace

from indexer.model import Chunk
from indexer.quiz.facts import Fact, Node
from indexer.quiz.question import MAX_CHOICES, ChoiceNote, QuestionKind, QuizQuestion, choice_key, question_id
from indexer.quiz.spread import Candidate
from indexer.quiz.structured import DEFINITION, Structured, _first_sentence, _letters, wrong_orders
from indexer.quiz.terms import mentions, strip_label, term_named
from indexer.quiz.topics import Topic

MATCH_SIZE = 4
"""A match question pairs this many terms with definitions: with four, every right pair is in two of the
four choices and no pair in more (with three, knowing one pair would pick the answer, or the choices'
majority would)."""
MAX_LABEL_WORDS = 5
_QUANTIFIED = re.compile(r"(?i)^\W*(?:almost|nearly|every|all|most|many|some|any|each|other|several|few)\b")
"""A label that counts rather than names ("Almost every AWS storage service: S3, EBS, …"): no term."""
MIN_MATCH_FACT = 2
"""A fact matched to its service needs this many content words besides names."""
_VERB_LIKE = re.compile(r"\b(?:can|is|are|must|should|will|may|does|do|has|have)\b", re.IGNORECASE)
"""A label holding one of these is the start of a sentence ("Policies can auto-remediate"), not a name."""


class Matching(Structured):
    """Every kind of question: single facts, structure, and matches."""

    def match_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        seen_parents: set[int] = set()
        for node in self.nodes:
            family = self.family(node)
            if family and node.parent is not None and id(node.parent) not in seen_parents:
                seen_parents.add(id(node.parent))
                found = self.match_options(node.parent, family)
                if found:
                    out.append(found)
            found = self.match_definitions(node)
            if found:
                out.append(found)
        found = self.match_definitions(self.tree)
        if found:
            out.append(found)
        return out

    def match_services(self) -> list[Candidate]:
        """ "Match each AWS service to what the notes say about it": four services, a fact of each that
        names none of them, is said under one only and that the notes and the documentation tie to no
        other of the four."""
        facts: dict[str, list[tuple[Fact, str]]] = {}
        for fact, node, shown in self.placed():
            if self.family(node) or not self.usable(fact, shown) or self.negative(fact.text):
                continue
            topics = self.topic_set(fact, node, shown)
            if topics is None or self.said_elsewhere(fact) or self.content_size(topics.text) < MIN_MATCH_FACT:
                continue
            facts.setdefault(topics.answer.name, []).append((fact, topics.text))
        names = sorted(facts)
        out: list[Candidate] = []
        for name in names:
            rng = random.Random(name)
            others = [n for n in names if n != name]
            rng.shuffle(others)
            others.sort(key=lambda n: _family(n) != _family(name))
            group = [name]
            for other in others:
                if len(group) == MATCH_SIZE:
                    break
                if not any(mentions(other, t) or mentions(t, other) for t in group):
                    group.append(other)
            if len(group) < MATCH_SIZE:
                continue
            found = self.service_match(group, facts, rng)
            if found:
                out.append(found)
        return out

    def service_match(
        self, group: list[str], facts: dict[str, list[tuple[Fact, str]]], rng: random.Random
    ) -> Candidate | None:
        picked: list[tuple[str, Fact]] = []
        texts: dict[int, str] = {}
        for name in group:
            rivals = [t for t in group if t != name]
            options = [
                (f, text)
                for f, text in facts[name]
                if not any(self.words.of(text) & self.words.names(t) for t in group)
                and not any(self.could_be(text, self.services[r], r) for r in rivals)
            ]
            if not options:
                return None
            fact, text = options[rng.randrange(len(options))]
            picked.append((name, fact))
            texts[id(fact)] = text
        node = picked[0][1].node
        prompt = "Match each AWS service to what the notes say about it."
        return self._match(node, picked, prompt, texts, ordered=True)

    def _definition_ok(self, label: str, text: str, labels: Sequence[str]) -> bool:
        """A definition fit to match: readable, specific, not naming its own label (a word of it that
        the other labels lack); and a pair of a name and what it is, not a sentence cut in two."""
        if not self.readability.readable(text) or not self.readability.readable(label):
            return False
        if sentence_halves(label, text):
            return False
        if self.content_size(text) < 2:
            return False
        common = frozenset.intersection(*(self.words.names(x) for x in labels))
        return not (self.words.of(text) & (self.words.names(label) - common)) and not mentions(text, label)

    def match_options(self, parent: Node, family: list[Node]) -> Candidate | None:
        """Sibling options (SSE-S3, SSE-KMS, SSE-C) and one fact of each."""
        labels = [n.shown for n in family if self.label_ok(n)]
        pairs: list[tuple[str, Fact]] = []
        texts: dict[int, str] = {}
        for node in family:
            if not self.label_ok(node):
                continue
            facts = [f for f in node.subtree_facts() if self.specific(f.text) and id(f) not in self.doubtful]
            for fact in facts:
                text = strip_label(fact.text, node.shown)
                if self._definition_ok(node.shown, text, labels) and not self.shared(
                    fact, [Topic(n.shown, [n]) for n in family if n is not node]
                ):
                    pairs.append((node.shown, fact))
                    texts[id(fact)] = text
                    break
        prompt = "Match each option to what the notes say about it."
        if parent.shown:
            prompt = f"Under “{parent.shown}”, match each option to what the notes say about it."
        return self._match(parent, pairs, prompt, texts)

    def match_definitions(self, node: Node) -> Candidate | None:
        """A list of ``Label: definition`` facts under one heading (bold labels of a definition list)."""
        found: list[tuple[str, str, Fact]] = []
        for fact in node.facts:
            if fact.is_list:
                continue
            m = DEFINITION.match(fact.text)
            label = m.group("label") if m else ""
            if m and len(label.split()) <= MAX_LABEL_WORDS and not _QUANTIFIED.match(label):
                found.append((label.strip(), m.group("text").strip(), fact))
        if len(found) < MATCH_SIZE:
            return None
        labels = [label for label, _, _ in found]
        if len({choice_key(x) for x in labels}) != len(labels):
            return None
        pairs = [(label, fact) for label, text, fact in found if self._definition_ok(label, text, labels)]
        texts = {id(f): text for _, text, f in found}
        where = node.shown
        prompt = "Match each term to what the notes say it is."
        if len(where.split()) > 2 * MAX_LABEL_WORDS:
            prompt = f"“{where}”: match each to what the notes say it is."  # a lead-in, not a name
        elif where:
            prompt = f"Match each term of “{where}” to what the notes say it is."
        return self._match(node, pairs, prompt, texts)

    def _match(
        self,
        node: Node,
        pairs: list[tuple[str, Fact]],
        prompt: str,
        texts: dict[int, str] | None = None,
        ordered: bool = False,
    ) -> Candidate | None:
        if len(pairs) < MATCH_SIZE:
            return None
        source = pairs[0][1].chunk.source
        spanning = not ordered and all(f.chunk.source == source for _, f in pairs)
        if not spanning and not ordered:
            return None
        facts_key = "|".join(f.text for _, f in pairs) if ordered else ""
        qid = question_id(
            QuestionKind.MATCH, source, node.path, "|".join(label for label, _ in pairs), facts_key
        )
        rng = random.Random(qid)
        chosen = sorted(rng.sample(range(len(pairs)), MATCH_SIZE))
        picked = [pairs[i] for i in chosen]
        letters = _letters(MATCH_SIZE)
        shown_at = list(range(MATCH_SIZE))
        while shown_at == sorted(shown_at):
            rng.shuffle(shown_at)
        letter_of = {i: letters[k] for k, i in enumerate(shown_at)}
        text_of = lambda f: (texts or {}).get(id(f)) or f.text  # noqa: E731
        items = [f"{i + 1}. {label}" for i, (label, _) in enumerate(picked)]
        definitions = [_first_sentence(text_of(picked[i][1])) for i in shown_at]
        if any(d is None for d in definitions):
            return None  # a definition too long to show whole, even its first sentence: never cut off
        items += [f"{letters[k]}. {d}" for k, d in enumerate(definitions)]

        def spelled(order: Sequence[int]) -> str:
            return ", ".join(f"{n + 1}-{letter_of[i]}" for n, i in enumerate(order))

        answer = spelled(range(MATCH_SIZE))
        # no pair is shown in more choices than another: the right mapping is not the choices' consensus
        orders = wrong_orders(MATCH_SIZE, rng, MAX_CHOICES - 1, every_pair_twice=True)
        wrong = [spelled(p) for p in orders]
        if not wrong:
            return None
        chunk = _spanning([f.chunk for _, f in picked], node) if spanning else picked[0][1].chunk
        notes = [] if spanning else [self.fact_note(f) for _, f in picked[1:]]
        question = self.finish(QuestionKind.MATCH, qid, prompt, answer, wrong, chunk, node, items=items)
        if question is not None and notes:
            question = _with_sources(question, notes)
        if question is None:
            return None
        first = picked[0][1].chunk
        return Candidate(
            question,
            frozenset(id(f) for _, f in picked),
            1.0,
            (first.source, first.line_start, first.line_end),
        )


def sentence_halves(label: str, text: str) -> bool:
    """Whether a ``label: text`` pair is one sentence cut in two rather than a name and what it is:
    the label says something (a verb-like word: "Policies can auto-remediate"), or the text goes on
    with the label's sentence (it starts in lower case and states a clause of its own: "new accounts
    … are protected")."""
    if _VERB_LIKE.search(label):
        return True
    first = text.lstrip('*_`"“(')
    return bool(first) and first[0].islower() and bool(_VERB_LIKE.search(text))


def _family(name: str) -> str:
    term = term_named(name)
    return term.family if term else ""


def _with_sources(question: QuizQuestion, notes: list[ChoiceNote]) -> QuizQuestion:
    """A match across notes cites the first fact's chunk; its explanation names where the others are."""
    right = question.explanation(question.answer_index)
    if right is None:
        return question
    where = "; ".join(f"{n.snippet} ({n.citation})" for n in notes)
    merged = replace(right, snippet=f"{right.snippet} — also: {where}")
    explanations = tuple(
        merged if i == question.answer_index else e for i, e in enumerate(question.explanations)
    )
    return replace(question, explanations=explanations)


def _spanning(chunks: list[Chunk], node: Node) -> Chunk:
    """One chunk, or a chunk spanning several of one note (their texts joined) for a citation."""
    unique = list({(c.line_start, c.line_end): c for c in chunks}.values())
    if len(unique) == 1:
        return unique[0]
    unique.sort(key=lambda c: c.line_start)
    first = unique[0]
    parent_heading = " › ".join(first.headings[: max(first.title_from + 1, 1)])
    return Chunk(
        first.source,
        first.line_start,
        max(c.line_end for c in unique),
        parent_heading,
        "\n".join(c.text for c in unique),
        first.headings[: first.title_from + 1],
        first.title_from,
        first.role,
    )
