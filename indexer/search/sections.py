"""Questions that ask for what a kind of section lists: limits, prices, caveats.

"Max number of HSMs in one CloudHSM cluster" is answered in a "Quotas" page; "biggest plaintext I can
send to KMS Encrypt" in a handbook's "Limits" section; "does GuardDuty cost extra" under "Pricing"; "I
swapped the security group but the session is still open, why?" under "Gotchas". A question asking for
one of these gives the chunks under a heading of that kind a lift
(``SearchTuning.section_weight``): their numbers are what it asks for, and their words are often not the
question's ("HSMs per cluster | 28").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionKind:
    """A kind of section a question can ask for."""

    name: str
    asks: re.Pattern[str]
    """Words of a question that asks for what such a section lists."""
    heads: re.Pattern[str]
    """Words of a heading over such a section."""


SECTION_KINDS = (
    SectionKind(
        "limits",
        re.compile(
            r"\b(?:max|maximum|largest|biggest|limits?|quotas?|how many|how much|how long|how big|up to|"
            r"at most)\b",
            re.IGNORECASE,
        ),
        re.compile(r"\b(?:limits?|quotas?|maximums?)\b", re.IGNORECASE),
    ),
    SectionKind(
        "pricing",
        re.compile(r"\b(?:costs?|prices?|pricing|charge[ds]?|pay|paid|free|bill(?:ed|ing)|fees?)\b", re.I),
        re.compile(r"\b(?:pricing|prices?|costs?|billing|charges?|fees?)\b", re.IGNORECASE),
    ),
    SectionKind(
        "caveats",
        re.compile(r"\b(?:catch|gotchas?|traps?|pitfalls?|caveats?|even though|still|why)\b", re.IGNORECASE),
        re.compile(r"\b(?:gotchas?|pitfalls?|traps?|common mistakes|caveats?|watch out)\b", re.IGNORECASE),
    ),
)


def asked_sections(question: str) -> list[SectionKind]:
    """The kinds of section a question asks for ("max" → limits, "cost anything" → pricing, "still …
    why?" → caveats)."""
    return [kind for kind in SECTION_KINDS if kind.asks.search(question)]


def section_kinds(headings: Sequence[str]) -> frozenset[str]:
    """The kinds of section a chunk sits in, by its headings ("AWS CloudHSM quotas" → limits)."""
    return frozenset(kind.name for kind in SECTION_KINDS if any(kind.heads.search(h) for h in headings))
