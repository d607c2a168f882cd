"""The emergency response: 999 now, then the MASH; reachable from any point in the conversation."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.contacts import area_contact_lines
from actions.presenters import bullet_list
from actions.runtime import threshold_model


class ActionEmergencyResponse(Action):
    """Tell the practitioner to call 999 now and who to contact next."""

    def name(self) -> str:
        return "action_emergency_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        model = threshold_model()
        steps = model.next_steps.by_route["emergency"].steps
        lines = area_contact_lines(model, tracker.get_slot("area"))
        text = (
            f"If a child is in immediate danger, call {model.next_steps.emergency_number} now.\n\n"
            + bullet_list(list(steps))
            + "\n\nThen contact the MASH for the child's area:\n"
            + bullet_list(lines)
        )
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message={"type": "emergency_route", "lines": lines})
        return [SlotSet("route", "emergency")]
