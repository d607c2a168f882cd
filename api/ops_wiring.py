"""Adds the operations layer to the app in one call: JSON logs, request ids, metrics, limits, CORS, audit.

``api/main.py`` calls ``install_operations(app, settings)`` once, after including its routers.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.audit import feedback
from api.observability.json_logging import configure_json_logging
from api.observability.metrics import TimedGuidance, set_index_info
from api.observability.middleware import RequestContextMiddleware
from api.routes import ops
from api.security.config import OperationsSettings
from api.security.limits import RequestLimitsMiddleware, SlidingWindowLimiter, limit_replies
from audit.store import AuditStore


def install_operations(app: FastAPI, settings: Any) -> OperationsSettings:
    """Register the operations routers and middleware on ``app`` (once); return the configuration used."""
    config = OperationsSettings.from_settings(settings)
    if getattr(app.state, "operations_installed", False):
        return config
    app.state.operations_installed = True
    if config.json_logs:
        configure_json_logging(config.log_level)
    app.include_router(ops.router)
    app.include_router(feedback.router)
    app.state.audit_store = AuditStore(config.audit_db)
    # Starlette runs the last added middleware first: request id → CORS → limits → the app.
    app.add_middleware(
        RequestLimitsMiddleware,
        max_body_bytes=config.max_body_bytes,
        per_session=SlidingWindowLimiter(config.chat_messages_per_minute),
        new_per_address=SlidingWindowLimiter(config.new_conversations_per_minute),
        session_secret=lambda: settings.session_secret,
        replies=limit_replies(lambda: getattr(app.state, "replies", None)),
    )
    app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", "Authorization", "X-Request-ID"],
                       expose_headers=["X-Request-ID"], allow_credentials=False)
    app.add_middleware(RequestContextMiddleware)
    _instrument_lifespan(app, settings)
    return config


def _instrument_lifespan(app: FastAPI, settings: Any) -> None:
    """After the app's own start-up: time guidance searches and publish the index version."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with inner(application) as state:
            guidance = getattr(application.state, "guidance", None)
            if guidance is not None and not isinstance(guidance, TimedGuidance):
                application.state.guidance = TimedGuidance(guidance, settings.index_dir)
            set_index_info(settings.index_dir)
            yield state

    app.router.lifespan_context = lifespan
