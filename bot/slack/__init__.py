"""Layer 4 of the bot, Slack: the Bolt app and its listeners (``listeners/{commands,events,actions}/``),
Block Kit rendering (``blocks/``), Slack markup (``markup``), the checks on Slack's payloads
(``payload_shape``), the HTTP / Socket Mode / health runners, the Web API client, the daily quiz's
publisher, and ``fake``, a local stand-in for Slack (the console's and the tests').

Imports ``bot.config``, ``bot.store`` and ``bot.services`` (and ``indexer``), never ``bot.runtime`` or
``bot.cli``.
"""
