"""The chat endpoint: sessions, bad input, and the safe reply whenever the dialogue engine fails."""

import json

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.chat_service import ChatService
from api.deps import get_canned_replies, get_chat_service
from api.health_probe import HealthProbe
from api.rasa_client import RasaClient
from api.routes import chat
from api.safe_reply import EmergencyLine, load_canned_replies
from api.settings import REPO_ROOT, Settings, get_settings

LINES = (
    EmergencyLine("A child in immediate danger", "999"),
    EmergencyLine("Portsmouth: MASH (professionals)", "0845 671 0271"),
)


def rasa_answering(handler):
    return RasaClient("http://rasa.test", 2.0, transport=httpx.MockTransport(handler))


def make_client(handler, actions_up: bool = True) -> tuple[TestClient, list[dict]]:
    seen: list[dict] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return handler(request)

    replies = load_canned_replies(REPO_ROOT / "api" / "replies.yml", LINES)
    probe = HealthProbe("http://actions.test/health", transport=httpx.MockTransport(
        lambda request: httpx.Response(200 if actions_up else 503)))
    service = ChatService(rasa_answering(recording), replies, [probe])
    app = FastAPI()
    app.include_router(chat.router)
    app.dependency_overrides[get_chat_service] = lambda: service
    app.dependency_overrides[get_canned_replies] = lambda: replies
    app.dependency_overrides[get_settings] = lambda: Settings(session_secret="test-secret", max_message_chars=2000)
    return TestClient(app), seen


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"recipient_id": "x", "text": "Is the child in immediate danger?",
                                      "buttons": [{"title": "Yes", "payload": "/affirm"}]}])


def test_a_message_reaches_rasa_and_the_buttons_come_back():
    client, seen = make_client(ok)
    body = client.post("/api/v1/chat", json={"message": "I'm worried about a pupil"}).json()
    assert body["messages"][0]["buttons"] == [{"title": "Yes", "payload": "/affirm"}]
    assert body["degraded"] is False
    assert seen[0]["message"] == "I'm worried about a pupil"
    assert body["emergency"][0]["phone"] == "999"


def test_the_server_issues_a_signed_session_and_the_conversation_keeps_it():
    client, seen = make_client(ok)
    first = client.post("/api/v1/chat", json={"message": "hello"}).json()
    second = client.post("/api/v1/chat", json={"message": "yes", "session_id": first["session_id"]}).json()
    assert second["session_id"] == first["session_id"]
    assert seen[0]["sender"] == seen[1]["sender"]


def test_a_forged_session_id_starts_a_new_conversation_and_never_reaches_another():
    client, seen = make_client(ok)
    first = client.post("/api/v1/chat", json={"message": "hello"}).json()
    key = first["session_id"].split(".")[0]
    forged = client.post("/api/v1/chat", json={"message": "hi", "session_id": f"{key}.0000"}).json()
    assert forged["session_id"] != first["session_id"]
    assert seen[1]["sender"] != seen[0]["sender"]


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")), id="rasa down"),
        pytest.param(lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")), id="rasa too slow"),
        pytest.param(lambda r: httpx.Response(500, text="boom"), id="rasa error"),
        pytest.param(lambda r: httpx.Response(200, json=[]), id="action server down: rasa answers nothing"),
        pytest.param(lambda r: httpx.Response(200, text="not json"), id="broken answer"),
    ],
)
def test_every_backend_failure_gets_the_safe_reply_with_the_emergency_route(failure):
    client, _ = make_client(failure)
    response = client.post("/api/v1/chat", json={"message": "he is in danger"})
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    text = body["messages"][0]["text"]
    assert "999" in text and "0845 671 0271" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("message", ["   ", "x" * 2001])
def test_blank_or_overlong_messages_get_a_clear_reply_with_the_emergency_route(message):
    client, seen = make_client(ok)
    body = client.post("/api/v1/chat", json={"message": message}).json()
    assert "999" in body["messages"][0]["text"]
    assert seen == []


@pytest.mark.parametrize("payload", [{}, {"message": 5}, {"message": ""}, {"message": "hi", "extra": 1}])
def test_malformed_bodies_are_refused_with_422(payload):
    client, _ = make_client(ok)
    assert client.post("/api/v1/chat", json=payload).status_code == 422


def test_identifying_details_are_scrubbed_before_rasa_sees_them_and_the_practitioner_is_told():
    client, seen = make_client(ok)
    message = "Liam Smith (7), DOB 03/04/2018, NHS 485 777 3456 is hungry"
    body = client.post("/api/v1/chat", json={"message": message}).json()
    sent = seen[0]["message"]
    for fragment in ("Liam", "03/04/2018", "485 777 3456"):
        assert fragment not in sent
    assert "hungry" in sent
    assert "identifying details" in body["messages"][0]["text"]
    assert body["messages"][1]["text"] == "Is the child in immediate danger?"


def test_action_server_down_gets_the_safe_reply_without_touching_the_conversation():
    client, seen = make_client(ok, actions_up=False)
    body = client.post("/api/v1/chat", json={"message": "I'm worried about a pupil"}).json()
    assert body["degraded"] is True
    assert "999" in body["messages"][0]["text"]
    assert seen == [], "the turn must not reach Rasa half-processed"


def test_a_session_id_with_non_ascii_characters_is_treated_as_forged_not_a_crash():
    client, _ = make_client(ok)
    response = client.post("/api/v1/chat", json={"message": "hello", "session_id": "abc.\u00e9\u00e9"})
    assert response.status_code == 200
    assert response.json()["session_id"] != "abc.\u00e9\u00e9"


def test_the_tracker_database_probe_follows_the_tracker_url():
    from api.health_probe import tracker_database_probe

    assert tracker_database_probe("sqlite:///var/rasa/tracker.db") is None
    assert tracker_database_probe("") is None
    probe = tracker_database_probe("postgresql://rasa:secret@db.internal:6543/rasa")
    assert probe is not None and (probe._host, probe._port) == ("db.internal", 6543)


def test_an_unreachable_tracker_database_is_reported_down():
    import asyncio

    from api.health_probe import TcpProbe

    assert asyncio.run(TcpProbe("127.0.0.1", 9, timeout_seconds=0.5).is_up()) is False


def test_a_database_that_accepts_connections_but_never_answers_is_reported_down():
    import asyncio

    from api.health_probe import POSTGRES_SSL_REQUEST, TcpProbe

    async def scenario() -> tuple[bool, bool]:
        async def silent(reader, writer):
            await asyncio.sleep(5)

        async def answering(reader, writer):
            await reader.readexactly(8)
            writer.write(b"N")
            await writer.drain()

        results = []
        for handler in (silent, answering):
            server = await asyncio.start_server(handler, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            results.append(await TcpProbe("127.0.0.1", port, hello=POSTGRES_SSL_REQUEST, timeout_seconds=0.3).is_up())
            server.close()
        return results[0], results[1]

    silent_up, answering_up = asyncio.run(scenario())
    assert silent_up is False
    assert answering_up is True
