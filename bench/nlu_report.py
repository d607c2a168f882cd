"""Print intent precision, recall and F1 from Rasa NLU reports: one run, or the same cross-validation over seeds.

Rasa writes an `intent_report.json` per run (`rasa test nlu --out <dir>`; `bench.nlu_cv_repeats` writes one per
seed). Given several, this prints each intent's precision, recall and F1 as mean +- standard deviation over the
runs, the weighted F1's mean, spread and lowest run, and applies the target to the MEAN weighted F1: a single
shuffle of the folds moves the figure by about +-0.01, so one unlucky seed neither passes nor fails the model.

    python -m bench.nlu_report var/results/nlu/seed-0 var/results/nlu/seed-1 ... [--target 0.90]

Plain Python (no Rasa import): it runs in either environment.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

AVERAGES = ("macro avg", "weighted avg")
METRICS = ("precision", "recall", "f1-score")
WEAKEST_SHOWN = 5


def load_report(report_dir: Path) -> dict:
    """Rasa's `intent_report.json` from a `rasa test nlu --out <report_dir>` run."""
    return json.loads((report_dir / "intent_report.json").read_text())


def intent_names(report: dict) -> list[str]:
    """The intents a report scores, sorted (the averages and accuracy left out)."""
    return sorted(name for name, scores in report.items()
                  if isinstance(scores, dict) and "f1-score" in scores and not name.endswith(" avg"))


def print_intent_table(report: dict) -> None:
    """Print precision, recall, F1 and support per intent, then the macro and weighted F1 (one run)."""
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for intent in intent_names(report):
        scores = report[intent]
        print(f"{intent:28} {scores['precision']:9.3f} {scores['recall']:7.3f} "
              f"{scores['f1-score']:6.3f} {scores['support']:8}")
    for average in AVERAGES:
        if average in report:
            print(f"{average:28} {'':9} {'':7} {report[average]['f1-score']:6.3f}")


@dataclass(frozen=True)
class Spread:
    """A figure over several runs: its mean, sample standard deviation (0 for one run) and lowest value."""

    mean: float
    sd: float
    lowest: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """Summarise one value per run."""
        return cls(statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0, min(values))

    def __str__(self) -> str:
        return f"{self.mean:.3f} +- {self.sd:.3f}"


@dataclass(frozen=True)
class RepeatedReport:
    """Intent scores over runs labelled by seed: per intent and metric, and the averages' F1."""

    seeds: list[int]
    intents: dict[str, dict[str, Spread]]  # intent -> metric -> spread
    support: dict[str, int]
    averages: dict[str, Spread]  # "macro avg" / "weighted avg" -> F1 spread
    weighted_by_seed: dict[int, float]

    @property
    def lowest_seed(self) -> int:
        """The seed whose folds gave the lowest weighted F1."""
        return min(self.weighted_by_seed, key=lambda seed: (self.weighted_by_seed[seed], seed))

    def weakest(self, count: int = WEAKEST_SHOWN) -> list[str]:
        """The intents with the lowest mean F1, lowest first."""
        return sorted(self.intents, key=lambda intent: (self.intents[intent]["f1-score"].mean, intent))[:count]


def summarise(reports: dict[int, dict]) -> RepeatedReport:
    """Combine one Rasa intent report per seed; an intent missing from a run counts as absent, not as zero."""
    if not reports:
        raise ValueError("no reports to summarise")
    names = sorted({name for report in reports.values() for name in intent_names(report)})
    intents = {name: {metric: Spread.of([report[name][metric] for report in reports.values() if name in report])
                      for metric in METRICS}
               for name in names}
    support = {name: max(int(report[name]["support"]) for report in reports.values() if name in report)
               for name in names}
    averages = {average: Spread.of([report[average]["f1-score"] for report in reports.values()])
                for average in AVERAGES}
    weighted = {seed: float(report["weighted avg"]["f1-score"]) for seed, report in reports.items()}
    return RepeatedReport(sorted(reports), intents, support, averages, weighted)


def print_repeated(summary: RepeatedReport) -> None:
    """Per-intent precision, recall and F1 as mean +- sd over the seeds, then the averages and the weakest."""
    runs = len(summary.seeds)
    print(f"\n{'intent':28} {'precision':>14} {'recall':>14} {'F1':>14} {'support':>8}   mean +- sd over {runs} seeds")
    for name, metrics in summary.intents.items():
        cells = " ".join(f"{metrics[metric]!s:>14}" for metric in METRICS)
        print(f"{name:28} {cells} {summary.support[name]:8}")
    print(f"{'macro avg':28} {'':14} {'':14} {summary.averages['macro avg']!s:>14}")
    weighted = summary.averages["weighted avg"]
    print(f"{'weighted avg':28} {'':14} {'':14} {weighted!s:>14}")
    print("\nweakest intents (mean F1): " + ", ".join(
        f"{name} {summary.intents[name]['f1-score'].mean:.3f}" for name in summary.weakest()))
    print(f"intent F1 (weighted, {runs}-seed cross-validation): {weighted} "
          f"(lowest {weighted.lowest:.3f}, seed {summary.lowest_seed})")


def meets_target(summary: RepeatedReport, target: float) -> bool:
    """Print the rule and whether it holds: the MEAN weighted F1 over the seeds must reach the target."""
    mean = summary.averages["weighted avg"].mean
    verdict = "met" if mean >= target else "NOT met"
    print(f"target: mean weighted intent F1 over seeds {' '.join(map(str, summary.seeds))} >= {target:.2f} "
          f"(the mean, not each seed): {mean:.3f} -> {verdict}")
    return mean >= target


def seed_of(report_dir: Path, position: int) -> int:
    """The seed in a directory named `seed-<n>` (as `bench.nlu_cv_repeats` writes), else its position."""
    name = report_dir.name
    return int(name.removeprefix("seed-")) if name.startswith("seed-") and name[5:].isdigit() else position


def main() -> int:
    """Summarise the report directories given; exit 1 if the mean weighted F1 is below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dirs", type=Path, nargs="+", help="directories holding intent_report.json")
    parser.add_argument("--target", type=float, default=0.90)
    args = parser.parse_args()
    reports = {seed_of(path, position): load_report(path) for position, path in enumerate(args.report_dirs)}
    summary = summarise(reports)
    print_repeated(summary)
    return 0 if meets_target(summary, args.target) else 1


if __name__ == "__main__":
    sys.exit(main())
