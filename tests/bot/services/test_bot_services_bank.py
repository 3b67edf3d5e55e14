"""The bot's question banks: made once per index, in a child process, and kept beside the index file, so
the bot serving keeps none of the memory making them takes (the language model, the checks)."""

from __future__ import annotations

import pytest
from botrun import bot_env
from conftest import REPO
from fakeslack import FakeSlack

from bot.config.settings import Settings
from bot.runtime import build
from bot.services.bank import QuestionBanks
from indexer.build import open_index, quiz_bank_for, quiz_bank_path


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


def test_a_bank_made_for_an_index_file_is_kept_beside_it(tmp_path) -> None:
    index_path = tmp_path / "index.json.gz"
    index, _ = open_index(index_path, [REPO / "corpus"])
    bank = QuestionBanks().bank_for(index, index_path)
    assert quiz_bank_path(index_path).exists()
    assert [q.id for q in bank.questions] == [q.id for q in quiz_bank_for(index).questions]
    assert QuestionBanks().bank_for(index, index_path).questions == bank.questions  # read back


def test_the_running_bot_keeps_its_bank_beside_its_index(fake, tmp_path) -> None:
    # `awssec serve` makes the bank at startup; made in the bot's own process and not kept, it had cost
    # the serving process ~55 MB and was made again at every start
    settings = Settings.from_env(bot_env(fake, tmp_path, AWSSEC_CORPUS=str(REPO / "corpus")))
    runtime = build(settings)
    try:
        bank = runtime.questions()
        assert not isinstance(bank, Exception) and len(bank.questions) > 0
        assert quiz_bank_path(settings.index_path).exists()
    finally:
        runtime.close()
