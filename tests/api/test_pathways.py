"""Pathways API: questions, explained assessment, and bad input as a clear 4xx naming the field."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_threshold_model
from api.routes import pathways
from pathways.loader import load_model

MODEL = load_model(Path(__file__).resolve().parents[2] / "pathways")


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(pathways.router)
    app.dependency_overrides[get_threshold_model] = lambda: MODEL
    return TestClient(app)


def test_questions_list_starts_with_the_emergency_question_and_has_options(client):
    questions = client.get("/api/v1/pathways/questions").json()
    assert questions[0]["id"] == "immediate_danger"
    assert [o["value"] for o in questions[0]["options"]] == ["no", "unsure", "yes"]
    by_id = {q["id"]: q for q in questions}
    assert by_id["age"]["kind"] == "number" and by_id["area"]["kind"] == "choice"


def test_assess_returns_route_reasons_contacts_and_next_question(client):
    response = client.post("/api/v1/pathways/assess", json={
        "area": "isle_of_wight", "age": 14, "answers": {"immediate_danger": "no", "harm_screen": "exploitation"}})
    assert response.status_code == 200
    body = response.json()
    assert body["route"] == "mash" and body["level"] == 4
    assert body["fired"][0]["id"] == "gate_exploitation" and body["fired"][0]["reference"]
    assert body["contacts"]["front_door"]["professionals_phone"] == "01983 823436"
    assert "ceraf-when-to-complete" in body["guidance"]


def test_assess_with_nothing_answered_is_unclear_and_asks_about_danger_first(client):
    body = client.post("/api/v1/pathways/assess", json={"area": None, "age": None, "answers": {}}).json()
    assert body["route"] == "unclear" and body["questions"][0]["id"] == "immediate_danger"
    assert body["contacts"] is None and body["emergency_number"] == "999"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"area": "narnia", "answers": {}}, "area"),
        ({"age": 30, "answers": {}}, "age"),
        ({"answers": {"shoe_size": "9"}}, "answers.shoe_size"),
        ({"answers": {"immediate_danger": "perhaps"}}, "answers.immediate_danger"),
        ({"answers": {"immediate_danger": 1}}, "answers.immediate_danger"),
        ({"answers": {"harm_screen": "exploitation", "exploitation": "no"}}, "answers.exploitation"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, payload, field):
    response = client.post("/api/v1/pathways/assess", json=payload)
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == field


@pytest.mark.parametrize("payload", [{"answers": {"immediate_danger": ["yes"]}}, {"answers": {}, "colour": "red"},
                                     {"age": "old", "answers": {}}])
def test_malformed_bodies_are_422_not_500(client, payload):
    response = client.post("/api/v1/pathways/assess", json=payload)
    assert response.status_code == 422
