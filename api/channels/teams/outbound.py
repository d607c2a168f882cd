"""The bot's internal messages as Teams activities: cards for questions and payloads, text otherwise."""

from typing import Any

from microsoft_agents.activity import Activity, Attachment
from microsoft_agents.hosting.core import CardFactory, MessageFactory

from api.channels.teams.card_labels import CardLabels
from api.channels.teams.cards import (
    Card,
    emergency_card,
    emergency_line_texts,
    guidance_card,
    question_card,
    recommendation_card,
)
from api.messages import BotMessage, ChatTurn


def _cards_for_payload(custom: dict[str, Any], text: str, labels: CardLabels) -> list[Card]:
    """Cards for a structured payload; an unknown payload type gives none (its text still goes out)."""
    kind = custom.get("type")
    if kind == "recommendation":
        return [recommendation_card(custom, labels)]
    if kind == "guidance":
        return [guidance_card(item, labels) for item in custom.get("items") or [] if isinstance(item, dict)]
    if kind == "emergency_route":
        lines = list(custom.get("lines") or [])
        # The safe reply already lists every line in its text: a second copy would only add noise.
        if lines and not all(_line_shown(line, text) for line in lines):
            return [emergency_card(lines, labels)]
    return []


def _line_shown(line: Any, text: str) -> bool:
    phone = line.get("phone") if isinstance(line, dict) else None
    return (phone or emergency_line_texts([line])[0]) in text


def _card_activity(cards: list[Card]) -> Activity:
    attachments: list[Attachment] = [CardFactory.adaptive_card(card) for card in cards]
    return MessageFactory.list(attachments) if len(attachments) > 1 else MessageFactory.attachment(attachments[0])


def activities_for_message(message: BotMessage, labels: CardLabels) -> list[Activity]:
    """One internal message as Teams activities.

    A question (text with buttons) becomes one Adaptive Card with an ``Action.Submit`` per button; plain text
    stays text; a recommendation, guidance or emergency payload becomes Adaptive Cards after the text.
    """
    activities: list[Activity] = []
    if message.buttons:
        activities.append(_card_activity([question_card(message.text, message.buttons)]))
    elif message.text:
        activities.append(MessageFactory.text(message.text))
    cards = _cards_for_payload(message.custom, message.text, labels) if message.custom else []
    if cards:
        activities.append(_card_activity(cards))
    return activities


def activities_for_turn(turn: ChatTurn, labels: CardLabels) -> list[Activity]:
    """Every message of a turn, in order, as Teams activities."""
    return [activity for message in turn.messages for activity in activities_for_message(message, labels)]
