"""The one internal message model that every channel (web, Teams) converts to and from."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """A choice the practitioner can click; ``payload`` is what goes back to the bot."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One bot utterance: text, optional buttons and an optional structured payload."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] | None = None


@dataclass(frozen=True)
class ChatTurn:
    """The bot's answer to one practitioner message.

    ``degraded`` is True when a backend failed and the messages are the fixed safe reply.
    """

    messages: tuple[BotMessage, ...]
    degraded: bool = False
    reasons: tuple[str, ...] = field(default=())
