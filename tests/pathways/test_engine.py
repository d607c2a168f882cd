"""The engine: bad input names the field, conflicts are errors, the conversation stays short."""

import pytest

from pathways.engine import assess_case
from pathways.errors import AssessmentError, ContradictoryAnswers

CLEAR = {"immediate_danger": "no", "harm_screen": "none"}


@pytest.mark.parametrize(
    ("area", "age", "answers", "field"),
    [
        (None, None, {"favourite_colour": "blue"}, "answers.favourite_colour"),
        (None, None, {"immediate_danger": "maybe"}, "answers.immediate_danger"),
        (None, None, {"immediate_danger": True}, "answers.immediate_danger"),
        ("narnia", None, {}, "area"),
        (None, -1, {}, "age"),
        (None, 18, {}, "age"),
        (None, "seven", {}, "age"),
        (None, None, {"age": "twelve"}, "answers.age"),
    ],
)
def test_bad_input_raises_an_error_naming_the_field(model, area, age, answers, field):
    with pytest.raises(AssessmentError) as caught:
        assess_case(model, area, age, answers)
    assert caught.value.field == field


def test_a_gate_fired_by_one_answer_and_ruled_out_by_another_is_a_contradiction(model):
    with pytest.raises(ContradictoryAnswers) as caught:
        assess_case(model, None, None, {"immediate_danger": "no", "harm_screen": "exploitation", "exploitation": "no"})
    assert caught.value.field == "answers.exploitation"


def test_area_and_age_given_twice_must_agree(model):
    with pytest.raises(ContradictoryAnswers):
        assess_case(model, "portsmouth", None, {"area": "hampshire"})
    with pytest.raises(ContradictoryAnswers):
        assess_case(model, None, 9, {"age": "10"})
    assert assess_case(model, None, None, {"area": "hampshire", "age": "9"}).contacts.id == "hampshire"


def test_unknown_area_gives_no_contacts_but_999_and_asks_for_the_area(model):
    decision = assess_case(model, None, None, {"immediate_danger": "no"})
    assert decision.contacts is None
    assert decision.emergency_number == "999"
    assert "area" in [q.id for q in decision.questions]


def test_the_first_question_is_always_the_emergency_question(model):
    assert assess_case(model, None, None, {}).questions[0].id == "immediate_danger"
    assert assess_case(model, "hampshire", None, {"harm_screen": "exploitation"}).questions[0].id == "immediate_danger"


def test_mash_steps_say_what_not_to_do_which_toolkit_and_that_consent_is_not_a_barrier(model):
    decision = assess_case(model, "southampton", 15, {**CLEAR, "harm_screen": "exploitation"})
    steps = " ".join(decision.next_steps)
    assert "Do not: delay the referral to finish the CERAF" in steps
    assert "CSERQ4" in steps and "not a barrier" in steps and "023 8083 2300" in steps
    assert "ceraf-when-to-complete" in decision.guidance_ids


def test_disclosure_steps_warn_against_alerting_the_abuser_and_questioning_the_child(model):
    decision = assess_case(model, "portsmouth", 7, {"immediate_danger": "no", "abuse_disclosure": "yes"})
    steps = " ".join(decision.next_steps)
    assert "alert or confront the alleged abuser" in steps and "question the child further" in steps
    assert "Inter-Agency Contact Form within 48 hours" in steps


def test_early_help_explains_that_consent_is_needed_and_records_a_refusal(model):
    decision = assess_case(model, "hampshire", 9, {**CLEAR, "main_concern": "education",
                                                    "school_attendance": "some_absence", "consent": "no"})
    assert decision.route == "early_help"
    steps = " ".join(decision.next_steps)
    assert "early help is voluntary" in steps and "record the refusal" in steps
    assert "Level 2 request for support" in steps


def answer_like_a_practitioner(model, area, truth):
    """Answer each next question from `truth` (or the least worrying option) until a route is given."""
    answers: dict[str, str] = {}
    for asked in range(1, 12):
        decision = assess_case(model, area, None, answers)
        if decision.route != "unclear":
            return decision, asked - 1
        question = decision.questions[0]
        answers[question.id] = truth.get(question.id, question.options[0].value)
    raise AssertionError("no route after 11 questions")


@pytest.mark.parametrize(
    "truth",
    [
        {"main_concern": "neglect", "neglect_care": "often_unmet"},
        {"main_concern": "education", "school_attendance": "persistent_absence"},
        {"main_concern": "missing", "missing_pattern": "regularly"},
        {"main_concern": "exploitation", "exploitation": "yes"},
        {"main_concern": "other", "additional_needs": "no"},
        {"main_concern": "domestic_abuse", "domestic_abuse": "ongoing"},
        {"main_concern": "mental_health", "mental_health": "low_level"},
    ],
    ids=lambda t: t["main_concern"],
)
def test_a_typical_concern_reaches_a_route_in_six_questions_or_fewer(model, truth):
    decision, asked = answer_like_a_practitioner(model, "portsmouth", truth)
    assert asked <= 6, (asked, decision.route)
