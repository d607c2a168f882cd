"""Safety properties of the actions: emergency always shows 999 and the MASH; triage never keeps identifiers."""

import asyncio

import pytest

from actions.emergency import ActionEmergencyResponse
from actions.runtime import threshold_model
from actions.triage import ActionTriageConcern
from pathways.engine import assess_case
from tests.actions.support import make_tracker, texts


@pytest.mark.parametrize("area", [None, "southampton", "portsmouth", "hampshire", "isle_of_wight"])
def test_the_emergency_response_gives_999_and_the_mash_line_for_any_area(dispatcher, area):
    tracker = make_tracker(text="he's in danger", intent="emergency", area=area)
    asyncio.run(ActionEmergencyResponse().run(dispatcher, tracker, {}))
    text = texts(dispatcher)[0]
    assert text.startswith("If a child is in immediate danger, call 999 now")
    areas = [area] if area else list(threshold_model().areas)
    for area_id in areas:
        door = threshold_model().areas[area_id].front_door
        assert (door.professionals_phone or door.public_phone or door.online_form) in text


def test_triage_warns_about_identifying_details_and_keeps_only_structure(dispatcher):
    text = "Liam Smith (7) DOB 03/04/2018 keeps coming to school hungry, lives at 12 Acacia Road"
    events = asyncio.run(ActionTriageConcern().run(dispatcher, make_tracker(text=text), {}))
    assert "identifying details" in texts(dispatcher)[0]
    stored = repr([e.get("value") for e in events])
    for fragment in ("Liam", "Smith", "03/04/2018", "Acacia"):
        assert fragment not in stored


def test_triage_of_a_disclosure_keeps_answers_that_route_to_the_mash(dispatcher):
    events = asyncio.run(ActionTriageConcern().run(
        dispatcher, make_tracker(text="a girl in year 9 told me her stepdad has been touching her"), {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    decision = assess_case(threshold_model(), slots.get("area"), slots.get("age"), slots["answers"])
    assert decision.route in {"mash", "emergency"}
