"""Fuzz the bot's HTTP endpoint: thousands of hostile requests against `awssec serve --http`.

    python bench/fuzz_http.py [--count 10530] [--seed 8]

Starts a fake Slack on 127.0.0.1, runs `awssec serve --http` as a child process pointed at it, and sends
the requests of tests/httpfuzz.py (random bytes, deep nesting, huge numbers, wrong content types, Slack's
payloads in wrong shapes, slash-command forms with fields missing, bad, missing or repeated headers, stale
timestamps, valid signatures on garbage): first the unsigned ones, then the signed ones. It prints the
statuses by kind of request and fails (exit 1) on any 5xx, any unsigned request not answered 401, any
Web API call or response_url post caused by an unsigned request, and any traceback in the bot's log.
Traffic goes to 127.0.0.1 only; the run is bounded by --count and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import httpfuzz  # noqa: E402
from fakeslack import FakeSlack, dm_event, event_callback  # noqa: E402

from indexer.build import build_index, save_index  # noqa: E402

SECRET = "fuzz-signing-secret-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the bot never became healthy")


def barrier(fake: FakeSlack, sender: httpfuzz.Sender, channel: str) -> None:
    """A signed DM the bot must answer: what was sent before it has been picked up once it is."""
    body = json.dumps(event_callback(dm_event("what is kms", channel=channel))).encode()
    status = sender.send(httpfuzz.FuzzRequest("barrier", body, httpfuzz.JSON, httpfuzz.Signing.SIGNED)).status
    assert status == 200, status
    fake.wait_for(lambda f: [c for c in f.api_calls("chat.postMessage") if c.body["channel"] == channel], 30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_530, help="requests to send (default 10,530)")
    parser.add_argument("--seed", type=int, default=8, help="the generator's seed (default 8)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="awssec-fuzz-"))
    index = work / "index.json.gz"
    save_index(build_index([REPO / "corpus"]), index)
    problems: list[str] = []
    with FakeSlack() as fake:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWSSEC_"))}
        env.update(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.api_url,
            AWSSEC_DATA_DIR=str(work / "data"),
            AWSSEC_RUN_DIR=str(work / "run"),
            AWSSEC_INDEX=str(index),
        )
        log_path = work / "serve.log"
        with open(log_path, "w") as log:
            bot = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot.cli",
                    "serve",
                    "--http",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_healthy(port)
            requests = list(httpfuzz.requests(args.seed, args.count, fake.response_url("fuzz")))
            sender = httpfuzz.Sender(port, SECRET)
            started = time.perf_counter()
            unsigned = [sender.send(r) for r in requests if not r.signed]
            barrier(fake, sender, "DUNSIGNED")
            effects = [
                c for c in fake.calls if c.name != "auth.test" and c.body.get("channel") != "DUNSIGNED"
            ]
            signed = [sender.send(r) for r in requests if r.signed]
            elapsed = time.perf_counter() - started
            barrier(fake, sender, "DSIGNED")
            sender.close()
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=30)
    text = log_path.read_text(errors="replace")

    print(
        f"{len(requests):,} requests in {elapsed:.1f} s ({len(requests) / elapsed:,.0f}/s), seed {args.seed}"
    )
    print("\nunsigned (every one must get 401):")
    for (signing, status), n in sorted(Counter((str(o.request.signing), o.status) for o in unsigned).items()):
        print(f"  {n:6,}  {status}  {signing}")
    print("\nsigned (never a 5xx):")
    for (kind, status), n in sorted(Counter((o.request.kind, o.status) for o in signed).items()):
        print(f"  {n:6,}  {status}  {kind}")
    refused = Counter(
        line.split("payload: ", 1)[1][:70] for line in text.splitlines() if "not a Slack payload" in line
    )
    print("\nthe commonest reasons for a 400:")
    for reason, n in refused.most_common(8):
        print(f"  {n:6,}  {reason}")

    wrong = [o for o in unsigned if o.status != 401]
    if wrong:
        problems.append(f"{len(wrong)} unsigned requests not answered 401, e.g. {wrong[0].request}")
    if effects:
        problems.append(f"{len(effects)} Slack calls after the unsigned requests, e.g. {effects[0].name}")
    errors = [o for o in signed if o.status >= 500]
    if errors:
        problems.append(f"{len(errors)} signed requests got a 5xx, e.g. {errors[0].request}")
    if "Traceback" in text:
        problems.append(f"a traceback in the bot's log ({log_path})")
    if bot.returncode != 0:
        problems.append(f"the bot exited with {bot.returncode} ({log_path})")
    print()
    for problem in problems:
        print("FAIL:", problem)
    print("FAIL" if problems else "OK: no 5xx, every unsigned request 401 and without effect, no traceback")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
