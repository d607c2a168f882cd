"""End to end through the real Rasa server, action server and FastAPI service."""

import time
import uuid

import httpx
import pytest

from scripts.stack import Ports, Stack

pytestmark = pytest.mark.e2e

MAX_TURNS = 12


def answer_for(message: dict) -> str:
    """Answer a question as a cautious practitioner with nothing more to add: 'No', else the first option."""
    buttons = message.get("buttons") or []
    for button in buttons:
        if button["title"].lower() == "no":
            return button["payload"]
    return buttons[0]["payload"] if buttons else "8"


def converse(send, first_message: str) -> tuple[list[list[dict]], dict | None]:
    """Describe a worry, then answer every question until a recommendation arrives."""
    turns = [send(first_message)]
    for _ in range(MAX_TURNS):
        customs = [m.get("custom") or {} for m in turns[-1]]
        recommendation = next((c for c in customs if c.get("type") == "recommendation"), None)
        if recommendation:
            return turns, recommendation
        question = next((m for m in reversed(turns[-1]) if m.get("buttons") or m.get("text", "").endswith("?")), None)
        assert question is not None, f"the bot neither asked nor answered: {turns[-1]}"
        turns.append(send(answer_for(question)))
    return turns, None


def test_rasa_rest_channel_asks_threshold_questions_then_recommends_with_cited_guidance(stack: Stack, ports: Ports):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"

    def send(text: str) -> list[dict]:
        response = httpx.post(f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    turns, recommendation = converse(send, "a year 4 boy keeps coming to school hungry and in dirty clothes")
    assert any(m.get("buttons") for turn in turns for m in turn), "no threshold question with buttons was asked"
    assert recommendation is not None, "no route after answering every question"
    assert recommendation["route"] in {"universal", "early_help", "mash", "emergency"}
    assert recommendation["guidance"], "the route cites no guidance"
    assert all(card["source_url"].startswith("http") for card in recommendation["guidance"])
    assert "judgement" in recommendation["judgement_note"]


def test_fastapi_chat_endpoint_holds_the_same_conversation(stack: Stack, ports: Ports):
    session: dict[str, str | None] = {"id": None}

    def send(text: str) -> list[dict]:
        response = httpx.post(f"http://127.0.0.1:{ports.api}/api/v1/chat",
                              json={"message": text, "session_id": session["id"]}, timeout=60)
        response.raise_for_status()
        body = response.json()
        assert body["degraded"] is False
        assert body["emergency"][0]["phone"] == "999"
        session["id"] = body["session_id"]
        return body["messages"]

    worry = "I'm worried a 14 year old keeps going missing and comes back with new phones and cash"
    turns, recommendation = converse(send, worry)
    assert recommendation is not None
    assert recommendation["route"] in {"mash", "emergency"}, "exploitation with missing episodes must not go below MASH"


def test_emergency_language_gets_999_at_once(stack: Stack, ports: Ports):
    body = _chat(ports, "the child is in danger now")
    assert "999" in body["messages"][0]["text"]


def test_the_chat_page_shows_the_emergency_route(stack: Stack, ports: Ports):
    page = httpx.get(f"http://127.0.0.1:{ports.api}/", timeout=10).text
    assert "999" in page and "data-hips-chat" in page


def _chat(ports: Ports, text: str) -> dict:
    response = httpx.post(f"http://127.0.0.1:{ports.api}/api/v1/chat", json={"message": text}, timeout=60)
    assert response.status_code == 200
    return response.json()


def test_action_server_down_gives_the_safe_reply_then_recovers(stack: Stack, ports: Ports):
    stack.stop(["actions"])
    try:
        body = _chat(ports, "I'm worried about a pupil who is always hungry")
        assert body["degraded"] is True
        assert "999" in body["messages"][0]["text"] and "MASH" in body["messages"][0]["text"]
    finally:
        stack.start(["actions"])
        stack.wait_healthy(timeout_seconds=180, names=["actions"])
    body = _chat(ports, "I'm worried about a pupil who is always hungry")
    assert body["degraded"] is False


def test_rasa_down_gives_the_safe_reply(stack: Stack, ports: Ports):
    stack.stop(["rasa"])
    try:
        started = time.monotonic()
        body = _chat(ports, "hello")
        assert body["degraded"] is True
        assert "999" in body["messages"][0]["text"]
        assert time.monotonic() - started < 20
    finally:
        stack.start(["rasa"])
        stack.wait_healthy(timeout_seconds=240, names=["rasa"])
