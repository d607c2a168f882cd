"""How many practitioner turns a guided conversation takes: the description, then one turn per question.

For every vignette, triage the text, then answer the engine's questions until it decides, in two ways:
a cautious practitioner (least worrying option: "No", or the first choice) and a worried one (most
worrying option). Prints the distribution per answering style. Target (issue 5): a typical concern
reaches a route in at most 8 practitioner turns.

    .venv/bin/python -m bench.conversation_length
"""

import statistics
import sys
from collections import Counter
from pathlib import Path

from pathways.case_file import load_vignettes
from pathways.engine import assess_case
from pathways.loader import load_model
from pathways.model import Question, ThresholdModel

ROOT = Path(__file__).resolve().parent.parent
TARGET_TURNS = 8
MAX_QUESTIONS = 25


def _answer(question: Question, worried: bool) -> str:
    values = [option.value for option in question.options]
    if not worried and "no" in values:
        return "no"
    return values[-1] if worried else values[0]


def turns_to_route(model: ThresholdModel, text: str, area: str | None, worried: bool) -> int:
    """Practitioner turns from the description to a decided route."""
    from pathways.triage import triage_text

    result = triage_text(model, text, area)
    area, age, answers = result.area, result.age, dict(result.answers)
    turns = 1
    for _ in range(MAX_QUESTIONS):
        decision = assess_case(model, area, age, answers)
        if decision.route == "emergency" or not decision.questions:
            return turns
        question = decision.questions[0]
        turns += 1
        if question.id == "area":
            area = "portsmouth"
        elif question.id == "age":
            age = 4 if worried else 9
        else:
            answers[question.id] = _answer(question, worried)
    return turns


def main() -> int:
    """Print the turn distribution for cautious and worried practitioners over every vignette set."""
    model = load_model(ROOT / "pathways")
    paths = sorted((ROOT / "pathways" / "eval").glob("vignettes*.yml"))
    vignettes = [v for path in paths for v in load_vignettes(path)]
    ok = True
    for style, worried in (("cautious", False), ("worried", True)):
        counts = [turns_to_route(model, v.text, v.area, worried) for v in vignettes]
        share = sum(c <= TARGET_TURNS for c in counts) / len(counts)
        print(f"{style:9} practitioner: {len(counts)} conversations, median {statistics.median(counts)} turns, "
              f"p90 {sorted(counts)[int(0.9 * (len(counts) - 1))]}, max {max(counts)}; "
              f"{share:.0%} within {TARGET_TURNS} turns")
        print("           turns: " + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(counts).items())))
        ok = ok and statistics.median(counts) <= TARGET_TURNS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
