"""A cuttable TCP link to the real PostgreSQL, for tests of the bot with its database gone and back."""

from __future__ import annotations

import socket
import threading

from sqlalchemy.engine import make_url

from bot.config.settings import normalize_database_url


class DatabaseLink:
    """A TCP proxy on 127.0.0.1 in front of PostgreSQL. ``cut()``: the database is gone (open connections
    dropped, new ones closed at once, as when its server stops); ``restore()``: it is back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._up = True
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="db-link", daemon=True).start()

    def url(self, database_url: str) -> str:
        """``database_url`` (PostgreSQL) going through this link."""
        url = make_url(normalize_database_url(database_url)).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def cut(self) -> None:
        with self._lock:
            self._up = False
            sockets, self._open = self._open, set()
        for sock in sockets:
            _close(sock)

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def close(self) -> None:
        self.cut()
        self.server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with self._lock:
                if not self._up:
                    _close(client)
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                    upstream.settimeout(None)
                except OSError:
                    _close(client)
                    continue
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
