"""Sibling options ("SSE-S3", "SSE-KMS", "SSE-C" under one heading) as choices for one another: an
option whose own items name another is no wrong choice beside it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from indexer.quiz.facts import Node
from indexer.quiz.fairness import Words, stopwords
from indexer.quiz.notfacts import names_a_part_of_explanation

LISTED_WORDS = 3
"""An item of this many words or fewer names something a list holds ("AD SAML"); longer, it says something."""
NAME_WORDS = 2
"""Labels of this many words or fewer are names of one kind ("Backup", "Automation", "Chaos")."""


def of_a_kind(family: Sequence[Node], imperative: Callable[[str], bool]) -> bool:
    """Whether sibling labels name things of one kind, to choose among: short names ("Backup",
    "Automation", "Chaos"), names sharing a word ("Governance mode", "Compliance mode"), or names at all
    ("SAML Federation for Enterprises", "Custom Identity Broker Application"). Labels that describe a
    list's parts ("optional protection plans", "severity bands", "to EventBridge": lower case) or steps
    ("Kill its creds", "Capture evidence") are its layout, two or more of them: a line under one is
    placed by its own words, not by what a learner knows."""
    if sum(names_a_part_of_explanation(n.label) for n in family) >= 2:
        return False  # "Goal:", "How:", "Example:": grammar answers which one a line is under
    labels = [n.shown for n in family]
    phrases = [len(label.split()) > NAME_WORDS and label[:1].islower() for label in labels]
    if any(phrases) and not all(phrases):
        return False  # "conditions worth to remember" beside "Access Analyzer": a note, not a name
    if all(len(label.split()) <= NAME_WORDS for label in labels):
        return True
    words = [{w for w in re.findall(r"[a-z0-9]+", label.lower()) if w not in stopwords()} for label in labels]
    if set.intersection(*words):
        return True
    return sum(label[:1].islower() or imperative(label) for label in labels) < 2


def lists_each_other(words: Words, family: Sequence[Node], answer: Node) -> set[int]:
    """The ids of the siblings of ``answer`` that list it among their own items, or that it lists ("3rd
    party authentication: LDAP, AD SAML, SSO…" beside "SAML Federation for Enterprises"): offered beside
    it, such an option holds the answer as well. A name is told by its words no other sibling's name has
    ("KMS" of "SSE - KMS", not "SSE"); what an option lists is its labels and items of a few words."""
    named = {id(n): words.telling(n.shown) for n in family}
    distinct = {id(n): named[id(n)].difference(*(named[id(o)] for o in family if o is not n)) for n in family}
    listed = {id(n): _listed(words, n) for n in family}
    return {
        id(n)
        for n in family
        if n is not answer and (distinct[id(n)] & listed[id(answer)] or distinct[id(answer)] & listed[id(n)])
    }


def _listed(words: Words, node: Node) -> frozenset[str]:
    texts = [n.shown for n in node.descendants()]
    for fact in node.subtree_facts():  # "integrates with: ELB, CloudFront" lists two
        texts += re.split(r"[,;]", fact.text.split(":", 1)[-1]) if fact.is_list else [fact.text]
    return words.telling(" ".join(t for t in texts if len(t.split()) <= LISTED_WORDS))
