"""How many practitioner turns a guided conversation takes: the description, then one turn per question.

For every vignette, triage the text, then answer the engine's questions until it decides, in two ways:
a cautious practitioner (least worrying option: "No", or the first choice) and a worried one (most
worrying option). Prints the distribution per answering style. Target (issue 5): a typical concern
reaches a route in at most 8 practitioner turns. Triage runs as served (phrase patterns, the semantic
layer and the route reader on all-MiniLM-L6-v2); `--patterns-only` skips the model.

    .venv/bin/python -m bench.conversation_length [--patterns-only]
"""

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

from bench.held_out import is_held_out
from bench.triage import load_matcher
from pathways.case_file import load_vignettes
from pathways.engine import assess_case
from pathways.loader import load_model
from pathways.model import Question, ThresholdModel
from pathways.semantic import SemanticMatcher
from pathways.triage import RED_FLAG_SCREENS, triage_text

ROOT = Path(__file__).resolve().parent.parent
TARGET_TURNS = 8
MAX_QUESTIONS = 25


def _answer(question: Question, worried: bool) -> str:
    values = [option.value for option in question.options]
    if not worried and "no" in values:
        return "no"
    return values[-1] if worried else values[0]


def turns_to_route(model: ThresholdModel, text: str, area: str | None, worried: bool,
                   matcher: SemanticMatcher | None = None) -> int:
    """Practitioner turns from the description to a decided route (the questions triage puts first, first)."""
    result = triage_text(model, text, area, matcher)
    first = [q.id for q in result.questions[:len(RED_FLAG_SCREENS)] if q.id in RED_FLAG_SCREENS]
    area, age, answers = result.area, result.age, dict(result.answers)
    turns = 1
    for _ in range(MAX_QUESTIONS):
        decision = assess_case(model, area, age, answers)
        if decision.route == "emergency" or not decision.questions:
            return turns
        pending = [q for q in decision.questions if q.id in first and q.id not in answers]
        question = pending[0] if pending else decision.questions[0]
        turns += 1
        if question.id == "area":
            area = "portsmouth"
        elif question.id == "age":
            age = 4 if worried else 9
        else:
            answers[question.id] = _answer(question, worried)
    return turns


def main(argv: list[str] | None = None) -> int:
    """Print the turn distribution for cautious and worried practitioners over every vignette set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns-only", action="store_true", help="triage without the embedding model")
    args = parser.parse_args(argv)
    model = load_model(ROOT / "pathways")
    matcher = None if args.patterns_only else load_matcher(model)
    paths = sorted((ROOT / "pathways" / "eval").glob("vignettes*.yml"))
    labelled = [(path, v) for path in paths for v in load_vignettes(path)]
    ok = True
    for style, worried in (("cautious", False), ("worried", True)):
        counts = [turns_to_route(model, v.text, v.area, worried, matcher) for _, v in labelled]
        share = sum(c <= TARGET_TURNS for c in counts) / len(counts)
        print(f"{style:9} practitioner: {len(counts)} conversations, median {statistics.median(counts)} turns, "
              f"p90 {sorted(counts)[int(0.9 * (len(counts) - 1))]}, max {max(counts)}; "
              f"{share:.1%} within {TARGET_TURNS} turns")
        print("           turns: " + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(counts).items())))
        longer = [f"{path.name}:{v.id} ({c})" if not is_held_out(path) else f"{path.name}: a held-out one ({c})"
                  for (path, v), c in zip(labelled, counts, strict=True) if c > TARGET_TURNS]
        if longer:
            print(f"           over {TARGET_TURNS} turns: " + ", ".join(longer))
        ok = ok and statistics.median(counts) <= TARGET_TURNS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
