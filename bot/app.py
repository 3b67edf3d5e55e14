"""The Bolt app: ``create_app(settings, index, client=None) -> App``."""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from indexer.search.index import SearchIndex

from . import listeners
from .deps import MAX_PENDING_WORK, Deps, IndexUnavailable
from .logs import DropMessages, failure_line
from .settings import Settings
from .store import Store

logger = logging.getLogger("awssec.bot")

WEB_API_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 3
LISTENER_THREADS = 6
"""Workers for the slow half of listeners (answers). Answers are mostly CPU under one GIL, so more
workers add no throughput; they only take the GIL from the request threads that ack (measured with
bench/bench_bot.py: 6 keeps the ack p99 near half of what 16 or 32 give, and answers no slower)."""


slack_api_logger = logging.getLogger("awssec.slack_api")
"""The Web API clients' logger: slack_sdk's request lines (DEBUG) and one line per retry."""
# slack_sdk writes three or four lines around each retried request (the failure, "A retry handler
# found", "Going to retry"); the handlers below write one instead, and whoever made the call logs the
# final failure.
slack_api_logger.addFilter(
    DropMessages(
        "Failed to send a request to Slack API server",
        "A retry handler found",
        "Going to retry the same request",
    )
)


READ_METHOD_PREFIXES = ("auth.", "apps.connections.", "conversations.", "users.", "team.", "bots.")
"""Web API methods that change nothing, so a retry after an unknown outcome is harmless."""


def _never_sent(error: Exception | None) -> bool:
    """Whether a connection error happened before the request could reach Slack."""
    reason = getattr(error, "reason", error)
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


def _api_method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1]


class ConnectionRetry(ConnectionErrorRetryHandler):
    """Retries a request whose connection failed, after a short backoff; logs one line per retry.

    A write (``chat.postMessage``...) is retried only when it cannot have reached Slack (the connection
    was refused or the host not found): a connection reset after sending may have posted it already,
    and retrying would post it twice. Reads are always safe to retry.
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return _api_method(request).startswith(READ_METHOD_PREFIXES) or _never_sent(error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        delay = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        reason = getattr(error, "reason", None) or error
        slack_api_logger.warning(
            "Slack API %s: no connection (%s); retry %d of %d in %.1f s",
            _api_method(request), reason, state.current_attempt + 1, self.max_retry_count, delay,
        )
        state.next_attempt_requested = True
        time.sleep(delay)
        state.increment_current_attempt()


class RateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429 for its Retry-After (plus up to a second), then retries; logs one line per retry."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        headers = {k.lower(): v for k, v in (response.headers if response is not None else {}).items()}
        retry_after = str((headers.get("retry-after") or [""])[0]).strip()
        delay = (int(retry_after) if retry_after.isdigit() else 1) + random.random()
        slack_api_logger.warning(
            "Slack API %s: rate limited (429); retry %d of %d in %.1f s",
            _api_method(request), state.current_attempt + 1, self.max_retry_count, delay,
        )
        state.next_attempt_requested = True
        time.sleep(delay)
        state.increment_current_attempt()


def make_web_client(settings: Settings, timeout: float = WEB_API_TIMEOUT_SECONDS) -> WebClient:
    """A Web API client for SLACK_API_URL; waits out 429s (Retry-After), retries dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=timeout,
        logger=slack_api_logger,
        retry_handlers=[
            ConnectionRetry(max_retry_count=1),
            RateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def copy_web_client(
    client: WebClient, *, token: str | None, connection_retries: bool = True
) -> WebClient:
    """A client like ``client`` (URL, timeout, proxy, logger, retry handlers) with ``token``; without
    its connection retries when the caller retries on its own (Socket Mode's reconnect loop)."""
    handlers = [
        h for h in client.retry_handlers or [] if connection_retries or not isinstance(h, ConnectionRetry)
    ]
    return WebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        retry_handlers=handlers,
        logger=client.logger,
    )


class InlineExecutor(Executor):
    """Runs each submitted function at once in the caller's thread."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: ANN001
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the future like a pool would
            future.set_exception(err)
        return future


class CachedAuthTest:
    """Bolt ``authorize``: the bot token plus the bot's own ids from one auth.test, remembered.

    If auth.test fails, requests are still served with the token (messages from bots are ignored by
    the listeners anyway) and auth.test is tried again a little later.
    """

    RETRY_AFTER_FAILURE_SECONDS = 30.0

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._result: dict | None = None
        self._failed_at = 0.0

    def result(
        self, enterprise_id: str | None, team_id: str | None, logger: logging.Logger
    ) -> AuthorizeResult:
        identity = self._identity(logger)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id or identity.get("team_id"),
            bot_token=self._client.token,
            bot_id=identity.get("bot_id"),
            bot_user_id=identity.get("user_id"),
        )

    def _identity(self, logger: logging.Logger) -> dict:
        if self._result is not None:
            return self._result
        with self._lock:
            if self._result is not None:
                return self._result
            if time.monotonic() - self._failed_at < self.RETRY_AFTER_FAILURE_SECONDS and self._failed_at:
                return {}
            try:
                response = self._client.auth_test()
                self._result = dict(response.data) if isinstance(response.data, dict) else {}
            except Exception as err:  # noqa: BLE001 - serve anyway, try again later
                self._failed_at = time.monotonic()
                logger.warning("auth.test failed (%s): the bot's own user id is unknown for now", err)
                return {}
            return self._result


def create_app(
    settings: Settings,
    index: SearchIndex | IndexUnavailable,
    client: WebClient | None = None,
    *,
    store: Store | None = None,
    listener_executor: Executor | None = None,
    web_api_timeout: float = WEB_API_TIMEOUT_SECONDS,
    max_pending: int = MAX_PENDING_WORK,
) -> App:
    """The Bolt app with every listener registered.

    ``client`` defaults to :func:`make_web_client`; ``store`` to the one at AWSSEC_DATABASE_URL.
    Bolt runs listeners in the request thread (process_before_response=True): they ``ack()`` at once
    and hand the slow part to ``deps.run_later``, i.e. to ``listener_executor`` (a thread pool; the
    console passes :class:`InlineExecutor` to have every reply before it prints), which holds at most
    ``max_pending`` answers waiting or running (more are told the bot is busy). ``web_api_timeout``: how
    long the default client waits for Slack's reply.
    The app's ``deps`` (settings, index, store, subcommand table) are on ``app.awssec_deps``.
    """
    client = client or make_web_client(settings, web_api_timeout)
    workers = listener_executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="awssec-worker")
    store = store or Store.connect(settings.database_url)
    # Bolt gets a token-less copy of the client and the token from ``authorize``, so that auth.test is
    # called lazily, once, and a failing auth.test does not stop the bot.
    bolt_client = copy_web_client(client, token=None)
    auth = CachedAuthTest(client)
    bolt_logger = logging.getLogger("awssec.bolt")
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself, and then warns at every start that the
    # client it is given wins over that token. The token-less client is deliberate (see above): drop
    # that one warning.
    bolt_logger.addFilter(DropMessages(warning_client_prioritized_and_token_skipped()))

    def authorize(enterprise_id: str | None, team_id: str | None, logger: logging.Logger) -> AuthorizeResult:
        # A plain function: Bolt passes arguments by the names it finds in the signature.
        return auth.result(enterprise_id, team_id, logger)

    app = App(
        client=bolt_client,
        authorize=authorize,
        signing_secret=settings.signing_secret,
        token_verification_enabled=False,
        process_before_response=True,
        listener_executor=workers,
        logger=bolt_logger,
        name="awssec",
    )
    deps = Deps(settings=settings, index=index, store=store, workers=workers, max_pending=max_pending)
    listeners.register(app, deps)

    @app.error
    def refuse_unhandled(error: Exception, body: dict) -> BoltResponse:
        """What Bolt or a listener's ack raised: a request of a shape nobody expected. One log line (the
        traceback at DEBUG) and a 400, never a 5xx."""
        kind = (body.get("type") or "?") if isinstance(body, dict) else "?"
        logger.error("a %s request failed: %s", kind, failure_line(error))
        logger.debug("the failure's traceback", exc_info=error)
        return BoltResponse(status=400, body={"error": "malformed request"})

    app.awssec_deps = deps  # type: ignore[attr-defined]
    return app
