"""One chat service for every channel: send a practitioner's message to Rasa, answer safely on failure."""

import logging
from collections.abc import Sequence

from api.health_probe import HealthProbe, TcpProbe
from api.messages import BotMessage, ChatTurn
from api.rasa_client import DialogueUnavailable, RasaClient
from api.safe_reply import CannedReplies
from privacy.identifiers import find_identifiers, scrub_identifiers

logger = logging.getLogger(__name__)


class ChatService:
    """Runs one practitioner turn through the dialogue engine.

    Whatever fails behind it (Rasa down or slow, the action server down, a broken answer),
    the practitioner gets the fixed safe reply with the emergency route, never silence.
    """

    def __init__(self, rasa: RasaClient, replies: CannedReplies,
                 probes: Sequence[HealthProbe | TcpProbe] = ()) -> None:
        self._rasa = rasa
        self._replies = replies
        self._probes = tuple(probes)

    async def _converse(self, session_key: str, text: str) -> tuple[BotMessage, ...]:
        for probe in self._probes:
            if not await probe.is_up():
                raise DialogueUnavailable(f"{probe.name} down")
        return await self._rasa.send(session_key, text)

    async def handle(self, session_key: str, text: str) -> ChatTurn:
        """Return the bot's answer to ``text`` in the conversation ``session_key``.

        Identifying details are scrubbed before the text goes anywhere (the dialogue engine stores what it
        receives), and the practitioner is told so.
        """
        found = find_identifiers(text)
        warning: tuple[BotMessage, ...] = ()
        if found:
            text = scrub_identifiers(text)
            labels = ", ".join(kind.label for kind in found)
            warning = (BotMessage(text=self._replies.text("identifying_details", found=labels)),)
        try:
            messages = await self._converse(session_key, text)
        except DialogueUnavailable as exc:
            # The reason names the failure only; never the message text.
            logger.warning("dialogue unavailable, sent safe reply: %s", exc)
            return ChatTurn(
                messages=(*warning, self._replies.render("safe_fallback")), degraded=True, reasons=(str(exc),)
            )
        return ChatTurn(messages=(*warning, *messages))
