"""The recommendation explains itself, cites guidance with sources, and says it supports judgement."""

import asyncio

import pytest

from actions.guidance import ActionAnswerGuidanceQuestion
from actions.recommendation import ActionRecommendRoute
from tests.actions.support import customs, make_tracker, texts

pytestmark = pytest.mark.slow

NEGLECT_MASH = {"immediate_danger": "no", "main_concern": "neglect", "harm_screen": "none",
                "neglect_care": "serious_harm"}


def recommend(dispatcher, description: str, **slots):
    event = {"event": "user", "text": description,
             "parse_data": {"intent": {"name": "describe_concern", "confidence": 1.0}, "entities": []}}
    tracker = make_tracker(text="/inform", intent="inform", events=[event], **slots)
    return asyncio.run(ActionRecommendRoute().run(dispatcher, tracker, {}))


def test_a_recommendation_has_route_reasons_steps_contacts_guidance_and_the_judgement_note(dispatcher):
    events = recommend(dispatcher, "the children are always hungry and dirty", area="portsmouth", age=6,
                       answers=NEGLECT_MASH)
    payload = next(c for c in customs(dispatcher) if c["type"] == "recommendation")
    assert payload["route"] == "mash"
    assert payload["reasons"] and all(r["reference"] for r in payload["reasons"])
    assert any("record" in step.lower() for step in payload["next_steps"])
    assert any("0845 671 0271" in line for line in payload["contacts"])
    assert payload["guidance"] and all(card["source_url"].startswith("http") for card in payload["guidance"])
    assert "professional judgement" in payload["judgement_note"]
    assert {"name": "route", "value": "mash"} in [{"name": e["name"], "value": e["value"]} for e in events]


def test_the_summary_holds_the_decision_but_not_the_practitioners_words(dispatcher):
    recommend(dispatcher, "Jayden keeps arriving starving", area="southampton", age=6, answers=NEGLECT_MASH)
    summary = next(c for c in customs(dispatcher) if c["type"] == "recommendation")["summary"]
    assert "Suggested route" in summary and "My decision" in summary
    assert "Jayden" not in summary and "starving" not in summary


def test_a_question_the_guidance_does_not_cover_is_answered_honestly(dispatcher):
    tracker = make_tracker(text="what's the weather like in Portsmouth tomorrow", intent="ask_guidance")
    asyncio.run(ActionAnswerGuidanceQuestion().run(dispatcher, tracker, {}))
    assert "won't guess" in texts(dispatcher)[0]


def test_a_covered_question_cites_its_source_and_review_date(dispatcher):
    tracker = make_tracker(text="what is the philomena protocol", intent="ask_guidance")
    asyncio.run(ActionAnswerGuidanceQuestion().run(dispatcher, tracker, {}))
    items = next(c for c in customs(dispatcher) if c["type"] == "guidance")["items"]
    assert any("philomena" in item["id"] for item in items)
    assert all(item["review_by"] and item["source_url"] for item in items)
