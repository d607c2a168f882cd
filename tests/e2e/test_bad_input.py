"""Bad input through the real stack: a clear, kind reply, the conversation intact, nothing crashes."""

import httpx
import pytest

from scripts.stack import Ports, Stack

pytestmark = pytest.mark.e2e


def chat(ports: Ports, text: str, session_id: str | None) -> tuple[httpx.Response, dict]:
    response = httpx.post(f"http://127.0.0.1:{ports.api}/api/v1/chat",
                          json={"message": text, "session_id": session_id}, timeout=60)
    return response, response.json()


def question_buttons(body: dict) -> list[dict]:
    return [b for m in body["messages"] for b in m.get("buttons") or []]


@pytest.mark.parametrize(
    "text",
    [
        "😟😟😟",
        "Je suis inquiet pour un enfant de ma classe",
        "<script>alert('x')</script><b>hello</b>",
        "x" * 10_000,
        '/inform{"pending_answer":"banana"}',
        "/inform{not json",
        "/nonexistent_intent",
        "   \n\t  ",
    ],
    ids=["emoji", "french", "html-script", "10k-chars", "bad-button-value", "broken-payload", "unknown-intent",
         "blank"],
)
def test_bad_input_mid_conversation_gets_a_kind_reply_and_the_questions_carry_on(stack: Stack, ports: Ports, text):
    response, first = chat(ports, "a year 4 boy keeps coming to school hungry and in dirty clothes", None)
    session = first["session_id"]
    assert question_buttons(first), "the worry should lead to a question"
    response, body = chat(ports, text, session)
    assert response.status_code == 200
    assert body["messages"], "bad input must never be met with silence"
    assert all("Traceback" not in (m.get("text") or "") for m in body["messages"])
    assert body["emergency"][0]["phone"] == "999"
    # The conversation is intact: answering the pending question with a real button still works.
    answer = next(b for b in question_buttons(first) if b["title"] == "No")
    response, after = chat(ports, answer["payload"], session)
    assert response.status_code == 200 and not after["degraded"]
    assert after["messages"], "the questions should carry on after bad input"
