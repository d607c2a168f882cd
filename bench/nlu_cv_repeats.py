"""Rasa's 3-fold NLU cross-validation repeated over fixed seeds: the mean and spread of intent F1.

`rasa test nlu --cross-validation` shuffles its folds with no seed, so one run of `make bench-nlu` moves by about
+-0.01 weighted F1 from run to run on the same data and config. Comparing two configs on one run each can
pick the wrong one; this runs the same cross-validation (Rasa's own training and evaluation) once per seed.

    .venv-rasa/bin/python -m bench.nlu_cv_repeats [--seeds 0 1 2] [--folds 3] [--out var/results/nlu-repeats]

Runs in the Rasa environment (`make bench-nlu-repeats`). Prints per-seed weighted F1, then per-intent and
weighted F1 as mean +- standard deviation over the seeds.
"""

import argparse
import asyncio
import json
import logging
import statistics
import sys
from pathlib import Path

import sklearn.model_selection as model_selection
from rasa.nlu.test import cross_validate
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog

UNSEEDED_KFOLD = model_selection.StratifiedKFold


def seeded_kfold(seed: int) -> type:
    """Rasa's `generate_folds` builds `StratifiedKFold(n_splits=n, shuffle=True)`; give it a fixed seed."""

    def make(n_splits: int, shuffle: bool = True) -> model_selection.StratifiedKFold:
        return UNSEEDED_KFOLD(n_splits=n_splits, shuffle=shuffle, random_state=seed)

    return make


def run_once(data_path: str, config: str, folds: int, seed: int, out: Path) -> dict:
    """One cross-validation with folds shuffled by `seed`; returns Rasa's intent report."""
    model_selection.StratifiedKFold = seeded_kfold(seed)
    try:
        asyncio.run(cross_validate(load_data(data_path), folds, config, str(out), errors=True, disable_plotting=True,
                                   report_as_dict=True))
    finally:
        model_selection.StratifiedKFold = UNSEEDED_KFOLD
    return json.loads((out / "intent_report.json").read_text())


def main() -> int:
    """Run the repeats and print the summary; exit 0 (a measure, no gate)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nlu", default="bot/nlu")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=Path("var/results/nlu-repeats"))
    args = parser.parse_args()
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    reports = []
    for seed in args.seeds:
        report = run_once(args.nlu, args.config, args.folds, seed, args.out / f"seed-{seed}")
        reports.append(report)
        print(f"seed {seed}: weighted F1 {report['weighted avg']['f1-score']:.3f}", flush=True)

    def spread(values: list[float]) -> str:
        deviation = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.mean(values):.3f} +- {deviation:.3f}"

    intents = sorted(name for name, scores in reports[0].items()
                     if isinstance(scores, dict) and "f1-score" in scores and not name.endswith(" avg"))
    print(f"\n{'intent':28} F1 over {len(reports)} seeds")
    for intent in intents:
        print(f"{intent:28} {spread([report[intent]['f1-score'] for report in reports])}")
    for average in ("macro avg", "weighted avg"):
        print(f"{average:28} {spread([report[average]['f1-score'] for report in reports])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
