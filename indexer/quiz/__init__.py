"""Multiple-choice quiz questions generated from the indexed notes, and practice with them (pure: no Slack,
no storage, no disk: ``indexer.build.quiz_bank_for`` hands in the notes as written and the cleaner, and
keeps the bank beside the index file).

Kinds of question (:class:`~indexer.quiz.question.QuestionKind`), all read off the structure the notes
already have, all single-answer with 3–4 choices:

- ``which``: a fact, and the topics it could belong to (sibling options, or AWS services);
- ``statement``: a topic, and statements the notes make about it and about other topics (or a list's
  member among names of its kind);
- ``cloze``: a fact with one term or quantity blanked out;
- ``table``: a cell of a comparison table ("which of these has X", "what is X's Y");
- ``order``: the steps of a procedure, lettered and shuffled; the choices are orders (``B, A, D, C``);
- ``select_two``: four lettered statements, two about the topic; the choices are pairs (``A and C``);
- ``match``: numbered terms and lettered definitions; the choices are mappings (``1-B, 2-A, 3-C``).

A question shows :meth:`~indexer.quiz.question.QuizQuestion.shown_lines` (prompt, items, one context
line) above its buttons, and explains every choice after the click
(:attr:`~indexer.quiz.question.QuizQuestion.explanations`: where the notes state it, or None).

Every question keeps these rules, or is not made:

- the right answer is stated in the cited lines;
- nothing shown names the answer more than the other choices (words and aliases, loosely: ``secrets``
  ~ Secrets Manager); a blank's neighbours do not settle it (AWS documentation's word pairs and the
  notes' own); a number that is part of a name is not a quantity;
- a wrong choice is not said of the subject by the notes, nor written with it by the documentation; a
  fact the notes state under several subjects, a negative fact, a list of qualities, a procedure's step,
  a link list, a practice question's options and an exam tip's "keyword → answer" are never asked as
  facts; generic headings ("What You Need to Know") borrow the nearest specific one;
- readable text (a typo the cleaner left, or a word it guessed, drops the fact);
- a few questions per chunk, in proportion to what it states; a fact asked at most twice, in two kinds;
- a stable id (a hash of the kind, the note, the fact's heading path and text, not of line numbers) and
  a deterministic choice order seeded by it.

Modules, lowest first: ``question`` (kinds, the question, explanations, ids, wording), ``rawlines`` (the
notes as written, line by line), ``templates`` (openings that frame facts), ``sentences`` (where
sentences end, flashcard notation, options named inline), ``facts`` (the fact tree, procedures, tables),
``terms`` (the term table, ``indexer/data/quiz_terms.txt``), ``quantities``, ``checks`` (readability,
similarity, the cleaner's guesses), ``fairness`` (leaks, neighbours, plausibility), ``topics`` (where a
fact belongs), ``spread`` (which candidates make the bank), ``present`` (context lines, explanations,
last checks), ``generator`` (which, statement, cloze), ``tables``, ``structured`` (order, select-two,
list members), ``matching``, ``bank`` (all questions by id; the cache file's content), ``review``
(grading, FSRS, streaks, the leaderboard, the daily pick).
"""
