"""Spelling: the typo cleaner. ``clean`` fixes a note's typos line by line (``note_tokens`` finds the
words it may touch) with ``corrector``'s noisy-channel decoder over ``vocabulary`` (the words believed and
how likely each is) and ``typo_model`` (how people mistype); ``counts`` holds the shipped word lists,
each read once per process; ``build_domain_lm`` is the offline tool that derives the AWS documentation
counts."""
