"""The engine-driven form: it asks what the engine needs, records answers, and stops when it can decide."""

import pytest

from actions.threshold_questions import ActionAskPendingAnswer, ValidateThresholdForm
from tests.actions.support import make_tracker, texts


async def ask(dispatcher, **slots):
    return await ActionAskPendingAnswer().run(dispatcher, make_tracker(**slots), {})


def run(coro):
    import asyncio

    return asyncio.run(coro)


def test_the_first_question_is_always_immediate_danger_with_plain_buttons(dispatcher):
    events = run(ask(dispatcher, answers={}))
    assert events[0]["name"] == "pending_question" and events[0]["value"] == "immediate_danger"
    buttons = dispatcher.messages[0]["buttons"]
    assert {b["title"] for b in buttons} == {"Yes", "No", "Not sure"}
    assert all(b["payload"].startswith('/inform{"pending_answer":') for b in buttons)


def test_a_valid_answer_is_recorded_and_the_slot_cleared_for_the_next_question(dispatcher):
    form = ValidateThresholdForm()
    tracker = make_tracker(answers={}, pending_question="immediate_danger")
    slots = form.validate_pending_answer("no", dispatcher, tracker, {})
    assert slots["answers"] == {"immediate_danger": "no"}
    assert slots["pending_answer"] is None
    assert dispatcher.messages == []


@pytest.mark.parametrize("typed", ["Not sure", "dunno", "yes", "No"])
def test_typed_answers_are_understood(dispatcher, typed):
    slots = ValidateThresholdForm().validate_pending_answer(
        typed, dispatcher, make_tracker(answers={}, pending_question="immediate_danger"), {})
    assert slots["answers"]["immediate_danger"] in {"yes", "no", "unsure"}


def test_a_bad_answer_is_explained_and_asked_again_without_losing_earlier_answers(dispatcher):
    tracker = make_tracker(answers={"immediate_danger": "no"}, pending_question="main_concern")
    slots = ValidateThresholdForm().validate_pending_answer("banana", dispatcher, tracker, {})
    assert slots == {"pending_answer": None}
    assert "Sorry" in texts(dispatcher)[0]


@pytest.mark.parametrize("typed", ["?!", "👍", "...", "🙂🙂"])
def test_an_answer_without_words_is_not_taken_as_yes_no_or_not_sure(dispatcher, typed):
    tracker = make_tracker(text=typed, intent="affirm", answers={"immediate_danger": "no"},
                           pending_question="harm_screen")
    slots = ValidateThresholdForm().validate_pending_answer("yes", dispatcher, tracker, {})
    assert slots == {"pending_answer": None}
    assert "couldn't tell your answer" in texts(dispatcher)[0]


def test_area_and_age_answers_fill_their_own_slots(dispatcher):
    form = ValidateThresholdForm()
    area = form.validate_pending_answer("portsmouth", dispatcher, make_tracker(answers={}, pending_question="area"), {})
    assert area["area"] == "portsmouth"
    assert form.validate_pending_answer("he is 7", dispatcher, make_tracker(answers={}, pending_question="age"), {})[
        "age"] == 7


def test_a_yes_to_immediate_danger_ends_the_questions_at_once(dispatcher):
    tracker = make_tracker(answers={"immediate_danger": "yes"})
    required = run(ValidateThresholdForm().required_slots(["pending_answer"], dispatcher, tracker, {}))
    assert required == []


def test_questions_continue_while_the_engine_needs_answers(dispatcher):
    tracker = make_tracker(answers={"immediate_danger": "no"})
    required = run(ValidateThresholdForm().required_slots(["pending_answer"], dispatcher, tracker, {}))
    assert required == ["pending_answer"]
