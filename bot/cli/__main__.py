"""``python -m bot.cli ...``: the same as ``awssec ...``."""

from __future__ import annotations

import sys

from .main import main

sys.exit(main())
