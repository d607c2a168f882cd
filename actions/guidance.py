"""Answer a guidance question from the toolkits, or say plainly that the guidance does not cover it."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.presenters import card_from_hit, guidance_text
from actions.replies import reply
from actions.runtime import guidance_service


class ActionAnswerGuidanceQuestion(Action):
    """Search the guidance for the practitioner's question and show the best matches with sources."""

    def name(self) -> str:
        return "action_answer_guidance_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        query = tracker.latest_message.get("text") or ""
        response = guidance_service().search(query, k=2, area=tracker.get_slot("area"))
        if response.abstained or not response.results:
            dispatcher.utter_message(text=reply("not_covered"))
            return []
        cards = [card_from_hit(hit) for hit in response.results]
        for card in cards:
            dispatcher.utter_message(text=guidance_text(card))
        dispatcher.utter_message(json_message={"type": "guidance", "items": cards})
        return []
