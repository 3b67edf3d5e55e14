"""Quantities: numbers with units (``4 KB``, ``90 days``, ``AES-256``) and the values a distractor may
take."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace

from indexer.quiz.question import MAX_CHOICES

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_UNITS: dict[str, tuple[str, str, str]] = {
    # written (lower case) -> (dimension, singular, plural)
    "kb": ("size", "KB", "KB"),
    "mb": ("size", "MB", "MB"),
    "gb": ("size", "GB", "GB"),
    "tb": ("size", "TB", "TB"),
    "bytes": ("size", "bytes", "bytes"),
    "byte": ("size", "byte", "bytes"),
    "ms": ("ms", "ms", "ms"),
    "milliseconds": ("ms", "millisecond", "milliseconds"),
    "seconds": ("s", "second", "seconds"),
    "second": ("s", "second", "seconds"),
    "secs": ("s", "second", "seconds"),
    "minutes": ("min", "minute", "minutes"),
    "minute": ("min", "minute", "minutes"),
    "mins": ("min", "minute", "minutes"),
    "min": ("min", "minute", "minutes"),
    "hours": ("h", "hour", "hours"),
    "hour": ("h", "hour", "hours"),
    "hrs": ("h", "hour", "hours"),
    "days": ("d", "day", "days"),
    "day": ("d", "day", "days"),
    "weeks": ("w", "week", "weeks"),
    "week": ("w", "week", "weeks"),
    "months": ("mo", "month", "months"),
    "month": ("mo", "month", "months"),
    "years": ("y", "year", "years"),
    "year": ("y", "year", "years"),
}
_LADDERS: dict[str, tuple[float, ...]] = {
    "size": (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
    "ms": (1, 10, 50, 100, 200, 500, 1000),
    "s": (1, 5, 10, 15, 30, 45, 60, 90, 120),
    "min": (1, 5, 10, 15, 20, 30, 45, 60, 90, 120),
    "h": (1, 2, 3, 4, 6, 8, 12, 24, 36, 48, 72),
    "d": (1, 3, 7, 14, 30, 45, 60, 90, 120, 180, 365),
    "w": (1, 2, 3, 4, 6, 8, 12, 26, 52),
    "mo": (1, 2, 3, 6, 9, 12, 18, 24, 36),
    "y": (1, 2, 3, 5, 7, 10, 15, 20),
    "layer": (3, 4, 7),  # network, transport, application: the layers AWS services work at (5, 6 are filler)
    "level": (1, 2, 3, 4),
    "aes-bits": (128, 192, 256),  # the only AES key sizes: AES-64 or AES-512 is a made-up name
    "rsa-bits": (1024, 2048, 3072, 4096),
}
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.$/-])(?P<num>{_NUMBER}|(?i:{'|'.join(_NUMBER_WORDS)}))"
    rf"[ \t]?(?P<unit>(?i:{_UNIT_WORDS}))\b(?!/)"
    rf"|(?P<money>\$[ \t]?(?:{_NUMBER}))(?![\w.,]?\d)"
    rf"|(?<![\w-])(?P<lname>(?i:layer|level))[ \t]+(?P<lnum>\d)\b(?![/.,-]?\d)"
    rf"|(?<![\w-])(?P<cipher>AES|RSA)[ \t]*-?[ \t]*(?P<bits>\d{{3,4}})\b"
    rf"|(?<![\w.$/:-])(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d{{2,}})"
    rf"(?=[ \t]+[A-Za-z])(?![ \t]+(?i:to|-|and|or)\b)"
)
_WORDS_FOR = {float(v): w for w, v in _NUMBER_WORDS.items()}
_RANGE = re.compile(rf"(?:{_NUMBER}|\b(?i:{'|'.join(_NUMBER_WORDS)}))\s*(?:-|to|and)\s*(?:{_NUMBER})")
_YEARS = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    dimension: str
    shown: str
    """The answer as shown: the notes' number with a normalised unit (``4 KB``, ``90 days``)."""
    template: str
    """How a distractor value is written: ``{n}`` and ``{unit}`` (singular or plural chosen per value)."""
    singular: str = ""
    plural: str = ""
    in_words: bool = False
    """The notes wrote the number as a word (``one hour``): distractors are written that way too."""
    decimals: int = 0


def _format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def _quantity_text(q: Quantity, value: float) -> str:
    unit = q.singular if value == 1 else q.plural
    if q.in_words and value in _WORDS_FOR:
        number = _WORDS_FOR[value]
    elif q.decimals:
        number = f"{value:,.{q.decimals}f}"
    else:
        number = _format_number(value)
    return q.template.format(n=number, unit=unit)


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with a unit or a kind in ``text`` that a blank can take (ranges and years excluded)."""
    ranges = [(m.start(), m.end()) for m in _RANGE.finditer(text)]
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in ranges):
            continue
        if m.group("num"):
            raw = m.group("num")
            in_words = raw.lower() in _NUMBER_WORDS
            value = float(_NUMBER_WORDS[raw.lower()] if in_words else raw.replace(",", ""))
            dim, singular, plural = _UNITS[m.group("unit").lower()]
            q = Quantity(
                m.start(), m.end(), value, dim, "", "{n} {unit}", singular, plural, in_words, _decimals(raw)
            )
        elif m.group("money"):
            raw = m.group("money").replace("$", "").strip()
            value = float(raw.replace(",", ""))
            q = Quantity(m.start(), m.end(), value, "money", "", "${n}", decimals=_decimals(raw))
        elif m.group("lname"):
            name = m.group("lname").lower()
            q = Quantity(m.start(), m.end(), float(m.group("lnum")), name, "", name + " {n}")
        elif m.group("cipher"):
            cipher = m.group("cipher")
            q = Quantity(
                m.start(), m.end(), float(m.group("bits")), f"{cipher.lower()}-bits", "", cipher + "-{n}"
            )
        else:
            raw = m.group("count")
            if _YEARS.match(raw):
                continue
            q = Quantity(m.start(), m.end(), float(raw.replace(",", "")), "count", "", "{n}")
        out.append(replace(q, shown=_quantity_text(q, q.value)))
    return out


_TIME = ("ms", "s", "min", "h", "d", "w", "mo", "y")
_TIME_WORDS = "hourly daily weekly monthly yearly annual annually quarterly"


def unit_words(dimension: str) -> str:
    """The words that state an amount of this dimension (for time, every time unit: "once per year"
    says "365 days"), space-separated."""
    dims = _TIME if dimension in _TIME else (dimension,)
    words = [w for w, (dim, _, _) in _UNITS.items() if dim in dims]
    return " ".join(words) + (" " + _TIME_WORDS if dimension in _TIME else "")


def _decimals(raw: str) -> int:
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def _nice_numbers(value: float) -> list[float]:
    exponent = int(math.floor(math.log10(value))) if value > 0 else 0
    values = [round(m * 10.0**e, 6) for e in range(exponent - 2, exponent + 3) for m in (1, 2, 2.5, 3, 5)]
    return [v for v in values if v >= 1 or value < 1]


BINARY_STEP = 64
"""A value that is not round is asked only as a multiple of this (5,120 = 5 × 1,024: a limit)."""


def _round(value: float) -> bool:
    """Whether a value is one of the round numbers :func:`_nice_numbers` gives (1, 2, 2.5, 3, 5 times a
    power of ten)."""
    if value <= 0:
        return True
    exponent = int(math.floor(math.log10(value)))
    return any(math.isclose(value, m * 10.0**exponent) for m in (1, 2, 2.5, 3, 5))


FARTHEST = 10
"""A wrong value is less than this many times the right one, or its fraction: further, it is absurd."""


def quantity_distractors(
    q: Quantity, rng: random.Random, count: int = 3, before: str = "", after: str = ""
) -> list[str]:
    """``count`` other values of the same kind, near the right one (on a log scale), as text, in a
    random order (so taking the first few is not biased to smaller or larger values), with the right one
    at a random place among them: as often the smallest or the largest as in the middle. ``before`` and
    ``after``: the text around the value; no value breaks a bound the text states ("____ (max 30)" offers
    no 60)."""
    ladder = _LADDERS.get(q.dimension) or _nice_numbers(q.value)
    if q.dimension not in _LADDERS and not _round(q.value):
        if q.value % BINARY_STEP:
            return []  # 5,432: an example or a label, whose made-up neighbours would look made up
        # 5,120 among 1,000 / 3,000 / 20,000 stands out: values of its own shape (halved, doubled)
        ladder = tuple(q.value * f for f in (0.25, 0.5, 2, 4, 8) if float(q.value * f).is_integer())
    if q.value.is_integer():
        ladder = tuple(v for v in ladder if float(v).is_integer())  # "10 tags" is never "2.5 tags"
    if q.dimension == "size" and q.singular in ("byte",):
        ladder = (16, 32, 64, 128, 256, 512, 1024)
    base = q.value or 1
    candidates = sorted(  # "10 years" beside a "1 year" minimum is absurd, not a near miss
        {v for v in ladder if v != q.value and v > 0 and max(v / base, base / v) < FARTHEST},
        key=lambda v: abs(math.log(v) - math.log(base)),
    )
    candidates = [v for v in candidates if within_stated_bounds(f"{before} {after}", v)]
    # the right value's place among the choices is drawn at random, so "the middle one" (a half and a
    # double both shown) and "the smallest" are no better than a guess
    lower = [v for v in candidates if v < base]
    higher = [v for v in candidates if v > base]
    first = min(MAX_CHOICES - 1, len(candidates))  # the wrong values a question shows come first
    below = max(min(rng.randrange(first + 1), len(lower)), first - len(higher))
    picked = lower[:below] + higher[: first - below]
    rng.shuffle(picked)
    rest = [v for v in candidates if v not in picked][: max(count - len(picked), 0)]
    rng.shuffle(rest)  # the next nearest, for when a first one does not fit the blank
    return [_quantity_text(q, v) for v in (picked + rest)[:count]]


_IN_BASE_UNITS = {
    "kb": 1024,
    "mb": 1024**2,
    "gb": 1024**3,
    "tb": 1024**4,
    "bytes": 1,
    "byte": 1,
    "ms": 0.001,
    "s": 1,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "y": 31_557_600,
}
"""Sizes (by unit) and times (by dimension) in bytes or seconds; a month is no fixed length."""


def in_base_units(q: Quantity) -> float | None:
    """A size in bytes or a time in seconds ("4 KB" is 4,096, "1 hour" 3,600); None for other quantities."""
    factor = _IN_BASE_UNITS.get(q.singular.lower() if q.dimension == "size" else q.dimension)
    return None if factor is None else q.value * factor


def amount(text: str) -> str | None:
    """A quantity written alone, in base units, so one value written two ways is one answer ("4 KB" and
    "4,096 bytes" are ``size:4096``; "1 hour" and "60 minutes" are ``time:3600``); None for anything else."""
    found = find_quantities(text)
    if len(found) != 1 or text[: found[0].start].strip() or text[found[0].end :].strip(" ."):
        return None
    q = found[0]
    base = in_base_units(q)
    if base is None:
        return f"{q.dimension}:{q.value:g}"
    return f"{'size' if q.dimension == 'size' else 'time'}:{base:g}"


_BOUND = re.compile(
    r"(?i)\b(?P<kind>max(?:imum)?|up to|at most|no more than|(?:raised|increased|extended) to|min(?:imum)?|"
    r"at least|no less than)\b"
    r"[ \t:=]*(?:of[ \t]+)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
)


_UPPER = ("max", "up", "at most", "no more", "raised", "increased", "extended")


def within_stated_bounds(text: str, number: float) -> bool:
    """Whether a value keeps to the bounds the text states beside the blank ("____ (max 30, default 30)"
    rules out 60, "____ by default, can be raised to 20" rules out 25): a wrong value the sentence itself
    contradicts is no choice."""
    for bound in _BOUND.finditer(text):
        limit = float(bound.group("num").replace(",", ""))
        upper = bound.group("kind").lower().startswith(_UPPER)
        if (number > limit) if upper else (number < limit):
            return False
    return True
