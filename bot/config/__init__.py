"""Layer 1 of the bot, configuration: every environment variable the bot and the ``awssec`` command read,
read once into one :class:`~bot.config.settings.Settings`; logging and the limits the layers share.

Imports nothing from the other layers of ``bot/`` (only ``indexer``).
"""
