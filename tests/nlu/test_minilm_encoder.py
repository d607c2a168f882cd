"""The numpy all-MiniLM-L6-v2 forward pass gives sentence-transformers' own embeddings (no torch at run time)."""

import math

import numpy as np
import pytest

from nlu_components.minilm_encoder import MiniLMEncoder, _erf, default_model_dir

pytestmark = pytest.mark.slow

TEXTS = [
    "hi",
    "what happens next?",
    "wat r signs of grooming",
    "a year 4 boy keeps coming to school hungry and in dirty clothes, mum can't be reached",
    "I want to make a MASH referral anyway",
    "😀 <script>alert('x')</script>",
    "il ne mange pas à l'école",
    "",
    "neglect " * 400,  # longer than 256 word pieces: truncated like sentence-transformers
]


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder(batch_size=4)


def test_embeddings_match_sentence_transformers(encoder: MiniLMEncoder) -> None:
    sentence_transformers = pytest.importorskip("sentence_transformers")
    reference = sentence_transformers.SentenceTransformer(str(default_model_dir()), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    ours = encoder.encode(TEXTS)
    cosines = (ours * expected).sum(axis=1)
    assert cosines.min() > 1 - 1e-4, dict(zip(TEXTS, cosines.round(6), strict=True))


def test_embeddings_are_normalised_384_wide_float32(encoder: MiniLMEncoder) -> None:
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_padding_in_a_batch_does_not_change_an_embedding(encoder: MiniLMEncoder) -> None:
    alone = np.vstack([encoder.encode([text]) for text in TEXTS[:5]])
    batched = encoder.encode(TEXTS[:5])
    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_no_texts_give_an_empty_matrix(encoder: MiniLMEncoder) -> None:
    assert encoder.encode([]).shape == (0, 384)


def test_erf_is_accurate_to_single_precision() -> None:
    points = np.linspace(-6, 6, 2001, dtype=np.float64)
    expected = np.array([math.erf(x) for x in points])
    assert np.abs(_erf(points) - expected).max() < 2e-7
