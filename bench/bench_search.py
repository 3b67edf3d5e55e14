"""Benchmark awssec's search against tantivy: build time, index size, load time, query latency, memory.

    python bench/bench_search.py [--corpus DIR ...] [--queries N] [--no-tantivy] [--no-fix-typos]

By default it measures the bundled notes (``corpus/``) and the large AWS documentation corpus in
``../shared/bench/awsdocs`` (skipped, with a message, when absent). Each engine builds its index in one
fresh subprocess and answers the questions in another, so peak memory (the process's ``VmHWM``) is never
mixed between engines or between building and serving. Both engines index the same chunks (awssec's
chunks: heading + text) and answer the same questions, generated deterministically from the corpus
itself (headings, sentence fragments with words dropped, typos), plus ``../shared/eval/questions.jsonl``
and a few off-topic questions. Prints a markdown table per corpus.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus"
LARGE_CORPUS = REPO / ".." / "shared" / "bench" / "awsdocs"
EVAL_QUESTIONS = REPO / ".." / "shared" / "eval" / "questions.jsonl"

TARGET_BUILD_S = 30.0
TARGET_P99_MS = 50.0
TARGET_WARM_P99_MS = 5.0
"""A question answered again in a process that has answered questions before (issue 11's target)."""
TARGET_PEAK_MB = 1024.0
TOP_K = 3
WARMUP_QUESTIONS = 3
TANTIVY_HEADING_BOOST = 2.0  # awssec counts a chunk's own title twice

OFF_TOPIC = (
    "What is the weather in Paris tomorrow?",
    "Who won the football world cup in 1998?",
    "Best recipe for chocolate chip cookies",
    "How tall is Mount Everest?",
    "Translate good morning into Japanese",
    "When does the next train to Berlin leave?",
)
QUESTION_TEMPLATES = ("What is {}?", "How does {} work?", "Explain {}", "Tell me about {}", "{}?", "{}")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Tantivy query-language characters, escaped with a backslash so questions are read as plain words.
_TANTIVY_SPECIAL = set("+-&|!(){}[]^\"~*?:\\/<>='`")


# --- measuring ------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB (``VmHWM``; ``ru_maxrss`` where absent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of non-empty ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def disk_size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _read_questions(path: Path) -> list[str]:
    return [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def _time_queries(questions: list[str], ask: Callable[[str], list[list]]) -> dict:
    """Answer every question once (after a short untimed warm-up); latencies in ms and cited hits."""
    for question in questions[:WARMUP_QUESTIONS]:
        ask(question)
    latencies: list[float] = []
    hits: list[list[list]] = []
    for question in questions:
        started = time.perf_counter()
        found = ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
        hits.append(found)
    warm: list[float] = []  # the same questions again: a process that has answered them before
    for question in questions:
        started = time.perf_counter()
        ask(question)
        warm.append((time.perf_counter() - started) * 1000)
    return {"latencies_ms": latencies, "warm_latencies_ms": warm, "hits": hits}


# --- workers: each runs in its own process --------------------------------------------------------


def _timed(module: object, name: str, totals: dict[str, float], bucket: str) -> None:
    """Wrap ``module.name`` so the seconds spent in it add up in ``totals[bucket]`` (if it exists)."""
    original = getattr(module, name, None)
    if original is None:
        return

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[bucket] = totals.get(bucket, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def worker_awssec_build(corpus: Path, workdir: Path, fix_typos: bool) -> dict:
    """Build and save the awssec index; export its chunks for tantivy and the question generator."""
    sys.path.insert(0, str(REPO))
    import indexer.build as build
    from indexer.build import save_index

    stages: dict[str, float] = {}
    _timed(build, "parse_blocks", stages, "parse")
    _timed(build, "chunk_blocks", stages, "chunk")
    _timed(build, "chunk_terms", stages, "terms")
    _timed(build, "corpus_hash", stages, "corpus hash")
    _timed(build, "build_corrector", stages, "typo model")
    _timed(build, "clean_text", stages, "typo fixing")
    started, cpu = time.perf_counter(), cpu_seconds()
    index = build.build_index([corpus], fix_typos=fix_typos)
    build_s, build_cpu_s = time.perf_counter() - started, cpu_seconds() - cpu
    index_path = workdir / "awssec-index.json.gz"
    started = time.perf_counter()
    save_index(index, index_path)
    save_s = time.perf_counter() - started
    result = {
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "save_s": save_s,
        "peak_mb": peak_rss_mb(),
        "size_bytes": disk_size(index_path),
        "stages_s": stages,
        "stats": index.stats,
        "typo_fixing": fix_typos,
    }
    with (workdir / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for chunk in index.chunks:
            row = [chunk.source, chunk.line_start, chunk.line_end, chunk.heading, chunk.text]
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return result


def worker_awssec_serve(workdir: Path, questions_path: Path) -> dict:
    """Load the saved index (what ``awssec ask`` and the bot pay at startup), then answer the questions."""
    sys.path.insert(0, str(REPO))
    from indexer.build import load_index
    from indexer.search.query import search

    started = time.perf_counter()
    index = load_index(workdir / "awssec-index.json.gz")
    index.warm()  # as the bot does when it loads an index: the first question waits for nothing
    load_s = time.perf_counter() - started

    def ask(question: str) -> list[list]:
        return [[h.source, h.line_start, h.line_end] for h in search(index, question, k=TOP_K).hits]

    return {"load_s": load_s, **_time_queries(_read_questions(questions_path), ask), "peak_mb": peak_rss_mb()}


def _tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("heading", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("line_start", stored=True)
    builder.add_integer_field("line_end", stored=True)
    return builder.build()


def worker_tantivy_build(workdir: Path) -> dict:
    """Index awssec's chunks (heading + text) with tantivy's English stemming tokenizer."""
    import tantivy

    rows = [json.loads(line) for line in (workdir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    index_dir = workdir / "tantivy"
    index_dir.mkdir()
    started, cpu = time.perf_counter(), cpu_seconds()
    index = tantivy.Index(_tantivy_schema(), path=str(index_dir))
    writer = index.writer()
    for source, line_start, line_end, heading, text in rows:
        writer.add_document(
            tantivy.Document(
                source=source, line_start=line_start, line_end=line_end, heading=heading, text=text
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    build_s, build_cpu_s = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "peak_mb": peak_rss_mb(),
        "size_bytes": disk_size(index_dir),
    }


def tantivy_query_text(question: str) -> str:
    """A question as plain tantivy query words: special characters escaped, operators (AND/OR) disarmed."""
    return "".join("\\" + c if c in _TANTIVY_SPECIAL else c for c in question.lower())


def worker_tantivy_serve(workdir: Path, questions_path: Path) -> dict:
    """Open the tantivy index, then parse and answer the questions, fetching each hit's stored fields."""
    import tantivy

    started = time.perf_counter()
    index = tantivy.Index.open(str(workdir / "tantivy"))
    index.reload()
    searcher = index.searcher()
    load_s = time.perf_counter() - started
    errors: list[str] = []

    def ask(question: str) -> list[list]:
        try:
            query = index.parse_query(
                tantivy_query_text(question),
                ["heading", "text"],
                field_boosts={"heading": TANTIVY_HEADING_BOOST},
            )
        except ValueError as exc:
            errors.append(f"{question!r}: {exc}")
            return []
        found = []
        for _score, address in searcher.search(query, limit=TOP_K, count=False).hits:
            doc = searcher.doc(address)
            found.append([doc["source"][0], doc["line_start"][0], doc["line_end"][0]])
        return found

    timed = _time_queries(_read_questions(questions_path), ask)
    return {
        "load_s": load_s,
        **timed,
        "peak_mb": peak_rss_mb(),
        "parse_errors": errors[:5],
        "parse_error_count": len(errors),
        "version": getattr(tantivy, "__version__", "?"),
    }


WORKERS = ("awssec-build", "awssec-serve", "tantivy-build", "tantivy-serve")


def run_worker(kind: str, args: argparse.Namespace) -> dict:
    workdir = Path(args.workdir)
    if kind == "awssec-build":
        return worker_awssec_build(Path(args.corpus[0]), workdir, not args.no_fix_typos)
    if kind == "awssec-serve":
        return worker_awssec_serve(workdir, workdir / "questions.jsonl")
    if kind == "tantivy-build":
        return worker_tantivy_build(workdir)
    return worker_tantivy_serve(workdir, workdir / "questions.jsonl")


def spawn(kind: str, corpus: Path, workdir: Path, fix_typos: bool) -> dict:
    """Run one worker in a fresh Python process; its JSON result, or ``{"error": ...}``."""
    out = workdir / f"{kind}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--corpus",
        str(corpus),
        "--workdir",
        str(workdir),
        "--worker-out",
        str(out),
    ]
    if not fix_typos:
        cmd.append("--no-fix-typos")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"error": f"{kind} failed (exit {proc.returncode}): " + " | ".join(tail)}
    return json.loads(out.read_text())


# --- questions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A benchmark question and the chunks it came from (empty when it has no known answer)."""

    text: str
    origins: tuple[tuple[str, int, int], ...]


def _typo(word: str, rng: random.Random) -> str:
    """One typing error: swapped, dropped or doubled letter (words of 5+ letters only)."""
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _fragment(text: str, rng: random.Random) -> list[str] | None:
    """A run of 4-9 words from one sentence of ``text``, with about one word in five dropped."""
    sentences = [s for s in _SENTENCE_END.split(text) if len(_WORD.findall(s)) >= 4]
    if not sentences:
        return None
    words = _WORD.findall(rng.choice(sentences))
    size = min(len(words), rng.randint(4, 9))
    start = rng.randrange(len(words) - size + 1)
    kept = [w for w in words[start : start + size] if rng.random() > 0.2]
    meaningful = sum(1 for w in kept if len(w) >= 4)
    return kept if len(kept) >= 3 and meaningful >= 2 else None


def make_questions(chunks: list[list], count: int, seed: int, eval_path: Path | None) -> list[Question]:
    """``count`` distinct questions drawn from the chunks (heading, fragment and typo questions), the eval
    questions and a few off-topic ones; the same seed and chunks always give the same questions."""
    rng = random.Random(seed)
    spans_by_heading: dict[str, list[tuple[str, int, int]]] = {}
    for source, start, end, heading, _text in chunks:
        spans_by_heading.setdefault(heading.split(" › ")[-1], []).append((source, start, end))
    questions: dict[str, Question] = {}

    def add(text: str, origins: Sequence[tuple[str, int, int]]) -> None:
        text = " ".join(text.split())
        if text and text not in questions and len(questions) < count:
            questions[text] = Question(text, tuple(origins))

    if eval_path is not None and eval_path.is_file():
        for line in eval_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                add(row["q"], [tuple(g) for g in row.get("gold", [])])
    for text in OFF_TOPIC:
        add(text, ())
    attempts = 0
    while len(questions) < count and chunks and attempts < count * 50:
        attempts += 1
        source, start, end, heading, text = rng.choice(chunks)
        kind = rng.random()
        if kind < 0.35:
            title = heading.split(" › ")[-1]
            if len(_WORD.findall(title)) < 2:
                continue
            add(rng.choice(QUESTION_TEMPLATES).format(title), spans_by_heading[title])
            continue
        words = _fragment(text, rng)
        if words is None:
            continue
        if kind >= 0.75:
            for _ in range(rng.randint(1, 2)):
                i = rng.randrange(len(words))
                words[i] = _typo(words[i], rng)
        add(" ".join(words), [(source, start, end)])
    return list(questions.values())


# --- the report -----------------------------------------------------------------------------------


def _cites_origin(hits: list[list], origins: tuple[tuple[str, int, int], ...]) -> bool:
    return any(
        src == o_src and start <= o_end and o_start <= end
        for src, start, end in hits
        for o_src, o_start, o_end in origins
    )


@dataclass(frozen=True)
class EngineResult:
    """What one engine measured on one corpus."""

    build_s: float
    build_cpu_s: float
    size_mb: float
    load_s: float
    p50_ms: float
    p99_ms: float
    warm_p99_ms: float
    mean_ms: float
    peak_build_mb: float
    peak_serve_mb: float
    answered: float
    origin_top3: float


def summarize(build: dict, serve: dict, questions: list[Question]) -> EngineResult:
    latencies = serve["latencies_ms"]
    with_origin = [(q, h) for q, h in zip(questions, serve["hits"], strict=True) if q.origins]
    return EngineResult(
        build_s=build["build_s"],
        build_cpu_s=build["build_cpu_s"],
        size_mb=build["size_bytes"] / 2**20,
        load_s=serve["load_s"],
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        warm_p99_ms=percentile(serve["warm_latencies_ms"], 0.99),
        mean_ms=sum(latencies) / len(latencies),
        peak_build_mb=build["peak_mb"],
        peak_serve_mb=serve["peak_mb"],
        answered=sum(1 for h in serve["hits"] if h) / len(questions),
        origin_top3=sum(_cites_origin(h, q.origins) for q, h in with_origin) / max(len(with_origin), 1),
    )


ROWS = (
    ("index build (s)", "build_s", "{:.2f}", TARGET_BUILD_S, "≤ 30 s"),
    ("index build, CPU time (s)", "build_cpu_s", "{:.2f}", None, ""),
    ("index on disk (MB)", "size_mb", "{:.2f}", None, ""),
    ("index load, fresh process (s)", "load_s", "{:.3f}", None, ""),
    ("query p50 (ms)", "p50_ms", "{:.2f}", None, ""),
    ("query p99 (ms)", "p99_ms", "{:.2f}", TARGET_P99_MS, "≤ 50 ms"),
    ("query p99, warm process (ms)", "warm_p99_ms", "{:.2f}", TARGET_WARM_P99_MS, "≤ 5 ms"),
    ("query mean (ms)", "mean_ms", "{:.2f}", None, ""),
    ("peak RSS, build (MB)", "peak_build_mb", "{:.0f}", TARGET_PEAK_MB, "≤ 1024 MB"),
    ("peak RSS, serve (MB)", "peak_serve_mb", "{:.0f}", TARGET_PEAK_MB, "≤ 1024 MB"),
    ("questions answered (%)", "answered", "{:.0%}", None, ""),
    ("source chunk in top 3 (%)", "origin_top3", "{:.0%}", None, ""),
)


def format_ratio(ratio: float) -> str:
    """``2.5×`` or, from 100 on, ``1250×``."""
    return f"{ratio:.0f}×" if ratio >= 100 else f"{ratio:.1f}×"


def format_table(ours: EngineResult, theirs: EngineResult | None) -> str:
    """The markdown table: one row per measure, awssec and tantivy side by side, ratio and target."""
    lines = ["| measure | awssec | tantivy | awssec/tantivy | target |", "| --- | ---: | ---: | ---: | --- |"]
    for label, attr, fmt, limit, target in ROWS:
        mine = getattr(ours, attr)
        other = getattr(theirs, attr) if theirs else None
        ratio = ""
        if "%" not in fmt:
            ratio = "–" if not other else format_ratio(mine / other)
        verdict = f"{target} {'✅' if mine <= limit else '❌'}" if limit is not None else ""
        other_text = fmt.format(other) if other is not None else "–"
        lines.append(f"| {label} | {fmt.format(mine)} | {other_text} | {ratio} | {verdict} |")
    return "\n".join(lines)


def bench_corpus(corpus: Path, args: argparse.Namespace) -> tuple[str, bool]:
    """Measure one corpus; its markdown section and whether awssec met every target."""
    fix_typos = not args.no_fix_typos
    with tempfile.TemporaryDirectory(prefix="awssec-bench-") as tmp:
        workdir = Path(tmp)
        print(f"[{corpus.name}] building the awssec index…", file=sys.stderr)
        ours_build = spawn("awssec-build", corpus, workdir, fix_typos)
        if "error" in ours_build:
            return f"### {corpus}\n\n{ours_build['error']}\n", False
        chunks = [json.loads(line) for line in (workdir / "chunks.jsonl").read_text().splitlines()]
        questions = make_questions(chunks, args.queries, args.seed, EVAL_QUESTIONS)
        with (workdir / "questions.jsonl").open("w", encoding="utf-8") as fh:
            for q in questions:
                fh.write(json.dumps({"q": q.text}, ensure_ascii=False) + "\n")
        print(f"[{corpus.name}] {len(questions)} questions; awssec answering…", file=sys.stderr)
        ours_serve = spawn("awssec-serve", corpus, workdir, fix_typos)
        if "error" in ours_serve:
            return f"### {corpus}\n\n{ours_serve['error']}\n", False
        ours = summarize(ours_build, ours_serve, questions)
        theirs = None
        notes: list[str] = []
        if not args.no_tantivy:
            print(f"[{corpus.name}] tantivy building and answering…", file=sys.stderr)
            their_build = spawn("tantivy-build", corpus, workdir, fix_typos)
            their_serve = (
                spawn("tantivy-serve", corpus, workdir, fix_typos) if "error" not in their_build else {}
            )
            failed = their_build.get("error") or their_serve.get("error")
            if failed:
                notes.append(f"tantivy: {failed}")
            else:
                theirs = summarize(their_build, their_serve, questions)
                notes.append(
                    f"{their_serve['version']}; query parse errors: {their_serve['parse_error_count']}"
                )
    stats = ours_build["stats"]
    stages = ", ".join(f"{name} {secs:.2f} s" for name, secs in ours_build["stages_s"].items())
    typo_state = "on" if ours_build["typo_fixing"] else "off (--no-fix-typos)"
    with_origin = sum(1 for q in questions if q.origins)
    header = (
        f"### {corpus.name}: {stats['files']} files, {stats['chunks']} chunks, {len(questions)} questions\n\n"
        f"Typo fixing {typo_state}. awssec build stages: {stages}; save {ours_build['save_s']:.2f} s. "
        f"Top {TOP_K} hits per question; 'source chunk in top 3' counts the {with_origin} questions "
        "with a known source."
    )
    if not args.no_tantivy:
        notes.insert(0, "tantivy indexes awssec's chunks, so its build excludes parsing the markdown")
        header += " " + "; ".join(notes) + "."
    met = (
        ours.build_s <= TARGET_BUILD_S
        and ours.p99_ms <= TARGET_P99_MS
        and max(ours.peak_build_mb, ours.peak_serve_mb) <= TARGET_PEAK_MB
    )
    footer = ""
    if ours.build_s > TARGET_BUILD_S >= ours.build_cpu_s:
        footer = (
            f"\nThe build took {ours.build_s:.0f} s of wall clock but {ours.build_cpu_s:.0f} s of CPU: "
            "it runs on one core, so on an idle machine it takes about its CPU time; "
            "other processes slowed it here.\n"
        )
    return f"{header}\n\n{format_table(ours, theirs)}\n{footer}", met


def machine_line() -> str:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {int(line.split()[1]) / 2**20:.0f} GB RAM"
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs{mem}, {platform.machine()}; "
        f"load average {load:.1f} at the start (other processes slow the wall-clock figures)."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench_search.py",
        description="Measure awssec's search against tantivy on the bundled notes and the AWS docs corpus.",
    )
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="DIR",
        help="corpus folder to measure (repeatable; default: corpus/ and ../shared/bench/awsdocs)",
    )
    parser.add_argument(
        "--queries", type=int, default=300, metavar="N", help="questions per corpus (default 300)"
    )
    parser.add_argument("--seed", type=int, default=11, help="seed of the question generator (default 11)")
    parser.add_argument("--no-tantivy", action="store_true", help="measure awssec only")
    parser.add_argument(
        "--no-fix-typos", action="store_true", help="build the awssec index without typo fixing"
    )
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker:
        result = run_worker(args.worker, args)
        Path(args.worker_out).write_text(json.dumps(result))
        return 0
    if args.queries < 10:
        print("bench_search.py: --queries must be at least 10", file=sys.stderr)
        return 2
    if not args.no_tantivy:
        try:
            import tantivy  # noqa: F401
        except ModuleNotFoundError:
            print(
                "bench_search.py: tantivy is not installed: pip install -e '.[bench]' (or use --no-tantivy)",
                file=sys.stderr,
            )
            return 2
    skipped = ""
    if args.corpus:
        corpora = [Path(c) for c in args.corpus]
        missing = [str(c) for c in corpora if not c.is_dir()]
        if missing:
            print(f"bench_search.py: no such corpus folder: {', '.join(missing)}", file=sys.stderr)
            return 2
    else:
        corpora = [BUNDLED_CORPUS]
        if LARGE_CORPUS.is_dir():
            corpora.append(LARGE_CORPUS)
        else:
            skipped = f"The large corpus {LARGE_CORPUS.resolve()} is absent: skipped; measured corpus/ only."
            print(skipped, file=sys.stderr)
    sections = []
    all_met = True
    for corpus in corpora:
        section, met = bench_corpus(corpus.resolve(), args)
        sections.append(section)
        all_met = all_met and met
    print(f"## Search benchmark\n\n{machine_line()}\n")
    if skipped:
        print(f"**{skipped}**\n")
    print("\n".join(sections))
    print(
        f"awssec {'meets' if all_met else 'MISSES'} its targets (build ≤ {TARGET_BUILD_S:.0f} s, "
        f"p99 ≤ {TARGET_P99_MS:.0f} ms, peak RSS ≤ {TARGET_PEAK_MB:.0f} MB)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
