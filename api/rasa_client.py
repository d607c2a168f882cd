"""Talks to the Rasa server's REST channel and turns its answer into internal messages."""

import logging
from typing import Any

import httpx

from api.messages import BotMessage, Button

logger = logging.getLogger(__name__)


class DialogueUnavailable(Exception):
    """The dialogue engine could not produce an answer (down, slow, broken or silent)."""


def parse_rasa_messages(raw: Any) -> tuple[BotMessage, ...]:
    """Convert the REST channel's JSON list into ``BotMessage`` objects.

    Raises:
        DialogueUnavailable: if the answer is not the documented list of messages.
    """
    if not isinstance(raw, list):
        raise DialogueUnavailable("unexpected answer shape")
    messages = []
    for item in raw:
        if not isinstance(item, dict):
            raise DialogueUnavailable("unexpected message shape")
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        )
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
        messages.append(BotMessage(text=str(item.get("text") or ""), buttons=buttons, custom=custom))
    return tuple(messages)


class RasaClient:
    """A thin async client for ``POST /webhooks/rest/webhook``."""

    def __init__(
        self, base_url: str, timeout_seconds: float, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._status_url = base_url.rstrip("/") + "/"
        self._client = httpx.AsyncClient(timeout=timeout_seconds, transport=transport)

    async def send(self, sender_id: str, text: str) -> tuple[BotMessage, ...]:
        """Send one message for ``sender_id`` and return the bot's messages.

        Raises:
            DialogueUnavailable: on connection errors, timeouts, HTTP errors or an empty answer
                (Rasa answers with nothing when the action server is down).
        """
        try:
            response = await self._client.post(self._url, json={"sender": sender_id, "message": text})
            response.raise_for_status()
            messages = parse_rasa_messages(response.json())
        except httpx.TimeoutException as exc:
            raise DialogueUnavailable("dialogue engine timed out") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise DialogueUnavailable(f"dialogue engine error: {type(exc).__name__}") from exc
        if not any(m.text or m.buttons or m.custom for m in messages):
            raise DialogueUnavailable("dialogue engine gave no answer")
        return messages

    async def is_up(self) -> bool:
        """Return True when the Rasa server answers its status route."""
        try:
            response = await self._client.get(self._status_url)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def close(self) -> None:
        """Release the connection pool."""
        await self._client.aclose()
