"""Where the data directory keeps an index of each set of notes folders (no environment read here)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

INDEX_FILENAME = "index.json.gz"
INDEXES_DIRNAME = "indexes"


def default_data_dir(xdg_data_home: str, home: Path) -> Path:
    """``$XDG_DATA_HOME/awssec``, else ``~/.local/share/awssec``."""
    base = xdg_data_home or str(home / ".local" / "share")
    return Path(base).expanduser() / "awssec"


def index_path_for(data_dir: Path, corpus_dirs: Sequence[Path]) -> Path:
    """The index of exactly these notes folders in the data directory.

    ``indexes/<names>-<hash>/index.json.gz``: the hash is of the sorted resolved folder paths, so each set
    of folders has an index of its own, whatever the order they are named in; the names are for people.
    """
    resolved = sorted({str(Path(d).expanduser().resolve()) for d in corpus_dirs})
    digest = hashlib.sha256("\0".join(resolved).encode()).hexdigest()[:12]
    names = "+".join(re.sub(r"[^A-Za-z0-9._-]+", "-", Path(d).name).strip("-.") or "root" for d in resolved)
    return data_dir / INDEXES_DIRNAME / f"{names[:40]}-{digest}" / INDEX_FILENAME
