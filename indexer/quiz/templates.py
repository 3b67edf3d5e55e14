"""Openings the notes repeat line after line, which frame a fact and are cut off it: a label ("Key
takeaway:", "Recommendation:") or a pattern with a letter in it ("A is wrong because")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from indexer.model import Chunk

LABEL_WORDS = 3
REPEATED_LABEL = 3
"""A line label ("Key takeaway:") the notes use this often frames facts; it is not one."""
PATTERN_WORDS = 4
REPEATED_PATTERN = 5
"""An opening with a letter in it ("B is wrong because") repeated this often is a template."""
_BULLET_LINE = re.compile(r"^( *)• (.*)$")


class Templates:
    """Openings the notes repeat line after line: a label ("Key takeaway:", "Recommendation:") or a
    pattern with a letter in it ("A is wrong because", "C is correct because"). They frame a fact and
    are cut off it."""

    def __init__(self, labels: frozenset[str], patterns: frozenset[str]) -> None:
        self.labels = labels
        self.patterns = patterns

    @staticmethod
    def pattern(words: Sequence[str]) -> str:
        """The words, each single letter or digit as ``#``: ``B is wrong`` -> ``# is wrong``."""
        out = []
        for word in words:
            bare = word.strip(".:,()*")
            out.append("#" if len(bare) == 1 and bare.isalnum() else word.lower())
        return " ".join(out)

    @classmethod
    def of(cls, chunks: Sequence[Chunk]) -> Templates:
        labels: Counter[str] = Counter()
        patterns: Counter[str] = Counter()
        for chunk in chunks:
            for line in chunk.text.split("\n"):
                text = _BULLET_LINE.sub(r"\2", line).strip()
                label, colon, _ = text.partition(": ")
                if colon and 0 < len(label.split()) <= LABEL_WORDS:
                    labels[label.lower()] += 1
                words = text.split()
                for size in range(3, PATTERN_WORDS + 1):
                    key = cls.pattern(words[:size])
                    if key.startswith("# ") and len(words) > size:
                        patterns[key] += 1
        return cls(
            frozenset(k for k, n in labels.items() if n >= REPEATED_LABEL),
            frozenset(k for k, n in patterns.items() if n >= REPEATED_PATTERN),
        )

    def strip(self, text: str) -> str:
        words = text.split()
        for size in range(PATTERN_WORDS, 2, -1):
            if self.pattern(words[:size]) in self.patterns:
                return " ".join(words[size:])
        label, colon, rest = text.partition(": ")
        if colon and label.lower() in self.labels:
            return rest
        return text
