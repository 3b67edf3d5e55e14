"""The Bolt app: ``create_app(settings, context, client) -> App``, every listener registered."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from ..config.logs import DropMessages, failure_line
from ..config.settings import Settings
from . import listeners
from .listeners.context import ListenerContext
from .web_client import copy_web_client

logger = logging.getLogger("awssec.bot")


class CachedAuthTest:
    """Bolt ``authorize``: the bot token plus the bot's own ids from one auth.test, remembered.

    auth.test runs in a thread of its own, started with the app: a request never waits for it, so a slow
    or unreachable Slack cannot hold up an ack (Slack gives 3 seconds). Until it answers, and if it fails,
    requests are served with the token alone (messages from bots are ignored by the listeners anyway);
    a failed auth.test is tried again a little later, by the next request.
    """

    RETRY_AFTER_FAILURE_SECONDS = 30.0
    REFUSED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"})
    """What Slack answers for a bot token it will never accept."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._result: dict[str, Any] | None = None
        self._failed_at = 0.0
        self._asking = False

    def prefetch(self, logger: logging.Logger) -> None:
        """Ask Slack now, in the background (the app calls it when it is made)."""
        self._identity(logger)

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

    def _identity(self, logger: logging.Logger) -> dict[str, Any]:
        """What auth.test said, or nothing yet (asking it in the background if nobody is)."""
        if self._result is not None:
            return self._result
        with self._lock:
            waited = time.monotonic() - self._failed_at >= self.RETRY_AFTER_FAILURE_SECONDS
            if self._result is None and not self._asking and (waited or not self._failed_at):
                self._asking = True
                threading.Thread(target=self._ask, args=(logger,), name="awssec-auth", daemon=True).start()
        return self._result or {}

    def _ask(self, logger: logging.Logger) -> None:
        try:
            response = self._client.auth_test()
            result = dict(response.data) if isinstance(response.data, dict) else {}
            with self._lock:
                self._result = result
        except Exception as err:  # serve anyway, try again later
            with self._lock:
                self._failed_at = time.monotonic()
            code = getattr(getattr(err, "response", None), "data", None)
            code = code.get("error") if isinstance(code, dict) else None
            if code in self.REFUSED:
                logger.error("Slack refused the bot token (auth.test: %s): check SLACK_BOT_TOKEN", code)
            else:
                logger.warning("auth.test failed (%s): the bot's own user id is unknown for now", err)
        finally:
            with self._lock:
                self._asking = False


def create_app(settings: Settings, context: ListenerContext, client: WebClient) -> App:
    """The Bolt app with every listener registered, each given ``context`` (the services, the workers
    that run the slow halves after the ack, ...).

    Bolt runs listeners in the request thread (process_before_response=True) and hands its own
    listener work to ``context.workers.executor``. ``client`` makes the Web API calls (its token is the
    bot's); Bolt gets a token-less copy and the token from ``authorize``, so that auth.test is called
    lazily, once, and a failing auth.test does not stop the bot.
    """
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
        listener_executor=context.workers.executor,
        logger=bolt_logger,
        name="awssec",
    )
    listeners.register(app, context)
    auth.prefetch(logger)  # the bot's own ids, asked now, so the first request does not wait for them

    @app.error
    def refuse_unhandled(error: Exception, body: dict[str, Any]) -> BoltResponse:
        """What Bolt or a listener's ack raised: a request of a shape nobody expected. One log line (the
        traceback at DEBUG) and a 400, never a 5xx."""
        kind = (body.get("type") or "?") if isinstance(body, dict) else "?"
        logger.error("a %s request failed: %s", kind, failure_line(error))
        logger.debug("the failure's traceback", exc_info=error)
        return BoltResponse(status=400, body={"error": "malformed request"})

    return app
