"""The pure core: notes in, cited search hits and quiz questions out. Nothing here knows of Slack,
storage or the environment.

One subpackage per stage, each importing only the ones before it:
``model`` <- ``reading``, ``spelling`` <- ``search`` <- ``quiz`` <- ``build``.

- ``reading``: markdown parsed with raw line numbers, cut into cited chunks.
- ``spelling``: the line-preserving typo cleaner and its word lists.
- ``search``: terms, BM25, the index, questions to hits, the index file's content.
- ``quiz``: questions from chunks, and practice (grading, FSRS, streaks, the leaderboard).
- ``build``: the top: builds, checks and opens the index of some notes folders, and their quiz bank.

``files`` is the one module that touches the disk (notes folders, user word lists, shipped data, the
index file); it imports no stage. Stages read only their shipped data through it; ``build`` reads the
notes and the index file and hands their texts to the stages. ``notetext`` (bytes to text), ``model``
(values that cross stages) and ``once`` (built once per process) sit below every stage too.
``tests/test_architecture.py`` checks these rules.
"""
