"""Questions about what something does *not* do, and the chunks that say so.

"What traffic do VPC flow logs not capture?" is answered by a line like "Not all IP traffic is
monitored", not by the line that says what flow logs capture. Negations are stopwords, so BM25 cannot
see them: a question that asks in the negative gives the chunks that state a negative a lift instead
(``SearchTuning.negative_weight``).
"""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"\b(?:not|no|never|cannot|without|(?:can|don|doesn|isn|aren|won|wasn|didn|hasn|haven)['’]?t)\b",
    re.IGNORECASE,
)
_STATES = re.compile(
    r"\b(?:not|no|never|cannot|without|unable|neither|nor)\b|n['’]t\b",
    re.IGNORECASE,
)


def asks_negative(question: str) -> bool:
    """Whether a question is put in the negative ("can't", "not", "without", "never")."""
    return _ASKS.search(question) is not None


def states_negative(text: str) -> bool:
    """Whether a text states a negative anywhere ("cannot be shared", "not captured", "isn't")."""
    return _STATES.search(text) is not None
