"""Run a script in the Rasa environment (.venv-rasa, Python 3.10) and read the JSON it prints after "RESULT".

The NLU components run inside Rasa, which lives in its own environment (ADR 0001); their tests drive them there.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

needs_rasa = [
    pytest.mark.slow,
    pytest.mark.skipif(not RASA_PYTHON.exists(), reason="needs the Rasa environment .venv-rasa (make install)"),
]


def run_in_rasa(script: str) -> dict:
    """The script's RESULT line as a dict; fails the test with the script's stderr if it crashed."""
    run = subprocess.run([str(RASA_PYTHON), "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT"))
    return json.loads(line.removeprefix("RESULT"))
