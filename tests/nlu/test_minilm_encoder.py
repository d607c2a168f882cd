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
    assert {layer: vectors.shape for layer, vectors in encoder.encode_layers([], [3, 6]).items()} == {
        3: (0, 384), 6: (0, 384)}


def test_an_earlier_layer_matches_the_transformer_hidden_state_mean_pooled(encoder: MiniLMEncoder) -> None:
    """Layer n is Hugging Face's hidden_states[n] (0 = the embedding layer), mean-pooled over real tokens."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    model_dir = str(default_model_dir())
    tokenizer = transformers.AutoTokenizer.from_pretrained(model_dir)
    model = transformers.AutoModel.from_pretrained(model_dir).eval()
    batch = tokenizer(TEXTS[:5], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch, output_hidden_states=True).hidden_states
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = encoder.encode_layers(TEXTS[:5], [0, 3, 6])
    for layer in (0, 3, 6):
        pooled = ((hidden[layer] * mask).sum(1) / mask.sum(1)).numpy()
        expected = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        cosines = (ours[layer] * expected).sum(axis=1)
        assert cosines.min() > 1 - 1e-4, (layer, cosines.round(6))


def test_layers_come_from_one_pass_and_the_last_is_the_embedding(encoder: MiniLMEncoder) -> None:
    layers = encoder.encode_layers(TEXTS[:5], [3, 6])
    np.testing.assert_allclose(layers[6], encoder.encode(TEXTS[:5]), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(layers[3], axis=1), 1.0, atol=1e-5)
    assert layers[3].dtype == np.float32
    assert (layers[3] * layers[6]).sum(axis=1).max() < 0.99  # a different view of the text, not a copy


def test_padding_in_a_batch_does_not_change_an_earlier_layer(encoder: MiniLMEncoder) -> None:
    alone = np.vstack([encoder.encode_layers([text], [3])[3] for text in TEXTS[:5]])
    np.testing.assert_allclose(encoder.encode_layers(TEXTS[:5], [3])[3], alone, atol=1e-5)


@pytest.mark.parametrize("layers", [[7], [-1], []])
def test_a_layer_the_model_does_not_have_is_refused(encoder: MiniLMEncoder, layers: list[int]) -> None:
    with pytest.raises(ValueError, match="layers must be between 0 and 6"):
        encoder.encode_layers(["hi"], layers)


def test_erf_is_accurate_to_single_precision() -> None:
    points = np.linspace(-6, 6, 2001, dtype=np.float64)
    expected = np.array([math.erf(x) for x in points])
    assert np.abs(_erf(points) - expected).max() < 2e-7
