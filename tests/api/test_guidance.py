"""HTTP guidance endpoints over fixture guidance: answers, abstention, and a clear 4xx for every bad input."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_guidance_service
from api.routes import guidance
from tests.knowledge.support import make_service


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    service = make_service(Path(tmp_path_factory.mktemp("guidance-api")))
    app = FastAPI()
    app.include_router(guidance.router)
    app.dependency_overrides[get_guidance_service] = lambda: service
    return TestClient(app, raise_server_exceptions=False)


def test_search_returns_results_with_sources(client: TestClient) -> None:
    response = client.post("/api/v1/guidance/search", json={"query": "child missing from home, ring the police"})
    assert response.status_code == 200
    body = response.json()
    assert body["abstained"] is False and body["results"][0]["id"] == "missing-reporting-to-police"
    assert set(body["results"][0]) == {"id", "toolkit", "title", "snippet", "source_title", "source_url",
                                       "last_reviewed", "review_by", "verified", "score"}
    assert body["results"][0]["verified"] is False


def test_search_with_an_area_keeps_other_areas_out(client: TestClient) -> None:
    response = client.post("/api/v1/guidance/search",
                           json={"query": "contact the MASH by telephone", "k": 10, "area": "portsmouth"})
    ids = [hit["id"] for hit in response.json()["results"]]
    assert "mash-portsmouth-contact" in ids and "mash-southampton-contact" not in ids


def test_out_of_scope_search_abstains(client: TestClient) -> None:
    response = client.post("/api/v1/guidance/search", json={"query": "best pizza delivery tonight"})
    assert response.status_code == 200 and response.json() == {"results": [], "abstained": True}


@pytest.mark.parametrize(("body", "message"), [
    ({"query": ""}, "query must not be empty"),
    ({"query": "   \n "}, "query must not be empty"),
    ({"query": "x" * 1001}, "at most 1000 characters"),
    ({"query": 42}, "valid string"),
    ({"query": ["neglect"]}, "valid string"),
    ({"query": "neglect", "area": "gosport"}, "area must be one of"),
    ({"query": "neglect", "area": 3}, "valid string"),
    ({"query": "neglect", "k": 0}, "greater than or equal to 1"),
    ({"query": "neglect", "k": 11}, "less than or equal to 10"),
    ({"query": "neglect", "k": "three"}, "valid integer"),
    ({"query": "neglect", "colour": "blue"}, "Extra inputs are not permitted"),
    ({}, "Field required"),
])
def test_bad_search_input_is_a_readable_422(client: TestClient, body: dict, message: str) -> None:
    response = client.post("/api/v1/guidance/search", json=body)
    assert response.status_code == 422
    assert message in response.text


def test_a_body_that_is_not_json_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post("/api/v1/guidance/search", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_get_returns_the_whole_item(client: TestClient) -> None:
    response = client.get("/api/v1/guidance/csa-responding-to-disclosure")
    assert response.status_code == 200
    item = response.json()
    assert item["source"] == {"title": "Test fixture source", "url": "https://example.org/disclosure"}
    assert "do not promise to keep a secret" in item["body"] and item["areas"] == ["all"]


def test_get_an_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/guidance/no-such-item")
    assert response.status_code == 404 and "no-such-item" in response.json()["detail"]
