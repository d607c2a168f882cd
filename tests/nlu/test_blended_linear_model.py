"""The weighted-block logistic regression behind the intent classifier (pure numpy/scipy/scikit-learn)."""

import io

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from nlu_components.blended_linear_model import BlendedLinearModel, BlockSpec, smoothed_idf, transform_block

TEXTS = ["what are the signs of neglect", "what is a strategy discussion", "how do i refer to the mash",
         "i want to refer now", "refer anyway", "hello there", "hi", "good morning", "what is county lines",
         "i'm going to ring the mash and refer"]
LABELS = ["ask_guidance", "ask_guidance", "want_mash_contact", "want_mash_contact", "want_mash_contact",
          "greet", "greet", "greet", "ask_guidance", "want_mash_contact"]


def counts(texts: list[str]) -> sp.csr_matrix:
    return CountVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(TEXTS).transform(texts).tocsr()


def embedding(texts: list[str]) -> np.ndarray:
    """A stand-in dense feature: a fixed random projection of the counts (rows not unit length)."""
    projection = np.random.default_rng(0).normal(size=(counts(TEXTS).shape[1], 16))
    return np.asarray(counts(texts) @ projection) * 3.0


def features(texts: list[str]) -> dict:
    return {"dense": embedding(texts), "chars": counts(texts)}


WEIGHTS = {"dense": 2.0, "chars": 1.0}


@pytest.fixture(scope="module")
def model() -> BlendedLinearModel:
    return BlendedLinearModel.fit(features(TEXTS), LABELS, WEIGHTS, c=30)


def test_idf_and_count_block_match_scikit_learn_sublinear_tfidf() -> None:
    matrix = counts(TEXTS)
    reference = TfidfTransformer(sublinear_tf=True).fit(matrix)
    np.testing.assert_allclose(smoothed_idf(matrix), reference.idf_)
    block = transform_block(matrix, BlockSpec("chars", 0.5, matrix.shape[1], smoothed_idf(matrix)))
    np.testing.assert_allclose(block.toarray(), 0.5 * reference.transform(matrix).toarray(), atol=1e-12)


def test_a_dense_block_is_unit_length_per_row_times_its_weight() -> None:
    block = transform_block(embedding(TEXTS), BlockSpec("dense", 2.0, 16, None)).toarray()
    np.testing.assert_allclose(np.linalg.norm(block, axis=1), 2.0)


def test_training_messages_are_recognised_and_probabilities_sum_to_one(model: BlendedLinearModel) -> None:
    probabilities = model.predict_proba(features(TEXTS))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert [model.classes[index] for index in probabilities.argmax(axis=1)] == LABELS


def test_the_scale_of_a_dense_block_does_not_change_a_prediction(model: BlendedLinearModel) -> None:
    """Each block is scaled to unit length, so only its configured weight sets its influence."""
    unscaled = features(TEXTS[:3])
    scaled = {"dense": unscaled["dense"] * 100.0, "chars": unscaled["chars"]}
    np.testing.assert_allclose(model.predict_proba(scaled), model.predict_proba(unscaled), atol=1e-6)


def test_saved_arrays_reload_to_the_same_predictions_without_pickle(model: BlendedLinearModel) -> None:
    description, arrays = model.to_arrays()
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as archive:
        reloaded = BlendedLinearModel.from_arrays(description, {name: archive[name] for name in archive.files})
    assert reloaded.classes == model.classes
    np.testing.assert_allclose(reloaded.predict_proba(features(TEXTS)), model.predict_proba(features(TEXTS)))


def test_two_intents_give_the_same_probabilities_as_scikit_learn() -> None:
    chosen = [index for index, label in enumerate(LABELS) if label != "greet"]
    texts, labels = [TEXTS[i] for i in chosen], [LABELS[i] for i in chosen]
    model = BlendedLinearModel.fit({"chars": counts(texts)}, labels, {"chars": 1.0}, c=10)
    design = transform_block(counts(texts), model.blocks[0])
    reference = LogisticRegression(C=10, max_iter=5000, class_weight="balanced").fit(design, labels)
    np.testing.assert_allclose(model.predict_proba({"chars": counts(texts)}), reference.predict_proba(design),
                               atol=1e-6)


def test_a_block_of_the_wrong_width_is_refused(model: BlendedLinearModel) -> None:
    wrong = {"dense": np.ones((1, 15)), "chars": counts(TEXTS[:1])}
    with pytest.raises(ValueError, match="'dense' is 15 wide, the model expects 16"):
        model.predict_proba(wrong)


def test_one_intent_is_not_enough_to_train() -> None:
    with pytest.raises(ValueError, match="two intents"):
        BlendedLinearModel.fit({"chars": counts(TEXTS)}, ["greet"] * len(TEXTS), {"chars": 1.0}, c=1)
