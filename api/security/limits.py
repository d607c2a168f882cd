"""Body size limit and per-session chat rate limit, as ASGI middleware; both answer with the emergency route.

The rate limit keys a conversation by its verified session key (a forged id cannot borrow another's
allowance) and a message without a session by the client address. Counts live in memory: each API
process limits on its own, which is enough to stop one runaway client.
"""

import json
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import yaml
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observability.metrics import RATE_LIMITED
from api.safe_reply import CannedReplies
from api.sessions import verify_session_id

REPLIES_FILE = Path(__file__).resolve().parent / "replies.yml"
RATE_LIMITED_PATHS = frozenset({"/api/v1/chat"})


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window_seconds`` for each key."""

    def __init__(self, limit: int, window_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> tuple[bool, int]:
        """Count one event for ``key``; return (allowed, seconds until the next would be allowed)."""
        now = self._clock()
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False, max(1, int(self.window - (now - events[0])) + 1)
        events.append(now)
        if len(self._events) > 10_000:
            self._forget_idle(now)
        return True, 0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._events.items() if not v or now - v[-1] >= self.window]:
            del self._events[key]


def limit_replies(emergency_source: Callable[[], CannedReplies | None]) -> Callable[[str], CannedReplies | None]:
    """Canned limit replies with the emergency lines the app loaded (None before start-up)."""
    templates = {name: str(entry["text"]) for name, entry in
                 yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8")).items()}

    def replies(_: str) -> CannedReplies | None:
        loaded = emergency_source()
        return None if loaded is None else CannedReplies(templates, loaded.emergency_lines)

    return replies


async def _answer(send: Send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": payload})


def _refusal(replies: CannedReplies | None, name: str, detail: str, **values: object) -> dict:
    """A refusal that still carries the emergency route, shaped like a chat answer."""
    if replies is None:
        return {"detail": detail, "messages": [], "emergency": [{"label": "A child in immediate danger",
                                                                "phone": "999"}]}
    message = replies.render(name, **values)
    return {"detail": detail, "degraded": True, "emergency": replies.emergency_payload(),
            "messages": [{"text": message.text, "buttons": [], "custom": message.custom}]}


class RequestLimitsMiddleware:
    """413 for bodies over ``max_body_bytes``; 429 for chat messages over the per-session rate."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, per_session: SlidingWindowLimiter,
                 new_per_address: SlidingWindowLimiter, session_secret: Callable[[], str],
                 replies: Callable[[str], CannedReplies | None]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.per_session = per_session
        self.new_per_address = new_per_address
        self.session_secret = session_secret
        self.replies = replies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await self._too_large(send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                await self._too_large(send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        if scope.get("path") in RATE_LIMITED_PATHS:
            allowed, retry_after = self._allow(scope, body)
            if not allowed:
                RATE_LIMITED.inc()
                await _answer(send, 429, _refusal(self.replies("rate_limited"), "rate_limited",
                                                  "too many messages; try again shortly", retry_after=retry_after),
                              [(b"retry-after", str(retry_after).encode())])
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _answer(send, 413, _refusal(self.replies("too_large"), "too_large", "request body too large",
                                          max_bytes=self.max_body_bytes))

    def _allow(self, scope: Scope, body: bytes) -> tuple[bool, int]:
        """Count one chat message: against its verified session, else against its address's new conversations."""
        try:
            session_id = json.loads(body).get("session_id")
        except (ValueError, AttributeError):
            session_id = None
        if isinstance(session_id, str):
            key = verify_session_id(self.session_secret(), session_id)
            if key is not None:
                return self.per_session.allow(key)
        client = scope.get("client") or ("unknown", 0)
        return self.new_per_address.allow(str(client[0]))
