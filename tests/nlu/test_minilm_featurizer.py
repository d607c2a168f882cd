"""The Rasa featurizer component, run in the Rasa environment (.venv-rasa, Python 3.10), since Rasa is not
installed in .venv; skipped with the reason when that environment is missing."""


import pytest

from tests.nlu.rasa_script import needs_rasa, run_in_rasa

pytestmark = needs_rasa

SCRIPT = """
import json
from unittest.mock import Mock
import numpy as np
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from nlu_components.minilm_featurizer import MiniLMSentenceFeaturizer
from nlu_components.minilm_encoder import MiniLMEncoder

context = Mock(node_name="minilm")
config = {**MiniLMSentenceFeaturizer.get_default_config(), "alias": "minilm"}
featurizer = MiniLMSentenceFeaturizer.create(config, Mock(), Mock(), context)
tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), Mock(), Mock(), context)
texts = ["what happens next?", "a baby has a bruise on his cheek"]
examples = [Message(data={"text": t, "intent": "x"}) for t in texts]
training = TrainingData(examples + [Message(data={"action_name": "utter_greet"})])
tokenizer.process_training_data(training)
featurizer.process_training_data(training)
live = [Message(data={"text": texts[0]})]
tokenizer.process(live)
featurizer.process(live)
expected = MiniLMEncoder().encode(texts)
result = {"trained": [], "live": None, "action_only": None}
for message, vector in zip(training.training_examples[:2], expected):
    seq, sent = message.get_dense_features("text", ["minilm"])
    result["trained"].append([seq is None, sent.features.shape[1], float(sent.features[0] @ vector)])
seq, sent = live[0].get_dense_features("text", ["minilm"])
result["live"] = float(sent.features[0] @ expected[0])
result["action_only"] = training.training_examples[2].get_dense_features("text", ["minilm"])[1] is None
payloads = [Message(data={"text": t}) for t in ['/inform{"pending_answer":"no"}', "/affirm", "/I think he is hurt"]]
tokenizer.process(payloads)
featurizer.process(payloads)
result["payloads"] = [float(np.abs(m.get_dense_features("text", ["minilm"])[1].features).sum()) for m in payloads]
print("RESULT" + json.dumps(result))
"""


@pytest.fixture(scope="module")
def outcome() -> dict:
    return run_in_rasa(SCRIPT)


def test_training_examples_get_one_384_wide_sentence_feature_and_no_sequence_feature(outcome: dict) -> None:
    for no_sequence, width, cosine in outcome["trained"]:
        assert no_sequence and width == 384 and cosine > 0.9999


def test_a_live_message_gets_the_same_embedding_as_in_training(outcome: dict) -> None:
    assert outcome["live"] > 0.9999


def test_messages_without_text_are_left_alone(outcome: dict) -> None:
    assert outcome["action_only"] is True


def test_button_payloads_get_a_zero_vector_and_slash_typed_words_are_embedded(outcome: dict) -> None:
    """Rasa replaces the classifier's intent for a payload; text that is not payload-shaped is embedded."""
    inform, affirm, typed = outcome["payloads"]
    assert inform == 0.0 and affirm == 0.0
    assert typed > 1.0
