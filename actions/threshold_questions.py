"""The threshold questions as a dynamic Rasa form: ask what the pathways engine still needs, one at a time."""

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import AnswerError, case_from_slots, next_question, parse_answer
from actions.replies import reply
from actions.runtime import threshold_model

FORM_SLOT = "pending_answer"


def _no_words(tracker: Tracker) -> bool:
    """A typed answer with no letter or digit ("?!", an emoji) is not taken as yes, no or not sure."""
    typed = str((tracker.latest_message or {}).get("text") or "")
    return bool(typed.strip()) and not typed.startswith("/") and not any(ch.isalnum() for ch in typed)


def _buttons(question: Any) -> list[dict[str, str]]:
    """Buttons whose payloads fill the form slot directly (typed answers work too).

    Every option has a label: the pathways loader gives yes / no / not sure theirs.
    """
    return [
        {"title": option.label, "payload": f'/inform{{"{FORM_SLOT}":"{option.value}"}}'}
        for option in question.options
    ]


class ActionAskPendingAnswer(Action):
    """Ask the next question the engine needs, with its answers as buttons."""

    def name(self) -> str:
        return "action_ask_pending_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        question = next_question(threshold_model(), case_from_slots(tracker))
        if question is None:
            return [SlotSet("pending_question", None)]
        text = f"{question.text}\n{question.help}".strip() if question.help else question.text
        dispatcher.utter_message(text=text, buttons=_buttons(question))
        return [SlotSet("pending_question", question.id)]


class ValidateThresholdForm(FormValidationAction):
    """Record each answer and keep asking while the engine still has questions."""

    def name(self) -> str:
        return "validate_threshold_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Ask again only while the engine needs more answers (questions depend on earlier answers)."""
        if next_question(threshold_model(), case_from_slots(tracker)) is None:
            return []
        return domain_slots

    def validate_pending_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Parse the answer to the question asked; on a bad value say what is accepted and ask again."""
        model = threshold_model()
        question = model.question(tracker.get_slot("pending_question") or "")
        if question is None:
            return {FORM_SLOT: None}
        if _no_words(tracker):
            dispatcher.utter_message(text=reply("answer_not_understood"))
            return {FORM_SLOT: None}
        try:
            slots = parse_answer(model, question, value, case_from_slots(tracker))
        except AnswerError as error:
            dispatcher.utter_message(text=str(error))
            return {FORM_SLOT: None}
        return {**slots, FORM_SLOT: None}
