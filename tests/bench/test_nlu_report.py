"""The NLU cross-validation report over seeds (bench/nlu_report.py): means, spreads, lowest seed and the target."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.nlu_report import Spread, meets_target, print_repeated, seed_of, summarise

ROOT = Path(__file__).resolve().parents[2]


def report(weighted: float, greet: tuple[float, float, float], bye: tuple[float, float, float]) -> dict:
    """A Rasa intent_report.json with two intents."""
    def scores(values: tuple[float, float, float], support: int) -> dict:
        return {"precision": values[0], "recall": values[1], "f1-score": values[2], "support": support,
                "confused_with": {}}
    return {"greet": scores(greet, 20), "goodbye": scores(bye, 10), "accuracy": weighted,
            "macro avg": {"precision": 0.0, "recall": 0.0, "f1-score": (greet[2] + bye[2]) / 2, "support": 30},
            "weighted avg": {"precision": 0.0, "recall": 0.0, "f1-score": weighted, "support": 30}}


REPORTS = {
    0: report(0.92, (1.0, 0.9, 0.95), (0.8, 0.9, 0.85)),
    1: report(0.88, (0.9, 0.9, 0.90), (0.7, 0.8, 0.75)),
    2: report(0.93, (1.0, 1.0, 1.00), (0.9, 0.7, 0.80)),
}


def test_each_intent_metric_is_a_mean_and_sample_sd_over_the_seeds() -> None:
    summary = summarise(REPORTS)
    assert summary.seeds == [0, 1, 2]
    f1 = summary.intents["greet"]["f1-score"]
    assert f1.mean == pytest.approx(0.95) and f1.sd == pytest.approx(0.05) and f1.lowest == pytest.approx(0.90)
    assert summary.intents["goodbye"]["precision"].mean == pytest.approx(0.8)
    assert summary.support == {"goodbye": 10, "greet": 20}
    assert "accuracy" not in summary.intents


def test_the_weighted_f1_has_its_mean_spread_and_lowest_seed() -> None:
    summary = summarise(REPORTS)
    weighted = summary.averages["weighted avg"]
    assert weighted.mean == pytest.approx(0.91) and weighted.lowest == pytest.approx(0.88)
    assert summary.lowest_seed == 1
    assert summary.weakest(1) == ["goodbye"]


def test_one_run_has_no_spread() -> None:
    assert Spread.of([0.9]) == Spread(0.9, 0.0, 0.9)
    assert str(Spread.of([0.9, 0.92])) == "0.910 +- 0.014"


@pytest.mark.parametrize(("target", "met"), [(0.90, True), (0.91, True), (0.915, False)])
def test_the_target_applies_to_the_mean_not_to_each_seed(target: float, met: bool,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert meets_target(summarise(REPORTS), target) is met
    out = capsys.readouterr().out
    assert "mean weighted intent F1 over seeds 0 1 2" in out and "the mean, not each seed" in out
    assert ("NOT met" in out) is not met


def test_the_printed_table_shows_precision_recall_f1_per_intent_and_the_lowest_seed(
        capsys: pytest.CaptureFixture[str]) -> None:
    print_repeated(summarise(REPORTS))
    out = capsys.readouterr().out
    greet = next(line for line in out.splitlines() if line.startswith("greet"))
    assert greet.split() == ["greet", "0.967", "+-", "0.058", "0.933", "+-", "0.058", "0.950", "+-", "0.050", "20"]
    assert "weighted, 3-seed cross-validation): 0.910 +- 0.026 (lowest 0.880, seed 1)" in out
    assert "weakest intents (mean F1): goodbye 0.800, greet 0.950" in out


def test_no_reports_is_an_error() -> None:
    with pytest.raises(ValueError, match="no reports"):
        summarise({})


def test_seeds_are_read_from_seed_directories(tmp_path: Path) -> None:
    assert seed_of(tmp_path / "seed-7", 0) == 7
    assert seed_of(tmp_path / "nlu", 3) == 3


def test_the_command_exits_1_below_the_target(tmp_path: Path) -> None:
    for seed, data in REPORTS.items():
        (tmp_path / f"seed-{seed}").mkdir()
        (tmp_path / f"seed-{seed}" / "intent_report.json").write_text(json.dumps(data))
    dirs = [str(tmp_path / f"seed-{seed}") for seed in REPORTS]

    def run(target: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bench.nlu_report", *dirs, "--target", target],
                              cwd=ROOT, capture_output=True, text=True, check=False)

    assert run("0.90").returncode == 0
    below = run("0.95")
    assert below.returncode == 1 and "0.910 -> NOT met" in below.stdout
