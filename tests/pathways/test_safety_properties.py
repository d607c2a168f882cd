"""Safety properties of the engine, checked over many generated cases (hypothesis)."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pathways.engine import assess_case
from pathways.errors import ContradictoryAnswers
from pathways.loader import load_model
from pathways.rule_state import age_condition

MODEL = load_model(Path(__file__).resolve().parents[2] / "pathways")
ANSWERABLE = [q for q in MODEL.questions if q.kind != "number" and q.id != "area"]
RANK = {"universal": 1, "early_help": 2, "mash": 3, "emergency": 4}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@st.composite
def cases(draw):
    answers = {}
    for question in ANSWERABLE:
        if draw(st.booleans()):
            answers[question.id] = draw(st.sampled_from([o.value for o in question.options]))
    area = draw(st.sampled_from([None, *MODEL.areas]))
    age = draw(st.one_of(st.none(), st.integers(0, 17)))
    return area, age, answers


def assess_or_none(area, age, answers):
    """A contradiction is a clear error for the practitioner to resolve, never a lower route."""
    try:
        return assess_case(MODEL, area, age, answers)
    except ContradictoryAnswers:
        return None


def red_flag_options(age):
    """(question, value) pairs that fire or make possible a gate at this age."""
    pairs = []
    for question in ANSWERABLE:
        for option in question.options:
            gates = [MODEL.gates[g] for g in (*option.fires, *option.possible) if g in MODEL.gates]
            if any(age_condition(g, age) is not False for g in gates):
                pairs.append((question.id, option.value))
    return pairs


@SETTINGS
@given(cases(), st.data())
def test_any_red_flag_yes_or_unsure_gives_mash_or_emergency_whatever_the_other_answers(case, data):
    area, age, answers = case
    question_id, value = data.draw(st.sampled_from(red_flag_options(age)))
    answers = {**answers, question_id: value}
    decision = assess_or_none(area, age, answers)
    assume(decision is not None)
    assert decision.route in ("mash", "emergency"), decision.reasons
    assert decision.level == 4


@SETTINGS
@given(cases(), st.data())
def test_a_more_worrying_answer_never_lowers_the_route(case, data):
    area, age, answers = case
    before = assess_or_none(area, age, answers)
    assume(before is not None and before.route != "unclear")
    question = data.draw(st.sampled_from(ANSWERABLE))
    values = [o.value for o in question.options]
    current = answers.get(question.id)
    start = values.index(current) + 1 if current else 0
    assume(start < len(values))
    worse = data.draw(st.sampled_from(values[start:]))
    after = assess_or_none(area, age, {**answers, question.id: worse})
    assume(after is not None)
    assert after.route != "unclear"
    assert RANK[after.route] >= RANK[before.route], (question.id, current, worse, after.reasons)


@SETTINGS
@given(cases())
def test_without_the_emergency_question_the_route_is_never_early_help_or_universal(case):
    area, age, answers = case
    answers.pop("immediate_danger", None)
    decision = assess_or_none(area, age, answers)
    assume(decision is not None)
    assert decision.route in ("unclear", "mash", "emergency")
    if decision.route == "unclear":
        assert decision.questions[0].id == "immediate_danger"


@SETTINGS
@given(cases())
def test_the_same_input_always_gives_the_same_decision(case):
    area, age, answers = case
    first = assess_or_none(area, age, dict(answers))
    second = assess_or_none(area, age, dict(reversed(list(answers.items()))))
    assert first == second


@SETTINGS
@given(cases())
def test_every_decision_says_it_is_guidance_to_record_it_and_keeps_999_reachable(case):
    area, age, answers = case
    decision = assess_or_none(area, age, answers)
    assume(decision is not None)
    text = " ".join(decision.next_steps)
    assert "professional judgement" in text and "Record your decision" in text and "999" in text
    assert decision.emergency_number == "999"
    assert "Consent" in text


@pytest.mark.parametrize("area", [None, *MODEL.areas])
def test_emergency_is_always_999_and_the_first_step(area):
    decision = assess_case(MODEL, area, None, {"immediate_danger": "yes"})
    assert decision.route == "emergency"
    assert decision.next_steps[0].startswith("Call 999")
    assert (decision.contacts is None) == (area is None)
