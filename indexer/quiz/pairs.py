"""Two options side by side: "which of the two" questions.

Notes often set two things against each other under one label: a key's two types (symmetric,
asymmetric), a service's two tiers (Shield Standard, Shield Advanced), two kinds of key policy (default,
custom). With only two siblings they are no family of options to choose among (see
:meth:`~indexer.quiz.topics.Topics.family`), yet telling them apart is what a learner must know: a fact
under one is asked as "which of the two", with the other as the wrong choice, when nothing on screen names
either and the other's notes do not say much the same.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indexer.quiz.clozes import fact_id
from indexer.quiz.facts import Fact, Node
from indexer.quiz.fairness import is_imperative, tokens
from indexer.quiz.notfacts import a_title, announces, leans_on_context, names_a_part_of_explanation
from indexer.quiz.options import of_a_kind
from indexer.quiz.question import QuestionKind, choice_key
from indexer.quiz.spread import Candidate
from indexer.quiz.terms import mentions
from indexer.quiz.topics import MAX_FACT_CHARS, Topic

if TYPE_CHECKING:
    from indexer.quiz.matching import Matching

PAIR = 2
"""Options side by side in a pair: two nodes of one kind under one parent, and no third."""
MIN_PAIR_FACT = 2
"""A fact asked as "which of the two" needs this many content words besides names."""
_CATCH_ALL = re.compile(r"(?i)^\W*(?:others?|misc\.?|miscellaneous|general|rest|extras?|more|etc\.?)\W*$")
"""A label for what is left over ("Other", "Misc"): not a thing of its own to tell apart."""
_OPPOSITES = (
    frozenset({"inside", "outside"}), frozenset({"internal", "external"}), frozenset({"public", "private"}),
    frozenset({"inbound", "outbound"}), frozenset({"ingress", "egress"}), frozenset({"in", "out"}),
    frozenset({"enabled", "disabled"}), frozenset({"on", "off"}), frozenset({"allow", "deny"}),
)
"""Words that set two labels against each other: the asked line's own wording sides with one ("external
and publicly accessible" under "Outside of VPC"), knowing nothing of AWS."""
_TIER_WORDS = frozenset(
    "standard basic free advanced premium pro plus enterprise business developer edition tier".split()
)
"""Words naming a tier of one product ("Shield Standard", "Shield Advanced", "Standard edition")."""
PAIR_WEIGHT = 0.8
"""Among a chunk's questions a pair's comes after one with three or four choices (it tells less)."""


def _tiers(a: str, b: str) -> bool:
    """Whether two labels are tiers of one product: the same name but for tier words, which at least one
    has ("Shield Standard" / "Shield Advanced", "Standard" / "Advanced", "Standard edition" / "Enterprise
    edition")."""
    words_a, words_b = tokens(a), tokens(b)
    tiers_a, tiers_b = ({w for w in ws if w in _TIER_WORDS} for ws in (words_a, words_b))
    rest_a, rest_b = ([w for w in ws if w not in _TIER_WORDS] for ws in (words_a, words_b))
    return bool(tiers_a | tiers_b) and tiers_a != tiers_b and rest_a == rest_b


def pair_of(generator: Matching, node: Node) -> tuple[Node, Node, Node] | None:
    """The option a fact under ``node`` belongs to, the other option of its pair and their parent; None
    when its nearest options are not a pair (one alone, a family of three or more) or lie past a heading."""
    while node.kind != "heading" and node.parent is not None:
        if generator.family(node):
            return None  # three or more options: asked as a family
        siblings = [n for n in node.parent.children.values() if n.kind == node.kind]
        if len(siblings) == PAIR:
            other = siblings[1] if siblings[0] is node else siblings[0]
            return node, other, node.parent
        node = node.parent
    return None


def pair_candidates(generator: Matching) -> list[Candidate]:
    """A "which of the two" question for each fact under one of a pair of options that tells them apart."""
    out: list[Candidate] = []
    for fact in generator.facts:
        found = pair_of(generator, fact.node)
        if found is not None:
            made = _pair_question(generator, fact, *found)
            if made is not None:
                out.append(made)
    return out


def _pair_question(
    generator: Matching, fact: Fact, node: Node, other: Node, parent: Node
) -> Candidate | None:
    shown = generator.shown(fact, node, "")
    text = shown.text
    parent_label = parent.shown
    if (
        not parent_label
        or leans_on_context(parent_label)
        or announces(parent_label)
        or a_title(parent_label)
        or not generator.label_ok(parent)
    ):
        return None  # options under no name, under "It has" or "There are three methods": named by nothing
    pair = [node, other]
    if not all(generator.label_ok(n) for n in pair) or not of_a_kind(pair, is_imperative):
        return None  # "Read the whole error message" beside "aws sts get-caller-identity": steps, not options
    if any(names_a_part_of_explanation(n.shown) or _CATCH_ALL.match(n.shown) for n in pair):
        return None  # "Pros" and "Cons", "How" and "Why", "Other": the notes' layout, not things of AWS
    if _opposed(node.shown, other.shown):
        return None  # "Inside of VPC" and "Outside of VPC": the line's words say which
    if _tiers(node.shown, other.shown):
        return None  # Shield Standard and Advanced: the higher tier has what the lower has, and their reach
        # is the same resources ("protects EC2, ELB, CloudFront …" is true of both)
    if choice_key(node.shown) == choice_key(other.shown) or not list(other.subtree_facts()):
        return None
    if len(text) > MAX_FACT_CHARS or not generator.usable(fact, shown) or generator.negative(text):
        return None  # "has no rotation": what one lacks, the other may lack too
    if generator.content_size(text) < MIN_PAIR_FACT:
        return None
    if any(mentions(text, n.shown) or generator.names_subject(text, n.shown) for n in (node, other)):
        return None  # "the public key is downloadable" under "Asymmetric (public/private)": named
    if mentions(text, parent_label):
        return None
    rival = Topic(other.shown, [other])
    if generator.shared(fact, [rival]) or generator.could_be(text, [other]):
        return None  # the other's notes say much the same: both are right
    qid = fact_id(QuestionKind.WHICH, fact, "pair/" + other.shown)
    answer, wrong = _named(node.shown, other.shown)
    prompt = f"Under “{parent_label}”, which of the two do the notes say this about? “{text}”"
    question = generator.finish_fact(
        QuestionKind.WHICH,
        qid,
        prompt,
        answer,
        [wrong],
        fact,
        notes=[generator.node_note(other)],
        node=parent,
    )
    return Candidate(question, frozenset({id(fact)}), PAIR_WEIGHT) if question else None


def _named(first: str, second: str) -> tuple[str, str]:
    """Two labels as choices, without a last word both share that only says what part of the notes they
    head ("GuardDuty details", "Security Hub details" → "GuardDuty", "Security Hub")."""
    a, b = first.rsplit(" ", 1), second.rsplit(" ", 1)
    if len(a) == len(b) == 2 and a[1].lower() == b[1].lower() and names_a_part_of_explanation(a[1]):
        return a[0], b[0]
    return first, second


def _opposed(first: str, second: str) -> bool:
    """Whether two labels differ by a pair of opposite words only ("Inside of VPC", "Outside of VPC")."""
    a, b = set(re.findall(r"[a-z]+", first.lower())), set(re.findall(r"[a-z]+", second.lower()))
    return frozenset(a ^ b) in _OPPOSITES
