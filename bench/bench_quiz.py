"""Quiz latency: choosing the next question and grading a click, pure and through the store.

    python bench/bench_quiz.py [--rounds 300] [--database-url URL] [--corpus DIR ...]

Builds the question bank of the notes (bundled ``corpus/`` by default), then measures, for a learner who
has already answered every question once (the largest card set the bank allows):

  choose (pure)   — ``indexer.quiz.review.choose_next`` over the learner's FSRS cards;
  grade (pure)    — ``indexer.quiz.review.grade`` plus the FSRS ``review`` of the card;
  choose (store)  — what `/awssec quiz` does: load the learner's cards, choose, record the shown question;
  grade (store)   — what a click does: load the shown question, load the card, grade, review, and record
                    the answer and the card in one transaction.

Target (issue #5): under 50 ms each. Prints p50 / p95 / max in milliseconds and PASS/FAIL per line.
The store is a fresh SQLite file, or with --database-url a scratch schema in that PostgreSQL database
(dropped afterwards).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config.settings import normalize_database_url  # noqa: E402
from bot.store import Store  # noqa: E402
from indexer.build import build_index, quiz_bank_for  # noqa: E402
from indexer.quiz.review import choose_next, grade, review  # noqa: E402

TARGET_MS = 50.0


@contextmanager
def scratch_database(url: str | None, tmp: Path) -> Iterator[str]:
    """A fresh SQLite file, or a schema of its own in the PostgreSQL database ``url`` (dropped after)."""
    if not url:
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    import sqlalchemy

    url = normalize_database_url(url)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def measure(fn: Callable[[int], object], rounds: int) -> list[float]:
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, times: list[float]) -> bool:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    ok = max(ordered) < TARGET_MS
    print(
        f"{name:<16} p50 {statistics.median(ordered):7.3f} ms   p95 {p95:7.3f} ms   "
        f"max {max(ordered):7.3f} ms   {'PASS' if ok else 'FAIL'} (< {TARGET_MS:.0f} ms)"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url", help="store to use (default: a fresh SQLite file)")
    parser.add_argument("--corpus", action="append", help="notes folder (default: the bundled corpus/)")
    args = parser.parse_args(argv)

    corpus = [Path(d) for d in args.corpus] if args.corpus else [REPO / "corpus"]
    started = time.perf_counter()
    index = build_index(corpus)
    bank = quiz_bank_for(index)
    print(
        f"{len(bank)} questions from {len(index.chunks)} chunks (index + bank in "
        f"{time.perf_counter() - started:.2f} s)"
    )

    rng = random.Random(5)
    now = datetime.now(UTC)
    user = "UBENCH"
    # a learner who answered every question once, a day or more ago, some right and some wrong
    states = {}
    for n, q in enumerate(bank.questions):
        states[q.id] = review(None, q.id, rng.random() < 0.7, now - timedelta(days=1 + n % 20))
    questions = bank.questions

    ok = report(
        "choose (pure)",
        measure(lambda i: choose_next(bank.ids, states, now, user_id=user, rng=rng), args.rounds),
    )

    def grade_pure(i: int) -> None:
        q = questions[i % len(questions)]
        result = grade(q, rng.randrange(len(q.choices)))
        review(states[q.id], q.id, result.correct, now)

    ok &= report("grade (pure)", measure(grade_pure, args.rounds))

    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.database_url, Path(tmp)) as url:
        store = Store.connect(url)
        for q in questions:
            store.save_card(user, states[q.id])
        shown: list[str] = []

        def choose_store(i: int) -> None:
            cards = store.card_states(user)
            question = bank.get(choose_next(bank.ids, cards, datetime.now(UTC), user_id=user, rng=rng) or "")
            shown.append(store.start_practice(user, "CBENCH", question, datetime.now(UTC)))

        ok &= report("choose (store)", measure(choose_store, args.rounds))

        def grade_store(i: int) -> None:
            practice = store.load_practice(shown[i])
            q = practice.question
            result = grade(q, rng.randrange(len(q.choices)))
            card = review(store.card_states(user).get(q.id), q.id, result.correct, datetime.now(UTC))
            store.answer_practice(practice, result, card, datetime.now(UTC))

        ok &= report("grade (store)", measure(grade_store, min(args.rounds, len(shown))))
        store.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
