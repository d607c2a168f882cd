"""Talking to a person, and making a MASH contact whatever the assistant suggested: never argued with."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.contacts import area_contact_lines, area_forms
from actions.presenters import bullet_list, card_from_item, guidance_text
from actions.replies import reply
from actions.runtime import guidance_service, threshold_model


class ActionHandoff(Action):
    """Give the area's MASH consultation line and the advice to speak to the safeguarding lead."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lines = area_contact_lines(threshold_model(), tracker.get_slot("area"))
        dispatcher.utter_message(text=reply("handoff", contacts=bullet_list(lines)))
        return []


class ActionMashContactAnyway(Action):
    """Tell a practitioner who wants to contact the MASH exactly how, for their area."""

    def name(self) -> str:
        return "action_mash_contact_anyway"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        model = threshold_model()
        area = tracker.get_slot("area")
        lines = area_contact_lines(model, area) + area_forms(model, area)
        dispatcher.utter_message(text=reply("mash_contact_anyway", contacts=bullet_list(lines)))
        service = guidance_service()
        for item_id in model.next_steps.by_route["mash"].guidance[:1]:
            item = service.get(item_id)
            if item is not None:
                dispatcher.utter_message(text=guidance_text(card_from_item(item)))
        return []
