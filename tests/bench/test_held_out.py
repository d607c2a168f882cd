"""The one rule that keeps a blind evaluation set blind (bench/held_out.py)."""

from pathlib import Path

import pytest

from bench.held_out import is_held_out


@pytest.mark.parametrize(("header", "held_out"), [
    ("# FRESH9 set written blind.\n# NEVER tune on it: write a new set instead.\n", True),
    ("# never tune on this file (issue #5)\n", True),
    ("# FRESH9 set.\n# USED FOR DEVELOPMENT from 2026-12-04 (after scoring 70% blind).\n"
     "# Originally: NEVER tune on it.\n", False),
    ("# DEV set: thresholds are tuned on this file.\n", False),
    ("# no header words at all\n", False),
])
def test_a_set_is_held_out_while_its_header_says_never_tune_and_not_used_for_development(
        tmp_path: Path, header: str, held_out: bool) -> None:
    path = tmp_path / "set.yml"
    path.write_text(header + "items: []\n", encoding="utf-8")
    assert is_held_out(path) is held_out


def test_words_in_the_body_do_not_release_a_set(tmp_path: Path) -> None:
    path = tmp_path / "set.yml"
    path.write_text("# NEVER tune on it.\nitems:\n  - text: \"USED FOR DEVELOPMENT\"\n", encoding="utf-8")
    assert is_held_out(path)


@pytest.mark.parametrize("folder", ["knowledge/eval", "pathways/eval", "tests/nlu"])
def test_every_evaluation_folder_keeps_a_held_out_set(folder: str) -> None:
    assert any(is_held_out(path) for path in Path(folder).glob("*.yml"))
