"""The web chat widget in a real browser: Debian's Chromium driven by playwright-core, checked with axe-core.

Runs ``tests/browser/widget.spec.mjs`` against the running stack; the script holds a full conversation
by keyboard and buttons, runs axe-core (WCAG 2.2 AA) and checks the emergency route with the backend down.
Needs ``apt-get install chromium`` and ``npm ci`` (see the Makefile); screenshots go to docs/screenshots/.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.stack import Ports, Stack

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "browser" / "widget.spec.mjs"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")


def test_widget_conversation_accessibility_and_offline_in_chromium(stack: Stack, ports: Ports):
    node = shutil.which("node")
    assert node, "node is not installed"
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y chromium (never a downloaded browser)"
    assert (ROOT / "node_modules" / "playwright-core").is_dir(), "run `npm ci` at the repository root first"
    result = subprocess.run(
        [node, str(SPEC), f"http://127.0.0.1:{ports.api}", str(SCREENSHOTS)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    print(result.stdout)
    assert result.returncode == 0, f"browser checks failed:\n{result.stdout}\n{result.stderr}"
    for name in ("01-start.png", "02-question.png", "03-recommendation.png"):
        assert (SCREENSHOTS / name).stat().st_size > 0, f"no screenshot {name}"
