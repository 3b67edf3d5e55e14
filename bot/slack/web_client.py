"""The Web API client: SLACK_API_URL, a timeout, 429s waited out, dropped connections retried (safely)."""

from __future__ import annotations

import logging
import random
import socket
import time

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from ..config.logs import DropMessages
from ..config.settings import Settings

WEB_API_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 3

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


class _OneLinePerRetry(RetryHandler):
    """Logs one line per retry (what went wrong, which retry, the wait), waits, then retries."""

    def wait_before_retry(
        self, state: RetryState, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> tuple[float, str]:
        """(seconds to wait, what went wrong)."""
        raise NotImplementedError

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        delay, why = self.wait_before_retry(state, request, response, error)
        slack_api_logger.warning(
            "Slack API %s: %s; retry %d of %d in %.1f s",
            _api_method(request), why, state.current_attempt + 1, self.max_retry_count, delay,
        )
        state.next_attempt_requested = True
        time.sleep(delay)
        state.increment_current_attempt()


class ConnectionRetry(_OneLinePerRetry, ConnectionErrorRetryHandler):
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

    def wait_before_retry(
        self, state: RetryState, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> tuple[float, str]:
        delay = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        return delay, f"no connection ({getattr(error, 'reason', None) or error})"


class RateLimitRetry(_OneLinePerRetry, RateLimitErrorRetryHandler):
    """Waits out a 429 for its Retry-After (plus up to a second), then retries; logs one line per retry."""

    def wait_before_retry(
        self, state: RetryState, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> tuple[float, str]:
        headers = {k.lower(): v for k, v in (response.headers if response is not None else {}).items()}
        retry_after = str((headers.get("retry-after") or [""])[0]).strip()
        delay = (int(retry_after) if retry_after.isdigit() else 1) + random.random()
        return delay, "rate limited (429)"


def make_web_client(settings: Settings, timeout: int = WEB_API_TIMEOUT_SECONDS) -> WebClient:
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
