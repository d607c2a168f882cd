"""End to end through Microsoft Teams: recorded-style activities posted to the real API process, with the real
Rasa server and action server behind it.

The API runs with the Teams channel switched on and authentication on, as in production. Our replies go to a
local Bot Connector stand-in that records them; incoming tokens are signed with a test key that a local stand-in
for Microsoft's sign-in hosts publishes, and the bot's own outbound token comes from the same stand-in through MSAL
(tests/teams/microsoft_standin.py). The stack has its own ports, so the shared session stack is left alone.
"""

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from api.channels.teams.card_labels import load_card_labels
from api.channels.teams.cards import ADAPTIVE_CARD_CONTENT_TYPE
from api.emergency import emergency_lines
from api.settings import get_settings
from pathways.loader import load_model
from scripts.stack import Ports, Stack, service_specs
from tests.teams.microsoft_standin import ISSUED_TOKEN, MicrosoftStandIn, microsoft_stand_in
from tests.teams.support import (
    APP_ID,
    IMPOSTOR_KEY,
    TENANT_ID,
    ConnectorStandIn,
    free_port,
    load_activity,
    serve,
    token,
)

pytestmark = pytest.mark.e2e

PORTS = Ports(rasa=16005, actions=16055, api=19000)
CLIENT_SECRET = "e2e-client-secret"
MAX_TURNS = 12
REPLY_WAIT_SECONDS = 10
# The same worry as the web e2e test, so both channels hold the same conversation.
WORRY = "I'm worried a 14 year old keeps going missing and comes back with new phones and cash"
LABELS = load_card_labels()


@dataclass(frozen=True)
class TeamsStack:
    stack: Stack
    connector: ConnectorStandIn
    microsoft: MicrosoftStandIn
    api_url: str


@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamsStack]:
    directory = tmp_path_factory.mktemp("teams-e2e")
    connector = ConnectorStandIn()
    connector_port = free_port()
    with serve(connector.app(), connector_port), microsoft_stand_in(directory, APP_ID, CLIENT_SECRET) as microsoft:
        connector.url = f"http://127.0.0.1:{connector_port}/"
        teams_env = {
            "HIPS_TEAMS_APP_ID": APP_ID,
            "HIPS_TEAMS_TENANT_ID": TENANT_ID,
            "HIPS_TEAMS_CLIENT_SECRET": CLIENT_SECRET,
            "HIPS_TEAMS_SESSION_SECRET": "e2e-session-secret",
            "HIPS_TEAMS_AUTH_ENABLED": "true",
            "HIPS_TEAMS_CONNECTOR_URL_OVERRIDE": connector.url,
            **microsoft.environment,
        }
        var_dir = directory / "var"
        specs = [
            replace(spec, env={**spec.env, **teams_env}) if spec.name == "api" else spec
            for spec in service_specs(PORTS, var_dir)
        ]
        stack = Stack(specs, var_dir)
        stack.start()
        try:
            stack.wait_healthy(timeout_seconds=420)
            yield TeamsStack(stack, connector, microsoft, f"http://127.0.0.1:{PORTS.api}")
        finally:
            stack.stop()


@dataclass
class TeamsConversation:
    """One personal chat with the bot: posts activities into it and returns what the connector got back."""

    teams: TeamsStack
    conversation_id: str

    def post(self, activity: dict[str, Any], bearer: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        """Post ``activity`` (signed with a valid token unless ``bearer`` says otherwise); return status, replies."""
        activity["conversation"]["id"] = self.conversation_id
        activity["id"] = uuid.uuid4().hex
        already = len(self.teams.connector.received)
        headers = {"Authorization": f"Bearer {bearer if bearer is not None else token()}"}
        response = httpx.post(f"{self.teams.api_url}/api/messages", json=activity, headers=headers, timeout=90)
        if response.status_code < 300:
            _wait_for_a_message(self.teams.connector, already)
        replies = [r["body"] for r in self.teams.connector.received[already:] if r["status"] == 200]
        return response.status_code, replies

    def say(self, text: str) -> list[dict[str, Any]]:
        message = load_activity("message")
        message["text"] = text
        status, replies = self.post(message)
        assert status in (200, 202), status
        return replies

    def submit(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """Click a card button: Teams posts a message whose ``value`` is the button's ``data``."""
        submit = load_activity("card_submit")
        submit["value"] = data
        status, replies = self.post(submit)
        assert status in (200, 202), status
        return replies


def _wait_for_a_message(connector: ConnectorStandIn, already: int) -> None:
    """The turn's replies are sent before the endpoint answers; wait briefly in case one is still in flight."""
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while time.monotonic() < deadline:
        if any(r["body"].get("type") == "message" for r in connector.received[already:]):
            return
        time.sleep(0.1)


def _conversation(teams: TeamsStack) -> TeamsConversation:
    return TeamsConversation(teams, f"a:e2e-{uuid.uuid4().hex}")


def cards(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        attachment["content"]
        for reply in replies
        for attachment in reply.get("attachments") or []
        if attachment.get("contentType") == ADAPTIVE_CARD_CONTENT_TYPE
    ]


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies if reply.get("type") == "message" and reply.get("text")]


def question_cards(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [card for card in cards(replies) if any(a["type"] == "Action.Submit" for a in card.get("actions", []))]


def recommendation_card(replies: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((c for c in cards(replies) if c["body"][0].get("text") == LABELS.headings.recommendation), None)


def answer_for(card: dict[str, Any]) -> dict[str, Any]:
    """A cautious practitioner with nothing more to add: 'No' where offered, else the first choice."""
    submits = [action for action in card["actions"] if action["type"] == "Action.Submit"]
    chosen = next((action for action in submits if action["title"].lower() == "no"), submits[0])
    return chosen["data"]


def card_texts(card: dict[str, Any]) -> list[str]:
    return [element.get("text", "") for element in card["body"]]


def expected_emergency_phones() -> list[str]:
    return [line.phone for line in emergency_lines(load_model(get_settings().pathways_dir))]


def test_a_post_without_a_valid_token_is_refused_and_nothing_is_sent(teams: TeamsStack):
    chat = _conversation(teams)
    unsigned = load_activity("message")
    unsigned["conversation"]["id"] = chat.conversation_id
    response = httpx.post(f"{teams.api_url}/api/messages", json=unsigned, timeout=30)
    assert response.status_code == 401
    status, replies = chat.post(load_activity("message"), bearer=token(key=IMPOSTOR_KEY))
    assert status == 401
    assert replies == []


def test_the_guided_conversation_runs_end_to_end_through_teams(teams: TeamsStack):
    chat = _conversation(teams)
    phones = expected_emergency_phones()

    status, welcome = chat.post(load_activity("conversation_update_bot_added"))
    assert status in (200, 202)
    [welcome_text] = texts(welcome)
    assert all(phone in welcome_text for phone in phones), "the welcome must show 999 and every MASH line"

    turns = [chat.say(WORRY)]
    for _ in range(MAX_TURNS):
        if recommendation_card(turns[-1]) is not None:
            break
        questions = question_cards(turns[-1])
        assert questions, f"the bot neither asked a question on a card nor recommended: {texts(turns[-1])}"
        turns.append(chat.submit(answer_for(questions[-1])))

    for turn in turns:
        assert turn[0]["type"] == "typing", "typing must show before the answer"
        assert turn[-1]["type"] == "message"
    asked = [card for turn in turns for card in question_cards(turn)]
    assert asked, "no question arrived as an Adaptive Card"
    for card in asked:
        for action in card["actions"]:
            assert action["type"] == "Action.Submit"
            assert isinstance(action["data"]["hips_payload"], str) and action["data"]["hips_payload"]

    recommendation = recommendation_card(turns[-1])
    assert recommendation is not None, f"no route after {len(turns)} turns"
    body = card_texts(recommendation)
    serious = {LABELS.route_name("mash"), LABELS.route_name("emergency")}
    assert any(body[1].startswith(name) for name in serious), f"exploitation must not go below MASH: {body[1]}"
    assert LABELS.headings.reasons in body, "the route comes with the rules that fired"
    assert body[body.index(LABELS.headings.reasons) + 1].startswith("- ")
    links = [a for e in recommendation["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert links and all(link["type"] == "Action.OpenUrl" and link["url"].startswith("https://") for link in links)
    review_lines = [text for text in body if f"{LABELS.phrases.review_by} " in text]
    assert review_lines, "the guidance shows when it is next reviewed"

    sent = [r for r in teams.connector.received if r["body"].get("conversation", {}).get("id") == chat.conversation_id]
    assert {r["authorization"] for r in sent} == {f"Bearer {ISSUED_TOKEN}"}, "replies carry the bot's Entra token"
    sign_ins = {(r["host"], r["method"]) for r in teams.microsoft.identity.requests}
    assert ("login.botframework.com", "GET") in sign_ins and ("login.microsoftonline.com", "POST") in sign_ins


def test_with_rasa_down_teams_gets_the_safe_reply_with_the_emergency_route(teams: TeamsStack):
    chat = _conversation(teams)
    teams.stack.stop(["rasa"])
    try:
        started = time.monotonic()
        replies = chat.say("I'm worried about a pupil who is always hungry")
        assert time.monotonic() - started < 20
        [reply] = texts(replies)
        assert "999" in reply and "MASH" in reply
        assert all(phone in reply for phone in expected_emergency_phones())
    finally:
        teams.stack.start(["rasa"])
        teams.stack.wait_healthy(names=["rasa"], timeout_seconds=240)
