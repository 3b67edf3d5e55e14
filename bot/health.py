"""A tiny health endpoint (GET /healthz) for Socket Mode, where there is no web server otherwise."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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


def probe(ports: list[int], host: str = "127.0.0.1", timeout: float = 3.0) -> bool:
    """True if GET /healthz answers 200 on any of ``ports`` (Docker's HEALTHCHECK)."""
    import urllib.request

    for port in dict.fromkeys(ports):
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=timeout) as response:
                if response.status == 200:
                    return True
        except OSError:
            continue
    return False


if __name__ == "__main__":
    import os
    import sys

    ports = [int(os.environ.get(name) or 3000) for name in ("AWSSEC_HEALTH_PORT", "AWSSEC_PORT")]
    sys.exit(0 if probe(ports) else 1)
