"""A note file's bytes as text: encodings told apart, binary files refused, terminal control characters
removed. Pure: ``indexer.files`` reads the bytes."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

LEGACY_ENCODING = "cp1252"
"""Tried for a note that is not UTF-8: Windows' Western European code page, a superset of Latin-1's
printable characters (``café`` saved by an old editor)."""
MAX_CONTROL_SHARE = 0.05
"""A file with more control characters (outside terminal escape sequences) than this share of its
characters is binary, not text."""
MAX_LEGACY_NON_ASCII_SHARE = 0.2
"""A note read in the legacy encoding with more non-ASCII characters than this share of its
non-space characters is some other encoding read wrongly (Cyrillic, Greek), so it is skipped."""
MIN_LEGACY_NON_ASCII_DOUBT = 8
"""...unless there are only this many: a short note saying ``Café`` is fine."""

_TERMINAL_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC: window titles, links (never past a line end)
    r"|\x1b[ -/]*[0-~]"  # other escape sequences
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline (C0, DEL, C1): a terminal may act on them."""


class NoteProblem(StrEnum):
    """Why a file of a notes folder was skipped, or what was done to read it."""

    OUTSIDE_FOLDER = "outside-folder"
    LINKED_FOLDER = "linked-folder"
    CONTROL_IN_NAME = "control-in-name"
    UNREADABLE = "unreadable"
    BINARY = "binary"
    UNKNOWN_ENCODING = "unknown-encoding"
    LEGACY_ENCODING = "legacy-encoding"
    INVALID_UTF8 = "invalid-utf8"
    CONTROL_CHARACTERS = "control-characters"
    NO_NOTES = "no-notes"

    @property
    def skips(self) -> bool:
        """Whether a file with this problem is left out of the index (else it is read as said)."""
        return self not in (NoteProblem.LEGACY_ENCODING, NoteProblem.INVALID_UTF8,
                            NoteProblem.CONTROL_CHARACTERS)


@dataclass(frozen=True)
class NoteWarning:
    """Something about a notes folder the user should hear of: a file skipped or read with care."""

    path: Path
    """The file (or folder) as found in the notes folder."""
    problem: NoteProblem
    detail: str
    """What happened, in words, without the path."""

    def __str__(self) -> str:
        """``path: detail``, with any control character in a file name shown as ``\\x1b``."""
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", f"{self.path}: {self.detail}")


class UnreadableNote(ValueError):
    """A note file that is not text awssec can read: binary, or in an encoding it cannot tell."""

    def __init__(self, problem: NoteProblem, detail: str) -> None:
        super().__init__(problem, detail)
        self.problem = problem
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True)
class NoteText:
    """A note file's text as read, and what reading it took."""

    text: str
    """Line endings unified, terminal control characters removed."""
    encoding: str
    replaced_bytes: int = 0
    """Bytes of an otherwise UTF-8 note that were not valid UTF-8, replaced with U+FFFD."""
    removed_controls: int = 0
    """Control characters (escape sequences counted as one) taken out."""

    def warnings(self, path: Path) -> list[NoteWarning]:
        """What the user should hear about reading the note at ``path``."""
        out = []
        if self.encoding == LEGACY_ENCODING:
            out.append(NoteWarning(path, NoteProblem.LEGACY_ENCODING,
                                   f"not UTF-8; read as {LEGACY_ENCODING} (Western European). "
                                   "Save it as UTF-8 to be sure it reads right."))
        if self.replaced_bytes:
            out.append(NoteWarning(path, NoteProblem.INVALID_UTF8,
                                   f"{self.replaced_bytes} byte(s) that are not valid UTF-8 were replaced "
                                   "with \N{REPLACEMENT CHARACTER}."))
        if self.removed_controls:
            out.append(NoteWarning(path, NoteProblem.CONTROL_CHARACTERS,
                                   f"{self.removed_controls} terminal control character(s) or "
                                   "escape sequence(s) removed."))
        return out


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts like UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_note(data: bytes) -> NoteText:
    """A note file's bytes as text: UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM, else,
    for text that is not UTF-8, the Western European legacy encoding (cp1252).

    A UTF-8 note with a few invalid bytes keeps its UTF-8 and has those bytes replaced. Raises
    :class:`UnreadableNote` for a binary file (NUL bytes, or many control characters) and for text in
    an encoding that cannot be told.
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    replaced = 0
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            name = encoding.removesuffix("-sig").upper()
            raise UnreadableNote(NoteProblem.UNKNOWN_ENCODING,
                                 f"starts with a {name} byte order mark but is not {name}") from exc
    elif b"\0" in data:
        raise UnreadableNote(NoteProblem.BINARY, "a binary file, not text (it holds NUL bytes)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding, replaced = _decode_not_utf8(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, sequences = _TERMINAL_SEQUENCE.subn("", text)  # colours in pasted terminal output: still text
    text, singles = _CONTROL.subn("", text)
    if singles > MAX_CONTROL_SHARE * (len(text) + singles):
        raise UnreadableNote(NoteProblem.BINARY, f"a binary file, not text ({singles} control characters)")
    if encoding == LEGACY_ENCODING:
        letters = [ch for ch in text if not ch.isspace()]
        beyond_ascii = sum(1 for ch in letters if ord(ch) > 0x7F)
        if beyond_ascii > max(MAX_LEGACY_NON_ASCII_SHARE * len(letters), MIN_LEGACY_NON_ASCII_DOUBT):
            raise UnreadableNote(NoteProblem.UNKNOWN_ENCODING,
                                 "not UTF-8 and not Western European text; save it as UTF-8")
    return NoteText(text, encoding, replaced, sequences + singles)


def _decode_not_utf8(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, bytes replaced) of bytes that are not valid UTF-8."""
    as_utf8 = data.decode("utf-8", errors="replace")
    replaced = as_utf8.count("\N{REPLACEMENT CHARACTER}") - data.decode("utf-8", errors="ignore").count(
        "\N{REPLACEMENT CHARACTER}")
    multibyte = sum(1 for ch in as_utf8 if ord(ch) > 0x7F and ch != "\N{REPLACEMENT CHARACTER}")
    if multibyte > replaced:  # UTF-8 with a few stray bytes, not a legacy encoding
        return as_utf8, "utf-8", replaced
    try:
        return data.decode(LEGACY_ENCODING), LEGACY_ENCODING, 0
    except UnicodeDecodeError:  # 5 bytes cp1252 leaves undefined: as Latin-1 they are control characters
        return data.decode("latin-1"), LEGACY_ENCODING, 0


def decode_leniently(data: bytes) -> str:
    """A note's text as :func:`decode_note` reads it; never fails: bytes that are not readable text are
    read as UTF-8, invalid bytes replaced, control characters removed."""
    try:
        return decode_note(data).text
    except UnreadableNote:
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL.sub("", _TERMINAL_SEQUENCE.sub("", text))


def holds_control_characters(text: str) -> bool:
    """Whether ``text`` (a file name, say) holds a character a terminal may act on."""
    return _CONTROL.search(text) is not None
