"""A multinomial logistic regression over weighted blocks of features: the maths behind the intent classifier.

Each block is one featurizer's sentence feature (the MiniLM embedding, word counts, character n-gram counts).
Raw counts would swamp the 384 embedding values (Rasa's own LogisticRegressionClassifier scored no better than
DIET for that reason, ADR 0004), so every block is put on the same footing before it is weighted:
- a sparse count block gets sublinear TF-IDF (``1 + log(count)`` times a smoothed IDF learnt in training);
- every block is scaled to unit length per message, then multiplied by its weight.
Logistic regression gives probabilities that track how often the model is right (its loss is the log-loss),
which the `FallbackClassifier` threshold relies on; an SVM's Platt-scaled scores were far less calibrated.

No Rasa import here: `nlu_components.blended_intent_classifier` wraps it as a Rasa component. The fitted model
is a few arrays and a JSON description, never a pickle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

Matrix = np.ndarray | sp.spmatrix


@dataclass(frozen=True)
class BlockSpec:
    """How one block of features enters the model: its weight, width, and (for count blocks) the IDF."""

    name: str
    weight: float
    width: int
    idf: np.ndarray | None  # None for a dense block


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def _sublinear_tf(counts: Matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    matrix.data = np.where(matrix.data > 0, 1.0 + np.log(np.maximum(matrix.data, 1e-12)), 0.0)
    matrix.eliminate_zeros()
    return matrix


def smoothed_idf(counts: Matrix) -> np.ndarray:
    """``log((1 + n) / (1 + df)) + 1`` per column, as scikit-learn's TfidfTransformer computes it."""
    matrix = sp.csr_matrix(counts)
    document_frequency = np.bincount(matrix.indices[matrix.data > 0], minlength=matrix.shape[1])
    return np.log((1.0 + matrix.shape[0]) / (1.0 + document_frequency)) + 1.0


def transform_block(values: Matrix, spec: BlockSpec) -> sp.csr_matrix:
    """One block ready for the model: TF-IDF for counts, unit length per row, times the block's weight."""
    if values.shape[1] != spec.width:
        raise ValueError(f"feature block '{spec.name}' is {values.shape[1]} wide, the model expects {spec.width}")
    if spec.idf is None:
        matrix = sp.csr_matrix(np.asarray(values.toarray() if sp.issparse(values) else values, dtype=np.float64))
    else:
        matrix = sp.csr_matrix(_sublinear_tf(values) @ sp.diags(spec.idf))
    return _unit_rows(matrix) * spec.weight


class BlendedLinearModel:
    """Fit, apply and serialise the weighted-block logistic regression."""

    def __init__(self, blocks: list[BlockSpec], classes: list[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        """A fitted model; use `fit` or `from_arrays` to make one."""
        self.blocks = blocks
        self.classes = classes
        self.coef = coef
        self.intercept = intercept

    @classmethod
    def fit(cls, features: dict[str, Matrix], labels: list[str], weights: dict[str, float],
            c: float, max_iter: int = 5000) -> BlendedLinearModel:
        """Learn IDFs and the regression from one matrix per block (rows = messages) and one label per row.

        A block given as a scipy sparse matrix is treated as counts; a numpy array as a dense embedding.
        Classes are balanced (each intent weighs the same whatever its number of examples).
        """
        if len(set(labels)) < 2:
            raise ValueError("at least two intents are needed to train an intent classifier")
        blocks = [BlockSpec(name, float(weights[name]), features[name].shape[1],
                            smoothed_idf(features[name]) if sp.issparse(features[name]) else None)
                  for name in weights]
        design = sp.hstack([transform_block(features[spec.name], spec) for spec in blocks]).tocsr()
        regression = LogisticRegression(C=c, max_iter=max_iter, class_weight="balanced").fit(design, labels)
        coef, intercept = regression.coef_, regression.intercept_
        if coef.shape[0] == 1:  # two classes: scikit-learn keeps one row; softmax of (-z/2, z/2) = sigmoid(z)
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
        return cls(blocks, [str(label) for label in regression.classes_], coef, intercept)

    def predict_proba(self, features: dict[str, Matrix]) -> np.ndarray:
        """Class probabilities, one row per message, columns in the order of `classes`."""
        design = sp.hstack([transform_block(features[spec.name], spec) for spec in self.blocks]).tocsr()
        scores = np.asarray(design @ self.coef.T) + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """A JSON-ready description and the named arrays that `from_arrays` needs."""
        description = {"classes": self.classes,
                       "blocks": [{"name": spec.name, "weight": spec.weight, "width": spec.width,
                                   "counts": spec.idf is not None} for spec in self.blocks]}
        arrays = {"coef": self.coef, "intercept": self.intercept}
        arrays.update({f"idf_{spec.name}": spec.idf for spec in self.blocks if spec.idf is not None})
        return description, arrays

    @classmethod
    def from_arrays(cls, description: dict, arrays: dict[str, np.ndarray]) -> BlendedLinearModel:
        """Rebuild a model saved with `to_arrays`."""
        blocks = [BlockSpec(block["name"], float(block["weight"]), int(block["width"]),
                            np.asarray(arrays[f"idf_{block['name']}"]) if block["counts"] else None)
                  for block in description["blocks"]]
        return cls(blocks, list(description["classes"]), np.asarray(arrays["coef"]), np.asarray(arrays["intercept"]))
