"""FastAPI dependencies: settings and the services the app holds (tests override them)."""

from typing import Annotated

from fastapi import Depends, Request

from api.chat_service import ChatService
from api.safe_reply import CannedReplies
from api.settings import Settings, get_settings
from knowledge.service import GuidanceService
from pathways.model import ThresholdModel
from pathways.semantic import SemanticMatcher


def get_chat_service(request: Request) -> ChatService:
    """The chat service created at start-up."""
    return request.app.state.chat_service


def get_canned_replies(request: Request) -> CannedReplies:
    """The fixed replies, with the emergency route filled in."""
    return request.app.state.replies


def get_guidance_service(request: Request) -> GuidanceService:
    """The guidance search service created at start-up."""
    return request.app.state.guidance


def get_threshold_model(request: Request) -> ThresholdModel:
    """The threshold model loaded at start-up."""
    return request.app.state.threshold_model


def get_triage_matcher(request: Request) -> SemanticMatcher | None:
    """The semantic triage layer built at start-up, or None (phrase patterns alone)."""
    return getattr(request.app.state, "triage_matcher", None)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
RepliesDep = Annotated[CannedReplies, Depends(get_canned_replies)]
GuidanceDep = Annotated[GuidanceService, Depends(get_guidance_service)]
PathwaysDep = Annotated[ThresholdModel, Depends(get_threshold_model)]
TriageMatcherDep = Annotated[SemanticMatcher | None, Depends(get_triage_matcher)]
