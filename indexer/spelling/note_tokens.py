"""Find the words of a markdown note that a spelling corrector may touch, and nothing else.

A note is read line by line. Fenced code blocks and YAML front matter are off limits as a whole.
Inside a line, these spans are off limits: inline code, URLs, e-mail addresses, ``${aws:...}``
policy variables, ``![[embeds]]`` and ``[[links]]``, link targets, HTML tags, ARNs and
``service:Action`` names, header names like ``x-amz-server-side-encryption``, file paths, and any
token holding a digit, an underscore or an inner dot (``S3``, ``X.509``, ``db_url``, ``amazon.com``).
What is left is split into words (letters, with inner apostrophes) and the gaps between them, so
that a corrected line is rebuilt with every bullet, indent and markup character where it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")

# Spans that may hold spaces, never to touch; only looked for when the line has one of "`$[<".
_WIDE_SPANS = re.compile(
    r"""
      (?P<code>`+)[^`]*?(?P=code)            # inline code
    | `+.*                                   # an unclosed code span: leave the rest of the line alone
    | \$\{[^}]*\}                            # policy variables ${aws:username}
    | !?\[\[[^\]]*\]\]                       # Obsidian embeds and wiki links
    | \]\([^)]*\)                            # markdown link target ](...)
    | <[^<>\s][^<>]*>                        # HTML tags <mark style="...">
    """,
    re.VERBOSE,
)
_WIDE_TRIGGER = re.compile(r"[`$\[<]")
# Also off limits, looked for only in lines beyond ASCII: words with a letter beyond ASCII (café,
# signiﬁcant with its ligature), which the corrector's ASCII alphabet would cut into pieces.
_WIDE_SPANS_BEYOND_ASCII = re.compile(_WIDE_SPANS.pattern + r"""
    | \b[A-Za-z]*[^\W\d_A-Za-z][^\W\d_]*
""", re.VERBOSE)

# Parts of a space-free chunk never to touch, tried left to right.
_NARROW_SPANS = re.compile(
    r"""
      \b[a-z][a-z0-9+.-]*://\S+              # URLs with a scheme
    | \bwww\.\S+                             # bare www. addresses
    | \S+@\S+\.\w+                           # e-mail addresses
    | \barn:\S+                              # ARNs
    | (?<![\w/.-])[A-Za-z0-9-]+:[A-Za-z0-9*/_.:-]+   # kms:Decrypt, aws:kms, s3:GetObject
    | (?<![\w/.])(?:\.{0,2}/|~/)?(?:[\w.-]+/)+[\w.-]*\.\w+   # paths with a file name: data/*.txt
    | (?<![\w/])(?:~|\.{1,2})?/[\w.*-]+(?:/[\w.*-]*)+    # absolute paths: /etc/hosts, /mydept/
    | \b[\w-]+/$                            # a folder name ending in a slash: my-app/
    | \b[xX]\\?-[A-Za-z0-9\\-]+              # header names x-amz-..., x\-amz\- in escaped markdown
    | \b[a-z0-9]+(?:\\?-[a-z0-9]+){2,}\b     # kebab-case names with 3+ parts: server-side-encryption
    | (?<![\w\\-])(?:\\?-){2}[A-Za-z][\w\\-]*    # command-line options: --pkey, \-\-pkey
    | \b[\w.'\\-]*[\d_][\w.'\\-]*            # anything with a digit or underscore: S3, EC2, X.509, db_url
    | \b[A-Za-z]+(?:\\?\.[A-Za-z]+)+\b       # dotted names: amazon.com, boto3.client, com\.amazonaws
    | \#[A-Za-z][\w/-]*                      # #tags
    | &[a-z]+;                               # HTML entities
    | \b([A-Za-z])\1{2,}\b                   # placeholders: xxxx, AAAA
    """,
    re.VERBOSE,
)
_TRIGGER = r"[\d_/:@#&]|\w\\?\.\w|\b[xX]\\?-|\w\\?-\w+\\?-\w|(?:\\?-){2}[A-Za-z]"
_NARROW_TRIGGER = re.compile(_TRIGGER)
_CHUNK = re.compile(r"\S+")
_RUN_BREAK = re.compile(r"[^\sA-Za-z'\u2019\\]+")
_WORD = re.compile(r"[A-Za-z]+(?:\\?['\u2019][A-Za-z]+)*")

@dataclass(frozen=True)
class Piece:
    """A run of a line: a word the corrector may change, or text it must keep as it is."""

    text: str
    is_word: bool


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block or to YAML front matter."""
    inside = [False] * len(lines)
    fence: str | None = None
    for n, line in enumerate(lines):
        if fence is not None:
            inside[n] = True
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
            inside[n] = True
    if lines and lines[0].strip() == "---":
        for n in range(1, min(len(lines), 60)):
            if lines[n].strip() in ("---", "..."):
                if all(":" in lines[k] or not lines[k].strip() for k in range(1, n)) and n > 1:
                    for k in range(n + 1):
                        inside[k] = True
                break
    return inside


def free_segments(line: str) -> list[tuple[str, bool]]:
    """The line cut into (text, free) parts: free text may hold correctable words, the rest is
    protected. Joined back, the texts give the line."""
    out: list[tuple[str, bool]] = []
    pos = 0
    ascii_only = line.isascii()
    if not ascii_only or _WIDE_TRIGGER.search(line):
        for found in (_WIDE_SPANS if ascii_only else _WIDE_SPANS_BEYOND_ASCII).finditer(line):
            _narrow(line[pos:found.start()], out)
            out.append((found.group(0), False))
            pos = found.end()
    _narrow(line[pos:], out)
    merged: list[tuple[str, bool]] = []
    for text, free in out:
        if merged and merged[-1][1] == free:
            merged[-1] = (merged[-1][0] + text, free)
        elif text:
            merged.append((text, free))
    return merged


def _narrow(text: str, out: list[tuple[str, bool]]) -> None:
    if not text:
        return
    if not _NARROW_TRIGGER.search(text):
        out.append((text, True))
        return
    pos = 0
    for chunk in _CHUNK.finditer(text):
        if not _NARROW_TRIGGER.search(chunk.group(0)):
            continue
        if chunk.start() > pos:
            out.append((text[pos:chunk.start()], True))
        at = chunk.start()
        for found in _NARROW_SPANS.finditer(chunk.group(0)):
            start, end = chunk.start() + found.start(), chunk.start() + found.end()
            if start > at:
                out.append((text[at:start], True))
            out.append((text[start:end], False))
            at = end
        if chunk.end() > at:
            out.append((text[at:chunk.end()], True))
        pos = chunk.end()
    if pos < len(text):
        out.append((text[pos:], True))


def split_line(line: str) -> list[Piece]:
    """Split one line into words and kept text; ``"".join(p.text for p in pieces) == line``."""
    pieces: list[Piece] = []
    for text, free in free_segments(line):
        if free:
            _split_free(text, pieces)
        else:
            pieces.append(Piece(text, False))
    return _merge_kept(pieces)


def word_runs(line: str) -> list[list[str]]:
    """The correctable words of a line (not in fenced code), in runs of words with only spaces
    between them; faster than ``split_line`` when only the words are needed."""
    runs: list[list[str]] = []
    for text, free in free_segments(line):
        if free:
            for part in _RUN_BREAK.split(text):
                words = _WORD.findall(part)
                if words:
                    runs.append(words)
    return runs


def _split_free(text: str, pieces: list[Piece]) -> None:
    pos = 0
    for found in _WORD.finditer(text):
        if found.start() > pos:
            pieces.append(Piece(text[pos:found.start()], False))
        pieces.append(Piece(found.group(0), True))
        pos = found.end()
    if pos < len(text):
        pieces.append(Piece(text[pos:], False))


def _merge_kept(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and not piece.is_word and not merged[-1].is_word:
            merged[-1] = Piece(merged[-1].text + piece.text, False)
        elif piece.text:
            merged.append(piece)
    return merged


def note_words(text: str) -> Iterator[str]:
    """Every correctable word of a note, as written (for counting the corpus vocabulary)."""
    lines = text.split("\n")
    for line, in_code in zip(lines, fenced_lines(lines), strict=True):
        if in_code:
            continue
        for run in word_runs(line):
            yield from run
