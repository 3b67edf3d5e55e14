"""Limits the Slack bot and the ``awssec`` command share."""

MAX_QUESTION_CHARS = 1000
"""The longest question answered, in characters (after trimming); a longer one is refused, saying so."""
