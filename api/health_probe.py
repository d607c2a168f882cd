"""Cached health probes of dependencies the dialogue engine does not report on itself.

Rasa answers a turn even when the action server is down (it logs the failed action and may fall back to a
canned response), and answers from an empty in-memory conversation when its tracker database is unreachable
(its FailSafeTrackerStore). So the chat service checks both before each turn and, if either is down, sends
the safe reply instead of a confusing answer.
"""

import asyncio
import time
from urllib.parse import urlsplit

import httpx


class _CachedProbe:
    """Remembers the last answer for ``cache_seconds`` so a busy service probes rarely."""

    def __init__(self, name: str, cache_seconds: float) -> None:
        self.name = name
        self._cache_seconds = cache_seconds
        self._checked_at = float("-inf")
        self._up = False

    async def _check(self) -> bool:
        raise NotImplementedError

    async def is_up(self) -> bool:
        """True when the dependency answered within the timeout (recently, or now)."""
        now = time.monotonic()
        if now - self._checked_at >= self._cache_seconds:
            self._up = await self._check()
            self._checked_at = now
        return self._up

    async def close(self) -> None:
        """Release what the probe holds."""


class HealthProbe(_CachedProbe):
    """Up when ``GET <url>`` answers 200, or is busy for less than ``busy_grace_seconds`` since it last did.

    A server that accepts the connection but is too busy to answer in time counts as up for a while. Under
    load the action server's event loop may be running other practitioners' actions for longer than the
    probe's timeout; calling it down then would send safe replies to every practitioner at the busiest
    moment, although Rasa would get its answer a moment later (and the chat's own Rasa timeout still bounds
    the wait). Refused or reset connections, error statuses and a server silent for longer than the grace
    period are down.
    """

    def __init__(self, url: str, timeout_seconds: float = 1.0, cache_seconds: float = 1.0,
                 transport: httpx.AsyncBaseTransport | None = None, name: str = "action server",
                 busy_grace_seconds: float = 30.0) -> None:
        super().__init__(name, cache_seconds)
        self._url = url
        self._client = httpx.AsyncClient(timeout=timeout_seconds, transport=transport)
        self._busy_grace_seconds = busy_grace_seconds
        self._answered_at = float("-inf")

    async def _check(self) -> bool:
        try:
            up = (await self._client.get(self._url)).status_code == 200
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
            return time.monotonic() - self._answered_at < self._busy_grace_seconds
        except httpx.HTTPError:
            return False
        if up:
            self._answered_at = time.monotonic()
        return up

    async def close(self) -> None:
        """Release the connection pool."""
        await self._client.aclose()


# PostgreSQL's SSLRequest: any live server answers it with one byte, "S" or "N", before any authentication.
POSTGRES_SSL_REQUEST = (8).to_bytes(4, "big") + (80877103).to_bytes(4, "big")


class TcpProbe(_CachedProbe):
    """Up when ``host:port`` accepts a connection and, given a ``hello``, answers it with one byte.

    Not cached by default: it costs about a millisecond on a LAN, and a turn sent to Rasa during an outage
    would be answered from an empty conversation.
    """

    def __init__(self, host: str, port: int, hello: bytes = b"", timeout_seconds: float = 1.0,
                 cache_seconds: float = 0.0, name: str = "tracker database") -> None:
        super().__init__(name, cache_seconds)
        self._host, self._port, self._hello, self._timeout = host, port, hello, timeout_seconds

    async def _check(self) -> bool:
        try:
            return await asyncio.wait_for(self._exchange(), self._timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            return False

    async def _exchange(self) -> bool:
        reader, writer = await asyncio.open_connection(self._host, self._port)
        try:
            if not self._hello:
                return True
            writer.write(self._hello)
            await writer.drain()
            return len(await reader.readexactly(1)) == 1
        finally:
            writer.close()


def tracker_database_probe(tracker_url: str) -> TcpProbe | None:
    """A probe of the tracker database named by an SQLAlchemy URL; None for SQLite or no URL."""
    parts = urlsplit(tracker_url)
    if not tracker_url or parts.scheme.startswith("sqlite") or not parts.hostname:
        return None
    hello = POSTGRES_SSL_REQUEST if parts.scheme.startswith("postgres") else b""
    return TcpProbe(parts.hostname, parts.port or 5432, hello=hello)
