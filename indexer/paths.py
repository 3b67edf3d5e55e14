"""Where things live: the bundled notes, the data directory, the index of each set of notes."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

INDEX_FILENAME = "index.json.gz"
INDEXES_DIRNAME = "indexes"
BUNDLED_CORPUS_PACKAGE_DIR = "bundled_corpus"
"""The bundled notes inside the installed ``indexer`` package (pyproject.toml maps ``corpus/`` there)."""


def bundled_corpus_dir() -> Path:
    """The notes shipped with awssec: inside the installed package, else the repository's ``corpus/``."""
    here = Path(__file__).resolve().parent
    packaged = here / BUNDLED_CORPUS_PACKAGE_DIR
    return packaged if packaged.is_dir() else here.parent / "corpus"


def is_bundled(corpus_dir: Path | str) -> bool:
    """Whether a folder is the bundled notes."""
    return Path(corpus_dir).resolve() == bundled_corpus_dir()


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
