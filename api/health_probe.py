"""A cached health probe of a dependency the dialogue engine cannot report on itself.

Rasa answers a turn even when the action server is down (it logs the failed action and may fall back to a
canned response), so the chat service checks the action server's ``/health`` before each turn.
"""

import time

import httpx


class HealthProbe:
    """Answers "is it up?" from ``GET <url>``, remembering the answer for ``cache_seconds``."""

    def __init__(self, url: str, timeout_seconds: float = 1.0, cache_seconds: float = 2.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._url = url
        self._cache_seconds = cache_seconds
        self._client = httpx.AsyncClient(timeout=timeout_seconds, transport=transport)
        self._checked_at = float("-inf")
        self._up = False

    async def is_up(self) -> bool:
        """True when the dependency answered 200 within the timeout (recently, or now)."""
        now = time.monotonic()
        if now - self._checked_at < self._cache_seconds:
            return self._up
        try:
            response = await self._client.get(self._url)
            self._up = response.status_code == 200
        except httpx.HTTPError:
            self._up = False
        self._checked_at = now
        return self._up

    async def close(self) -> None:
        """Release the connection pool."""
        await self._client.aclose()
