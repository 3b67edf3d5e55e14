"""A tiny health endpoint (GET /healthz) for Socket Mode, where there is no web server otherwise, and the
probe of Docker's HEALTHCHECK (``python -m bot.slack.health``), which finds the port through the run
directory."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..config.settings import Settings

logger = logging.getLogger("awssec.health")

HealthCheck = Callable[[], tuple[bool, dict[str, Any]]]
"""Returns (healthy, details); unhealthy is reported as HTTP 503."""


class HealthServer:
    """Serves ``GET /healthz`` (and ``/``) on ``host:port`` from a daemon thread."""

    def __init__(self, host: str, port: int, check: HealthCheck) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.split("?")[0] not in ("/healthz", "/"):
                    self._send(404, {"error": "not found"})
                    return
                healthy, details = check()
                self._send(200 if healthy else 503, details)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="awssec-health",
            daemon=True,
        )

    def start(self) -> HealthServer:
        if not self._thread.is_alive():
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()


PORTS_FILENAME = "ports.json"
"""In the run directory: where the serving process listens, for the health check to probe."""


@dataclass(frozen=True)
class Listening:
    """An address the bot serves GET /healthz on, as ``awssec serve`` bound it."""

    host: str
    port: int

    def probe_host(self) -> str:
        """The address to probe: loopback for a wildcard bind."""
        if self.host in ("", "0.0.0.0", "*"):
            return "127.0.0.1"
        if self.host == "::":
            return "::1"
        return self.host


def record_listening(run_dir: Path, addresses: list[Listening]) -> Path:
    """Write ``run_dir/ports.json`` (atomically, with this process's pid); raises OSError."""
    run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = run_dir / PORTS_FILENAME
    data = {"pid": os.getpid(), "listening": [{"host": a.host, "port": a.port} for a in addresses]}
    partial = path.with_name(f".{PORTS_FILENAME}.{os.getpid()}")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)
    return path


def forget_listening(run_dir: Path) -> None:
    """Remove ``ports.json`` if this process wrote it (a newer process's file stays)."""
    path = run_dir / PORTS_FILENAME
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def recorded_listening(run_dir: Path) -> list[Listening]:
    """The addresses in ``ports.json``; none if it is missing or unreadable."""
    try:
        data = json.loads((run_dir / PORTS_FILENAME).read_text(encoding="utf-8"))
        return [Listening(str(a["host"]), int(a["port"])) for a in data["listening"]]
    except (OSError, ValueError, TypeError, KeyError):
        return []


@contextmanager
def listening(run_dir: Path, addresses: list[Listening]) -> Iterator[None]:
    """Record ``addresses`` in the run directory while the block runs (a warning if it cannot be written:
    the health check then probes the ports of the environment)."""
    try:
        path = record_listening(run_dir, addresses)
        logger.debug("listening ports recorded in %s", path)
    except OSError as err:
        logger.warning(
            "cannot record the listening ports in %s (%s): the health check will probe AWSSEC_PORT and "
            "AWSSEC_HEALTH_PORT instead (set AWSSEC_RUN_DIR to a writable folder)",
            run_dir,
            err,
        )
    try:
        yield
    finally:
        forget_listening(run_dir)


def probe(addresses: list[Listening], timeout: float = 3.0) -> bool:
    """True if GET /healthz answers 200 at any of ``addresses``."""
    for address in dict.fromkeys(addresses):
        host = address.probe_host()
        url = (
            f"http://[{host}]:{address.port}/healthz"
            if ":" in host
            else f"http://{host}:{address.port}/healthz"
        )
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if response.status == 200:
                    return True
        except (OSError, ValueError):
            continue
    return False


def main(settings: Settings) -> int:
    """Docker's HEALTHCHECK: 0 if the bot answers /healthz where ``awssec serve`` recorded that it listens
    (else on AWSSEC_HEALTH_PORT or AWSSEC_PORT, the default for a malformed one), 1 if not."""
    addresses = recorded_listening(settings.run_dir)
    addresses += [Listening("127.0.0.1", port) for port in (settings.health_port, settings.port)]
    return 0 if probe(addresses) else 1


if __name__ == "__main__":
    sys.exit(main(Settings.from_env()))
