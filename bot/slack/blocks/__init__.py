"""Block Kit rendering: ``common`` (messages, escaping, Slack's limits), ``answer`` (answers, help,
sources, notices) and ``quiz`` (practice, the daily quiz, scores). Pure functions, no Slack calls."""
