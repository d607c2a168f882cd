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


LAYERS_SCRIPT = """
import json
from unittest.mock import Mock
import numpy as np
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from nlu_components.minilm_featurizer import MiniLMSentenceFeaturizer
from nlu_components.minilm_encoder import MiniLMEncoder

context = Mock(node_name="minilm")
tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), Mock(), Mock(), context)


def featurizer(**options):
    config = {**MiniLMSentenceFeaturizer.get_default_config(), "alias": "minilm", **options}
    return MiniLMSentenceFeaturizer.create(config, Mock(), Mock(), context)


def origins(message):
    return sorted(feature.origin for feature in message.features)


texts = ["what happens next?", "a baby has a bruise on his cheek", '/inform{"pending_answer":"no"}']
messages = [Message(data={"text": t}) for t in texts]
tokenizer.process(messages)
featurizer(extra_layers=[3]).process(messages)
expected = MiniLMEncoder().encode_layers(texts[:2], [3, 6])
result = {
    "origins": origins(messages[0]),
    "layer3": [float(m.get_dense_features("text", ["minilm_layer3"])[1].features[0] @ v)
               for m, v in zip(messages[:2], expected[3])],
    "last": [float(m.get_dense_features("text", ["minilm"])[1].features[0] @ v)
             for m, v in zip(messages[:2], expected[6])],
    "payload": [float(np.abs(m.features[0].features).sum()) for m in [messages[2]]]
               + [float(np.abs(f.features).sum()) for f in messages[2].features],
}
plain = [Message(data={"text": texts[0]})]
tokenizer.process(plain)
featurizer().process(plain)
result["default_origins"] = origins(plain[0])
refused = []
for layers in ([6], [0], ["3"], 3):
    try:
        featurizer(extra_layers=layers)
        refused.append(False)
    except InvalidConfigException:
        refused.append(True)
result["refused"] = refused
print("RESULT" + json.dumps(result))
"""


@pytest.fixture(scope="module")
def layers_outcome() -> dict:
    return run_in_rasa(LAYERS_SCRIPT)


def test_an_extra_layer_adds_its_own_sentence_feature_under_its_own_alias(layers_outcome: dict) -> None:
    assert layers_outcome["origins"] == ["minilm", "minilm_layer3"]
    assert min(layers_outcome["layer3"]) > 0.9999 and min(layers_outcome["last"]) > 0.9999


def test_without_extra_layers_only_the_embedding_is_added(layers_outcome: dict) -> None:
    assert layers_outcome["default_origins"] == ["minilm"]


def test_a_button_payload_gets_zeros_for_every_layer(layers_outcome: dict) -> None:
    assert all(total == 0.0 for total in layers_outcome["payload"])


def test_extra_layers_outside_the_encoder_or_not_a_list_of_numbers_are_refused(layers_outcome: dict) -> None:
    """Layer 6 is the embedding itself, 0 the word embeddings; "3" and a bare 3 are not lists of numbers."""
    assert layers_outcome["refused"] == [True, True, True, True]
