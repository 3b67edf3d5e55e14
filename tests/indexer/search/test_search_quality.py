"""Regression guard: the shared scorer's figures on the shared questions must not fall.

Runs only where ../shared/eval exists beside the repository (the study group's evaluation set).
The floors are the figures reached; raise them when search improves, never lower them to get green.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO, SHARED

EVAL = SHARED / "eval"
pytestmark = pytest.mark.skipif(
    not (EVAL / "retrieval_score.py").exists(), reason="../shared/eval not present"
)

RECALL_AT_1 = 0.94
RECALL_AT_3 = 1.0


def test_search_quality_on_the_shared_questions(tmp_path) -> None:
    cmd = f"{sys.executable} -m bot.cli ask --json --index {tmp_path / 'index.json.gz'}"
    env = dict(os.environ, AWSSEC_CORPUS=str(REPO / "corpus"))
    scorer = [sys.executable, str(EVAL / "retrieval_score.py"), str(EVAL / "questions.jsonl")]
    result = subprocess.run(
        [*scorer, "--cmd", cmd, "--json"], capture_output=True, text=True, cwd=REPO, env=env, check=True
    )
    figures = json.loads(result.stdout)
    assert figures["recall_at_1"] >= RECALL_AT_1, figures
    assert figures["recall_at_3"] >= RECALL_AT_3, figures
    answered, total = figures["no_answer_correct"].split("/")
    assert answered == total, figures
    assert figures["median_top_span_lines"] <= 12, figures
