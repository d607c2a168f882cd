"""The Rasa intent classifier component, trained, saved and reloaded through Rasa's own model storage.

Runs in the Rasa environment (.venv-rasa, Python 3.10), since Rasa is not installed in .venv; skipped with the
reason when that environment is missing.
"""


import pytest

from tests.nlu.rasa_script import needs_rasa, run_in_rasa

pytestmark = needs_rasa

SCRIPT = """
import json, sys, tempfile
from pathlib import Path
from unittest.mock import Mock
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from nlu_components.blended_intent_classifier import BlendedIntentClassifier
from nlu_components.minilm_featurizer import MiniLMSentenceFeaturizer

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hiya"],
    "ask_guidance": ["what are the signs of neglect", "what is county lines", "what is a strategy discussion",
                     "how do I complete a CERAF"],
    "want_mash_contact": ["I want to refer to the MASH", "refer anyway", "how do I make a MASH referral",
                          "I'm going to ring the MASH myself"],
}
storage = LocalModelStorage(Path(tempfile.mkdtemp()))
context = Mock(node_name="x", is_finetuning=False)
tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), storage, Resource("tok"), context)
words = CountVectorsFeaturizer.create({**CountVectorsFeaturizer.get_default_config(), "alias": "word_counts"},
                                      storage, Resource("words"), context)
minilm = MiniLMSentenceFeaturizer.create({**MiniLMSentenceFeaturizer.get_default_config(), "alias": "minilm"},
                                         storage, Resource("minilm"), context)
config = {"feature_weights": {"minilm": 2.0, "word_counts": 1.0}, "C": 30}
training = TrainingData([Message(data={"text": text, "intent": intent})
                         for intent, texts in EXAMPLES.items() for text in texts]
                        + [Message(data={"action_name": "utter_greet"})])


def featurize(messages):
    tokenizer.process(messages)
    words.process(messages)
    minilm.process(messages)
    return messages


tokenizer.process_training_data(training)
words.train(training)
words.process_training_data(training)
minilm.process_training_data(training)
resource = Resource("blended")
classifier = BlendedIntentClassifier.create(config, storage, resource, context)
classifier.train(training)

live = featurize([Message(data={"text": t}) for t in ["hey, good morning", "what are the signs of grooming",
                                                      "I want to make a MASH referral now"]])
classifier.process(live)
reloaded = BlendedIntentClassifier.load(config, storage, resource, context)
again = featurize([Message(data={"text": m.get("text")}) for m in live])
reloaded.process(again)
empty = Message(data={"action_name": "utter_greet"})
classifier.process([empty])

errors = []
for bad in ({"feature_weights": {}}, {"feature_weights": {"minilm": 0}}):
    try:
        BlendedIntentClassifier.create(bad, storage, Resource("bad"), context)
        errors.append(None)
    except InvalidConfigException as error:
        errors.append(str(error))
try:
    BlendedIntentClassifier.create({"feature_weights": {"nope": 1.0}}, storage, Resource("nope"), context
                                   ).train(training)
    errors.append(None)
except InvalidConfigException as error:
    errors.append(str(error))

print("RESULT" + json.dumps({
    "live": [[m.get("intent")["name"], m.get("intent")["confidence"],
              [r["confidence"] for r in m.get("intent_ranking")]] for m in live],
    "reloaded": [[m.get("intent")["name"], m.get("intent")["confidence"]] for m in again],
    "empty_intent": empty.get("intent"),
    "errors": errors,
    "saved": sorted(p.name for p in (storage._storage_path / "blended").iterdir()),
}))
"""


@pytest.fixture(scope="module")
def outcome() -> dict:
    return run_in_rasa(SCRIPT)


def test_new_messages_get_the_intent_they_mean(outcome: dict) -> None:
    assert [intent for intent, _, _ in outcome["live"]] == ["greet", "ask_guidance", "want_mash_contact"]


def test_the_ranking_is_every_intent_best_first_and_sums_to_one(outcome: dict) -> None:
    for _, confidence, ranking in outcome["live"]:
        assert len(ranking) == 3 and ranking == sorted(ranking, reverse=True) and ranking[0] == confidence
        assert abs(sum(ranking) - 1.0) < 1e-6


def test_a_reloaded_model_gives_the_same_intents_and_confidences(outcome: dict) -> None:
    for (intent, confidence, _), (again, confidence_again) in zip(outcome["live"], outcome["reloaded"], strict=True):
        assert intent == again and abs(confidence - confidence_again) < 1e-9


def test_the_model_is_saved_as_json_and_numpy_arrays(outcome: dict) -> None:
    assert outcome["saved"] == ["blended_intent_classifier.json", "blended_intent_classifier.npz"]


def test_a_message_without_text_gets_no_intent(outcome: dict) -> None:
    assert outcome["empty_intent"] is None


def test_bad_feature_weights_are_refused_with_the_reason(outcome: dict) -> None:
    no_blocks, zero_weight, unknown_alias = outcome["errors"]
    assert "at least one featurizer alias" in no_blocks
    assert "feature_weights.minilm must be > 0" in zero_weight
    assert "no featurizer with alias 'nope'" in unknown_alias
