"""The web chat endpoint: one practitioner message in, the bot's messages out."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ChatServiceDep, RepliesDep, SettingsDep
from api.messages import BotMessage
from api.sessions import resolve_session

router = APIRouter(prefix="/api/v1", tags=["chat"])


class ChatRequest(BaseModel):
    """A practitioner's message; ``session_id`` is the id the server issued, or null to start."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=10_000)
    session_id: str | None = Field(default=None, max_length=200)


class ButtonOut(BaseModel):
    title: str
    payload: str


class MessageOut(BaseModel):
    text: str = ""
    buttons: list[ButtonOut] = []
    custom: dict[str, Any] | None = None


class EmergencyLineOut(BaseModel):
    label: str
    phone: str


class ChatResponse(BaseModel):
    """The bot's messages, the (possibly new) session id, and the emergency route, always."""

    session_id: str
    messages: list[MessageOut]
    degraded: bool
    emergency: list[EmergencyLineOut]


def _message_out(message: BotMessage) -> MessageOut:
    return MessageOut(
        text=message.text,
        buttons=[ButtonOut(title=b.title, payload=b.payload) for b in message.buttons],
        custom=message.custom,
    )


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, service: ChatServiceDep, replies: RepliesDep, settings: SettingsDep) -> ChatResponse:
    """Send one message to the assistant.

    An unknown, forged or missing session id starts a new conversation with a new signed id:
    a client can only continue a conversation whose id the server gave it.
    """
    session_id, session_key = resolve_session(settings.session_secret, body.session_id)
    emergency = [EmergencyLineOut(**line) for line in replies.emergency_payload()]
    text = body.message.strip()
    if not text or len(text) > settings.max_message_chars:
        message = replies.render("invalid_message", max_chars=settings.max_message_chars)
        return ChatResponse(
            session_id=session_id, messages=[_message_out(message)], degraded=False, emergency=emergency
        )
    turn = await service.handle(session_key, text)
    return ChatResponse(
        session_id=session_id,
        messages=[_message_out(m) for m in turn.messages],
        degraded=turn.degraded,
        emergency=emergency,
    )
