"""Print intent F1 from a `rasa test nlu --cross-validation` run (Rasa writes the JSON report)."""

import json
import sys
from pathlib import Path


def load_report(report_dir: Path) -> dict:
    """Rasa's `intent_report.json` from a `rasa test nlu --out <report_dir>` run."""
    return json.loads((report_dir / "intent_report.json").read_text())


def print_intent_table(report: dict) -> None:
    """Print precision, recall, F1 and support per intent, then the macro and weighted F1."""
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for intent, scores in sorted(report.items()):
        if isinstance(scores, dict) and "f1-score" in scores and not intent.endswith(" avg"):
            print(f"{intent:28} {scores['precision']:9.3f} {scores['recall']:7.3f} "
                  f"{scores['f1-score']:6.3f} {scores['support']:8}")
    for average in ("macro avg", "weighted avg"):
        if average in report:
            print(f"{average:28} {'':9} {'':7} {report[average]['f1-score']:6.3f}")


def main() -> int:
    """Print per-intent and average F1; exit 1 if the weighted F1 is below the target."""
    report_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "var/results/nlu")
    target = float(sys.argv[2]) if len(sys.argv) > 2 else 0.90
    report = load_report(report_dir)
    print_intent_table(report)
    weighted = report["weighted avg"]["f1-score"]
    print(f"\nintent F1 (weighted, cross-validation): {weighted:.3f}  target >= {target:.2f}")
    return 0 if weighted >= target else 1


if __name__ == "__main__":
    sys.exit(main())
