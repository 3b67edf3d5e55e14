"""What tells a statement's own topic apart: the names of its features (the headings and labels under
it), and the lines the notes repeat in several files (their frame, not facts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from indexer.files import shipped_text
from indexer.once import once
from indexer.quiz.facts import Fact, Node
from indexer.quiz.question import QuizQuestion, choice_key
from indexer.quiz.terms import family_of

SECURITY_FAMILIES = frozenset({"crypto", "identity", "detection", "edge", "monitoring"})
"""Families of ``quiz_terms.txt`` whose services are security's own: a question answered by one is."""
FEATURE_WORDS = 4
"""A heading or label of at most this many words names a feature."""
_FACT_LABEL = re.compile(r"^([^:—–]{3,40}?)\s*(?::|\s[—–-])\s")
"""A fact that starts with a short label (``4 KB limit: …``, ``Conformance packs — …``): a feature's name."""


def feature_names(
    nodes: Iterable[Node], words_of: Callable[[str], frozenset[str]], name: str = ""
) -> frozenset[frozenset[str]]:
    """The names of a topic's features, each as its words: its headings and labels of a few words
    (``Object Lock``, ``Account Factory``, ``Conformance packs``) and the short labels its facts start
    with (``4 KB limit: …``), also without the topic's ``name`` where two words or more are left ("S3
    Object Lock" is also "Object Lock"). A statement naming one is about that topic."""
    labels: list[str] = []
    for node in nodes:
        labels += [child.shown for child in (node, *node.descendants()) if child.shown]
        labels += [m.group(1) for f in node.subtree_facts() if (m := _FACT_LABEL.match(f.text))]
    own = words_of(name) if name else frozenset()
    found = {words for label in labels if len(label.split()) <= FEATURE_WORDS and (words := words_of(label))}
    found |= {words - own for words in found if len(words - own) >= 2}
    return frozenset(found)


def repeated_lines(facts: Iterable[Fact]) -> frozenset[str]:
    """The facts (as :func:`~indexer.quiz.question.choice_key`) the notes write in several notes ("Study
    guide for …" atop every file): the notes' frame, not a fact of the topic each happens to sit under."""
    files: dict[str, set[str]] = {}
    for fact in facts:
        files.setdefault(choice_key(fact.text), set()).add(fact.chunk.source)
    return frozenset(key for key, sources in files.items() if len(sources) >= 2)


_PRICING = re.compile(
    r"(?i)(?:\$\s?\d|\bfree (?:tier|trial)\b|\bpric(?:e|ed|es|ing)\b|\bcharged?\b|\bbill(?:ed|ing)\b"
    r"|\bcosts?\b|\bper (?:month|hour|GB|request)\b|\b(?:USD|EUR|GBP)\b|[€£]\s?\d"
    r"|^\W*free\b|\bfree (?:service|of charge|to use|for (?:all|every))\b|\bno (?:additional|extra) fee)"
)


def is_pricing(text: str) -> bool:
    """Whether a fact is about price ("$0.40 per secret per month", "0.05 USD per 10,000 API calls", "a
    30-day free trial", "billed on the volume of events", "Free service activated on all AWS customers"):
    prices change, several services share one
    model, and a learner studying security gains little from them, so they are not asked as facts (a
    comparison table's cost column still is)."""
    return bool(_PRICING.search(text))


@once
def _security_words() -> re.Pattern[str]:
    """``indexer/data/security_words.txt`` as one pattern, read once per process."""
    parts = []
    for line in shipped_text("security_words.txt").splitlines():
        entry = line.strip().lower()
        if entry and not entry.startswith("#"):
            words = [re.escape(w) for w in entry.rstrip("*").split()]
            parts.append(r"[\s-]+".join(words) + (r"[\w-]*" if entry.endswith("*") else ""))
    alternatives = "|".join(sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def about_security(question: QuizQuestion) -> bool:
    """Whether a question is about AWS security: its heading path, prompt, context line, items or right
    answer use a word of ``security_words.txt`` (a wrong choice's do not: "VPC Flow Logs" offered beside
    OpsWorks makes no question on Chef and Puppet one on security). A study group's notes often hold other
    matter too (an Associate-level cheat sheet's EBS volume types, DynamoDB's data model, disaster-
    recovery tips): awssec quizzes on security, and a question on the rest is not worth a learner's click."""
    if family_of(question.answer) in SECURITY_FAMILIES:
        return True  # "Version tracking …" → SSM Parameter Store, a store of secrets
    # a select-two's wrong items are other topics' lines
    items = question.picked_items()[0] if question.kind == "select_two" else question.items
    shown = [question.heading, question.prompt, question.context, question.answer, *items]
    return any(_security_words().search(text) for text in shown if text)
