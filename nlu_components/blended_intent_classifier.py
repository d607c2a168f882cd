"""Rasa 3.6 intent classifier: logistic regression over the sentence embedding and the count vectors together.

Use it in `config.yml` after the featurizers, naming each featurizer by its `alias` and giving it a weight:

    - name: nlu_components.blended_intent_classifier.BlendedIntentClassifier
      feature_weights: {minilm: 2.0, word_counts: 1.0, char_counts: 1.0}
      C: 30

The maths (TF-IDF and unit length per block, weights, the regression) is `blended_linear_model`; this module
only gathers each message's sentence-level features, sets `intent` and `intent_ranking`, and saves the model
as JSON and a NumPy archive in Rasa's model storage.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.blended_linear_model import BlendedLinearModel, Matrix

logger = logging.getLogger(__name__)

DESCRIPTION_FILE = "blended_intent_classifier.json"
ARRAYS_FILE = "blended_intent_classifier.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class BlendedIntentClassifier(IntentClassifier, GraphComponent):
    """Predicts the intent from weighted sentence features of several featurizers (see the module docstring)."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Featurizers must run first."""
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component imports."""
        return ["numpy", "scipy", "sklearn"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`feature_weights`: featurizer alias -> weight (required); `C`: inverse regularisation strength."""
        return {"feature_weights": {}, "C": 30.0, "max_iter": 5000, "ranking_length": LABEL_RANKING_LENGTH}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Refuse a config with no feature blocks or a weight that is not a positive number."""
        weights = config.get("feature_weights") or {}
        if not weights:
            raise InvalidConfigException(f"{cls.__name__}: feature_weights must name at least one featurizer alias")
        for alias, weight in weights.items():
            if not isinstance(weight, int | float) or weight <= 0:
                raise InvalidConfigException(f"{cls.__name__}: feature_weights.{alias} must be > 0 (got {weight!r})")

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: BlendedLinearModel | None = None) -> None:
        """Hold the config, where to save, and the fitted model (None until trained)."""
        self.config = {**self.get_default_config(), **config}
        self.validate_config(self.config)
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> BlendedIntentClassifier:
        """A new, untrained classifier."""
        return cls(config, model_storage, resource)

    def _block(self, messages: list[Message], alias: str, width: int | None = None) -> Matrix:
        """The sentence features of one featurizer for every message; a message without them gets zeros."""
        rows: list[Any] = []
        for message in messages:
            sparse = message.get_sparse_features(TEXT, [alias])[1]
            dense = message.get_dense_features(TEXT, [alias])[1]
            rows.append(sparse.features if sparse is not None else dense.features if dense is not None else None)
        found = [row for row in rows if row is not None]
        if not found:
            if width is None:
                raise InvalidConfigException(f"{type(self).__name__}: no featurizer with alias '{alias}' "
                                             "produced sentence features; check feature_weights in config.yml")
            return sp.csr_matrix((len(messages), width))
        width = width or found[0].shape[1]
        if sp.issparse(found[0]):
            return sp.vstack([sp.csr_matrix(row) if row is not None else sp.csr_matrix((1, width))
                              for row in rows]).tocsr()
        return np.vstack([np.asarray(row) if row is not None else np.zeros((1, width)) for row in rows])

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every intent example with text, then save."""
        examples = [example for example in training_data.intent_examples if example.get(INTENT) and example.get(TEXT)]
        labels = [example.get(INTENT) for example in examples]
        if len(set(labels)) < 2:
            logger.warning("%s: fewer than two intents to learn; not trained", type(self).__name__)
            return self._resource
        weights = self.config["feature_weights"]
        features = {alias: self._block(examples, alias) for alias in weights}
        self.model = BlendedLinearModel.fit(features, labels, weights, float(self.config["C"]),
                                            int(self.config["max_iter"]))
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Set `intent` (the most probable) and `intent_ranking` (the top `ranking_length`) on each message."""
        with_text = [message for message in messages if message.get(TEXT)]
        if self.model is None or not with_text:
            return messages
        features = {spec.name: self._block(with_text, spec.name, spec.width) for spec in self.model.blocks}
        for message, probabilities in zip(with_text, self.model.predict_proba(features), strict=True):
            order = np.argsort(-probabilities, kind="stable")
            ranking = [{"name": self.model.classes[index], "confidence": float(probabilities[index])}
                       for index in order]
            length = int(self.config["ranking_length"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[:length] if length > 0 else ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        """Save the model as JSON (classes, blocks) and a NumPy archive (coefficients, IDFs); no pickle."""
        if self.model is None:
            return
        description, arrays = self.model.to_arrays()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / DESCRIPTION_FILE).write_text(json.dumps(description, indent=1))
            np.savez(directory / ARRAYS_FILE, **arrays)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> BlendedIntentClassifier:
        """Load a trained classifier, or return an untrained one if nothing was saved."""
        try:
            with model_storage.read_from(resource) as directory:
                description = json.loads((directory / DESCRIPTION_FILE).read_text())
                with np.load(directory / ARRAYS_FILE, allow_pickle=False) as archive:
                    arrays = {name: archive[name] for name in archive.files}
        except (ValueError, FileNotFoundError):
            logger.debug("%s: no saved model in resource '%s'", cls.__name__, resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, BlendedLinearModel.from_arrays(description, arrays))
