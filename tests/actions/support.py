"""Tracker builder and message helpers for action tests."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN: dict[str, Any] = {"forms": {"threshold_form": {"required_slots": ["pending_answer"]}}}


def make_tracker(
    text: str = "",
    intent: str = "describe_concern",
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    **slots: Any,
) -> Tracker:
    """A tracker whose latest message is ``text`` with ``intent``, and the given slot values."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    all_slots = {"answers": None, "area": None, "age": None, "concerns": None, "pending_answer": None,
                 "pending_question": None, "route": None, "requested_slot": None}
    all_slots.update(slots)
    user_event = {"event": "user", "text": text, "parse_data": latest}
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=latest,
        events=events if events is not None else [user_event],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def customs(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]
