"""Multiple-choice quiz questions generated from the indexed notes, and practice with them (pure: no Slack,
no storage, no disk: ``indexer.build.quiz_bank_for`` hands in the notes as written and the cleaner).

Three kinds of question (:class:`~indexer.quiz.question.QuestionKind`), all read off the structure the
notes already have:

- ``which``: a fact from the notes, and the topics it could belong to. The choices are either options
  the notes list side by side under one parent (``SSE - S3``, ``SSE - KMS``, ``SSE - C``, ``CSE``) or the
  AWS services the notes have sections on (``KMS``, ``CloudHSM``, ``STS`` …).
- ``statement``: a topic, and facts the notes state about it and about its sibling options (or other
  services); the choice is the fact stated about this topic.
- ``cloze``: a fact with one term or quantity blanked out; the choices are of the same type (other sizes
  for ``4 KB``, other durations for ``90 days``, other services of the same family for ``CloudTrail``,
  other protocols for ``HTTPS``).

Every question keeps these rules, or is not made:

- the right answer is stated in the cited chunk (its heading or its text);
- exactly one choice is right: a fact that the notes also state (in similar words) under another
  choice, or that names another choice, never gets that choice as a distractor, and a fact whose
  choices run out is skipped; terms that mean the same thing (TLS, SSL, HTTPS) are never choices
  together;
- 3–4 distinct choices of one type;
- readable text: every word of the question is an English word, an AWS term or a word the notes use
  several times, so a typo the cleaner left behind drops the fact rather than reaching a learner;
- a stable id: a hash of the kind, the note, the fact's heading path and text and what is blanked —
  not of line numbers — so the id survives re-indexing while the fact is unchanged;
- a deterministic choice order, seeded by that id.

Modules, lowest first: ``question`` (kinds, the question, ids, wording), ``facts`` (the fact tree),
``terms`` (the term table, ``indexer/data/quiz_terms.txt``), ``quantities``, ``checks`` (readability,
similarity, the notes as written), ``topics`` (where a fact belongs), ``generator`` (the three kinds),
``bank`` (all questions by id), ``review`` (grading, FSRS, streaks, the leaderboard, the daily pick).
"""
