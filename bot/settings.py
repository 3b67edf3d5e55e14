"""Bot configuration, read once from the environment and validated at start."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.files import bundled_corpus_dir

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
BOT_TOKEN_PREFIX = "xoxb-"
APP_TOKEN_PREFIX = "xapp-"
_TOKEN_KIND = re.compile(r"(?:xoxe\.)?(?:xox[a-z]|xapp)-")
SOURCE_URL_FIELDS = ("path", "start", "end")


INDEX_FILENAME = "index.json.gz"
INDEXES_DIRNAME = "indexes"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``AWSSEC_DATA_DIR``, else ``$XDG_DATA_HOME/awssec``, else ``~/.local/share/awssec``."""
    env = os.environ if env is None else env
    if env.get("AWSSEC_DATA_DIR"):
        return Path(env["AWSSEC_DATA_DIR"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "awssec"


def index_path_for(corpus_dirs: Sequence[Path], env: Mapping[str, str] | None = None) -> Path:
    """The index of exactly these notes folders in the data directory.

    ``indexes/<names>-<hash>/index.json.gz``: the hash is of the sorted resolved folder paths, so each set
    of folders has an index of its own, whatever the order they are named in; the names are for people.
    """
    resolved = sorted({str(Path(d).expanduser().resolve()) for d in corpus_dirs})
    digest = hashlib.sha256("\0".join(resolved).encode()).hexdigest()[:12]
    names = "+".join(re.sub(r"[^A-Za-z0-9._-]+", "-", Path(d).name).strip("-.") or "root" for d in resolved)
    return data_dir(env) / INDEXES_DIRNAME / f"{names[:40]}-{digest}" / INDEX_FILENAME


def default_index_path(env: Mapping[str, str] | None = None) -> Path:
    """``AWSSEC_INDEX``, else the data directory's index of the default notes (``corpus_dirs_from_env``)."""
    env = os.environ if env is None else env
    if env.get("AWSSEC_INDEX"):
        return Path(env["AWSSEC_INDEX"]).expanduser()
    return index_path_for(corpus_dirs_from_env(env), env)


def corpus_dirs_from_env(env: Mapping[str, str] | None = None) -> list[Path]:
    """``AWSSEC_CORPUS`` (folders separated by ``os.pathsep``), else the bundled notes."""
    env = os.environ if env is None else env
    value = env.get("AWSSEC_CORPUS", "")
    dirs = [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return dirs or [bundled_corpus_dir()]


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and says what to do."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    bot_token: str
    """SLACK_BOT_TOKEN: the bot user OAuth token (xoxb-...)."""
    signing_secret: str
    """SLACK_SIGNING_SECRET: verifies requests in HTTP mode; empty when unset."""
    app_token: str
    """SLACK_APP_TOKEN: the app-level token (xapp-...) for Socket Mode; empty when unset."""
    api_url: str
    """SLACK_API_URL: base of every Web API call, ending with a slash."""
    index_path: Path
    """AWSSEC_INDEX, else the data directory's index of ``corpus_dirs`` (the one ``awssec ask`` uses)."""
    corpus_dirs: tuple[Path, ...]
    """AWSSEC_CORPUS: note folders (os.pathsep-separated), default the bundled notes."""
    data_dir: Path
    """AWSSEC_DATA_DIR: where the index and the SQLite store live by default."""
    database_url: str
    """AWSSEC_DATABASE_URL: SQLAlchemy URL of the store."""
    source_url: str
    """AWSSEC_SOURCE_URL: link template with {path}, {start}, {end}; empty for plain citations."""
    log_level: str
    """AWSSEC_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""
    port: int = DEFAULT_PORT
    """AWSSEC_PORT: default HTTP port of `awssec serve --http`."""
    health_port: int = DEFAULT_PORT
    """AWSSEC_HEALTH_PORT: default health port in Socket Mode."""
    run_dir: Path = field(default_factory=lambda: run_dir({}))
    """AWSSEC_RUN_DIR: where `awssec serve` records the ports it listens on (see :func:`run_dir`)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the settings; raise SettingsError naming the first bad variable."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        bot_token = get("SLACK_BOT_TOKEN")
        if not bot_token:
            raise SettingsError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
                "OAuth & Permissions page into the environment"
            )
        check_token_prefix(
            "SLACK_BOT_TOKEN", bot_token, BOT_TOKEN_PREFIX, "the Bot User OAuth Token (OAuth & Permissions)"
        )
        app_token = get("SLACK_APP_TOKEN")
        if app_token:
            check_token_prefix(
                "SLACK_APP_TOKEN",
                app_token,
                APP_TOKEN_PREFIX,
                "an app-level token with connections:write (Basic Information > App-Level Tokens)",
            )
        api_url = get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"

        directory = data_dir(env)
        index_path = default_index_path(env)
        corpus_dirs = tuple(corpus_dirs_from_env(env))

        database_url = normalize_database_url(
            get("AWSSEC_DATABASE_URL") or f"sqlite:///{directory / 'awssec.db'}"
        )

        source_url = get("AWSSEC_SOURCE_URL")
        if source_url:
            check_source_url(source_url)

        log_level = (get("AWSSEC_LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"AWSSEC_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")

        return cls(
            bot_token=bot_token,
            signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=app_token,
            api_url=api_url,
            index_path=index_path,
            corpus_dirs=corpus_dirs,
            data_dir=directory,
            database_url=database_url,
            source_url=source_url,
            log_level=log_level,
            port=port_setting(env, "AWSSEC_PORT"),
            health_port=port_setting(env, "AWSSEC_HEALTH_PORT"),
            run_dir=run_dir(env),
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


def run_dir(env: Mapping[str, str]) -> Path:
    """AWSSEC_RUN_DIR, else ``$XDG_RUNTIME_DIR/awssec``, else ``awssec-<uid>`` in the temporary directory:
    the running bot's own files, such as the ports it listens on, which the Docker health check reads."""
    if (env.get("AWSSEC_RUN_DIR") or "").strip():
        return Path(env["AWSSEC_RUN_DIR"].strip()).expanduser()
    if (env.get("XDG_RUNTIME_DIR") or "").strip():
        return Path(env["XDG_RUNTIME_DIR"].strip()) / "awssec"
    return Path(tempfile.gettempdir()) / f"awssec-{os.getuid()}"


def check_token_prefix(name: str, token: str, prefix: str, what: str) -> None:
    """A token of the wrong kind is refused at start (Slack would refuse it at every retry, forever).

    The message shows only the kind of token found (``xoxb-``, ``xapp-``...), never the token itself.
    """
    if token.startswith(prefix):
        return
    kind = _TOKEN_KIND.match(token)
    found = f"a token starting with {kind.group(0)}" if kind else "a value that is not a Slack token"
    raise SettingsError(f"{name} must start with {prefix} ({what}), but it holds {found}")


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


def port_setting(env: Mapping[str, str], name: str) -> int:
    value = (env.get(name) or "").strip()
    if not value:
        return DEFAULT_PORT
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise SettingsError(f"{name} must be a port number (0-65535), got {value!r}")
    return int(value)
