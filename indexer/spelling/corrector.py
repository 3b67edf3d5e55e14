"""Choose what a run of typed words most likely meant: a noisy-channel spelling corrector.

For each word typed, candidates are believed words within a typo cost that grows with word length
(see ``typo_model``). Words typed together may also be re-cut: two words joined (``role s``),
one split (``sideencryption``), or the space typed one letter off (``mus tencryp``). A run of words
is decoded as a whole: each reading is scored by how likely its words are after one another
(bigram model from English and the corpus) plus how likely the typing slips are, and the best
reading wins. A word is left as written unless another reading is clearly better.

Word shapes limit what a word may become: an all-caps word only an acronym from the AWS list
(``IMA`` -> ``IAM``), a CamelCase word only a listed AWS name (``CloudeHSM`` -> ``CloudHSM``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.spelling.typo_model import (
    DOUBLED,
    DROPPED,
    LETTERS,
    SWAP,
    edit_budget,
    one_edit_away,
    typo_cost,
    typo_costs,
)
from indexer.spelling.vocabulary import Vocabulary

TYPO_WEIGHT = 3.2
"""Nats of doubt per unit of typo cost (for ranking; decoding uses ``typo_weight(rate)``)."""
CAREFUL_TYPO_WEIGHT = 3.6
FAST_TYPO_WEIGHT = 2.6
"""Nats of doubt per unit of typo cost in careful notes and in the fastest typed ones: a typist who
misspells a third of the words also stacks more slips into one word."""
UNKNOWN_WORD_LOG_PROB = -17.0
"""log P of keeping a word no list knows (a name, or a typo nothing explains)."""
LONG_UNKNOWN_FROM = 8
LONG_UNKNOWN_DOUBT_PER_LETTER = 1.5
"""In a fast typist's note, keeping an unknown word longer than LONG_UNKNOWN_FROM letters costs this many
more nats per letter: such words are mostly scrambles, not names."""
NAME_LIKE_UNKNOWN_LOG_PROB = -14.0
"""log P of keeping an unknown all-caps word: notes name new acronyms all the time."""
KNOWN_FLOOR_PROBABILITY = 1e-7
"""Probability of a word believed for its form (``ReEncrypted``, ``signaled``) that no list counts."""
COMMON_ENGLISH_IN_CAPITALS = 10_000_000
"""An all-caps word is read as English emphasis (NOT, ONLY, RED) when English uses it this often."""
SINGLE_LETTER_LOG_PROB = -10.0
"""log P of a stray single letter: low, but not so low that it must be glued to a neighbour."""
REAL_WORD_SHARE = 0.25
"""Share of typos that happen to spell another real word."""
REAL_WORD_MIN_TYPO_RATE = 0.03
"""Below this share of unknown words a note is taken as carefully typed: known words are trusted."""
REAL_WORD_MIN_RATIO = 0.3
"""A known word is only read as a typo of a word at least this likely on its own."""
BOUNDARY_COST = DROPPED
"""Typo cost of a missing, extra or misplaced space."""
MAX_MERGED_TYPO_COST = 1.6
"""Most typo cost believed inside two words that were meant as one."""
COMMON_SHORT_WORD = 1e8
"""A word of two or three letters is only read into a typo when it is this common (``of``, ``own``)."""
RARE_INFLECTION_RATIO = 1000
"""A longer form English uses this many times less than the word itself is a slip (``nevers``)."""
CONTEXT_ACRONYM_COST = 2.0
"""Most typo cost believed for an acronym that a neighbouring word names with it (``VPON Endpoints``)."""
NAME_SLIP_MIN_LENGTH = 5
"""In a fast typist's note a capitalised unknown word this long may be a slip, though placed like a name."""
MAX_CANDIDATES = 12
NEAR_WORDS_CHECKED = 50
"""Words near a typo (by letters and probability) whose exact typo cost is computed."""
BEAM = 8
CERTAIN_MARGIN = 5.0
"""A fix is certain when the reading with the word kept scores this many nats worse."""

_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+")


@dataclass(frozen=True)
class Reading:
    """One way of reading typed tokens ``start..end-1``: the words meant, and the typing cost."""

    start: int
    end: int
    words: tuple[str, ...]
    cost: float
    """Typo cost; 0 when the tokens are kept as written."""
    kept: bool


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    shape: str
    """lower, title, upper, mixed (CamelCase) or single (one letter)."""


def typo_weight(typo_rate: float) -> float:
    """Nats of doubt per unit of typo cost for notes with this typo rate (see FAST_TYPO_WEIGHT)."""
    low, high = math.log(0.003), math.log(0.3)
    share = min(1.0, max(0.0, (math.log(typo_rate) - low) / (high - low)))
    return CAREFUL_TYPO_WEIGHT + (FAST_TYPO_WEIGHT - CAREFUL_TYPO_WEIGHT) * share


def make_token(text: str) -> Token:
    """A typed word with its lookup form (lower case, straight apostrophe) and shape."""
    return Token(text, text.lower().replace("\\'", "'").replace("\u2019", "'"), token_shape(text))


def token_shape(text: str) -> str:
    if len(text) == 1:
        return "single"
    if text.islower():
        return "lower"
    if text.isupper():
        return "upper"
    if text[0].isupper() and text[1:].islower():
        return "title"
    if re.fullmatch(r"[A-Z]{2}[a-z']{2,}", text):
        return "slip"  # caps lock held one letter too long: "VErison", unless it is "SGroup"
    return "mixed"


class Speller:
    """Decodes runs of typed words against one vocabulary; caches per-word work."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._word_candidates = lru_cache(maxsize=100_000)(self._compute_candidates)
        self._splits = lru_cache(maxsize=100_000)(self._compute_splits)
        self._weight = TYPO_WEIGHT
        self._mid_sentence = False
        self._noisy = False
        self.real_word_candidates = lru_cache(maxsize=100_000)(self._compute_real_word_candidates)

    # -- what a single typed word may be -------------------------------------------------------

    def is_known(self, token: Token) -> bool:
        if token.shape == "single":
            return True
        if self._is_known_shape(token.text, token.low, token.shape):
            return True
        if re.fullmatch(r"[A-Z]'s", token.text.replace("\\'", "'").replace("\u2019", "'")):
            return True  # a name's possessive: "Account A's bucket"
        # plurals and possessives of known words: APIs, API's, ACLs, KMS's
        for ending in ("'s", "s", "'"):
            if token.low.endswith(ending) and len(token.low) > len(ending) + 1:
                stem = token.text[:-len(ending)]
                if self._is_known_shape(stem, stem.lower(), token_shape(stem)):
                    return True
        return False

    def _is_known_shape(self, text: str, low: str, shape: str) -> bool:
        v = self.vocab
        if shape == "single":
            return low in ("a", "i")
        if shape == "upper":
            return (low in v.terms.canonical or low in v.trusted or low in v.protected
                    or v.english_count(low) >= COMMON_ENGLISH_IN_CAPITALS)
        if shape == "mixed":
            return v.is_known(low) or all(v.is_known(part.lower()) for part in _CAMEL_PART.findall(text))
        if shape == "slip":  # "SGroup", "EMail": a capital letter glued to a word
            return v.is_known(low) or v.is_listed(low[1:]) or v.english_count(low[1:]) >= 1_000_000
        return v.is_known(low) or v.is_inflection(low)

    def _compute_candidates(self, typed: str) -> tuple[tuple[str, float], ...]:
        """Believed words that ``typed`` (lower case) may be a typo of, most likely first."""
        budget = edit_budget(len(typed))
        if budget <= 0:
            return ()
        letters_off = int(budget / 0.7 + 0.25)
        near = self.vocab.near_words(typed, letters_off, int(budget / DOUBLED), keep=NEAR_WORDS_CHECKED,
                                     cost_per_letter=0.7 * TYPO_WEIGHT)
        words = [w for _, w in near if w != typed]
        found: list[tuple[float, str, float]] = []
        for word, cost in zip(words, typo_costs(typed, words), strict=True):
            if cost <= budget:
                found.append((cost * TYPO_WEIGHT - math.log(self.vocab.probability(word) + 1e-30), word,
                              round(float(cost), 6)))
        found.sort()
        return tuple((w, c) for _, w, c in found[:MAX_CANDIDATES])

    def _compute_real_word_candidates(self, typed: str) -> tuple[tuple[str, float], ...]:
        """For a known word: comparably likely words one slip away (``polices`` -> ``policies``)."""
        if len(typed) < 3:
            return ()
        own = self.vocab.probability(typed)
        return tuple((w, c) for w, c in self._one_slip_candidates(typed, 5)
                     if self.vocab.probability(w) > own * REAL_WORD_MIN_RATIO
                     and not (_same_word_inflected(typed, w) and not self._rare_inflection(typed, w)))

    def _rare_inflection(self, typed: str, word: str) -> bool:
        """Whether ``typed`` is an ending English hardly ever puts on ``word`` (``nevers``): a slip,
        not a grammar choice (``functions``, ``encrypted`` are common)."""
        v = self.vocab
        return (len(typed) > len(word) and not v.is_listed(typed)
                and v.english_count(typed) * RARE_INFLECTION_RATIO < v.english_count(word))

    def _compute_splits(self, typed: str) -> tuple[tuple[str, str, float], ...]:
        """Two believed words that ``typed`` may be with a space left out (``sideencryption``);
        at most one of them mistyped."""
        out = []
        for cut in range(1, len(typed)):
            left, right = typed[:cut], typed[cut:]
            lefts = self._part_readings(left)
            if not lefts:
                continue
            rights = self._part_readings(right)
            for lw, lc in lefts:
                for rw, rc in rights:
                    if lc == 0.0 or rc == 0.0:
                        out.append((lw, rw, lc + rc))
        out.sort(key=lambda x: x[2])
        return tuple(out[:MAX_CANDIDATES])

    @lru_cache(maxsize=200_000)  # noqa: B019 - one Speller per index build, freed with it
    def _part_readings(self, part: str) -> list[tuple[str, float]]:
        """What a piece of a re-cut word may be: a believed word, or one a cheap slip away."""
        v = self.vocab
        if len(part) == 1:
            return [(part, 0.0)] if part in ("a", "i") else []
        readings = []
        if v.is_known(part) and (len(part) > 2 or v.english_count(part) > COMMON_SHORT_WORD
                                 or part in v.terms.canonical):
            readings.append((part, 0.0))
        if len(part) <= 3:
            for cut in range(len(part) - 1):
                swapped = part[:cut] + part[cut + 1] + part[cut] + part[cut + 2:]
                if swapped != part and v.english_count(swapped) > COMMON_SHORT_WORD:
                    readings.append((swapped, SWAP))
        else:
            readings += self._cheap_candidates(part)
        return readings

    def _cheap_candidates(self, part: str) -> list[tuple[str, float]]:
        """Words one cheap slip away from ``part`` (for the halves of a word typed without a space)."""
        return list(self._one_slip_candidates(part, 3))

    @lru_cache(maxsize=200_000)  # noqa: B019 - one Speller per index build, freed with it
    def _one_slip_candidates(self, typed: str, keep: int) -> tuple[tuple[str, float], ...]:
        known = self.vocab.known_words
        found = []
        for word in one_edit_away(typed):
            if word in known:
                cost = typo_cost(typed, word, 1.0)
                if cost <= 1.0:
                    log_p = math.log(self.vocab.probability(word) + 1e-30)
                    found.append((cost * TYPO_WEIGHT - log_p, word, cost))
        found.sort()
        return tuple((w, c) for _, w, c in found[:keep])

    def _shape_candidates(self, token: Token, typo_rate: float) -> list[tuple[str, float]]:
        v = self.vocab
        if token.shape == "single":
            return []
        if token.shape == "upper":
            cands = []
            for word, cost in self._word_candidates(token.low):
                if word in v.terms.acronyms and cost <= 1.0:
                    # a three-letter acronym is one slip from many others: only trust ones the notes use
                    if len(token.low) >= 4 or v.corpus.get(word, 0) > 0:
                        cands.append((word, cost))
            return cands
        if token.shape == "mixed":
            return [(w, c) for w, c in self._word_candidates(token.low)
                    if _is_camel_case(v.terms.canonical.get(w, ""))]
        if len(token.low) == 2:
            if typo_rate < REAL_WORD_MIN_TYPO_RATE:
                return []  # "sa", "Fi": in careful notes a two-letter word is an abbreviation
            return [(w, c) for w, c in self._part_readings(token.low) if c > 0]
        return list(self._word_candidates(token.low))

    # -- decoding a run of words ---------------------------------------------------------------

    def readings(self, tokens: list[Token], joinable: list[bool], typo_rate: float,
                 ) -> list[list[Reading]]:
        """For each start position, the readings that begin there."""
        out: list[list[Reading]] = []
        for i, tok in enumerate(tokens):
            here: list[Reading] = [Reading(i, i + 1, (tok.low,), 0.0, True)]
            known = self.is_known(tok)
            noisy = typo_rate >= REAL_WORD_MIN_TYPO_RATE
            if not known or (noisy and tok.shape in ("lower", "title") and not self.vocab.is_known(tok.low)):
                cands = self._shape_candidates(tok, typo_rate)
                if tok.shape == "title" and self._in_full_name(tokens, i):
                    # a capital mid-sentence marks a name: only ever a listed name ("Cataglog"), or,
                    # in a fast typist's note, a longer word one slip away ("Snaphsot")
                    cands = [(w, c) for w, c in cands if self.vocab.terms.canonical.get(w, "a")[0].isupper()
                             or (noisy and c <= 1.0 and len(tok.low) >= NAME_SLIP_MIN_LENGTH)]
                if tok.shape == "upper" and noisy and len(tok.low) >= 4:
                    cands += self._acronyms_by_context(tok.low, tokens, i, {w for w, _ in cands})
                here += [Reading(i, i + 1, (w,), c, False) for w, c in cands]
                if tok.shape in ("lower", "title") and len(tok.low) >= 5:
                    here += [Reading(i, i + 1, (a, b), c + BOUNDARY_COST, False)
                             for a, b, c in self._splits(tok.low)]
            elif (typo_rate >= REAL_WORD_MIN_TYPO_RATE and tok.shape in ("lower", "title", "slip")
                  and self.vocab.is_known(tok.low)
                  and tok.low not in self.vocab.protected):
                here += [Reading(i, i + 1, (w,), c, False) for w, c in self.real_word_candidates(tok.low)]
            if (tok.shape == "single" and noisy and tok.low not in ("a", "i") and tok.text.islower()
                    and 0 < i < len(tokens) - 1):
                # a stray letter mid-sentence: a short word with a letter left out ("never e retrieved")
                here += [Reading(i, i + 1, (w,), DROPPED, False) for w in self._short_words_around(tok.low)]
            name = tok.shape == "title" and self._in_full_name(tokens, i)
            if i + 1 < len(tokens) and joinable[i] and not name:
                here += self._pair_readings(i, tok, tokens[i + 1])
            out.append(here)
        return out

    def _acronyms_by_context(self, typed: str, tokens: list[Token], at: int, found: set[str]
                             ) -> list[tuple[str, float]]:
        """Listed acronyms a little further from an all-caps typo than a slip, but named with a
        neighbouring word in an AWS term or in the notes (``VPON Endpoints``: ``VPC``). Only for
        fast typists' notes and words of four letters or more: careful notes coin acronyms."""
        partners = self._acronym_partners()
        out: list[tuple[str, float]] = []
        for k in (at - 1, at + 1):
            if not 0 <= k < len(tokens):
                continue
            neighbour = tokens[k].low
            if self.vocab.english_count(neighbour) >= COMMON_SHORT_WORD:
                continue  # "use", "the": beside every acronym, they tell nothing
            for acronym in partners.get(neighbour, set()) | partners.get(neighbour.removesuffix("s"), set()):
                if acronym in found or abs(len(acronym) - len(typed)) > 1:
                    continue
                cost = typo_cost(typed, acronym, CONTEXT_ACRONYM_COST)
                if cost <= CONTEXT_ACRONYM_COST:
                    found.add(acronym)
                    out.append((acronym, cost))
        return out

    @lru_cache(maxsize=1)  # noqa: B019 - one Speller per index build, freed with it
    def _acronym_partners(self) -> dict[str, set[str]]:
        """word -> listed acronyms it stands beside in an AWS term or, twice or more, in the notes."""
        v = self.vocab
        pairs = set(v.terms.bigrams) | {pair for pair, n in v.corpus_bigrams.items() if n >= 2}
        partners: dict[str, set[str]] = {}
        for a, b in pairs:
            if a in v.terms.acronyms:
                partners.setdefault(b.removesuffix("s"), set()).add(a)
            if b in v.terms.acronyms:
                partners.setdefault(a.removesuffix("s"), set()).add(b)
        return partners

    @lru_cache(maxsize=64)  # noqa: B019 - one Speller per index build, freed with it
    def _short_words_around(self, letter: str) -> tuple[str, ...]:
        """Very common two-letter words holding ``letter`` (``e``: be, he, me, we)."""
        words = {ch + letter for ch in LETTERS} | {letter + ch for ch in LETTERS}
        return tuple(sorted(w for w in words if self.vocab.english_count(w) > COMMON_SHORT_WORD))

    def _pair_readings(self, i: int, a: Token, b: Token) -> list[Reading]:
        """Readings of two neighbours with the space between them wrong."""
        if a.shape not in ("lower", "title", "single") or b.shape not in ("lower", "single"):
            return []
        if a.low in self.vocab.protected or b.low in self.vocab.protected:
            return []
        if self.is_known(a) and self.is_known(b) and a.shape != "single" and b.shape != "single":
            return []  # two good words stay two words
        joined = a.low + b.low
        found: list[Reading] = []
        if self.vocab.is_known(joined):
            found.append(Reading(i, i + 2, (joined,), BOUNDARY_COST, False))
        elif (len(a.low) >= 2 and len(b.low) >= 2 and not self.is_known(a) and not self.is_known(b)):
            # both halves garbled: one word typed with a stray space ("edon ponts")
            found += [Reading(i, i + 2, (w,), c + BOUNDARY_COST, False)
                      for w, c in self._word_candidates(joined)[:4] if c <= MAX_MERGED_TYPO_COST]
        # the space typed one letter early or late: "mus tencryp", "youro nw"
        for cut in (len(a.low) - 1, len(a.low) + 1):
            if 0 < cut < len(joined):
                for lw, lc in self._part_readings(joined[:cut]):
                    for rw, rc in self._part_readings(joined[cut:]):
                        if lc == 0.0 or rc == 0.0:
                            found.append(Reading(i, i + 2, (lw, rw), lc + rc + BOUNDARY_COST, False))
        return found

    def decode(self, tokens: list[Token], joinable: list[bool], typo_rate: float, mid_sentence: bool = False
               ) -> tuple[list[Reading], list[float]]:
        """The best readings covering all tokens, and for each how much better it scored than
        keeping its tokens as written (0 for kept readings)."""
        self._mid_sentence = mid_sentence
        options = self.readings(tokens, joinable, typo_rate)
        log_typo = math.log(typo_rate)
        log_real_word = math.log(typo_rate * REAL_WORD_SHARE)
        self._weight = typo_weight(typo_rate)
        self._noisy = typo_rate >= REAL_WORD_MIN_TYPO_RATE
        n = len(tokens)
        # beams[i]: last word -> (score, path) for paths covering tokens[:i]
        beams: list[dict[str, tuple[float, tuple[Reading, ...]]]] = [dict() for _ in range(n + 1)]
        beams[0][""] = (0.0, ())
        for i in range(n):
            if not beams[i]:
                continue
            best = sorted(beams[i].items(), key=lambda kv: -kv[1][0])[:BEAM]
            for prev, (score, path) in best:
                for reading in options[i]:
                    gain, last = self._score(reading, tokens, prev, log_typo, log_real_word)
                    total = score + gain
                    slot = beams[reading.end]
                    if last not in slot or slot[last][0] < total:
                        slot[last] = (total, path + (reading,))
        _, path = max(beams[n].values(), key=lambda sp: sp[0])
        margins = [self._margin(path, k, tokens, log_typo, log_real_word) for k in range(len(path))]
        return list(path), margins

    def _score(self, reading: Reading, tokens: list[Token], prev: str, log_typo: float,
               log_real_word: float) -> tuple[float, str]:
        v = self.vocab
        total = 0.0
        if reading.kept:
            tok = tokens[reading.start]
            if tok.shape == "single" and tok.low not in ("a", "i"):
                return SINGLE_LETTER_LOG_PROB, ""
            if not self.is_known(tok):
                name_like = tok.shape == "upper" or self._in_full_name(tokens, reading.start)
                if name_like:
                    return NAME_LIKE_UNKNOWN_LOG_PROB, ""
                return UNKNOWN_WORD_LOG_PROB - self._long_unknown_doubt(tok.low), ""
            return math.log(max(v.next_probability(prev, tok.low), KNOWN_FLOOR_PROBABILITY)), tok.low
        typed_known = reading.end - reading.start == 1 and self.is_known(tokens[reading.start])
        total += (log_real_word if typed_known else log_typo) - self._weight * reading.cost
        for word in reading.words:
            total += v.log_next(prev, word)
            prev = word
        return total, prev

    def _long_unknown_doubt(self, low: str) -> float:
        """Nats taken off keeping a long unknown word in a fast typist's note: names and jargon are
        mostly short, long words no list knows there are mostly scrambles (``themeserverl``)."""
        if not self._noisy:
            return 0.0
        return LONG_UNKNOWN_DOUBT_PER_LETTER * max(0, len(low) - LONG_UNKNOWN_FROM)

    def _in_full_name(self, tokens: list[Token], at: int) -> bool:
        """Whether an unknown capitalised token reads as a name, not a typo: one of two or more in a
        row ("Vivek Malapaka"), or capitalised right after a lower-case word ("in Bea's app")."""
        def unknown_title(k: int) -> bool:
            return 0 <= k < len(tokens) and tokens[k].shape == "title" and not self.is_known(tokens[k])

        if not unknown_title(at):
            return False
        # capitalised after a lower-case word, mid-sentence: "during development, Bea uses"
        after_lower = tokens[at - 1].shape == "lower" if at > 0 else self._mid_sentence
        return after_lower or unknown_title(at - 1) or unknown_title(at + 1)

    def _margin(self, path: tuple[Reading, ...], k: int, tokens: list[Token], log_typo: float,
                log_real_word: float) -> float:
        """Score of the chosen reading minus that of the typed tokens kept, with the same
        neighbours: how sure the fix is."""
        reading = path[k]
        if reading.kept:
            return 0.0
        prev = path[k - 1].words[-1] if k > 0 and not _kept_unknown(path[k - 1], tokens, self) else ""
        nxt = path[k + 1] if k + 1 < len(path) else None

        def chain(readings: list[Reading]) -> float:
            total, last = 0.0, prev
            for r in readings:
                gain, last = self._score(r, tokens, last, log_typo, log_real_word)
                total += gain
            return total

        kept = [Reading(j, j + 1, (tokens[j].low,), 0.0, True) for j in range(reading.start, reading.end)]
        tail = [nxt] if nxt is not None else []
        return chain([reading] + tail) - chain(kept + tail)


def caps_lock_slip(token: Token, vocab: Vocabulary) -> str:
    """How AWS writes an acronym typed with the shift key inverted (``aWS`` -> ``AWS``), else ``""``."""
    if len(token.text) >= 3 and token.text[0].islower() and token.text[1:].isupper() and (
            token.low in vocab.terms.acronyms):
        return vocab.terms.canonical.get(token.low, token.text.upper())
    return ""


def _kept_unknown(reading: Reading, tokens: list[Token], speller: Speller) -> bool:
    return reading.kept and not speller.is_known(tokens[reading.start])


def _same_word_inflected(a: str, b: str) -> bool:
    """``function``/``functions``, ``encrypt``/``encrypted``: a grammar choice, not a typo."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short):] in ("s", "es", "d", "ed")


def _is_camel_case(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:]) and any(ch.islower() for ch in word)
