"""Threshold pathways over HTTP: the questions, and an explained route for a set of answers."""

import dataclasses
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PathwaysDep
from pathways.decision import Decision
from pathways.engine import assess_case
from pathways.errors import AssessmentError, ContradictoryAnswers
from pathways.model import Question

router = APIRouter(prefix="/api/v1", tags=["pathways"])


class OptionOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str
    text: str
    help: str
    kind: str
    options: list[OptionOut]
    minimum: int | None = None
    maximum: int | None = None


class FiredRuleOut(BaseModel):
    id: str
    description: str
    reference: str
    route: str


class AssessRequest(BaseModel):
    """Answers so far; `area` and `age` may be null when unknown."""

    model_config = ConfigDict(extra="forbid")
    area: str | None = None
    age: int | None = None
    answers: dict[str, str | int] = Field(default_factory=dict, max_length=100)


class DecisionOut(BaseModel):
    route: str
    level: int | None
    fired: list[FiredRuleOut]
    reasons: list[str]
    next_steps: list[str]
    contacts: dict[str, Any] | None
    emergency_number: str
    guidance: list[str]
    questions: list[QuestionOut]
    concerns: list[str]


def question_out(question: Question) -> QuestionOut:
    """The public view of a question (no rule wiring)."""
    return QuestionOut(
        id=question.id, text=question.text, help=question.help, kind=question.kind,
        options=[OptionOut(value=o.value, label=o.label) for o in question.options],
        minimum=question.minimum, maximum=question.maximum,
    )


def decision_out(decision: Decision) -> DecisionOut:
    """The public view of a decision."""
    return DecisionOut(
        route=decision.route,
        level=decision.level,
        fired=[FiredRuleOut(**dataclasses.asdict(rule)) for rule in decision.fired],
        reasons=list(decision.reasons),
        next_steps=list(decision.next_steps),
        contacts=dataclasses.asdict(decision.contacts) if decision.contacts else None,
        emergency_number=decision.emergency_number,
        guidance=list(decision.guidance_ids),
        questions=[question_out(q) for q in decision.questions],
        concerns=list(decision.concerns),
    )


def unprocessable(error: AssessmentError) -> HTTPException:
    """A 422 that names the field; contradictions say so, so the client can ask again."""
    kind = "contradictory_answers" if isinstance(error, ContradictoryAnswers) else "invalid_input"
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                         {"error": kind, "field": error.field, "problem": error.problem})


@router.get("/pathways/questions")
def list_questions(model: PathwaysDep) -> list[QuestionOut]:
    """Every question the assistant may ask, in order, with the answers each accepts."""
    return [question_out(q) for q in model.questions]


@router.post("/pathways/assess")
def assess(body: AssessRequest, model: PathwaysDep) -> DecisionOut:
    """Recommend a route for the answers so far, with reasons, next steps and the questions left."""
    try:
        decision = assess_case(model, body.area, body.age, dict(body.answers))  # type: ignore[arg-type]
    except AssessmentError as error:
        raise unprocessable(error) from None
    return decision_out(decision)
