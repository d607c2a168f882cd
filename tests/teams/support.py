"""Shared Teams test helpers: recorded-style activities, a local Bot Connector stand-in, locally signed tokens.

Used by the in-process tests in this folder and by the end-to-end test in ``tests/e2e`` (which runs the API as a
real process), so both post the same activities, sign tokens the same way and record replies the same way.
"""

import copy
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jwt.algorithms import RSAAlgorithm

FIXTURES = Path(__file__).parent / "fixtures"
OUTBOUND_TOKEN = "stand-in-outbound-token"
APP_ID = "3b6d2f1c-0000-4000-8000-00000000b0f1"
TENANT_ID = "72f988bf-0000-4000-8000-00000000a001"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
KID = "local-test-key"


def load_activity(name: str) -> dict[str, Any]:
    """A recorded-style Teams activity from ``fixtures/<name>.json`` (a fresh copy)."""
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key (generated per test session, never stored)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = new_key()
IMPOSTOR_KEY = new_key()


def public_jwks(key: rsa.RSAPrivateKey = SIGNING_KEY, kid: str = KID) -> dict[str, Any]:
    """The JSON Web Key Set that publishes ``key``'s public half under ``kid``."""
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}


def token(key: rsa.RSAPrivateKey = SIGNING_KEY, kid: str = KID, **overrides: Any) -> str:
    """A Bot Connector-style RS256 token for our app; ``overrides`` change claims (None removes one)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": BOT_FRAMEWORK_ISSUER,
        "aud": APP_ID,
        "serviceurl": SERVICE_URL,
        "iat": now - 10,
        "nbf": now - 10,
        "exp": now + 3600,
    }
    claims.update(overrides)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@dataclass
class ConnectorStandIn:
    """Records what we send to ``/v3/conversations/...`` and answers 429 for the queued throttles."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    throttles: list[str | None] = field(default_factory=list)  # Retry-After values, one per throttled request
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})

    def reset(self) -> None:
        self.received.clear()
        self.throttles.clear()
        self.jwks = {"keys": []}

    def activities(self) -> list[dict[str, Any]]:
        """The activities the connector accepted (throttled attempts excluded)."""
        return [r["body"] for r in self.received if r["status"] == 200]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v3/conversations/{conversation_id}/activities/{activity_id}")
        @app.post("/v3/conversations/{conversation_id}/activities")
        async def activities(request: Request, conversation_id: str, activity_id: str | None = None):
            body = await request.json()
            status = 200
            headers: dict[str, str] = {}
            if self.throttles:
                status = 429
                retry_after = self.throttles.pop(0)
                if retry_after is not None:
                    headers["Retry-After"] = retry_after
            self.received.append(
                {
                    "path": request.url.path,
                    "authorization": request.headers.get("authorization"),
                    "body": body,
                    "status": status,
                }
            )
            if status == 429:
                return JSONResponse({"error": {"code": "Throttled"}}, status_code=429, headers=headers)
            return JSONResponse({"id": f"reply-{len(self.received)}"})

        @app.get("/keys")
        async def keys():
            return self.jwks

        return app


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app: FastAPI, port: int, **ssl: Any) -> Iterator[None]:
    """Serve ``app`` on 127.0.0.1:``port`` in a background thread (``ssl`` as for ``uvicorn.Config``).

    Raises:
        RuntimeError: if the server has not started within 10 s.
    """
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **ssl))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError(f"stand-in server did not start on port {port}")
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=5)
