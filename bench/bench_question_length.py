"""How the time to answer one question grows with its length: it should grow linearly.

    python bench/bench_question_length.py [--corpus DIR] [--sizes 10000,100000,1000000,3000000]

Builds the index of the notes (the bundled ``corpus/`` by default) and times ``indexer.search.query.search``
on questions of each size and of several shapes: one long "word" of random letters, one of a single
letter repeated (``yyyy…``, the Snowball stemmer's worst case), many ordinary words, hyphenated pairs
(``SSE-C``, which the compound matcher reads) and words between long runs of spaces. Each question is
asked on a freshly loaded index (cold caches), best of ``--repeat``. Prints a markdown table: seconds,
and microseconds per KB, which stays about flat when the time is linear.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.build import build_index, load_index, save_index  # noqa: E402
from indexer.search.query import search  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000, 1_000_000, 3_000_000)


def _cut(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


def random_word(size: int) -> str:
    rng = random.Random(size)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(size))


SHAPES: dict[str, Callable[[int], str]] = {
    "one word, random letters": random_word,
    "one word, yyyy…": lambda size: "y" * size,
    "many words": lambda size: _cut("how do i rotate kms keys for guardduty findings in s3 ", size),
    "hyphenated pairs": lambda size: _cut("sse-c sse - kms ", size),
    "words between spaces": lambda size: _cut("kms" + " " * 997, size),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="notes folder (corpus/)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="sizes, in characters")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        index_path = Path(tmp) / "index.json.gz"
        save_index(build_index([args.corpus]), index_path)
        rows = []
        for shape, make in SHAPES.items():
            for size in sizes:
                question = make(size)
                best = float("inf")
                for _ in range(args.repeat):
                    index = load_index(index_path)  # cold caches, as after a start
                    started = time.perf_counter()
                    search(index, question)
                    best = min(best, time.perf_counter() - started)
                rows.append((shape, size, best))
                print(f"{shape:28} {size:>9,} chars  {best:8.4f} s", file=sys.stderr, flush=True)

    print("| question | size | seconds | µs per KB |")
    print("| --- | ---: | ---: | ---: |")
    for shape, size, seconds in rows:
        print(f"| {shape} | {size / 1000:,.0f} KB | {seconds:.4f} | {seconds * 1e6 / (size / 1000):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
