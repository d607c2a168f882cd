"""The FastAPI application: assembles settings, services and routers. Run with ``uvicorn api.main:app``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.channels.teams.agent import build_teams_bot
from api.channels.teams.settings import get_teams_settings
from api.chat_service import ChatService
from api.emergency import emergency_lines
from api.health_probe import HealthProbe, tracker_database_probe
from api.ops_wiring import install_operations
from api.rasa_client import RasaClient
from api.routes import admin, chat, guidance, health, pathways, teams, triage, web
from api.safe_reply import load_canned_replies
from api.settings import Settings, get_settings
from knowledge.errors import KnowledgeError
from knowledge.service import GuidanceService
from pathways.loader import load_model
from pathways.semantic import matcher_or_none

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the threshold model, the guidance index and the Rasa client once, at start-up."""
    settings = get_settings()
    state = app.state
    state.threshold_model = load_model(settings.pathways_dir)
    state.replies = load_canned_replies(settings.replies_file, emergency_lines(state.threshold_model))
    state.rasa_client = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
    state.actions_probe = HealthProbe(settings.actions_health_url)
    state.tracker_probe = tracker_database_probe(settings.tracker_url)
    probes = [p for p in (state.actions_probe, state.tracker_probe) if p is not None]
    state.chat_service = ChatService(state.rasa_client, state.replies, probes)
    state.teams_bot = build_teams_bot(get_teams_settings(), state.chat_service, state.replies)
    state.guidance = _load_guidance(settings) if settings.load_guidance else None
    guidance = state.guidance
    state.triage_matcher = matcher_or_none(lambda: guidance.embedder if guidance else None,
                                           state.threshold_model.exemplars)
    yield
    await state.rasa_client.close()
    await state.actions_probe.close()


def _load_guidance(settings: Settings) -> GuidanceService | None:
    """Load the guidance index; without one the service still chats (the actions hold their own copy)."""
    try:
        return GuidanceService.from_directory(settings.guidance_dir, settings.index_dir)
    except KnowledgeError as error:
        logger.error("guidance index unavailable, guidance endpoints answer 503: %s", type(error).__name__)
        return None


def create_app() -> FastAPI:
    """Build the application with every router."""
    app = FastAPI(title="HIPS safeguarding assistant", version="0.1.0", lifespan=lifespan)
    for module in (health, chat, guidance, pathways, triage, admin, web, teams):
        app.include_router(module.router)
    install_operations(app, get_settings())
    return app


app = create_app()
