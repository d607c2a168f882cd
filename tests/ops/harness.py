"""The real FastAPI app with the operations layer, a stand-in Rasa (httpx.MockTransport) and a temporary audit DB."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.chat_service import ChatService
from api.deps import get_chat_service
from api.main import create_app
from api.ops_wiring import install_operations
from api.rasa_client import RasaClient
from api.settings import get_settings

ADMIN_TOKEN = "test-admin-token-0123456789"
SESSION_SECRET = "test-session-secret"


@contextmanager
def restored_logging() -> Iterator[None]:
    """Put the root logger back as it was (the JSON set-up replaces its handlers)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers = handlers
        root.setLevel(level)


@contextmanager
def ops_client(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
               rasa: Callable[[httpx.Request], httpx.Response], **env: str) -> Iterator[TestClient]:
    """A TestClient on ``create_app()`` plus ``install_operations``, Rasa answered by ``rasa``."""
    values = {"HIPS_LOAD_GUIDANCE": "0", "HIPS_ADMIN_TOKEN": ADMIN_TOKEN, "HIPS_SESSION_SECRET": SESSION_SECRET,
              "HIPS_AUDIT_DB": str(tmp_path / "audit.db"), **env}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with restored_logging():
        app = create_app()
        install_operations(app, get_settings())
        with TestClient(app) as client:
            rasa_client = RasaClient("http://rasa.test", 2.0, transport=httpx.MockTransport(rasa))
            app.state.rasa_client = rasa_client
            service = ChatService(rasa_client, app.state.replies)
            app.dependency_overrides[get_chat_service] = lambda: service
            yield client
    get_settings.cache_clear()


def rasa_asks(request: httpx.Request) -> httpx.Response:
    """A stand-in Rasa that asks a threshold question."""
    return httpx.Response(200, json=[{"recipient_id": "x", "text": "Is the child in immediate danger?",
                                      "buttons": [{"title": "No", "payload": "/deny"}]}])
