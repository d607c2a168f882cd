"""Drive a guided conversation the way a practitioner would: describe a worry, then click the buttons."""

from collections.abc import Callable

import httpx

Messages = list[dict]


def rest_sender(base_url: str, sender: str, timeout: float = 90) -> Callable[[str], Messages]:
    """A function that sends one message to Rasa's REST webhook for ``sender`` and returns the answer."""

    def send(text: str) -> Messages:
        response = httpx.post(f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=timeout)
        response.raise_for_status()
        return response.json()

    return send


def recommendation_in(messages: Messages) -> dict | None:
    """The recommendation payload in a turn's messages, if any."""
    return next((m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "recommendation"), None)


def question_in(messages: Messages) -> dict | None:
    """The last message that asks something (buttons or a question mark)."""
    return next((m for m in reversed(messages) if m.get("buttons") or m.get("text", "").endswith("?")), None)


def cautious_answer(question: dict) -> str:
    """Answer as a cautious practitioner with nothing to add: the 'No' button, else the first, else an age."""
    buttons = question.get("buttons") or []
    for button in buttons:
        if button["title"].lower() == "no":
            return button["payload"]
    return buttons[0]["payload"] if buttons else "8"
