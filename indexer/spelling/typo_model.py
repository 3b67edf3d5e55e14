"""How people mistype words: a weighted edit distance for fast typing on a QWERTY keyboard.

The cost of turning a correct word into what was typed is lower for the slips people make most:
two neighbouring letters swapped (``teh``), a neighbouring key hit (``kinesid``), a letter doubled
or dropped, one vowel for another. A letter typed a few places early or late (``authenticaiotn``)
costs about two swaps. Pure functions, no state.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALPHABET = LETTERS + "'"
"""What a correctable word is spelled with, lower case: the letters and the apostrophe."""
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = frozenset("aeiou")


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    position = {ch: (r, c) for r, row in enumerate(_KEYBOARD_ROWS) for c, ch in enumerate(row)}
    near: dict[str, set[str]] = {ch: set() for ch in position}
    for a, (ra, ca) in position.items():
        for b, (rb, cb) in position.items():
            # rows are staggered by about half a key: (r, c) touches (r+1, c-1) and (r+1, c)
            if a != b and abs(ra - rb) <= 1 and (
                (ra == rb and abs(ca - cb) == 1) or (rb == ra + 1 and cb in (ca - 1, ca)) or (
                    rb == ra - 1 and cb in (ca, ca + 1))):
                near[a].add(b)
    return {k: frozenset(v) for k, v in near.items()}


KEYBOARD_NEIGHBOURS = _keyboard_neighbours()

SWAP = 0.6
"""Two neighbouring letters swapped."""
NEAR_KEY = 0.7
"""A neighbouring key hit instead of the right one."""
VOWEL_FOR_VOWEL = 0.8
OTHER_SUBSTITUTION = 1.0
DROPPED = 0.8
"""A letter of the word left out."""
ADDED = 0.8
"""A letter typed that the word does not have."""
DOUBLED = 0.4
"""A letter typed twice, or a double letter typed once."""
MOVES = ((3, 1.1), (4, 1.5))
"""(letters spanned, cost) of one letter typed two or three places away from where it belongs."""


ONLY_DROPPED = 0.4
"""A letter left out when the typed word is the meant one with letters left out and nothing else
(``retieved`` for ``retrieved``): fast typists skip keys far more often than they hit wrong ones."""

APOSTROPHE_LEFT_OUT = 0.3
"""``doesnt`` for ``doesn't``: hardly a typo."""


def substitution_cost(typed: str, meant: str) -> float:
    if typed == meant:
        return 0.0
    if typed in KEYBOARD_NEIGHBOURS.get(meant, ()):
        return NEAR_KEY
    if typed in _VOWELS and meant in _VOWELS:
        return VOWEL_FOR_VOWEL
    return OTHER_SUBSTITUTION


_SUBSTITUTION = {(a, b): substitution_cost(a, b) for a in ALPHABET for b in ALPHABET}


@lru_cache(maxsize=500_000)
def typo_cost(typed: str, meant: str, limit: float = 99.0) -> float:
    """Cost of typing ``meant`` as ``typed`` (both lower case): 0 when equal, about 1 per slip.

    Stops early and returns a value above ``limit`` once the cost is sure to exceed it."""
    if typed == meant:
        return 0.0
    n, m = len(typed), len(meant)
    if abs(n - m) * DOUBLED > limit:
        return limit + 1.0
    sub = _SUBSTITUTION
    move3, move4 = MOVES[0][1], MOVES[1][1]
    # rows[i][j]: cost of typing meant[:j] as typed[:i]
    first = [0.0] * (m + 1)
    for j in range(1, m + 1):
        lost = meant[j - 1]
        first[j] = first[j - 1] + (APOSTROPHE_LEFT_OUT if lost == "'" else DOUBLED
                                   if (j > 1 and meant[j - 2] == lost) else DROPPED)
    rows = [first]
    for i in range(1, n + 1):
        extra = typed[i - 1]
        prev = rows[i - 1]
        added = DOUBLED if i > 1 and typed[i - 2] == extra else ADDED
        row = [prev[0] + added]
        left = row[0]
        for j in range(1, m + 1):
            want = meant[j - 1]
            if extra == want:
                best = prev[j - 1]
            else:
                best = prev[j - 1] + sub.get((extra, want), OTHER_SUBSTITUTION)
            cost = prev[j] + added
            if cost < best:
                best = cost
            cost = left + (APOSTROPHE_LEFT_OUT if want == "'" else DOUBLED if j > 1 and meant[j - 2] == want
                           else DROPPED)
            if cost < best:
                best = cost
            if extra != want and i > 1 and j > 1:
                t1, w1 = typed[i - 2], meant[j - 2]
                if extra == w1 and t1 == want:
                    cost = rows[i - 2][j - 2] + SWAP
                    if cost < best:
                        best = cost
                # one letter typed two or three places early or late: "iotn" for "tion"
                if i > 2 and j > 2:
                    t2, w2 = typed[i - 3], meant[j - 3]
                    if (t1 == w2 and extra == w1 and t2 == want) or (t2 == w1 and t1 == want and extra == w2):
                        cost = rows[i - 3][j - 3] + move3
                        if cost < best:
                            best = cost
                    if i > 3 and j > 3:
                        t3, w3 = typed[i - 4], meant[j - 4]
                        if ((t2 == w3 and t1 == w2 and extra == w1 and t3 == want)
                                or (t3 == w2 and t2 == w1 and t1 == want and extra == w3)):
                            cost = rows[i - 4][j - 4] + move4
                            if cost < best:
                                best = cost
            row.append(best)
            left = best
        rows.append(row)
        if min(row) > limit:
            return limit + 1.0
    return min(rows[n][m], only_dropped_cost(typed, meant))


def only_dropped_cost(typed: str, meant: str) -> float:
    """Cost of typing ``meant`` as ``typed`` by leaving letters out only; infinite when ``typed``
    is not ``meant`` with some letters left out."""
    n, m = len(typed), len(meant)
    if n >= m:
        return math.inf
    # cols[j]: cost of typing meant[:j] as typed[:i] by leaving letters out
    cols = [0.0] * (m + 1)
    for j in range(1, m + 1):
        cols[j] = cols[j - 1] + _drop_cost(meant, j - 1)
    for i in range(1, n + 1):
        row = [math.inf] * (m + 1)
        for j in range(i, m - (n - i) + 1):
            keep = cols[j - 1] if typed[i - 1] == meant[j - 1] else math.inf
            row[j] = min(keep, row[j - 1] + _drop_cost(meant, j - 1))
        cols = row
    return cols[m]


def _drop_cost(meant: str, at: int) -> float:
    lost = meant[at]
    if lost == "'":
        return APOSTROPHE_LEFT_OUT
    return DOUBLED if at > 0 and meant[at - 1] == lost else ONLY_DROPPED


def one_edit_away(word: str) -> set[str]:
    """Every string one letter added, dropped, changed or swapped away from ``word``."""
    cuts = [(word[:k], word[k:]) for k in range(len(word) + 1)]
    out = {a + b[1:] for a, b in cuts if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    out |= {a + ch + b[1:] for a, b in cuts if b for ch in LETTERS}
    out |= {a + ch + b for a, b in cuts for ch in LETTERS}
    out.discard(word)
    return out


def letter_bag_distance(a: str, b: str) -> int:
    """Lower bound of the edit distance that ignores letter order (a scramble scores 0)."""
    from collections import Counter

    ca, cb = Counter(a), Counter(b)
    return max(sum((ca - cb).values()), sum((cb - ca).values()))


def edit_budget(length: int) -> float:
    """Most typo cost believed for a word typed with ``length`` letters: longer words carry more slips."""
    if length <= 2:
        return 0.0
    if length == 3:
        return 1.0
    return min(4.5, 0.35 * length + 0.2)


_CODE = {ch: n for n, ch in enumerate(ALPHABET)}
_PAD = len(_CODE)
_SUB_TABLE = np.full((_PAD + 1, _PAD + 1), OTHER_SUBSTITUTION)
for _a, _x in _CODE.items():
    for _b, _y in _CODE.items():
        _SUB_TABLE[_x, _y] = substitution_cost(_a, _b)
_SUB_TABLE[_PAD, :] = _SUB_TABLE[:, _PAD] = 99.0


def typo_costs(typed: str, words: list[str]) -> np.ndarray:
    """``typo_cost(typed, w)`` for many words at once (same result, vectorised over the words)."""
    if not words:
        return np.zeros(0)
    k, n, m = len(words), len(typed), max(len(w) for w in words)
    cand = np.full((k, m), _PAD, dtype=np.int8)
    for at, word in enumerate(words):
        cand[at, :len(word)] = [_CODE.get(ch, _PAD) for ch in word]
    lengths = np.array([len(w) for w in words])
    t = [_CODE.get(ch, _PAD) for ch in typed]
    # cost of leaving out meant[j-1], for j = 1..m
    drop = np.full((k, m), DROPPED)
    drop[:, 1:][cand[:, 1:] == cand[:, :-1]] = DOUBLED
    drop[cand == _CODE["'"]] = APOSTROPHE_LEFT_OUT
    first = np.zeros((k, m + 1))
    first[:, 1:] = np.cumsum(drop, axis=1)
    rows = [first]
    for i in range(1, n + 1):
        extra = t[i - 1]
        prev = rows[i - 1]
        added = DOUBLED if i > 1 and t[i - 2] == extra else ADDED
        best = prev[:, :-1] + _SUB_TABLE[extra][cand]
        np.minimum(best, prev[:, 1:] + added, out=best)
        differs = cand != extra
        if i > 1 and m > 1:
            t1 = t[i - 2]
            swapped = (cand[:, :-1] == extra) & (cand[:, 1:] == t1) & differs[:, 1:]
            if swapped.any():
                swap_cost = np.minimum(best[:, 1:], rows[i - 2][:, :-2] + SWAP)
                best[:, 1:] = np.where(swapped, swap_cost, best[:, 1:])
            if i > 2 and m > 2:
                t2 = t[i - 3]
                w2, w1, want = cand[:, :-2], cand[:, 1:-1], cand[:, 2:]
                moved = ((w2 == t1) & (w1 == extra) & (want == t2)) | (
                    (w1 == t2) & (want == t1) & (w2 == extra))
                moved &= differs[:, 2:]
                if moved.any():
                    move_cost = np.minimum(best[:, 2:], rows[i - 3][:, :-3] + MOVES[0][1])
                    best[:, 2:] = np.where(moved, move_cost, best[:, 2:])
                if i > 3 and m > 3:
                    t3 = t[i - 4]
                    w3, w2, w1, want = cand[:, :-3], cand[:, 1:-2], cand[:, 2:-1], cand[:, 3:]
                    moved = (((w3 == t2) & (w2 == t1) & (w1 == extra) & (want == t3))
                             | ((w2 == t3) & (w1 == t2) & (want == t1) & (w3 == extra)))
                    moved &= differs[:, 3:]
                    if moved.any():
                        move_cost = np.minimum(best[:, 3:], rows[i - 4][:, :-4] + MOVES[1][1])
                        best[:, 3:] = np.where(moved, move_cost, best[:, 3:])
        row = np.empty((k, m + 1))
        row[:, 0] = prev[:, 0] + added
        for j in range(1, m + 1):
            row[:, j] = np.minimum(best[:, j - 1], row[:, j - 1] + drop[:, j - 1])
        rows.append(row)
    costs = rows[n][np.arange(k), lengths]
    for at, word in enumerate(words):
        if len(word) > n:
            costs[at] = min(costs[at], only_dropped_cost(typed, word))
    return costs
