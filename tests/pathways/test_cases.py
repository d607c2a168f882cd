"""Runs every practitioner-written case in pathways/cases/*.yml, named by its sentence."""

from pathlib import Path

import pytest

from pathways.case_file import load_cases
from pathways.engine import assess_case

PATHWAYS_DIR = Path(__file__).resolve().parents[2] / "pathways"

CASES = load_cases(PATHWAYS_DIR / "cases")
GATE_CASES = [(f, c) for f, c in CASES if f == "gates.yml" and c.expected.route in ("mash", "emergency")]


@pytest.mark.parametrize(("file_name", "case"), CASES, ids=[c.name for _, c in CASES])
def test_case_gives_the_expected_route_and_reasons(model, file_name, case):
    decision = assess_case(model, case.area, case.age, case.answers)
    fired = {rule.id for rule in decision.fired}
    assert decision.route == case.expected.route, f"{file_name}: {case.name}: reasons {decision.reasons}"
    if case.expected.level is not None:
        assert decision.level == case.expected.level
    assert set(case.expected.fired) <= fired
    assert not set(case.expected.not_fired) & fired


@pytest.mark.parametrize("area", ["southampton", "portsmouth", "hampshire", "isle_of_wight"])
@pytest.mark.parametrize(("file_name", "case"), GATE_CASES, ids=[c.name for _, c in GATE_CASES])
def test_every_red_flag_gives_the_same_route_in_every_area_with_that_areas_contacts(model, area, file_name, case):
    decision = assess_case(model, area, case.age, case.answers)
    assert decision.route == case.expected.route
    assert decision.contacts is not None and decision.contacts.id == area
    assert decision.contacts.out_of_hours.phone


def test_the_cases_cover_every_gate_every_indicator_and_every_area(model):
    fired_somewhere: set[str] = set()
    for _, case in CASES:
        fired_somewhere |= {r.id for r in assess_case(model, case.area, case.age, case.answers).fired}
    assert set(model.gates) <= fired_somewhere
    assert set(model.indicators) <= fired_somewhere
    assert set(model.level_rules) <= fired_somewhere
    assert {case.area for _, case in CASES} == set(model.areas)
    assert len(CASES) >= 60
