"""Sibling options ("SSE-S3", "SSE-KMS", "SSE-C" under one heading) as choices for one another: an
option whose own items name another is no wrong choice beside it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.quiz.facts import Node
from indexer.quiz.fairness import Words

LISTED_WORDS = 3
"""An item of this many words or fewer names something a list holds ("AD SAML"); longer, it says something."""


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
