"""Layer 5 of the bot, the composition root: ``build(settings)`` makes the running program —
config → store → index → quiz bank → services → Slack app → scheduler — for ``awssec serve``,
``awssec console`` and ``awssec quiz post`` alike (the tests pass their own pieces as overrides).

Imports every layer to its left (``config``, ``store``, ``services``, ``slack``), never ``bot.cli``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.engine import make_url

from indexer.quiz.bank import QuizBank
from indexer.search.index import SearchIndex

from .config.settings import Settings
from .services import Services
from .services.answering import Answering
from .services.bank import QuestionBanks
from .services.daily import DailyQuiz
from .services.index import INDEX_RECHECK_SECONDS, IndexUnavailable, LiveIndex, load_bot_index
from .services.practice import PracticeService
from .services.scores import Scores
from .slack.app import create_app
from .slack.listeners.context import ListenerContext
from .slack.publisher import SlackDailyPublisher
from .slack.web_client import WEB_API_TIMEOUT_SECONDS, make_web_client
from .slack.work import LISTENER_THREADS, MAX_PENDING_WORK, Workers
from .store import Store
from .store.engine import utc_now

logger = logging.getLogger("awssec.bot")


class StoreUnavailable(Exception):
    """The store could not be opened; the message names it (its password hidden) and says why."""


@dataclass
class Runtime:
    """One running bot: its settings and every piece built from them."""

    settings: Settings
    store: Store
    index: LiveIndex
    banks: QuestionBanks
    services: Services
    workers: Workers
    client: WebClient
    app: App
    bank_beside: Path | None = None
    """The index file the question bank is kept beside (None for an index given from outside)."""
    _scheduler: DailyQuiz | None = field(default=None, init=False, repr=False)

    def questions(self) -> QuizBank | IndexUnavailable:
        """The quiz questions of the bot's index (generated on first use, in a child process, and kept
        beside the index file when the index is the bot's own)."""
        return self.banks.bank_for(self.index.current(), self.bank_beside)

    def start_scheduler(
        self, clock: Callable[[], datetime] | None = None, interval: float | None = None
    ) -> DailyQuiz:
        """Start the daily quiz's scheduler thread (``awssec serve``); the question bank is generated
        now rather than on the first `/awssec quiz`."""
        threading.Thread(target=self.questions, name="awssec-quiz-bank", daemon=True).start()
        daily = self.services.daily
        daily.start(clock, **({"interval": interval} if interval is not None else {}))
        self._scheduler = daily
        quiz = self.settings.quiz
        if quiz.channel:
            logging.getLogger("awssec.daily").info(
                "daily quiz: %s at %s (%s) on %s",
                quiz.channel,
                quiz.post_time.strftime("%H:%M"),
                quiz.timezone.key,
                ",".join(sorted(str(d) for d in quiz.days)),
            )
        return daily

    def close(self) -> None:
        """Stop the scheduler and close the store."""
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None
        self.store.close()


def build(
    settings: Settings,
    *,
    index: SearchIndex | IndexUnavailable | None = None,
    store: Store | None = None,
    client: WebClient | None = None,
    banks: QuestionBanks | None = None,
    listener_executor: Executor | None = None,
    web_api_timeout: int = WEB_API_TIMEOUT_SECONDS,
    max_pending: int = MAX_PENDING_WORK,
    clock: Callable[[], datetime] = utc_now,
    index_recheck: float = INDEX_RECHECK_SECONDS,
) -> Runtime:
    """The running bot for ``settings``. Each piece not given is built: ``index`` loaded (built first
    when missing or stale), ``store`` opened at AWSSEC_DATABASE_URL (StoreUnavailable when it cannot be),
    ``client`` to SLACK_API_URL waiting ``web_api_timeout`` seconds for Slack, ``banks`` generating each
    index's questions once, and the listeners' slow halves run on ``listener_executor`` (a pool of
    LISTENER_THREADS threads), at most ``max_pending`` waiting or running. The bot's own index is
    reloaded when its file is rewritten (looked at every ``index_recheck`` seconds at most); an index
    given is kept as it is."""
    loaded = load_bot_index(settings, logger) if index is None else index
    own_file = settings.index_path if index is None else None  # an index given has no file of ours
    bot_index = LiveIndex(loaded, own_file, logger, index_recheck)
    store = store or open_store(settings.database_url)
    client = client or make_web_client(settings, web_api_timeout)
    question_banks = banks or QuestionBanks()

    def questions() -> QuizBank | IndexUnavailable:
        return question_banks.bank_for(bot_index.current(), own_file)

    publisher = SlackDailyPublisher(client, settings.source_url)
    services = Services(
        index=bot_index,
        answering=Answering(bot_index.current, store),
        practice=PracticeService(store, questions, clock),
        scores=Scores(store, settings.quiz.timezone, clock),
        daily=DailyQuiz(store, questions, publisher, settings.quiz, clock=clock),
        outage=store.outage,
    )
    executor = listener_executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="awssec-worker")
    workers = Workers(executor, max_pending)
    context = ListenerContext(services, workers, store, settings.source_url)
    app = create_app(settings, context, client)
    return Runtime(settings, store, bot_index, question_banks, services, workers, client, app, own_file)


def open_store(database_url: str) -> Store:
    """The store at ``database_url``, or StoreUnavailable saying which store (password hidden) and why."""
    try:
        return Store.connect(database_url)
    except Exception as err:  # any driver error: say which store and why
        shown = make_url(database_url).render_as_string(hide_password=True)
        raise StoreUnavailable(f"cannot open the store at {shown} (AWSSEC_DATABASE_URL): {err}") from err
