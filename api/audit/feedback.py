"""Practitioner feedback on the latest recommendation in their conversation (a fixed choice, never free text)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import SettingsDep
from api.sessions import verify_session_id
from audit.store import AuditStore

router = APIRouter(prefix="/api/v1", tags=["audit"])


def get_audit_store(request: Request) -> AuditStore:
    """The audit store opened at start-up."""
    return request.app.state.audit_store


AuditStoreDep = Annotated[AuditStore, Depends(get_audit_store)]


class FeedbackRequest(BaseModel):
    """Was the suggested route useful? One of four fixed answers, for the conversation's latest recommendation."""

    model_config = ConfigDict(extra="forbid")

    session_id: str = Field(min_length=1, max_length=200)
    feedback: Literal["helpful", "not_helpful", "route_too_low", "route_too_high"]


class FeedbackResponse(BaseModel):
    recorded: bool


@router.post("/feedback")
def record_feedback(body: FeedbackRequest, store: AuditStoreDep, settings: SettingsDep) -> FeedbackResponse:
    """Attach feedback to the latest recommendation; 404 when the session has none (or is not ours)."""
    key = verify_session_id(settings.session_secret, body.session_id)
    if key is None or not store.add_feedback(key, body.feedback):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no recommendation in this conversation")
    return FeedbackResponse(recorded=True)
