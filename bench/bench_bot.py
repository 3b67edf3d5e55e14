"""Bot latency and memory: concurrent /awssec commands against the real bot process and a local fake Slack.

    python bench/bench_bot.py [--mode http|socket] [--concurrency 20] [--rounds 15] [--burst MB]

Starts a fake Slack (Web API + response_urls; for Socket Mode also the WebSocket endpoint) on 127.0.0.1,
runs `awssec serve` as a child process pointed at it (SLACK_API_URL), sends rounds of N simultaneous
slash commands, and prints:
  ack     — HTTP mode: until the 200 for the signed request; Socket Mode: until the envelope's ack;
  answer  — until the answer's response_url POST reaches the fake Slack;
  memory  — the bot process's resident set (current and peak) after the load.
Targets (issue #4): ack p99 <= 100 ms, answer p99 <= 300 ms with 20 concurrent commands; RSS <= 150 MB.
With --burst MB (Socket Mode), about MB megabytes of large and malformed frames (not JSON, binary, deeply
nested, JSON arrays, envelopes with a payload of the wrong type) are sent first, and the memory after the
burst is printed; the rounds that follow show that later envelopes are still acked and answered (issue #8).
Traffic goes to 127.0.0.1 only; the run is bounded by --rounds and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from fakeslack import FakeSlack, FakeSocketMode, slash_command  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

SECRET = "bench-signing-secret-0123456789"
QUESTIONS = [
    "what is sse-c",
    "how does kms envelope encryption work",
    "what is guardduty",
    "s3 bucket policy",
    "cloudhsm vs kms",
    "how do I rotate kms keys",
    "what is macie",
    "waf rate based rules",
    "secrets manager rotation",
    "cross account snapshot copy",
    "what is shield advanced",
    "ssm parameter store",
    "inspector",
    "acm certificates",
    "cognito user pools",
    "iam permission boundaries",
    "cloudtrail log integrity",
    "s3 object lock",
    "vpc flow logs",
    "security hub",
]
TARGET_ACK_MS = 100
TARGET_ANSWER_MS = 300
TARGET_RSS_MB = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the bot exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the bot did not become healthy")


def _serve_fake_slack(conn: Connection) -> None:
    """Child process: the fake Slack, answering the bench's questions over ``conn``."""
    fake = FakeSlack().start()
    conn.send((fake.api_url, fake.port, fake.bot_token, fake.app_token))
    while True:
        command, argument = conn.recv()
        if command == "socket_url":
            fake.socket_url = argument
            conn.send(None)
        elif command == "responses":
            conn.send([(c.name, c.at) for c in fake.responses()])
        else:
            fake.stop()
            conn.send(None)
            return


class FakeSlackProcess:
    """The fake Slack in a process of its own, so that the load generator's threads and the fake's
    threads do not share one GIL (that would add their waiting to the bot's measured latency).
    Arrival times are CLOCK_MONOTONIC, the same clock in every process."""

    def __init__(self) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=_serve_fake_slack, args=(child,))
        self._process.start()
        self.api_url, self.port, self.bot_token, self.app_token = self._conn.recv()
        self._lock = threading.Lock()

    def _ask(self, command: str, argument: object = None) -> object:
        with self._lock:
            self._conn.send((command, argument))
            return self._conn.recv()

    def set_socket_url(self, url: str) -> None:
        self._ask("socket_url", url)

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def arrivals(self, names: set[str], timeout: float = 30) -> dict[str, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            arrived = {name: at for name, at in self._ask("responses") if name in names}  # type: ignore[union-attr]
            if len(arrived) == len(names):
                return arrived
            time.sleep(0.02)
        raise SystemExit(f"only {len(arrived)} of {len(names)} answers arrived")

    def stop(self) -> None:
        self._ask("stop")
        self._process.join(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("http", "socket"), default="http")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2, help="rounds not counted (default 2)")
    parser.add_argument("--burst", type=int, default=0, help="Socket Mode: MB of bad frames sent first")
    args = parser.parse_args(argv)
    if args.burst and args.mode != "socket":
        parser.error("--burst is for --mode socket")

    fake = FakeSlackProcess()
    sock = FakeSocketMode().start() if args.mode == "socket" else None
    if sock:
        fake.set_socket_url(sock.url)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="awssec-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWSSEC_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_API_URL": fake.api_url,
            "AWSSEC_DATA_DIR": str(workdir),
            "AWSSEC_LOG_LEVEL": "WARNING",
        }
    )
    command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
    if args.mode == "http":
        env["SLACK_SIGNING_SECRET"] = SECRET
        command += ["--http", "--port", str(port)]
    else:
        env["SLACK_APP_TOKEN"] = fake.app_token
        command += ["--health-port", str(port)]
    log = open(workdir / "bot.log", "w")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(port, process)
        if sock:
            sock.wait_connected(timeout=60)
        idle = memory_kb(process.pid)
        if sock and args.burst:
            frames = send_burst(sock, args.burst)
            time.sleep(2)  # let the bot work through them before the rounds
            burst = memory_kb(process.pid)
            print(
                f"burst   {frames} large or malformed frames ({args.burst} MB): RSS"
                f" {idle.get('VmRSS', 0) / 1024:.0f} MB before, {burst.get('VmRSS', 0) / 1024:.0f} MB after"
            )
        acks, answers = run(args, fake, sock, port)
        memory = memory_kb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        fake.stop()
        if sock:
            sock.stop()

    ack_p99, answer_p99 = percentile(acks, 99), percentile(answers, 99)
    rss_mb, peak_mb = memory.get("VmRSS", 0) / 1024, memory.get("VmHWM", 0) / 1024
    print(f"mode {args.mode}: {len(acks)} slash commands, {args.concurrency} at a time, {args.rounds} rounds")
    print(
        f"ack     p50 {percentile(acks, 50):6.1f} ms   p99 {ack_p99:6.1f} ms   max {max(acks):6.1f} ms"
        f"   target p99 <= {TARGET_ACK_MS} ms: {'ok' if ack_p99 <= TARGET_ACK_MS else 'MISSED'}"
    )
    print(
        f"answer  p50 {percentile(answers, 50):6.1f} ms   p99 {answer_p99:6.1f} ms"
        f"   max {max(answers):6.1f} ms"
        f"   target p99 <= {TARGET_ANSWER_MS} ms: {'ok' if answer_p99 <= TARGET_ANSWER_MS else 'MISSED'}"
    )
    print(
        f"memory  RSS {idle.get('VmRSS', 0) / 1024:.0f} MB before the load, {rss_mb:.0f} MB after,"
        f" peak {peak_mb:.0f} MB"
        f"   target <= {TARGET_RSS_MB} MB: {'ok' if peak_mb <= TARGET_RSS_MB else 'MISSED'}"
    )
    return 0


def send_burst(sock: FakeSocketMode, megabytes: int) -> int:
    """About ``megabytes`` MB of frames the bot must drop: returns how many were sent."""
    mb = 1_000_000
    kinds = [
        lambda i: "{" + "x" * mb,  # not JSON
        lambda i: os.urandom(mb // 2),  # binary
        lambda i: "[" * (mb // 4) + "]" * (mb // 4),  # nested too deeply
        lambda i: json.dumps([{"envelope_id": f"e{i}"}] * (mb // 25)),  # a JSON array
        lambda i: json.dumps({"envelope_id": f"burst-{i}", "type": "events_api", "payload": ["x" * mb]}),
    ]
    sent = size = 0
    while size < megabytes * mb:
        frame = kinds[sent % len(kinds)](sent)
        sock.send_raw(frame)
        sent, size = sent + 1, size + len(frame)
    return sent


def run(
    args: argparse.Namespace, fake: FakeSlack, sock: FakeSocketMode | None, port: int
) -> tuple[list[float], list[float]]:
    verifier = SignatureVerifier(SECRET)
    acks: list[float] = []
    answers: list[float] = []
    for round_number in range(args.warmup + args.rounds):
        barrier = threading.Barrier(args.concurrency)
        sent: dict[str, float] = {}
        acked: dict[str, float] = {}
        lock = threading.Lock()

        def one(
            i: int,
            round_number: int = round_number,
            barrier: threading.Barrier = barrier,
            sent: dict[str, float] = sent,
            acked: dict[str, float] = acked,
            lock: threading.Lock = lock,
        ) -> None:
            name = f"b{round_number}-{i}"
            fields = slash_command(
                QUESTIONS[i % len(QUESTIONS)], response_url=fake.response_url(name), user_id=f"U{i:04d}"
            )
            if sock is None:
                body = urllib.parse.urlencode(fields)
                ts = str(int(time.time()))
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/slack/events",
                    data=body.encode(),
                    method="POST",
                    headers={
                        "X-Slack-Request-Timestamp": ts,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body),
                    },
                )
            barrier.wait()
            if sock is None:
                start = time.monotonic()
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                done = time.monotonic()
            else:
                start = time.monotonic()
                envelope_id = sock.send_envelope("slash_commands", fields)
                sock.wait_for_ack(envelope_id, timeout=10)
                done = time.monotonic()
            with lock:
                sent[name] = start
                acked[name] = done - start

        threads = [threading.Thread(target=one, args=(i,)) for i in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        names = set(sent)
        arrived = fake.arrivals(names)
        if round_number < args.warmup:
            continue
        acks += [acked[n] * 1000 for n in names]
        answers += [(arrived[n] - sent[n]) * 1000 for n in names]
    return acks, answers


if __name__ == "__main__":
    sys.exit(main())
