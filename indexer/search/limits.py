"""Questions about a limit, and the sections that list limits.

"Max number of HSMs in one CloudHSM cluster" is answered in a "Quotas" page; "biggest plaintext I can
send to KMS Encrypt" in a handbook's "Limits" section. A question asking for a limit gives the chunks
under a heading of limits, quotas or maximums a lift (``SearchTuning.limit_weight``): their numbers are
what it asks for, and their words are often not the question's ("HSMs per cluster | 28").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ASKS = re.compile(
    r"\b(?:max|maximum|largest|biggest|limits?|quotas?|how many|how much|how long|how big|up to|at most)\b",
    re.IGNORECASE,
)
_SECTION = re.compile(r"\b(?:limits?|quotas?|maximums?)\b", re.IGNORECASE)


def asks_limit(question: str) -> bool:
    """Whether a question asks for a limit ("max", "how many", "biggest", "up to")."""
    return _ASKS.search(question) is not None


def limit_section(headings: Sequence[str]) -> bool:
    """Whether a chunk sits under a heading of limits ("Limits", "AWS CloudHSM quotas", "Maximums")."""
    return any(_SECTION.search(h) for h in headings)
