"""Teams test harness: a local stand-in for the Bot Connector, a stand-in Rasa, and the app with our router.

No Microsoft service is reachable: replies go to a small HTTP server on 127.0.0.1 that records them (and can
answer 429), the bot's outbound token comes from a local provider, and Rasa answers through httpx.MockTransport.
"""

import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from microsoft_agents.hosting.core import AgentAuthConfiguration

from api.channels.teams.agent import build_teams_bot
from api.channels.teams.settings import TeamsSettings
from api.chat_service import ChatService
from api.rasa_client import RasaClient
from api.routes import teams
from api.safe_reply import EmergencyLine, load_canned_replies
from api.settings import REPO_ROOT
from tests.teams.support import OUTBOUND_TOKEN, ConnectorStandIn, free_port, serve

LINES = (
    EmergencyLine("A child in immediate danger", "999"),
    EmergencyLine("Portsmouth: MASH (professionals)", "0845 671 0271"),
)


@pytest.fixture(scope="session")
def _connector_server() -> Iterator[ConnectorStandIn]:
    stand_in = ConnectorStandIn()
    port = free_port()
    with serve(stand_in.app(), port):
        stand_in.url = f"http://127.0.0.1:{port}/"
        yield stand_in


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
