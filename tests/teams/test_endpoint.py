"""Recorded-style Teams activities posted to /api/messages; assertions on what reaches Rasa and the connector."""

import asyncio

import httpx
import pytest

from api.channels.teams.cards import ADAPTIVE_CARD_CONTENT_TYPE
from tests.teams.conftest import LINES, make_harness, rasa_says
from tests.teams.support import load_activity

QUESTION = {
    "text": "Has the child said anything about being hurt?",
    "buttons": [
        {"title": "Yes", "payload": '/inform{"pending_answer":"yes"}'},
        {"title": "No", "payload": '/inform{"pending_answer":"no"}'},
        {"title": "Not sure", "payload": '/inform{"pending_answer":"unknown"}'},
    ],
}
CARD = {
    "id": "csa-responding-to-disclosure",
    "toolkit": "csa",
    "title": "Responding when a child tells you about abuse",
    "snippet": "Listen, keep calm, do not ask leading questions.",
    "source_title": "HIPS procedures 1.1 Referrals",
    "source_url": "https://www.hipsprocedures.org.uk/example",
    "last_reviewed": "2026-11-21",
    "review_by": "2027-05-21",
    "verified": False,
}


def cards_sent(connector) -> list[dict]:
    return [
        attachment["content"]
        for activity in connector.activities()
        for attachment in activity.get("attachments") or []
        if attachment["contentType"] == ADAPTIVE_CARD_CONTENT_TYPE
    ]


def texts_sent(connector) -> list[str]:
    return [a["text"] for a in connector.activities() if a["type"] == "message" and a.get("text")]


def test_a_question_comes_back_as_an_adaptive_card_whose_buttons_submit_the_payload(teams_app):
    teams_app.answer[0] = rasa_says(QUESTION)
    message = load_activity("message")
    response = teams_app.post(message)
    assert response.status_code == 202
    assert teams_app.rasa_requests[0]["message"] == message["text"]
    [card] = cards_sent(teams_app.connector)
    assert card["body"][0]["text"] == QUESTION["text"]
    submits = [(a["type"], a["title"], a["data"]["hips_payload"]) for a in card["actions"]]
    assert submits == [("Action.Submit", b["title"], b["payload"]) for b in QUESTION["buttons"]]


def test_replies_go_to_the_conversation_as_replies_to_the_incoming_activity(teams_app):
    message = load_activity("message")
    teams_app.post(message)
    paths = {r["path"] for r in teams_app.connector.received}
    assert paths == {f"/v3/conversations/{message['conversation']['id']}/activities/{message['id']}"}


def test_typing_is_shown_before_the_answer(teams_app):
    teams_app.post(load_activity("message"))
    types = [a["type"] for a in teams_app.connector.activities()]
    assert types[0] == "typing"
    assert "message" in types[1:]


def test_a_clicked_card_button_sends_its_payload_to_rasa_unchanged(teams_app):
    submit = load_activity("card_submit")
    assert teams_app.post(submit).status_code == 202
    assert teams_app.rasa_requests[0]["message"] == submit["value"]["hips_payload"]


def test_typed_text_and_card_submits_of_one_conversation_share_one_rasa_sender(teams_app):
    teams_app.post(load_activity("message"))
    teams_app.post(load_activity("card_submit"))
    senders = {r["sender"] for r in teams_app.rasa_requests}
    assert len(senders) == 1


def test_the_rasa_sender_is_keyed_by_tenant_and_reveals_no_teams_id(teams_app):
    first = load_activity("message")
    other_tenant = load_activity("message")
    other_tenant["conversation"]["tenantId"] = "0d9b3c2a-0000-4000-8000-00000000beef"
    other_tenant["channelData"]["tenant"]["id"] = "0d9b3c2a-0000-4000-8000-00000000beef"
    teams_app.post(first)
    teams_app.post(other_tenant)
    mine, theirs = (r["sender"] for r in teams_app.rasa_requests)
    assert mine != theirs
    for sender in (mine, theirs):
        assert first["conversation"]["id"] not in sender and first["conversation"]["tenantId"] not in sender


def test_a_different_server_secret_gives_a_different_sender(connector):
    senders = []
    for secret in ("secret-one", "secret-two"):
        harness = make_harness(connector, session_secret=secret)
        harness.post(load_activity("message"))
        senders.append(harness.rasa_requests[0]["sender"])
    assert senders[0] != senders[1]


def test_guidance_is_a_card_with_a_link_to_its_source_and_its_review_dates(teams_app):
    teams_app.answer[0] = rasa_says({"custom": {"type": "guidance", "items": [CARD]}})
    teams_app.post(load_activity("message"))
    [card] = cards_sent(teams_app.connector)
    links = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert links == [{"type": "Action.OpenUrl", "title": "Open the source", "url": CARD["source_url"]}]
    texts = " ".join(e.get("text", "") for e in card["body"])
    assert CARD["last_reviewed"] in texts and CARD["review_by"] in texts
    assert "Not yet verified" in texts


def test_the_recommendation_card_shows_route_reasons_steps_contacts_guidance_and_judgement(teams_app):
    payload = {
        "type": "recommendation",
        "route": "mash",
        "level": 4,
        "level_name": "Level 4 (statutory)",
        "reasons": [{"id": "disclosure", "description": "The child has disclosed abuse",
                     "reference": "Threshold 4.2", "route": "mash"}],
        "next_steps": ["Ring the MASH professionals' line today"],
        "contacts": ["Portsmouth: MASH 0845 671 0271"],
        "guidance": [CARD],
        "judgement_note": "This supports your professional judgement; it does not replace it.",
    }
    teams_app.answer[0] = rasa_says({"text": "Suggested route: ..."}, {"custom": payload})
    teams_app.post(load_activity("message"))
    [card] = cards_sent(teams_app.connector)
    texts = "\n".join(e.get("text", "") for e in card["body"])
    for expected in ("Contact the MASH", "Level 4 (statutory)", "The child has disclosed abuse (Threshold 4.2)",
                     "Ring the MASH professionals' line today", "0845 671 0271", CARD["title"],
                     CARD["review_by"], payload["judgement_note"]):
        assert expected in texts
    assert any(a.get("url") == CARD["source_url"] for e in card["body"] if e["type"] == "ActionSet"
               for a in e["actions"])
    assert texts_sent(teams_app.connector) == ["Suggested route: ..."]


def test_plain_text_stays_plain_text(teams_app):
    teams_app.answer[0] = rasa_says({"text": "Thank you. Let me check the guidance."})
    teams_app.post(load_activity("message"))
    assert texts_sent(teams_app.connector) == ["Thank you. Let me check the guidance."]
    assert cards_sent(teams_app.connector) == []


def test_adding_the_bot_sends_a_welcome_with_the_emergency_route_and_asks_rasa_nothing(teams_app):
    assert teams_app.post(load_activity("conversation_update_bot_added")).status_code == 202
    [welcome] = texts_sent(teams_app.connector)
    assert "999" in welcome
    for line in LINES:
        assert line.phone in welcome
    assert teams_app.rasa_requests == []


def test_another_member_joining_a_chat_gets_no_welcome(teams_app):
    assert teams_app.post(load_activity("conversation_update_user_added")).status_code == 202
    assert teams_app.connector.activities() == []


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")), id="rasa down"),
        pytest.param(lambda r: httpx.Response(500, text="boom"), id="rasa error"),
        pytest.param(lambda r: httpx.Response(200, json=[]), id="action server down: rasa answers nothing"),
        pytest.param(lambda r: (_ for _ in ()).throw(KeyError("unexpected")), id="unexpected failure in the turn"),
    ],
)
def test_when_the_dialogue_fails_teams_gets_the_safe_reply_with_the_emergency_route(teams_app, failure):
    teams_app.answer[0] = failure
    assert teams_app.post(load_activity("message")).status_code == 202
    texts = texts_sent(teams_app.connector)
    assert len(texts) == 1
    assert "call 999 now" in texts[0]
    for line in LINES:
        assert line.phone in texts[0]
    assert "Traceback" not in texts[0] and "KeyError" not in texts[0]


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001], ids=["empty", "blank", "too long"])
def test_an_unusable_message_gets_a_polite_reply_with_999_and_never_reaches_rasa(teams_app, text):
    message = load_activity("message")
    message["text"] = text
    teams_app.post(message)
    [reply] = texts_sent(teams_app.connector)
    assert "999" in reply
    assert teams_app.rasa_requests == []


def test_throttled_replies_wait_as_retry_after_says_and_arrive_once(teams_app):
    teams_app.connector.throttles.extend([None, "2", "3"])  # typing dropped, then the card throttled twice
    teams_app.answer[0] = rasa_says(QUESTION)
    assert teams_app.post(load_activity("message")).status_code == 202
    assert teams_app.waits == [2.0, 3.0]
    assert len(cards_sent(teams_app.connector)) == 1
    statuses = [r["status"] for r in teams_app.connector.received]
    assert statuses == [429, 429, 429, 200]


def test_without_retry_after_the_back_off_doubles(teams_app):
    teams_app.connector.throttles.extend([None, None, None])
    teams_app.post(load_activity("message"))
    assert teams_app.waits == [1.0, 2.0]
    assert len(cards_sent(teams_app.connector)) == 1


def test_retries_are_bounded_when_the_connector_keeps_throttling(connector):
    harness = make_harness(connector, max_send_attempts=3)
    connector.throttles.extend(["1"] * 50)
    assert harness.post(load_activity("message")).status_code == 202
    # typing: one attempt; the answer: 3 attempts; then the safe reply: 3 attempts; then we stop.
    assert len(connector.received) == 1 + 3 + 3
    assert connector.activities() == []


def test_a_retry_after_longer_than_we_will_wait_is_not_retried_early(connector):
    harness = make_harness(connector, max_retry_wait_seconds=5)
    connector.throttles.extend([None, "120", "120"])
    harness.post(load_activity("message"))
    assert harness.waits == []


def test_typing_keeps_showing_while_a_slow_turn_runs_and_stops_before_the_answer(connector):
    harness = make_harness(connector, typing_interval_seconds=0.05)

    async def slow(request):
        await asyncio.sleep(0.4)
        return rasa_says({"text": "Thank you."})(request)

    harness.answer[0] = slow
    harness.post(load_activity("message"))
    types = [a["type"] for a in connector.activities()]
    assert types.count("typing") >= 3
    assert types[-1] == "message" and "typing" not in types[types.index("message"):]
