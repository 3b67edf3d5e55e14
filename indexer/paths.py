"""Where things live: the bundled notes, the data directory, the index file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

INDEX_FILENAME = "index.json.gz"


def bundled_corpus_dir() -> Path:
    """The notes shipped in the repository's ``corpus/`` folder."""
    return Path(__file__).resolve().parent.parent / "corpus"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``AWSSEC_DATA_DIR``, else ``$XDG_DATA_HOME/awssec``, else ``~/.local/share/awssec``."""
    env = os.environ if env is None else env
    if env.get("AWSSEC_DATA_DIR"):
        return Path(env["AWSSEC_DATA_DIR"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "awssec"


def default_index_path(env: Mapping[str, str] | None = None) -> Path:
    """``AWSSEC_INDEX``, else ``index.json.gz`` in the data directory."""
    env = os.environ if env is None else env
    if env.get("AWSSEC_INDEX"):
        return Path(env["AWSSEC_INDEX"]).expanduser()
    return data_dir(env) / INDEX_FILENAME


def corpus_dirs_from_env(env: Mapping[str, str] | None = None) -> list[Path]:
    """``AWSSEC_CORPUS`` (folders separated by ``os.pathsep``), else the bundled notes."""
    env = os.environ if env is None else env
    value = env.get("AWSSEC_CORPUS", "")
    dirs = [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return dirs or [bundled_corpus_dir()]
