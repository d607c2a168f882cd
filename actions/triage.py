"""Triage the practitioner's first description: what it may be about, what it already answers."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import reply
from actions.runtime import threshold_model, triage_matcher
from pathways.triage import triage_text
from privacy.identifiers import find_identifiers


class ActionTriageConcern(Action):
    """Run free-text triage on the description and keep only the structured result in slots."""

    def name(self) -> str:
        return "action_triage_concern"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        found = find_identifiers(text)
        if found:
            # Defence in depth: the API scrubs before Rasa, but a channel might not.
            dispatcher.utter_message(text=reply("identifying_details", found=", ".join(k.label for k in found)))
        model = threshold_model()
        result = triage_text(model, text, tracker.get_slot("area"), triage_matcher())
        concerns = [model.concerns.get(c, c) for c in result.concerns]
        if concerns:
            dispatcher.utter_message(text="Thank you. This sounds like it may involve: " + "; ".join(concerns) + ".")
        else:
            dispatcher.utter_message(text="Thank you. I will ask a few short questions to find the right route.")
        events: list[EventType] = [
            SlotSet("answers", dict(result.answers)),
            SlotSet("concerns", list(result.concerns)),
            SlotSet("route", None),
            SlotSet("pending_answer", None),
            SlotSet("pending_question", None),
        ]
        if result.area:
            events.append(SlotSet("area", result.area))
        if result.age is not None:
            events.append(SlotSet("age", result.age))
        return events
