"""Steps of a procedure whose wording alone orders them: a step pointing back at another ("Sign in to
that delegated administrator account" after "designate … the delegated administrator"), or naming what
another step did ("Deactivation doesn't kill …" after "Deactivate the key"). A wrong order that breaks
such a tie is ruled out by reading, not by knowing the procedure: every wrong order keeps them."""

from __future__ import annotations

import re
from collections.abc import Sequence

_POINTER = re.compile(r"(?i)\b(?:that|this|these|those|the same)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")
"""A demonstrative and up to three words after it: "that delegated administrator account"."""
_WORD = re.compile(r"[a-z][a-z-]+")
MIN_WORD = 4
"""Words shorter than this ("key", "the") tie nothing on their own."""
SAME_ROOT = 6
"""Two first words sharing this many letters are one word's forms ("deactivate", "deactivation")."""


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD}


def _first_word(text: str) -> str:
    found = _WORD.search(text.lower())
    return found.group() if found else ""


def tied_steps(steps: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j`` in the right order, where step ``j``'s wording says it comes after
    step ``i``: it points back ("that …") at words step ``i`` has (the nearest step before it with the
    most of them), or opens with a form of step ``i``'s first word."""
    ties: set[tuple[int, int]] = set()
    for j, text in enumerate(steps):
        for m in _POINTER.finditer(text):
            wanted = _words(m.group(1))
            shared = [(len(wanted & _words(steps[i])), i) for i in range(j)]
            most = max((count for count, _ in shared), default=0)
            if wanted and most >= min(2, len(wanted)):
                ties.add((max(i for count, i in shared if count == most), j))
        first = _first_word(text)
        for i in range(j):
            other = _first_word(steps[i])
            if first != other and len(first) >= SAME_ROOT and first[:SAME_ROOT] == other[:SAME_ROOT]:
                ties.add((i, j))
    return sorted(ties)


def keeps(order: Sequence[int], ties: Sequence[tuple[int, int]]) -> bool:
    """Whether an order (steps by their right place) has every tied pair in its right order."""
    place = {step: n for n, step in enumerate(order)}
    return all(place[i] < place[j] for i, j in ties)
