"""Search under concurrent questions: every answer equals the one a single thread gets.

The bot answers questions on a pool of worker threads, all sharing one loaded index. A freshly
loaded index has cold caches (the tokenizer's stems, the fuzzy matcher's structures), so the first
questions after a start race to fill them. Threads start together at a barrier and the interpreter
switches threads very often, to make any race show.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.build import load_index, save_index
from indexer.model import Answer
from indexer.search.index import SearchIndex
from indexer.search.query import search
from indexer.search.tokenize import Tokenizer, TokenizerSettings

THREADS = 12
ROUNDS = 4

QUESTIONS = [
    "How does SSE-C work?",
    "kenisis encrption",
    "secrets manger rotation",
    "Can GuardDuty detect crypto mining?",
    "guard duty findings",
    "what is a customer master key",
    "KMS key rotation",
    "what does an HSM do",
    "security token service temporary credentials",
    "IAM identity federation",
    "dynamo table encryption at rest",
    "cloudtrail log file integrity validation",
    "S3 bucket polcy deny unencrypted uploads",
    "What is the capital of France?",
    "macie sensitive data discovery",
    "VPC flow logs",
    "inspectr vulnerability scanning",
    "cognito user pools vs identity pools",
    "envelope encryption data key",
    "WAF rate based rules",
    "can a Nitro Enclave decrypt with my KMS key",  # named topics the notes lack: a cache filled under load
    "Does AWS Config record bucket policy changes?",
    "lake formation column permissions",
]


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    """Let the interpreter switch threads every microsecond while the test runs."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_together(work: Callable[[int], object], threads: int = THREADS) -> list[object]:
    """``work(n)`` on ``threads`` threads started at once; their results, or the first error raised."""
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return results


@pytest.fixture(scope="module")
def index_file(corpus_index: SearchIndex, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "index.json.gz"
    save_index(corpus_index, path)
    return path


def test_concurrent_questions_on_a_cold_index_get_the_single_threaded_answers(
    index_file: Path, frequent_switches: None
) -> None:
    single = load_index(index_file)
    expected = {q: search(single, q) for q in QUESTIONS}
    assert any(a.hits for a in expected.values())

    for _ in range(ROUNDS):
        index = load_index(index_file)  # cold: nothing cached yet

        def ask_all(n: int, index: SearchIndex = index) -> dict[str, Answer]:
            shift = n % len(QUESTIONS)
            order = QUESTIONS[shift:] + QUESTIONS[:shift]
            return {q: search(index, q) for q in order}

        for answers in run_together(ask_all):
            assert answers == expected
        # and what the threads left in the caches gives the same answers afterwards
        assert {q: search(index, q) for q in QUESTIONS} == expected


def test_concurrent_stemming_gives_the_single_threaded_stems(corpus_index: SearchIndex,
                                                             frequent_switches: None) -> None:
    text = " ".join(c.text for c in corpus_index.chunks)
    words = sorted(set(re.findall(r"[a-z]{4,}", text.lower())))[:600]
    assert len(words) >= 300
    settings = TokenizerSettings.default()
    expected = [Tokenizer(settings).stem(w) for w in words]

    for _ in range(ROUNDS):
        tokenizer = Tokenizer(settings)  # cold cache

        def stem_all(n: int, tokenizer: Tokenizer = tokenizer) -> list[str]:
            shift = n * len(words) // THREADS
            order = list(range(shift, len(words))) + list(range(shift))
            stems = [""] * len(words)
            for i in order:
                stems[i] = tokenizer.stem(words[i])
            return stems

        for stems in run_together(stem_all):
            assert stems == expected
        assert [tokenizer.stem(w) for w in words] == expected


def test_a_lazily_built_value_is_built_once_however_many_threads_ask_first(frequent_switches: None) -> None:
    from indexer.once import once

    builds: list[int] = []

    @once
    def word_list() -> dict[str, int]:
        builds.append(1)
        return {f"w{n}": n for n in range(50_000)}  # long enough for the threads to overlap

    lists = run_together(lambda n: word_list())
    assert len(builds) == 1
    assert all(found is lists[0] for found in lists)
