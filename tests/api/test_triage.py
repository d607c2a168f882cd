"""Triage API: a description in, a provisional route with red flags and questions out."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_threshold_model
from api.routes import triage
from pathways.loader import load_model

MODEL = load_model(Path(__file__).resolve().parents[2] / "pathways")


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(triage.router)
    app.dependency_overrides[get_threshold_model] = lambda: MODEL
    return TestClient(app)


def test_a_disclosure_is_a_red_flag_with_a_mash_route(client):
    body = client.post("/api/v1/triage", json={"text": "8 yo said her dad punched her last night", "area": None}).json()
    assert body["route"] == "mash"
    assert "gate_disclosure_or_allegation" in body["red_flags"]
    assert body["age"] == 8 and body["questions"][0]["id"] == "immediate_danger"
    assert body["reasons"] and body["guidance"] and "physical_abuse" in body["concerns"]


def test_a_vague_worry_is_unclear_with_questions(client):
    body = client.post("/api/v1/triage", json={"text": "I have a funny feeling about a boy in my class"}).json()
    assert body["route"] == "unclear" and body["red_flags"] == []
    assert body["questions"][0]["id"] == "immediate_danger"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"text": "   "}, "text"), ({"text": "x" * 6000}, "text"),
     ({"text": "worried about a child", "area": "kent"}, "area")],
)
def test_empty_or_oversized_text_and_unknown_area_are_422_naming_the_field(client, payload, field):
    response = client.post("/api/v1/triage", json=payload)
    assert response.status_code == 422 and response.json()["detail"]["field"] == field


def test_missing_text_is_422(client):
    assert client.post("/api/v1/triage", json={"area": "hampshire"}).status_code == 422
