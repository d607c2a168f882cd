"""The Teams agent: each message activity goes through the one chat service; replies go back as Teams activities.

Built from the Agents SDK's ``AgentApplication`` and our ``RetryingCloudAdapter``. Turn handlers:
- message (typed text or a card button's submitted payload) -> typing -> ``ChatService.handle`` -> cards/text;
- conversationUpdate that adds the bot -> the welcome, with the emergency route;
- any failure in a turn -> the fixed safe reply with the emergency route (never silence, never a stack trace).
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ApplicationOptions,
    ConnectionManager,
    MemoryStorage,
    OutboundHostValidator,
    TurnContext,
    TurnState,
    TypingIndicator,
)
from microsoft_agents.hosting.core.app.typing_indicator import TypingOptions
from microsoft_agents.hosting.core.authorization import AccessTokenProviderBase, Connections

from api.channels.teams.adapter import ConnectorClientFactory, RetryingCloudAdapter, RetryPolicy, Sleep
from api.channels.teams.auth import auth_configuration
from api.channels.teams.card_labels import CardLabels, load_card_labels
from api.channels.teams.inbound import bot_was_added, message_text, tenant_of
from api.channels.teams.outbound import activities_for_message, activities_for_turn
from api.channels.teams.session_key import teams_session_key
from api.channels.teams.settings import TeamsSettings
from api.chat_service import ChatService
from api.safe_reply import CannedReplies, load_canned_replies

logger = logging.getLogger(__name__)

TEAMS_REPLIES_FILE = Path(__file__).with_name("replies.yml")


@dataclass(frozen=True)
class TeamsBot:
    """What the ``/api/messages`` route needs: the adapter, the agent and how to check a caller's token."""

    adapter: RetryingCloudAdapter
    agent: AgentApplication[TurnState]
    auth: AgentAuthConfiguration


class TeamsTurns:
    """The turn handlers, holding the chat service and the replies they send."""

    def __init__(
        self, settings: TeamsSettings, chat_service: ChatService, replies: CannedReplies, labels: CardLabels
    ) -> None:
        self._settings = settings
        self._chat = chat_service
        self._replies = replies
        self._welcome = load_canned_replies(TEAMS_REPLIES_FILE, replies.emergency_lines)
        self._labels = labels

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        """Send the practitioner's message (or clicked answer) to the dialogue and show its answer."""
        text = message_text(context.activity)
        if not text or len(text) > self._settings.max_message_chars:
            reply = self._replies.render("invalid_message", max_chars=self._settings.max_message_chars)
            await context.send_activities(activities_for_message(reply, self._labels))
            return
        key = teams_session_key(
            self._settings.session_secret_or_default, tenant_of(context.activity), context.activity.conversation.id
        )
        await self._send_typing(context)
        interval_ms = int(self._settings.typing_interval_seconds * 1000)
        typing = TypingOptions(initial_delay_ms=interval_ms, interval_ms=interval_ms)
        async with TypingIndicator(context, typing_options=typing):
            turn = await self._chat.handle(key, text)
        if turn.degraded:
            logger.warning("Teams turn answered with the safe reply")
        await context.send_activities(activities_for_turn(turn, self._labels))

    async def on_members_added(self, context: TurnContext, state: TurnState) -> None:
        """Welcome the practitioner when the bot is added to a chat, with the emergency route."""
        if bot_was_added(context.activity):
            await context.send_activities(activities_for_message(self._welcome.render("welcome"), self._labels))

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        """Answer with the fixed safe reply; log only the kind of failure (never the practitioner's words)."""
        logger.error("Teams turn failed, sending the safe reply: %s", type(error).__name__)
        await context.send_activities(activities_for_message(self._replies.render("safe_fallback"), self._labels))

    @staticmethod
    async def _send_typing(context: TurnContext) -> None:
        """Show 'typing' at once; it is only a courtesy, so a failure to send it is not an error."""
        try:
            await context.send_activity(Activity(type=ActivityTypes.typing))
        except Exception as exc:  # noqa: BLE001
            logger.info("typing indicator not sent: %s", type(exc).__name__)


TokenProviderFactory = Callable[[AgentAuthConfiguration], AccessTokenProviderBase]


def build_connections(configuration: AgentAuthConfiguration, provider_factory: TokenProviderFactory) -> Connections:
    """The SDK connection manager that gets the bot's outbound tokens (MSAL against our tenant in production)."""
    return ConnectionManager(
        provider_factory=provider_factory, connections_configurations={"SERVICE_CONNECTION": configuration}
    )


def build_teams_bot(
    settings: TeamsSettings,
    chat_service: ChatService,
    replies: CannedReplies,
    *,
    token_provider: TokenProviderFactory = MsalAuth,
    sleep: Sleep = asyncio.sleep,
) -> TeamsBot | None:
    """Assemble the Teams channel, or return None when it is not configured (no app registration, auth on).

    Args:
        settings: Teams settings (``HIPS_TEAMS_*``).
        chat_service: The one chat service every channel uses.
        replies: The canned replies with the emergency route.
        token_provider: Gets the bot's outbound tokens; MSAL in production, a local stand-in in tests.
        sleep: How to wait between retries after HTTP 429 (tests record the waits).
    """
    if not settings.channel_enabled:
        logger.info("Teams channel off: HIPS_TEAMS_APP_ID / TENANT_ID / CLIENT_SECRET / SESSION_SECRET not set")
        return None
    configuration = auth_configuration(settings)
    connections = build_connections(configuration, token_provider)
    adapter = RetryingCloudAdapter(
        ConnectorClientFactory(connections, settings.connector_url_override),
        RetryPolicy(max_attempts=settings.max_send_attempts, max_wait_seconds=settings.max_retry_wait_seconds),
        # Replies only ever go to Microsoft's channel hosts, and to the one the caller's token names.
        OutboundHostValidator(enabled=settings.auth_enabled),
        sleep=sleep,
    )
    options = ApplicationOptions(
        storage=MemoryStorage(), bot_app_id=settings.app_id, start_typing_timer=False, remove_recipient_mention=True
    )
    agent = AgentApplication[TurnState](options, connection_manager=connections)
    turns = TeamsTurns(settings, chat_service, replies, load_card_labels())
    agent.activity(ActivityTypes.message)(turns.on_message)
    agent.conversation_update("membersAdded")(turns.on_members_added)
    agent.error(turns.on_error)
    return TeamsBot(adapter=adapter, agent=agent, auth=configuration)
