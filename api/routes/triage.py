"""Free-text triage over HTTP: a practitioner's description in, a provisional route and questions out."""

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from api.deps import PathwaysDep, TriageMatcherDep
from api.routes.pathways import DecisionOut, QuestionOut, decision_out, unprocessable
from pathways.errors import AssessmentError
from pathways.triage import triage_text

router = APIRouter(prefix="/api/v1", tags=["pathways"])


class TriageRequest(BaseModel):
    """The description; the area when the client knows it."""

    model_config = ConfigDict(extra="forbid")
    text: str
    area: str | None = None


class TriageOut(BaseModel):
    route: str
    level: int | None
    concerns: list[str]
    red_flags: list[str]
    reasons: list[str]
    answers: dict[str, str]
    questions: list[QuestionOut]
    guidance: list[str]
    age: int | None
    area: str | None
    decision: DecisionOut


@router.post("/triage")
def triage(body: TriageRequest, model: PathwaysDep, matcher: TriageMatcherDep) -> TriageOut:
    """Detect concerns and red flags in the text and give a provisional route (unclear while gates are open)."""
    try:
        result = triage_text(model, body.text, body.area, matcher)
    except AssessmentError as error:
        raise unprocessable(error) from None
    decision = decision_out(result.decision)
    return TriageOut(
        route=result.route, level=result.level, concerns=list(result.concerns), red_flags=list(result.red_flags),
        reasons=list(result.reasons), answers=result.answers, questions=decision.questions,
        guidance=list(result.guidance_ids), age=result.age, area=result.area, decision=decision,
    )
