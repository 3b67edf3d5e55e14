"""Fix the typos of fast-typed markdown notes without touching their structure or AWS names.

``clean_text`` keeps every line of the raw note (citations stay true) and every character that is
not a correctable word: bullets, indentation, markup, code, URLs, policy variables, header names,
numbers and paths (see ``note_tokens``). Words are corrected run by run with ``corrector.Speller``;
each fix is reported with its line and whether it was certain, so the index can keep the word as
written too when it was a judgement call.

User control, per corpus folder: ``.awssec/words.txt`` lists words never to change (one or more a
line, ``#`` comments), ``.awssec/fixes.txt`` lists ``wrong -> right`` fixes always applied.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indexer.spelling.corrector import (
    CERTAIN_MARGIN,
    REAL_WORD_MIN_TYPO_RATE,
    Reading,
    Speller,
    Token,
    caps_lock_slip,
    make_token,
    token_shape,
)
from indexer.spelling.counts import read_term_lines
from indexer.spelling.note_tokens import Piece, fenced_lines, split_line, word_runs
from indexer.spelling.vocabulary import Vocabulary, build_vocabulary

MIN_TYPO_RATE = 0.003
PRIOR_WORDS = 50
"""Weight, in words, of the corpus-wide typo rate when estimating one note's."""
MAX_TYPO_RATE = 0.3


@dataclass(frozen=True)
class Fix:
    line: int
    """1-based line in the raw text."""
    before: str
    """Word(s) as written."""
    after: str
    """Replacement."""
    certain: bool
    """False when the fix was a judgement call; the index then keeps ``before`` too."""


@dataclass(frozen=True)
class CleanResult:
    text: str
    """Same number of lines as the raw text."""
    fixes: tuple[Fix, ...]


class Corrector:
    """Everything needed to clean notes of one corpus; build once, use for many files."""

    def __init__(self, vocab: Vocabulary, user_fixes: dict[tuple[str, ...], str] | None = None) -> None:
        self.vocab = vocab
        self.speller = Speller(vocab)
        self.user_fixes = {key: right for key, right in (user_fixes or {}).items() if key}
        self._longest_fix = max((len(k) for k in self.user_fixes), default=0)
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        """Whether a typed word is believed as it is (cached: most words repeat)."""
        known = self._known.get(word)
        if known is None:
            token = make_token(word)
            known = (self.speller.is_known(token) and word.lower() not in self._user_fix_words
                     and not caps_lock_slip(token, self.vocab))
            self._known[word] = known
        return known

    @property
    def _user_fix_words(self) -> frozenset[str]:
        return frozenset(w for key in self.user_fixes for w in key)

    def run_needs_decoding(self, run: list[str], typo_rate: float, settled: frozenset[str] = frozenset()
                           ) -> bool:
        """Whether a run of words may hold a typo: an unknown word, a stray letter, or, in a fast
        typist's note, a word one slip from a likelier one. ``settled`` words are kept as typed."""
        careful = typo_rate < REAL_WORD_MIN_TYPO_RATE
        for word in run:
            if word in settled:
                continue
            if len(word) == 1:
                if word not in "aAiI" and len(run) > 1:
                    return True
            elif not self.knows(word):
                return True
            elif not careful and self.speller.real_word_candidates(word.lower()):
                return True
        return False


def make_corrector(corpus_texts: Iterable[str], user_words: Iterable[str] = (),
                   user_fixes: Mapping[tuple[str, ...], str] | None = None) -> Corrector:
    """A corrector that knows the shipped lists, the words of ``corpus_texts``, the user's words never to
    change and the user's ``wrong -> right`` fixes (as :func:`parse_user_words` and
    :func:`parse_user_fixes` read them from the user's files)."""
    fixes = dict(user_fixes or {})
    fixed_words = [w for right in fixes.values() for w in right.split()]
    vocab = build_vocabulary(corpus_texts, user_words=[*user_words, *fixed_words])
    return Corrector(vocab, fixes)


def parse_user_words(text: str) -> list[str]:
    """The words of a words file (``.awssec/words.txt``): one or more a line, ``#`` comments."""
    return [w for line in read_term_lines(text) for w in line.split()]


def parse_user_fixes(text: str) -> dict[tuple[str, ...], str]:
    """``wrong -> right`` lines of a fixes file (``.awssec/fixes.txt``); ``wrong`` may be several words."""
    fixes: dict[tuple[str, ...], str] = {}
    for line in read_term_lines(text):
        if "->" not in line:
            continue
        wrong, right = (side.strip() for side in line.split("->", 1))
        if wrong and right:
            fixes[tuple(wrong.lower().split())] = right
    return fixes


@dataclass
class _Run:
    """Words of one line typed one after another, with only spaces between them."""

    piece_index: list[int]
    joinable: list[bool]
    """Whether the gap after each word is a single space (a misplaced space may be repaired)."""
    mid_sentence: bool = False
    """Whether the run follows a word and a comma, semicolon or dash (capitals there mark names)."""


def clean_text(raw: str, corrector: Corrector) -> CleanResult:
    with corrector.vocab.leaving_out(raw):
        return _clean_text(raw, corrector)


def _clean_text(raw: str, corrector: Corrector) -> CleanResult:
    lines = raw.split("\n")
    in_code = fenced_lines(lines)
    runs = [word_runs(line) if not code else [] for line, code in zip(lines, in_code, strict=True)]
    typo_rate = estimate_typo_rate(runs, corrector)
    settled = repeated_unknown_words(runs, corrector) if typo_rate < REAL_WORD_MIN_TYPO_RATE else frozenset()
    out_lines: list[str] = []
    fixes: list[Fix] = []
    for number, (line, line_runs) in enumerate(zip(lines, runs, strict=True), start=1):
        if line_runs and _STRAY_MARK.search(line):
            line = _glue_stray_marks(line, number, corrector, fixes)
            line_runs = word_runs(line)
        if not any(corrector.run_needs_decoding(run, typo_rate, settled) for run in line_runs):
            out_lines.append(line)
            continue
        pieces = split_line(line)
        texts = [p.text for p in pieces]
        for run in _runs(pieces):
            _clean_run(run, pieces, texts, number, corrector, typo_rate, fixes, settled)
        out_lines.append("".join(texts))
    return CleanResult("\n".join(out_lines), tuple(fixes))


_STRAY_MARK = re.compile(r"(?<![\w\\])([A-Za-z]+)([\[\];])([A-Za-z]+)(?!\w)")


def _glue_stray_marks(line: str, number: int, corrector: Corrector, fixes: list[Fix]) -> str:
    """Drop a bracket or semicolon typed inside a word along with the key beside it (``p[rovide``),
    when the letters around it spell a word and do not read as two words. A ``[`` that a ``]``
    closes later (a link) and a ``]`` that follows a ``[`` are markup, not slips."""
    def glued(found: re.Match[str]) -> str:
        left, mark, right = found.groups()
        if mark == "[" and "]" in line[found.end():] or mark == "]" and "[" in line[:found.start()]:
            return found.group(0)
        joined = left + right
        if not corrector.knows(joined) or (_reads_alone(left, corrector) and _reads_alone(right, corrector)):
            return found.group(0)
        fixes.append(Fix(number, found.group(0), joined, certain=False))
        return joined

    return _STRAY_MARK.sub(glued, line)


def _reads_alone(word: str, corrector: Corrector) -> bool:
    return word in ("a", "A", "I") or (len(word) >= 2 and corrector.knows(word))


def repeated_unknown_words(runs: list[list[list[str]]], corrector: Corrector) -> frozenset[str]:
    """Unknown words a carefully written note types the same way twice or more: names and terms it
    defines (``Bea``, ``ABS``), not slips, which a careful writer does not repeat."""
    seen: Counter[str] = Counter(word for line_runs in runs for run in line_runs for word in run
                                 if len(word) > 1 and not corrector.knows(word))
    return frozenset(word for word, count in seen.items() if count >= 2)


def estimate_typo_rate(runs: list[list[list[str]]], corrector: Corrector) -> float:
    """How likely a word of this note is a typo: the share of its words that no list knows,
    drawn toward the corpus-wide share when the note is short. Fast typists get bolder correction."""
    total = unknown = 0
    for line_runs in runs:
        for run in line_runs:
            for word in run:
                if len(word) >= 3 and token_shape(word) in ("lower", "title"):
                    total += 1
                    unknown += not corrector.knows(word)
    prior = corrector.vocab.corpus_unknown_share
    rate = (unknown + PRIOR_WORDS * prior) / (total + PRIOR_WORDS)
    return min(MAX_TYPO_RATE, max(MIN_TYPO_RATE, rate))


def _runs(pieces: list[Piece]) -> list[_Run]:
    runs: list[_Run] = []
    current: _Run | None = None
    for k, piece in enumerate(pieces):
        if piece.is_word:
            if current is None:
                before = pieces[k - 1].text.rstrip() if k > 0 else ""
                current = _Run([], [], mid_sentence=k > 1 and before.endswith((",", ";", " -", "(")))
                runs.append(current)
            current.piece_index.append(k)
            nxt = pieces[k + 1] if k + 1 < len(pieces) else None
            current.joinable.append(nxt is not None and nxt.text == " " and k + 2 < len(pieces)
                                    and pieces[k + 2].is_word)
        elif piece.text.strip():
            current = None
    return runs


def _clean_run(run: _Run, pieces: list[Piece], texts: list[str], line: int, corrector: Corrector,
               typo_rate: float, fixes: list[Fix], settled: frozenset[str]) -> None:
    tokens = [make_token(pieces[k].text) for k in run.piece_index]
    fixed = _apply_user_fixes(run, tokens, pieces, texts, line, corrector, fixes)
    fixed |= {k for k, token in enumerate(tokens) if token.text in settled}
    # decode the stretches the user's fixes left alone
    start = 0
    for end in [*sorted(fixed), len(tokens)]:
        if end > start:
            part = _Run(run.piece_index[start:end], run.joinable[start:end - 1] + [False],
                        run.mid_sentence if start == 0 else True)
            _decode_run(part, tokens[start:end], pieces, texts, line, corrector, typo_rate, fixes)
        start = end + 1


def _decode_run(run: _Run, tokens: list[Token], pieces: list[Piece], texts: list[str], line: int,
                corrector: Corrector, typo_rate: float, fixes: list[Fix]) -> None:
    speller = corrector.speller
    if not corrector.run_needs_decoding([t.text for t in tokens], typo_rate):
        return
    path, margins = speller.decode(tokens, run.joinable, typo_rate, mid_sentence=run.mid_sentence)
    for reading, margin in zip(path, margins, strict=True):
        if reading.kept:
            acronym = caps_lock_slip(tokens[reading.start], speller.vocab)
            if acronym:
                at = run.piece_index[reading.start]
                fixes.append(Fix(line, texts[at], acronym, certain=True))
                texts[at] = acronym
            continue
        first, last = run.piece_index[reading.start], run.piece_index[reading.end - 1]
        before = "".join(pieces[k].text for k in range(first, last + 1))
        after = " ".join(_cased(tokens[reading.start], word, n, speller.vocab)
                         for n, word in enumerate(reading.words))
        if after == before:
            continue
        texts[first] = after
        for k in range(first + 1, last + 1):
            texts[k] = ""
        fixes.append(Fix(line, before, after, certain=_is_certain(reading, margin)))


def _is_certain(reading: Reading, margin: float) -> bool:
    return margin >= CERTAIN_MARGIN and reading.cost <= 1.0 and len(reading.words) == 1


def _apply_user_fixes(run: _Run, tokens: list[Token], pieces: list[Piece], texts: list[str], line: int,
                      corrector: Corrector, fixes: list[Fix]) -> set[int]:
    """Apply the user's ``wrong -> right`` fixes; return the positions of the tokens they covered."""
    covered: set[int] = set()
    if not corrector.user_fixes:
        return covered
    i = 0
    while i < len(tokens):
        for size in range(min(corrector._longest_fix, len(tokens) - i), 0, -1):
            key = tuple(t.low for t in tokens[i:i + size])
            if key in corrector.user_fixes and all(run.joinable[i:i + size - 1]):
                first, last = run.piece_index[i], run.piece_index[i + size - 1]
                before = "".join(pieces[k].text for k in range(first, last + 1))
                after = corrector.user_fixes[key]
                texts[first] = after
                for k in range(first + 1, last + 1):
                    texts[k] = ""
                fixes.append(Fix(line, before, after, certain=True))
                covered.update(range(i, i + size))
                i += size
                break
        else:
            i += 1
    return covered


def _cased(typed: Token, word: str, position: int, vocab: Vocabulary) -> str:
    """Write ``word`` the way the typed token was written, or the way AWS writes the name."""
    canonical = vocab.terms.canonical.get(word, "")
    if canonical and (sum(ch.isupper() for ch in canonical) >= 2) and vocab.english_count(word) < 1_000_000:
        return canonical
    if typed.shape == "upper" and position == 0:
        return word.upper()
    if typed.shape in ("title", "slip", "upper", "mixed") and position == 0:
        return word[:1].upper() + word[1:]
    return word
