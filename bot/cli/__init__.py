"""Layer 6 of the bot, the ``awssec`` command: ``main`` (``bot.cli.main``) and one module per command
group (``index``, ``ask``, ``clean``, ``serve``, ``console``, ``quiz``), ``common`` for what they share.

Imports every other layer (``serve``, ``console`` and ``quiz post`` build the bot with ``bot.runtime``);
no other layer imports it.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
