"""Intent accuracy and F1 on held-out message sets (tests/nlu/heldout_messages*.yml), which nobody tunes on.

Run in the Rasa environment on a model trained on bot/nlu (`make bench-nlu-heldout` does both):

    .venv-rasa/bin/python -m bench.nlu_heldout var/models/nlu-heldout/nlu.tar.gz tests/nlu/heldout_messages*.yml

A set whose header still says never to tune on it (`bench.held_out`) gets its figures printed but not its
misses, so that nobody tunes on it by accident; a set released for development prints every miss.

Cross-validation says how well the model fits messages like its own training data; this says how it does on
messages written apart from it. Two views of the same predictions:
- top intent, the FallbackClassifier undone: what `rasa test nlu` and the cross-validation score, so the
  figures compare;
- as served: each message either gets its intent, falls back (a clarifying reply: confidence below the
  threshold or two intents too close), or gets a wrong intent with confidence - the miss a practitioner sees.
"""

import asyncio
import sys
from collections import Counter
from pathlib import Path

from rasa.core.agent import Agent
from rasa.nlu.classifiers import fallback_classifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, classification_report

from bench.held_out import is_held_out
from bench.nlu_report import print_intent_table


async def predict(agent: Agent, texts: list[str]) -> list[dict]:
    """The NLU result for each text, as the Rasa server would produce it."""
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    """Score every message file given after the model; exit 0."""
    model_path, message_paths = sys.argv[1], sys.argv[2:]
    agent = Agent.load(model_path)
    for messages_path in message_paths:
        held_out = " (HELD OUT: misses not printed)" if is_held_out(Path(messages_path)) else ""
        print(f"\n######## {messages_path}{held_out}")
        score_file(agent, messages_path)
    return 0


def score_file(agent: Agent, messages_path: str) -> None:
    """Print the per-intent table, accuracy, weighted F1, the as-served split and (unless held out) the misses."""
    examples = [example for example in load_data(messages_path).intent_examples]
    expected = [example.get(INTENT) for example in examples]
    served = asyncio.run(predict(agent, [example.get(TEXT) for example in examples]))
    top = [fallback_classifier.undo_fallback_prediction(result)
           if fallback_classifier.is_fallback_classifier_prediction(result) else result for result in served]
    predicted = [result[INTENT][INTENT_NAME_KEY] for result in top]

    print_intent_table(classification_report(expected, predicted, output_dict=True, zero_division=0))
    outcomes = Counter()
    misses = []
    for want, got, result, answer in zip(expected, predicted, top, served, strict=True):
        fell_back = fallback_classifier.is_fallback_classifier_prediction(answer)
        outcomes["fallback" if fell_back else "right" if got == want else "wrong"] += 1
        if got != want or fell_back:
            misses.append((want, got, result[INTENT]["confidence"], "fallback" if fell_back else "", answer[TEXT]))
    if is_held_out(Path(messages_path)):
        misses = []
    print("\nmisses and fallbacks (expected -> top intent, confidence, served):")
    for want, got, confidence, fell_back, text in sorted(misses):
        mark = "ok " if want == got else "   "
        print(f"  {mark}{want:22} -> {got:22} {confidence:.2f} {fell_back:8} {text}")
    weighted = classification_report(expected, predicted, output_dict=True, zero_division=0)["weighted avg"]
    print(f"\nheld-out top intent: accuracy {accuracy_score(expected, predicted):.3f}, "
          f"weighted F1 {weighted['f1-score']:.3f} ({len(expected)} messages)")
    print(f"held-out as served: {outcomes['right']} right, {outcomes['fallback']} fall back (clarifying reply), "
          f"{outcomes['wrong']} wrong intent")


if __name__ == "__main__":
    sys.exit(main())
