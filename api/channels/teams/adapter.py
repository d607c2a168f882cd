"""The Agents SDK's FastAPI CloudAdapter, with bounded back-off when the connector answers HTTP 429.

Replies go to ``{serviceUrl}/v3/conversations/{id}/activities/{replyToId}``. When the connector throttles us
we wait what its ``Retry-After`` asks (or 1, 2, 4 ... s when it does not say), retry a bounded number of times,
and give up rather than wait longer than ``max_wait_seconds``. Typing indicators are never retried.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes, ResourceResponse
from microsoft_agents.hosting.core import OutboundHostValidator, RestChannelServiceClientFactory, TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, Connections
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.fastapi import CloudAdapter

logger = logging.getLogger(__name__)

THROTTLED = 429

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait when the connector throttles us."""

    max_attempts: int = 4
    max_wait_seconds: float = 20.0
    first_backoff_seconds: float = 1.0

    def wait_seconds(self, retry_after: str | None, attempt: int, now: datetime | None = None) -> float | None:
        """Seconds to wait before the next attempt, or None when we should give up.

        Args:
            retry_after: The ``Retry-After`` header: delay-seconds or an HTTP date (None when absent).
            attempt: The attempt that was just throttled (1 for the first).
            now: The current time, for an HTTP-date header (tests pass it).
        """
        if attempt >= self.max_attempts:
            return None
        wait = _parse_retry_after(retry_after, now or datetime.now(UTC))
        if wait is None:
            wait = self.first_backoff_seconds * 2 ** (attempt - 1)
        return wait if wait <= self.max_wait_seconds else None


def _parse_retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


class ConnectorClientFactory(RestChannelServiceClientFactory):
    """The SDK's connector client factory, optionally pointed at another base URL (a local stand-in in tests)."""

    def __init__(self, connections: Connections, connector_url_override: str = "") -> None:
        super().__init__(connections)
        self._override = connector_url_override

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """Create the client for ``service_url`` (or the configured override)."""
        return await super().create_connector_client(
            context, claims_identity, self._override or service_url, audience, scopes, use_anonymous
        )


class RetryingCloudAdapter(CloudAdapter):
    """``CloudAdapter`` that backs off and retries throttled sends, one activity at a time, in order."""

    def __init__(
        self,
        client_factory: ConnectorClientFactory,
        policy: RetryPolicy,
        host_validator: OutboundHostValidator,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        super().__init__(channel_service_client_factory=client_factory, host_validator=host_validator)
        self._policy = policy
        self._sleep = sleep
        self.on_turn_error = _log_turn_error

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        """Send each activity, retrying a throttled one before moving on to the next."""
        responses: list[ResourceResponse] = []
        for activity in activities:
            responses += await self._send_with_retry(context, activity)
        return responses

    async def _send_with_retry(self, context: TurnContext, activity: Activity) -> list[ResourceResponse]:
        attempt = 1
        while True:
            try:
                return await super().send_activities(context, [activity])
            except aiohttp.ClientResponseError as exc:
                if exc.status != THROTTLED or activity.type == ActivityTypes.typing:
                    raise
                headers = exc.headers or {}
                wait = self._policy.wait_seconds(headers.get("Retry-After"), attempt)
                if wait is None:
                    logger.warning("connector throttled the reply; giving up after attempt %d", attempt)
                    raise
                logger.info("connector throttled the reply (attempt %d); retrying in %.1f s", attempt, wait)
                await self._sleep(wait)
                attempt += 1


async def _log_turn_error(context: TurnContext, error: Exception) -> None:
    """Last resort when even the safe reply could not be sent: log the failure's kind, never the message."""
    logger.error("Teams turn failed and no reply could be sent: %s", type(error).__name__)
