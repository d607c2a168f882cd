"""Teams test harness: a local stand-in for the Bot Connector, a stand-in Rasa, and the app with our router.

No Microsoft service is reachable: replies go to a small HTTP server on 127.0.0.1 that records them (and can
answer 429), the bot's outbound token comes from a local provider, and Rasa answers through httpx.MockTransport.
"""

import copy
import inspect
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from microsoft_agents.hosting.core import AgentAuthConfiguration

from api.channels.teams.agent import build_teams_bot
from api.channels.teams.settings import TeamsSettings
from api.chat_service import ChatService
from api.rasa_client import RasaClient
from api.routes import teams
from api.safe_reply import EmergencyLine, load_canned_replies
from api.settings import REPO_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
LINES = (
    EmergencyLine("A child in immediate danger", "999"),
    EmergencyLine("Portsmouth: MASH (professionals)", "0845 671 0271"),
)
OUTBOUND_TOKEN = "stand-in-outbound-token"
APP_ID = "3b6d2f1c-0000-4000-8000-00000000b0f1"
TENANT_ID = "72f988bf-0000-4000-8000-00000000a001"


def load_activity(name: str) -> dict[str, Any]:
    """A recorded-style Teams activity from ``fixtures/<name>.json`` (a fresh copy)."""
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


@dataclass
class ConnectorStandIn:
    """Records what we send to ``/v3/conversations/...`` and answers 429 for the queued throttles."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    throttles: list[str | None] = field(default_factory=list)  # Retry-After values, one per throttled request
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})

    def reset(self) -> None:
        self.received.clear()
        self.throttles.clear()
        self.jwks = {"keys": []}

    def activities(self) -> list[dict[str, Any]]:
        """The activities the connector accepted (throttled attempts excluded)."""
        return [r["body"] for r in self.received if r["status"] == 200]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v3/conversations/{conversation_id}/activities/{activity_id}")
        @app.post("/v3/conversations/{conversation_id}/activities")
        async def activities(request: Request, conversation_id: str, activity_id: str | None = None):
            body = await request.json()
            status = 200
            headers: dict[str, str] = {}
            if self.throttles:
                status = 429
                retry_after = self.throttles.pop(0)
                if retry_after is not None:
                    headers["Retry-After"] = retry_after
            self.received.append(
                {
                    "path": request.url.path,
                    "authorization": request.headers.get("authorization"),
                    "body": body,
                    "status": status,
                }
            )
            if status == 429:
                return JSONResponse({"error": {"code": "Throttled"}}, status_code=429, headers=headers)
            return JSONResponse({"id": f"reply-{len(self.received)}"})

        @app.get("/keys")
        async def keys():
            return self.jwks

        return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _connector_server() -> Iterator[ConnectorStandIn]:
    stand_in = ConnectorStandIn()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(stand_in.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    stand_in.url = f"http://127.0.0.1:{port}/"
    yield stand_in
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def connector(_connector_server: ConnectorStandIn) -> ConnectorStandIn:
    _connector_server.reset()
    return _connector_server


class StandInTokenProvider:
    """Gives the bot a fixed outbound token instead of asking Entra ID (unreachable here)."""

    def __init__(self, configuration: AgentAuthConfiguration) -> None:
        self._configuration = configuration

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN

    def get_token_credential(self):  # pragma: no cover - not used by our flows
        raise NotImplementedError


def rasa_says(*messages: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    """A Rasa REST answer with the given messages."""
    return lambda request: httpx.Response(200, json=[{"recipient_id": "x", **m} for m in messages])


@dataclass
class TeamsHarness:
    client: TestClient
    connector: ConnectorStandIn
    rasa_requests: list[dict[str, Any]]
    waits: list[float]
    answer: list[Callable[[httpx.Request], httpx.Response]]

    def post(self, activity: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post("/api/messages", json=activity, headers=headers)


def make_harness(connector: ConnectorStandIn, **settings: Any) -> TeamsHarness:
    """The Teams router in its own app, with a real ChatService and RasaClient over a stand-in Rasa."""
    rasa_requests: list[dict[str, Any]] = []
    answer: list[Callable[[httpx.Request], httpx.Response]] = [
        rasa_says({"text": "Is the child in immediate danger?", "buttons": [{"title": "Yes", "payload": "/affirm"}]})
    ]

    async def rasa(request: httpx.Request) -> httpx.Response:
        rasa_requests.append(json.loads(request.content))
        response = answer[0](request)
        return await response if inspect.isawaitable(response) else response

    replies = load_canned_replies(REPO_ROOT / "api" / "replies.yml", LINES)
    service = ChatService(RasaClient("http://rasa.test", 2.0, transport=httpx.MockTransport(rasa)), replies)
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    values: dict[str, Any] = {"auth_enabled": False, "connector_url_override": connector.url}
    values.update(settings)
    teams_settings = TeamsSettings(_env_file=None, **values)
    app = FastAPI()
    app.include_router(teams.router)
    app.state.teams_bot = build_teams_bot(
        teams_settings, service, replies, token_provider=StandInTokenProvider, sleep=record_wait
    )
    return TeamsHarness(TestClient(app), connector, rasa_requests, waits, answer)


@pytest.fixture
def teams_app(connector: ConnectorStandIn) -> TeamsHarness:
    return make_harness(connector)
