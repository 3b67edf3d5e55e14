"""Logging for the bot process: one line per record, with every token and secret redacted."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

# Slack tokens of every kind (bot, user, app-level, refresh, config) wherever they appear.
TOKEN_PATTERN = re.compile(r"\b(xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+")
REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out known secrets and anything shaped like a Slack token.

    Applied to the whole formatted line, so messages, arguments and tracebacks are all covered.
    """

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if len(s) >= 6)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return TOKEN_PATTERN.sub(lambda m: f"{m.group(1)}-{REDACTED}", text)


def configure_logging(level: str, secrets: Iterable[str] = (), stream: TextIO | None = None) -> None:
    """Route every logger (ours, Bolt's, slack_sdk's, waitress's) through one redacting handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def failure_line(error: BaseException) -> str:
    """An exception in one line, with where it was raised: for a failure that a request caused, whose
    traceback (logged at DEBUG) would only fill the log."""
    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    where = f" (at {Path(last.filename).name}:{last.lineno} in {last.name})" if last else ""
    message = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {message}{where}" if message else f"{type(error).__name__}{where}"


class DropMessages(logging.Filter):
    """Drops a logger's records whose message starts with one of ``prefixes``: a library's lines that say
    nothing or say it twice. Equal filters are equal, so adding one to a logger twice adds it once."""

    def __init__(self, *prefixes: str) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefixes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DropMessages) and other.prefixes == self.prefixes

    def __hash__(self) -> int:
        return hash(self.prefixes)
