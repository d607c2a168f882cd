"""Rasa's NLU cross-validation repeated over fixed seeds: intent precision, recall and F1 as mean +- sd.

`rasa test nlu --cross-validation` shuffles its folds with no seed, so one run moves by about +-0.01 weighted F1
on the same data and config: one run can neither compare two configs nor say reliably whether a target is met.
This runs what the CLI runs - the NLU data loaded by Rasa's importer, intents with fewer examples than folds
dropped, Rasa's `generate_folds` (a shuffled `StratifiedKFold` over the intent examples in the same order) and
`cross_validate` - once per seed, with only the shuffle seeded. It then prints `bench.nlu_report`'s summary
and applies the target to the mean weighted F1 over the seeds.

    .venv-rasa/bin/python -m bench.nlu_cv_repeats [--seeds 0 1 2 3 4] [--folds 3] [--out var/results/nlu]
                                                  [--target 0.90]

Runs in the Rasa environment (`make bench-nlu`: seeds 0-4; `make bench-nlu-repeats`: seeds 0-9). Each seed's
report and misses are in `<out>/seed-<n>/` (`intent_report.json`, `intent_errors.json`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sklearn.model_selection as model_selection
from rasa.model_testing import perform_nlu_cross_validation
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog

from bench.nlu_report import meets_target, print_repeated, summarise


@contextmanager
def seeded_folds(seed: int) -> Iterator[None]:
    """Within the block, Rasa's `generate_folds` shuffles with `seed`.

    `rasa.nlu.test.generate_folds` imports `StratifiedKFold` from `sklearn.model_selection` when it runs and builds
    `StratifiedKFold(n_splits=n, shuffle=True)`; this swaps in the same class with `random_state=seed`, so the folds
    are Rasa's own, reproducibly shuffled.
    """
    unseeded = model_selection.StratifiedKFold

    def seeded(n_splits: int, shuffle: bool = True) -> model_selection.StratifiedKFold:
        return unseeded(n_splits=n_splits, shuffle=shuffle, random_state=seed)

    model_selection.StratifiedKFold = seeded
    try:
        yield
    finally:
        model_selection.StratifiedKFold = unseeded


def load_as_cli(nlu: str, config: str, domain: str) -> tuple[TrainingData, dict]:
    """The NLU data and config as `rasa test nlu --cross-validation` loads them (`rasa.cli.test`)."""
    data = TrainingDataImporter.load_from_dict(training_data_paths=[nlu], domain_path=domain).get_nlu_data()
    return data, TrainingDataImporter.load_from_dict(config_path=config).get_config()


def run_once(data: TrainingData, config: dict, folds: int, seed: int, out: Path) -> dict:
    """One cross-validation with folds shuffled by `seed`; returns Rasa's intent report (also in `out`)."""
    arguments = {"folds": folds, "errors": True, "disable_plotting": True, "report_as_dict": True}
    with seeded_folds(seed):
        asyncio.run(perform_nlu_cross_validation(config, data, str(out), arguments))
    return json.loads((out / "intent_report.json").read_text())


def main() -> int:
    """Run the seeds, print the summary; exit 1 if the mean weighted F1 is below `--target` (when given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nlu", default="bot/nlu")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--domain", default="domain.yml")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--out", type=Path, default=Path("var/results/nlu"))
    parser.add_argument("--target", type=float, default=None, help="exit 1 if the mean weighted F1 is below it")
    args = parser.parse_args()
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    data, config = load_as_cli(args.nlu, args.config, args.domain)
    print(f"{args.folds}-fold cross-validation of {args.config} on {args.nlu} "
          f"({len(data.intent_examples)} intent examples), folds shuffled with seeds {args.seeds}", flush=True)
    reports = {}
    for seed in args.seeds:
        reports[seed] = run_once(data, config, args.folds, seed, args.out / f"seed-{seed}")
        print(f"seed {seed}: weighted F1 {reports[seed]['weighted avg']['f1-score']:.3f}", flush=True)
    summary = summarise(reports)
    print_repeated(summary)
    if args.target is None:
        return 0
    return 0 if meets_target(summary, args.target) else 1


if __name__ == "__main__":
    sys.exit(main())
