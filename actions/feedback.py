"""Feedback on a recommendation: kept as helpful / not helpful only, never with anything typed."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import reply
from audit import record_feedback

FEEDBACK_BY_INTENT = {"feedback_helpful": "helpful", "feedback_not_helpful": "not_helpful"}


class ActionRecordFeedback(Action):
    """Record the practitioner's verdict on the last recommendation."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        verdict = FEEDBACK_BY_INTENT.get((tracker.latest_message.get("intent") or {}).get("name", ""))
        if verdict is not None:
            record_feedback(conversation=tracker.sender_id, feedback=verdict)
        dispatcher.utter_message(text=reply("feedback_thanks"))
        return [SlotSet("feedback", verdict)]
