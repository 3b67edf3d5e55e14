"""``awssec serve``: the Slack bot, in Socket Mode or (``--http``) HTTP mode (``register(subparsers)``)."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

from ..config.logs import configure_logging
from ..config.settings import MAX_PORT, Settings, SettingsError, port_number

if TYPE_CHECKING:
    from ..runtime import Runtime

logger = logging.getLogger("awssec.serve")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the Slack bot (Socket Mode when SLACK_APP_TOKEN is set, or --http)",
        description=(
            "Run the Slack bot. Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); HTTP mode "
            "with --http, or when only SLACK_SIGNING_SECRET is set: Slack's requests at /slack/events. "
            "Both report health at GET /healthz."
        ),
    )
    serve.add_argument("--http", action="store_true", help="HTTP mode instead of Socket Mode")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    serve.add_argument("--port", type=port_argument, help="HTTP mode port (default AWSSEC_PORT, else 3000)")
    serve.add_argument(
        "--health-port",
        type=port_argument,
        help="Socket Mode health port (default AWSSEC_HEALTH_PORT, else 3000)",
    )
    serve.add_argument(
        "--threads", type=thread_count, default=24, help=f"HTTP worker threads, 1-{MAX_THREADS} (default 24)"
    )
    serve.set_defaults(func=cmd_serve)


MAX_THREADS = 256


def port_argument(text: str) -> int:
    """``--port 3000``; refused with a message for anything but a port number (0 picks a free one)."""
    port = port_number(text)
    if port is None:
        raise argparse.ArgumentTypeError(f"must be a port number (0-{MAX_PORT}), got {text!r}")
    return port


def thread_count(text: str) -> int:
    """``--threads 24``: at least one thread must answer requests."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_THREADS:
        raise argparse.ArgumentTypeError(f"must be a number of threads (1-{MAX_THREADS}), got {text!r}")
    return count


class CannotListen(Exception):
    """The address to listen on is taken, unknown or not allowed; the message says which and why."""


def _cannot_listen(host: str, port: int, err: Exception) -> CannotListen:
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return CannotListen(f"cannot listen on {host}:{port} ({reason}): choose another --host or port")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    try:
        settings.require_bot_token()
        settings.check()  # a bad AWSSEC_QUIZ_TIME etc. stops the start, with the variable named
        args.http = args.http or (not settings.app_token and bool(settings.signing_secret))
        if args.http:
            settings.require_http()
        else:
            settings.require_socket_mode()
    except SettingsError as err:
        print(f"awssec serve: {err}", file=sys.stderr)
        return 2
    problem = _data_dir_problem(settings)
    if problem:
        print(f"awssec serve: {problem}", file=sys.stderr)
        return 2

    configure_logging(settings.log_level, settings.secrets())
    if not settings.malloc_arena_max:
        _limit_malloc_arenas()
    # Acks are tiny; with answers busy on other threads, a shorter GIL switch interval lets an ack
    # thread in sooner (the default is 5 ms).
    sys.setswitchinterval(0.001)
    return _serve(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from ..runtime import StoreUnavailable, build

    try:
        runtime = build(settings)
    except StoreUnavailable as err:
        print(f"awssec serve: {err}", file=sys.stderr)
        return 1
    pruned = runtime.store.prune_events()
    if pruned:
        logger.info("forgot %d handled events older than a week", pruned)
    # The index and the libraries are tens of thousands of long-lived objects: a full garbage
    # collection walking them takes ~50 ms, a pause that lands on whichever ack is in flight.
    # Freeze them out of the collector's view once everything is loaded.
    gc.collect()
    gc.freeze()
    runtime.start_scheduler()  # posts, counts and reveals the daily quiz
    _exit_on_sigterm()
    try:
        if args.http:
            return _serve_http(runtime, args.host, args.port or settings.port, args.threads)
        return _serve_socket_mode(runtime, args.host, args.health_port or settings.health_port)
    except CannotListen as err:
        logger.error("%s", err)  # one line, no traceback: the log is on standard error
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        runtime.close()


def _serve_http(runtime: Runtime, host: str, port: int, threads: int) -> int:
    from ..slack.health import Listening, listening
    from ..slack.http_mode import EVENTS_PATH, SlackWsgiApp, create_http_server

    wsgi_app = SlackWsgiApp(
        runtime.app,
        signing_secret=runtime.settings.signing_secret,
        ack_first=runtime.workers.ack_first,
        index=runtime.index.current,
    )
    try:
        server = create_http_server(wsgi_app, host, port, threads)
    except (OSError, ValueError, OverflowError) as err:  # taken, an unknown host, out of range
        raise _cannot_listen(host, port, err) from err
    logger.info(
        "HTTP mode: listening on http://%s:%s%s (health: /healthz)", host, server.effective_port, EVENTS_PATH
    )
    try:
        with listening(runtime.settings.run_dir, [Listening(host, server.effective_port)]):
            server.run()
    except SystemExit:
        pass
    finally:
        server.close()
    return 0


def _serve_socket_mode(runtime: Runtime, host: str, health_port: int) -> int:
    from ..slack.health import Listening, listening
    from ..slack.socket_mode import SocketModeRunner, SocketModeStartError

    try:
        runner = SocketModeRunner(
            runtime.app,
            runtime.settings.app_token,
            ack_first=runtime.workers.ack_first,
            health_host=host,
            health_port=health_port,
        )
    except (OSError, ValueError, OverflowError) as err:  # the health port taken, an unknown host
        raise _cannot_listen(host, health_port, err) from err
    addresses = [Listening(host, runner.health.port)] if runner.health is not None else []
    stop = threading.Event()
    try:
        with listening(runtime.settings.run_dir, addresses):
            runner.start()
            stop.wait()
    except SocketModeStartError as err:
        logger.error("%s", err)
        return 1
    except SystemExit:
        pass
    finally:
        runner.stop()
    return 0


def _data_dir_problem(settings: Settings) -> str:
    """Why the data directory cannot hold the index or the store the settings put there ("" if it can)."""
    directory = settings.data_dir
    uses_it = settings.index_path.is_relative_to(directory) or settings.database_url.startswith(
        f"sqlite:///{directory}"
    )
    if not uses_it:
        return ""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = err.strerror or str(err)
    else:
        if os.access(directory, os.W_OK | os.X_OK):
            return ""
        reason = "not writable"
    named = "AWSSEC_DATA_DIR" if settings.data_dir_is_set else "the data directory"
    return f"cannot use {named} {directory} ({reason}): set AWSSEC_DATA_DIR to a folder the bot can write"


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives busy threads arenas of their own (up to 8 per core), which roughly doubles the bot's
    memory under load for no speed it needs; cap them as MALLOC_ARENA_MAX would (no-op off glibc)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_arena_max = -8
        libc.mallopt(m_arena_max, arenas)
    except (OSError, AttributeError):
        pass


def _exit_on_sigterm() -> None:
    """Docker and systemd stop with SIGTERM: leave like Ctrl-C does, closing the server and the store."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
