"""What happens next on the route found (or on a MASH contact, before a route is found)."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.presenters import bullet_list, card_from_item, guidance_text
from actions.runtime import guidance_service, threshold_model


class ActionWhatHappensNext(Action):
    """Show the steps and guidance of the route in this conversation."""

    def name(self) -> str:
        return "action_what_happens_next"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        model = threshold_model()
        route = tracker.get_slot("route") or "mash"
        if route == "unclear":
            route = "mash"
        steps = model.next_steps.by_route[route]
        dispatcher.utter_message(text="What happens next:\n" + bullet_list(list(steps.steps)))
        service = guidance_service()
        for item in filter(None, map(service.get, steps.guidance[:2])):
            dispatcher.utter_message(text=guidance_text(card_from_item(item)))
        return []
