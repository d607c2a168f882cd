"""Adaptive Cards for Teams: questions with buttons, guidance with its source, the recommendation, the emergency route.

Cards are plain dicts in the Adaptive Card 1.5 schema (the newest Teams renders on every client).
Buttons are ``Action.Submit`` whose ``data`` carries the bot's payload, so a click comes back as a message
activity whose ``value`` holds it (see ``inbound.message_text``).
"""

from typing import Any

from api.channels.teams.card_labels import CardLabels
from api.channels.teams.inbound import PAYLOAD_KEY
from api.messages import Button

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

Card = dict[str, Any]


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> Card:
    card: Card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        card["actions"] = actions
    return card


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", size="Medium", spacing="Medium")


def _bullets(lines: list[str]) -> dict[str, Any]:
    return _text("\n".join(f"- {line}" for line in lines))


def _is_web_link(url: Any) -> bool:
    return isinstance(url, str) and url.startswith("https://")


def submit_action(button: Button) -> dict[str, Any]:
    """An ``Action.Submit`` that sends the button's payload back to the bot."""
    return {"type": "Action.Submit", "title": button.title, "data": {PAYLOAD_KEY: button.payload}}


def question_card(text: str, buttons: tuple[Button, ...]) -> Card:
    """A question with one button per answer."""
    return _card([_text(text)], [submit_action(button) for button in buttons])


def _review_line(item: dict[str, Any], labels: CardLabels) -> str:
    phrases = labels.phrases
    line = (
        f"{phrases.source}: {item.get('source_title', '')}. {phrases.reviewed} {item.get('last_reviewed', '')}, "
        f"{phrases.review_by} {item.get('review_by', '')}."
    )
    return line if item.get("verified") else f"{line} {phrases.unverified}"


def _guidance_elements(item: dict[str, Any], labels: CardLabels) -> list[dict[str, Any]]:
    """One guidance item: title, snippet, source with review dates, and a link to the source."""
    elements: list[dict[str, Any]] = [
        _text(str(item.get("title", "")), weight="Bolder", spacing="Medium"),
        _text(str(item.get("snippet", ""))),
        _text(_review_line(item, labels), isSubtle=True, size="Small"),
    ]
    if _is_web_link(item.get("source_url")):
        link = {"type": "Action.OpenUrl", "title": labels.phrases.open_source, "url": item["source_url"]}
        elements.append({"type": "ActionSet", "actions": [link]})
    return elements


def guidance_card(item: dict[str, Any], labels: CardLabels) -> Card:
    """One piece of guidance as a card with a link to its source and its review dates."""
    return _card(_guidance_elements(item, labels))


def recommendation_card(payload: dict[str, Any], labels: CardLabels) -> Card:
    """The suggested route with the rules that fired, next steps, contacts, guidance and the judgement note."""
    headings = labels.headings
    route = str(payload.get("route", "unclear"))
    headline = labels.route_name(route)
    if payload.get("level_name"):
        headline = f"{headline} ({payload['level_name']})"
    body: list[dict[str, Any]] = [
        _text(headings.recommendation, weight="Bolder", size="Large"),
        _text(headline, weight="Bolder", color="Attention" if route in ("emergency", "mash") else "Default"),
    ]
    reasons = [
        f"{reason.get('description', '')} ({reason.get('reference', '')})" if reason.get("reference") else
        str(reason.get("description", ""))
        for reason in payload.get("reasons") or []
        if isinstance(reason, dict)
    ]
    if reasons:
        body += [_heading(headings.reasons), _bullets(reasons)]
    if payload.get("next_steps"):
        body += [_heading(headings.next_steps), _bullets([str(step) for step in payload["next_steps"]])]
    if payload.get("contacts"):
        body += [_heading(headings.contacts), _bullets([str(line) for line in payload["contacts"]])]
    guidance = [item for item in payload.get("guidance") or [] if isinstance(item, dict)]
    if guidance:
        body.append(_heading(headings.guidance))
        for item in guidance:
            body += _guidance_elements(item, labels)
    if payload.get("judgement_note"):
        body.append(_text(str(payload["judgement_note"]), isSubtle=True, spacing="Medium"))
    return _card(body)


def emergency_line_texts(lines: list[Any]) -> list[str]:
    """Emergency lines as text: ``{label, phone}`` objects (safe reply) or ready-made strings (the bot)."""
    texts = []
    for line in lines:
        if isinstance(line, dict):
            texts.append(f"{line.get('label', '')}: {line.get('phone', '')}")
        else:
            texts.append(str(line))
    return texts


def emergency_card(lines: list[Any], labels: CardLabels) -> Card:
    """The emergency route: who to ring, 999 first."""
    return _card(
        [
            _text(labels.headings.emergency, weight="Bolder", size="Medium", color="Attention"),
            _bullets(emergency_line_texts(lines)),
        ]
    )
