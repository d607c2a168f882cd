"""Incoming Teams activities as the practitioner's message text (typed, or the payload of a clicked card button)."""

from typing import Any

from microsoft_agents.activity import Activity

# The key our Adaptive Card buttons put their payload under in Action.Submit ``data``.
PAYLOAD_KEY = "hips_payload"


def submitted_payload(value: Any) -> str | None:
    """The payload of a clicked card button, or None when ``value`` is not one of ours."""
    if isinstance(value, dict):
        payload = value.get(PAYLOAD_KEY)
        if isinstance(payload, str) and payload.strip():
            return payload.strip()
    return None


def message_text(activity: Activity) -> str:
    """The text to send to the dialogue engine for a message activity ("" when there is nothing usable).

    A card submit arrives as a message whose ``value`` holds the button's ``data``; its payload wins over
    any text Teams adds. Otherwise the typed text is used (bot @mentions are removed by the SDK).
    """
    payload = submitted_payload(activity.value)
    if payload is not None:
        return payload
    return (activity.text or "").strip()


def tenant_of(activity: Activity) -> str:
    """The Entra tenant of the conversation: ``conversation.tenantId``, else ``channelData.tenant.id``."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return tenant["id"]
    return ""


def bot_was_added(activity: Activity) -> bool:
    """True when a conversationUpdate says the bot itself joined the conversation."""
    recipient_id = activity.recipient.id if activity.recipient is not None else None
    return bool(recipient_id) and any(member.id == recipient_id for member in activity.members_added or [])
