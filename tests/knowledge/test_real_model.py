"""The real offline model end to end over fixture guidance, with the thresholds in knowledge/settings.yml."""

from pathlib import Path

import pytest

from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.settings import load_settings
from tests.knowledge.support import make_service

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):
    settings = load_settings()
    embedder = SentenceTransformerEmbedder(settings.model.name)
    return make_service(Path(tmp_path_factory.mktemp("real-model")), embedder=embedder, settings=settings)


def test_embeddings_are_normalised_and_384_wide() -> None:
    embedder = SentenceTransformerEmbedder(load_settings().model.name)
    vectors = embedder.embed(["a child told me about abuse", "neglect"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors ** 2).sum(axis=1).max()) - 1.0) < 1e-5


@pytest.mark.parametrize(("question", "expected"), [
    ("a pupil told me her stepdad abuses her, what do I do", "csa-responding-to-disclosure"),
    ("child always hungry and dirty, is it neglect", "neglect-signs-and-indicators"),
    ("a child in my class is missing and nobody can find her", "missing-reporting-to-police"),
])
def test_in_scope_questions_find_the_right_item(service, question: str, expected: str) -> None:
    response = service.search(question)
    assert not response.abstained and response.results[0].id == expected


@pytest.mark.parametrize("question", ["what is the weather in Southampton tomorrow", "how do I reset my password",
                                      "best pizza in Portsmouth"])
def test_out_of_scope_questions_abstain(service, question: str) -> None:
    assert service.search(question).abstained
