"""The bot's and the ``awssec`` command's configuration: every environment variable, read once.

``Settings.from_env(env)`` reads them all and never raises: a malformed value is recorded as a problem
(naming the variable) and its default used, so that commands which do not use it (``awssec ask``) are not
stopped by it. What a command needs it validates: ``check()`` raises the first problem, and
``require_bot_token()``, ``require_http()``, ``require_socket_mode()`` raise for a token it cannot do
without (``awssec serve``, ``awssec quiz post``).
"""

from __future__ import annotations

import os
import pwd
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from indexer.files import bundled_corpus_dir

from .paths import default_data_dir, index_path_for

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
BOT_TOKEN_PREFIX = "xoxb-"
APP_TOKEN_PREFIX = "xapp-"
_TOKEN_KIND = re.compile(r"(?:xoxe\.)?(?:xox[a-z]|xapp)-")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOGIN_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")
"""Where the login name is looked for first, as ``getpass.getuser`` does."""

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and says what to do."""


@dataclass(frozen=True)
class QuizSettings:
    """The quiz's configuration."""

    channel: str = ""
    """AWSSEC_QUIZ_CHANNEL: channel id for the daily quiz; empty: no daily quiz."""
    post_time: time = time(9, 0)
    """AWSSEC_QUIZ_TIME: local time of the daily post (default 09:00)."""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    """AWSSEC_TIMEZONE: the group's time zone (default UTC), for the post time, days and streaks."""
    days: frozenset[int] = frozenset(range(5))
    """AWSSEC_QUIZ_DAYS: weekdays of the daily quiz, 0 = Monday (default Mon–Fri)."""
    reveal_after: timedelta = timedelta(hours=6)
    """AWSSEC_REVEAL_AFTER: hours from the post to the answer in its thread (default 6)."""


@dataclass(frozen=True)
class Problem:
    """A malformed variable: its name and what is wrong with it."""

    variable: str
    message: str


@dataclass(frozen=True)
class Settings:
    """Everything the bot and the ``awssec`` command read from their environment."""

    data_dir: Path
    """AWSSEC_DATA_DIR, else ``$XDG_DATA_HOME/awssec``, else ``~/.local/share/awssec``: where the indexes
    and the SQLite store live by default."""
    corpus_dirs: tuple[Path, ...]
    """AWSSEC_CORPUS: the default note folders (os.pathsep-separated), else the bundled notes."""
    index_path: Path
    """AWSSEC_INDEX, else the data directory's index of ``corpus_dirs`` (the one ``awssec ask`` uses)."""
    database_url: str
    """AWSSEC_DATABASE_URL: SQLAlchemy URL of the store (default: awssec.db in the data directory)."""
    run_dir: Path
    """AWSSEC_RUN_DIR: where `awssec serve` records the ports it listens on (see :func:`run_dir`)."""
    data_dir_is_set: bool = False
    """Whether AWSSEC_DATA_DIR chose the data directory (messages name the variable then)."""
    corpus_is_set: bool = False
    """Whether AWSSEC_CORPUS is set."""
    index_is_set: bool = False
    """Whether AWSSEC_INDEX is set."""
    bot_token: str = ""
    """SLACK_BOT_TOKEN: the bot user OAuth token (xoxb-...); empty when unset."""
    signing_secret: str = ""
    """SLACK_SIGNING_SECRET: verifies requests in HTTP mode; empty when unset."""
    app_token: str = ""
    """SLACK_APP_TOKEN: the app-level token (xapp-...) for Socket Mode; empty when unset."""
    api_url: str = DEFAULT_API_URL
    """SLACK_API_URL: base of every Web API call, ending with a slash."""
    source_url: str = ""
    """AWSSEC_SOURCE_URL: link template with {path}, {start}, {end}; empty for plain citations."""
    log_level: str = "INFO"
    """AWSSEC_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""
    port: int = DEFAULT_PORT
    """AWSSEC_PORT: default HTTP port of `awssec serve --http`."""
    health_port: int = DEFAULT_PORT
    """AWSSEC_HEALTH_PORT: default health port in Socket Mode."""
    quiz: QuizSettings = field(default_factory=QuizSettings)
    """AWSSEC_QUIZ_CHANNEL, AWSSEC_QUIZ_TIME, AWSSEC_TIMEZONE, AWSSEC_QUIZ_DAYS, AWSSEC_REVEAL_AFTER."""
    login_name: str = "me"
    """LOGNAME, USER, LNAME or USERNAME, else the account's name: whose progress `awssec quiz next` keeps."""
    malloc_arena_max: str = ""
    """MALLOC_ARENA_MAX: glibc's own cap on malloc arenas; when set, `awssec serve` leaves it alone."""
    problems: tuple[Problem, ...] = ()
    """The malformed variables, in the order they were read (their defaults are used meanwhile)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from ``env`` (default: the process environment); never raises."""
        env = os.environ if env is None else env
        problems: list[Problem] = []

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        def parsed(name: str, parse: Callable[[str], T], default: T) -> T:
            try:
                return parse(get(name))
            except SettingsError as err:
                problems.append(Problem(name, str(err)))
                return default

        data_dir_is_set = bool(env.get("AWSSEC_DATA_DIR"))
        if data_dir_is_set:
            data_dir = Path(env["AWSSEC_DATA_DIR"]).expanduser()
        else:
            data_dir = default_data_dir(env.get("XDG_DATA_HOME") or "", Path.home())
        corpus = env.get("AWSSEC_CORPUS", "")
        corpus_dirs = tuple(Path(p).expanduser() for p in corpus.split(os.pathsep) if p.strip())
        corpus_dirs = corpus_dirs or (bundled_corpus_dir(),)
        index_is_set = bool(env.get("AWSSEC_INDEX"))
        index_path = (
            Path(env["AWSSEC_INDEX"]).expanduser() if index_is_set else index_path_for(data_dir, corpus_dirs)
        )
        bot_token = parsed("SLACK_BOT_TOKEN", _bot_token, "")
        app_token = parsed("SLACK_APP_TOKEN", _app_token, "")
        api_url = parsed("SLACK_API_URL", _api_url, DEFAULT_API_URL)
        default_database = f"sqlite:///{data_dir / 'awssec.db'}"
        database_url = normalize_database_url(
            parsed("AWSSEC_DATABASE_URL", lambda v: _database_url(v) or default_database, default_database)
        )
        source_url = parsed("AWSSEC_SOURCE_URL", _source_url, "")
        log_level = parsed("AWSSEC_LOG_LEVEL", _log_level, "INFO")
        port = parsed("AWSSEC_PORT", _port("AWSSEC_PORT"), DEFAULT_PORT)
        health_port = parsed("AWSSEC_HEALTH_PORT", _port("AWSSEC_HEALTH_PORT"), DEFAULT_PORT)
        defaults = QuizSettings()
        quiz = QuizSettings(
            channel=parsed("AWSSEC_QUIZ_CHANNEL", _channel_id("AWSSEC_QUIZ_CHANNEL"), ""),
            post_time=parsed("AWSSEC_QUIZ_TIME", lambda v: parse_time(v or "09:00"), defaults.post_time),
            timezone=parsed("AWSSEC_TIMEZONE", lambda v: parse_timezone(v or "UTC"), defaults.timezone),
            days=parsed("AWSSEC_QUIZ_DAYS", lambda v: parse_days(v or "mon-fri"), defaults.days),
            reveal_after=parsed(
                "AWSSEC_REVEAL_AFTER", lambda v: parse_hours(v or "6"), defaults.reveal_after
            ),
        )
        return cls(
            data_dir=data_dir,
            corpus_dirs=corpus_dirs,
            index_path=index_path,
            database_url=database_url,
            run_dir=run_dir(env),
            data_dir_is_set=data_dir_is_set,
            corpus_is_set=bool(corpus),
            index_is_set=index_is_set,
            bot_token=bot_token,
            signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=app_token,
            api_url=api_url,
            source_url=source_url,
            log_level=log_level,
            port=port,
            health_port=health_port,
            quiz=quiz,
            login_name=login_name(env),
            malloc_arena_max=get("MALLOC_ARENA_MAX"),
            problems=tuple(problems),
        )

    def check(self) -> None:
        """Raise SettingsError for the first malformed variable, if any."""
        if self.problems:
            raise SettingsError(self.problems[0].message)

    def require_bot_token(self) -> None:
        """Talking to Slack needs the bot token, of the right kind."""
        for problem in self.problems:
            if problem.variable == "SLACK_BOT_TOKEN":
                raise SettingsError(problem.message)
        if not self.bot_token:
            raise SettingsError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
                "OAuth & Permissions page into the environment"
            )

    def require_http(self) -> None:
        """HTTP mode cannot verify Slack's requests without the signing secret."""
        if not self.signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode refuses to start without it, because it is what "
                "proves a request comes from Slack (Basic Information > App Credentials > Signing Secret)"
            )

    def require_socket_mode(self) -> None:
        """Socket Mode connects with the app-level token."""
        if not self.app_token:
            raise SettingsError(
                "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...) with the "
                "connections:write scope (Basic Information > App-Level Tokens); or run `awssec serve --http`"
            )

    def secrets(self) -> tuple[str, ...]:
        """The values that must never appear in a log line."""
        return tuple(s for s in (self.bot_token, self.signing_secret, self.app_token) if s)

    def with_slack(self, *, api_url: str, bot_token: str) -> Settings:
        """These settings talking to another Slack (the console's local one): its URL and token instead of
        SLACK_API_URL and SLACK_BOT_TOKEN, whose problems no longer matter."""
        kept = tuple(p for p in self.problems if p.variable not in ("SLACK_API_URL", "SLACK_BOT_TOKEN"))
        return replace(self, api_url=_api_url(api_url), bot_token=bot_token, problems=kept)


# -- the variables' parsers: a value, or SettingsError naming the variable -------------------------------


def run_dir(env: Mapping[str, str]) -> Path:
    """AWSSEC_RUN_DIR, else ``$XDG_RUNTIME_DIR/awssec``, else ``awssec-<uid>`` in the temporary directory:
    the running bot's own files, such as the ports it listens on, which the Docker health check reads."""
    if (env.get("AWSSEC_RUN_DIR") or "").strip():
        return Path(env["AWSSEC_RUN_DIR"].strip()).expanduser()
    if (env.get("XDG_RUNTIME_DIR") or "").strip():
        return Path(env["XDG_RUNTIME_DIR"].strip()) / "awssec"
    return Path(tempfile.gettempdir()) / f"awssec-{os.getuid()}"


def login_name(env: Mapping[str, str]) -> str:
    """The login name as ``getpass.getuser`` finds it, from ``env``; ``me`` when there is none (some
    containers)."""
    for name in LOGIN_VARIABLES:
        if env.get(name):
            return env[name]
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        return "me"


def _bot_token(value: str) -> str:
    if value:
        check_token_prefix(
            "SLACK_BOT_TOKEN", value, BOT_TOKEN_PREFIX, "the Bot User OAuth Token (OAuth & Permissions)"
        )
    return value


def _app_token(value: str) -> str:
    if value:
        check_token_prefix(
            "SLACK_APP_TOKEN",
            value,
            APP_TOKEN_PREFIX,
            "an app-level token with connections:write (Basic Information > App-Level Tokens)",
        )
    return value


def _api_url(value: str) -> str:
    api_url = value or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
    return api_url if api_url.endswith("/") else api_url + "/"


def _source_url(value: str) -> str:
    if value:
        check_source_url(value)
    return value


def _log_level(value: str) -> str:
    log_level = (value or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"AWSSEC_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")
    return log_level


MAX_PORT = 65535
CHANNEL_ID = re.compile(r"[A-Z0-9]{3,}")
"""A Slack channel id as Slack writes it (C0123456789): capitals and digits, never a #name."""


def _channel_id(name: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if value and not CHANNEL_ID.fullmatch(value):
            raise SettingsError(
                f"{name} must be a channel id like C0123456789 (at the bottom of the channel's details), "
                f"got {value!r}"
            )
        return value

    return parse


def port_number(value: str) -> int | None:
    """``value`` as a port number (0-65535; 0 picks a free one), or None when it is not one: the one check
    of AWSSEC_PORT, AWSSEC_HEALTH_PORT and ``awssec serve --port``."""
    return int(value) if value.isdigit() and int(value) <= MAX_PORT else None


def _port(name: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not value:
            return DEFAULT_PORT
        port = port_number(value)
        if port is None:
            raise SettingsError(f"{name} must be a port number (0-{MAX_PORT}), got {value!r}")
        return port

    return parse


def check_token_prefix(name: str, token: str, prefix: str, what: str) -> None:
    """A token of the wrong kind is refused at start (Slack would refuse it at every retry, forever).

    The message shows only the kind of token found (``xoxb-``, ``xapp-``...), never the token itself.
    """
    if token.startswith(prefix):
        return
    kind = _TOKEN_KIND.match(token)
    found = f"a token starting with {kind.group(0)}" if kind else "a value that is not a Slack token"
    raise SettingsError(f"{name} must start with {prefix} ({what}), but it holds {found}")


_DATABASE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _database_url(value: str) -> str:
    """AWSSEC_DATABASE_URL as given, once it looks like a database URL (its value, which may hold a
    password, is never repeated in the message)."""
    if value and not _DATABASE_URL.match(value):
        raise SettingsError(
            "AWSSEC_DATABASE_URL must be a database URL such as sqlite:////var/lib/awssec/awssec.db or "
            "postgresql://user:password@host/awssec (the value given is not shown: it may hold a password)"
        )
    return value


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// (and postgres://) URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_source_url(template: str) -> None:
    """Fail early on a template that would break at the first answer."""
    sample = {"path": "notes.md", "start": 1, "end": 2}
    try:
        template.format(**sample)
    except (KeyError, IndexError, ValueError) as err:
        raise SettingsError(
            f"AWSSEC_SOURCE_URL is not a valid link template ({err!r}); use only {{path}}, {{start}} and "
            "{end}, e.g. https://github.com/org/notes/blob/main/{path}#L{start}-L{end}"
        ) from None
    if not template.startswith(("http://", "https://")):
        raise SettingsError(f"AWSSEC_SOURCE_URL must start with http:// or https://, got {template!r}")


def parse_time(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise SettingsError(f"AWSSEC_QUIZ_TIME must be a 24-hour time like 09:00, got {text!r}") from None


def parse_timezone(text: str) -> ZoneInfo:
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"AWSSEC_TIMEZONE must be an IANA time zone like Europe/Berlin or America/New_York, got {text!r}"
        ) from None


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri``, ``mon,wed,fri``, ``sat-sun``, ``daily``; full day names work too."""
    value = text.strip().lower()
    if value in ("daily", "all", "every day", "mon-sun"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in value.replace(" ", "").split(","):
        start, _, end = part.partition("-")
        try:
            first = DAY_NAMES.index(start[:3])
            last = DAY_NAMES.index(end[:3]) if end else first
        except ValueError:
            raise SettingsError(
                f"AWSSEC_QUIZ_DAYS must list days like mon-fri or mon,wed,fri (or daily), got {text!r}"
            ) from None
        day = first
        while True:
            days.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    return frozenset(days)


def parse_hours(text: str) -> timedelta:
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 7:
        raise SettingsError(f"AWSSEC_REVEAL_AFTER must be a number of hours between 0 and 168, got {text!r}")
    return timedelta(hours=hours)
