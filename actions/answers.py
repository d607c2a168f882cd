"""From slots to a pathways case and back: the current case, the next question, a parsed answer."""

import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from pathways.engine import Decision, assess_case
from pathways.errors import AssessmentError
from pathways.model import Question, ThresholdModel

_YES = {"yes", "y", "yeah", "yep", "true"}
_NO = {"no", "n", "nope", "false"}
_UNSURE = {"unsure", "not sure", "don't know", "dont know", "dunno", "maybe", "not_sure"}


class AnswerError(ValueError):
    """An answer that does not fit the question; the message says what is accepted."""


@dataclass(frozen=True)
class Case:
    """What the conversation knows so far."""

    area: str | None = None
    age: int | None = None
    answers: dict[str, str] = field(default_factory=dict)


def case_from_slots(tracker: Tracker) -> Case:
    """Read the case from the conversation's slots."""
    age = tracker.get_slot("age")
    return Case(
        area=tracker.get_slot("area"),
        age=int(age) if isinstance(age, (int, float)) else None,
        answers=dict(tracker.get_slot("answers") or {}),
    )


def assess(model: ThresholdModel, case: Case) -> Decision:
    """Run the engine on the case."""
    return assess_case(model, case.area, case.age, case.answers)


def next_question(model: ThresholdModel, case: Case) -> Question | None:
    """The next question to ask, or None when the route is decided (an emergency stops the questions)."""
    decision = assess(model, case)
    if decision.route == "emergency" or not decision.questions:
        return None
    return decision.questions[0]


def _choice_value(question: Question, raw: str) -> str | None:
    text = raw.strip().lower()
    for option in question.options:
        if text in (option.value.lower(), option.label.lower(), option.value.replace("_", " ")):
            return option.value
    if question.kind == "yes_no_unsure":
        for words, value in ((_YES, "yes"), (_NO, "no"), (_UNSURE, "unsure")):
            if text in words and question.option(value):
                return value
    return None


def parse_answer(model: ThresholdModel, question: Question, raw: Any, case: Case) -> dict[str, Any]:
    """Return the slot updates for an answer to ``question``.

    Raises:
        AnswerError: when the answer does not fit the question or the engine rejects it.
    """
    text = str(raw if raw is not None else "")
    if question.kind == "number":
        match = re.search(r"\d{1,3}", text)
        if match is None:
            raise AnswerError("Please type a number, for example 7.")
        number = int(match.group())
        if (question.minimum is not None and number < question.minimum) or (
            question.maximum is not None and number > question.maximum
        ):
            raise AnswerError(f"Please give a number from {question.minimum} to {question.maximum}.")
        value: Any = number
    else:
        value = _choice_value(question, text)
        if value is None:
            labels = ", ".join(o.label for o in question.options)
            raise AnswerError(f"Sorry, I need one of these answers: {labels}.")
    if question.id == "area":
        updated = Case(area=value, age=case.age, answers=case.answers)
        slots: dict[str, Any] = {"area": value}
    elif question.id == "age":
        updated = Case(area=case.area, age=value, answers=case.answers)
        slots = {"age": value}
    else:
        answers = {**case.answers, question.id: value}
        updated = Case(area=case.area, age=case.age, answers=answers)
        slots = {"answers": answers}
    try:
        assess(model, updated)
    except AssessmentError as error:
        raise AnswerError(f"Sorry, that answer does not fit: {error}") from error
    return slots
