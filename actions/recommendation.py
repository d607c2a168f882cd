"""Recommend the route: the decision, its reasons, next steps, contacts and cited guidance."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import assess, case_from_slots
from actions.contacts import area_contact_lines
from actions.presenters import bullet_list, card_from_hit, card_from_item, guidance_text
from actions.replies import reply
from actions.runtime import guidance_service, threshold_model
from audit import record_recommendation


def _latest_description(tracker: Tracker) -> str:
    """The practitioner's last description of the worry (used only as a search query, never stored)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and (event.get("parse_data") or {}).get("intent", {}).get("name") == (
            "describe_concern"
        ):
            return event.get("text") or ""
    return ""


def cited_guidance(guidance_ids: list[str], query: str, area: str | None, limit: int = 3) -> list[dict[str, Any]]:
    """Guidance to show: what the fired rules cite (most specific first) and the best search match."""
    service = guidance_service()
    cited = [card_from_item(item) for item in map(service.get, guidance_ids) if item is not None]
    found = [card_from_hit(hit) for hit in service.search(query, k=2, area=area).results] if query else []
    cards = cited[: limit - 1]
    cards += [card for card in found if card["id"] not in {c["id"] for c in cards}][:1]
    cards += [card for card in cited if card["id"] not in {c["id"] for c in cards}]
    return cards[:limit]


def decision_summary(headline: str, reasons: list[str], next_steps: list[str], cards: list[dict[str, Any]]) -> str:
    """A plain-text record of the suggestion, with no names, for the practitioner's notes or a referral form."""
    sources = [f"{card['title']}: {card['source_title']} ({card['source_url']}), reviewed {card['last_reviewed']}"
               for card in cards]
    return "\n".join([
        "Safeguarding assistant - summary of a suggested route (no identifying details)",
        f"Suggested route: {headline}",
        "Why:", bullet_list(reasons) if reasons else "- (no rule fired)",
        "Next steps:", bullet_list(next_steps),
        "Guidance consulted:", bullet_list(sources) if sources else "- (none)",
        reply("judgement_note"),
        "My decision: ______________________   Reasons: ______________________   Date: __________",
    ])


class ActionRecommendRoute(Action):
    """Assess the answers and present the route with reasons, next steps, contacts and guidance."""

    def name(self) -> str:
        return "action_recommend_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        model = threshold_model()
        case = case_from_slots(tracker)
        decision = assess(model, case)
        record_recommendation(conversation=tracker.sender_id, area=case.area, route=decision.route,
                              level=decision.level, rules_fired=[r.id for r in decision.fired],
                              guidance_ids=list(decision.guidance_ids))
        reasons = [rule.description for rule in decision.fired]
        level_name = ""
        if decision.contacts is not None and decision.level:
            level_name = decision.contacts.level_names.names.get(decision.level, "")
        headline = reply(f"route_headline_{decision.route}") + (f" ({level_name})" if level_name else "")
        parts = [f"Suggested route: {headline}"]
        if reasons:
            parts.append("Why:\n" + bullet_list(reasons))
        parts.append("What to do next:\n" + bullet_list(list(decision.next_steps)))
        contacts = area_contact_lines(model, case.area)
        parts.append("Contacts:\n" + bullet_list(contacts))
        parts.append(reply("judgement_note"))
        dispatcher.utter_message(text="\n\n".join(parts))
        cards = cited_guidance(list(decision.guidance_ids), _latest_description(tracker), case.area)
        for card in cards:
            dispatcher.utter_message(text="Guidance: " + guidance_text(card))
        summary = decision_summary(headline, reasons, list(decision.next_steps), cards)
        payload: dict[str, Any] = {
            "type": "recommendation",
            "route": decision.route,
            "level": decision.level,
            "level_name": level_name,
            "reasons": [
                {"id": r.id, "description": r.description, "reference": r.reference, "route": r.route}
                for r in decision.fired
            ],
            "next_steps": list(decision.next_steps),
            "contacts": contacts,
            "guidance": cards,
            "headline": headline,
            "judgement_note": reply("judgement_note"),
            "summary": summary,
            "summary_offer": reply("summary_offer"),
        }
        dispatcher.utter_message(json_message=payload)
        return [SlotSet("route", decision.route)]
