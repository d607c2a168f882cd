"""Single-tenant token checks with locally generated RSA keys; the JWKS is served by the local stand-in.

The SDK's validator asks for Microsoft's key-set URLs; the stand-in key manager records which URL it asked for
and fetches our local JWKS instead (no Microsoft service is reachable).
"""

import base64
import json
import time
from typing import Any

import pytest
from jwt import PyJWKClient
from microsoft_agents.hosting.core import JwtTokenValidator

from tests.teams.conftest import make_harness
from tests.teams.support import (
    APP_ID,
    BOT_FRAMEWORK_ISSUER,
    IMPOSTOR_KEY,
    KID,
    OUTBOUND_TOKEN,
    SERVICE_URL,
    TENANT_ID,
    load_activity,
    public_jwks,
    token,
)

BOT_FRAMEWORK_KEYS = "https://login.botframework.com/v1/.well-known/keys"
TENANT_ISSUER = f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
TENANT_KEYS = f"https://login.microsoftonline.com/{TENANT_ID}/discovery/v2.0/keys"
OTHER_TENANT = "0d9b3c2a-0000-4000-8000-00000000beef"


class LocalKeyManager:
    """Stands in for the SDK's JWKS client cache: records the URL asked for, serves the local key set."""

    def __init__(self, local_jwks_url: str) -> None:
        self.asked: list[str] = []
        self._client = PyJWKClient(local_jwks_url, cache_keys=False, cache_jwk_set=False)

    async def get_signing_key(self, jwks_uri: str, header: dict[str, Any]):
        self.asked.append(jwks_uri)
        return self._client.get_signing_key(header["kid"])


@pytest.fixture
def keys(connector, monkeypatch) -> LocalKeyManager:
    connector.jwks = public_jwks()
    manager = LocalKeyManager(connector.url + "keys")
    monkeypatch.setattr(JwtTokenValidator, "_jwk_client_manager", manager)
    return manager


@pytest.fixture
def secured(connector, keys):
    return make_harness(
        connector,
        auth_enabled=True,
        app_id=APP_ID,
        tenant_id=TENANT_ID,
        client_secret="not-used-offline",
        session_secret="test-session-secret",
    )


def unsigned_token() -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    header = {"alg": "none", "typ": "JWT", "kid": KID}
    claims = {"iss": BOT_FRAMEWORK_ISSUER, "aud": APP_ID, "serviceurl": SERVICE_URL, "exp": now + 3600}
    return f"{part(header)}.{part(claims)}."


def test_a_connector_token_for_our_app_is_accepted_and_the_reply_carries_the_bot_token(secured, keys):
    response = secured.post(load_activity("message"), token=token())
    assert response.status_code == 202
    assert keys.asked == [BOT_FRAMEWORK_KEYS]
    assert secured.rasa_requests
    authorizations = {r["authorization"] for r in secured.connector.received}
    assert authorizations == {f"Bearer {OUTBOUND_TOKEN}"}


def test_a_token_from_our_own_tenant_is_accepted_with_the_tenants_keys(secured, keys):
    response = secured.post(load_activity("message"), token=token(iss=TENANT_ISSUER, tid=TENANT_ID))
    assert response.status_code == 202
    assert keys.asked == [TENANT_KEYS]


@pytest.mark.parametrize(
    "bad_token",
    [
        pytest.param(lambda: token(aud="another-bots-app-id"), id="wrong audience"),
        pytest.param(lambda: token(iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0", tid=OTHER_TENANT),
                     id="issuer of another tenant"),
        pytest.param(lambda: token(iss="https://attacker.example/"), id="unknown issuer"),
        pytest.param(lambda: token(iss=TENANT_ISSUER, tid=OTHER_TENANT), id="tenant claim not the issuer's"),
        pytest.param(lambda: token(iat=int(time.time()) - 7200, nbf=int(time.time()) - 7200,
                                   exp=int(time.time()) - 600), id="expired beyond the 5-minute leeway"),
        pytest.param(lambda: token(nbf=int(time.time()) + 3600), id="not valid yet"),
        pytest.param(unsigned_token, id="unsigned (alg none)"),
        pytest.param(lambda: token(key=IMPOSTOR_KEY), id="signed by another key"),
        pytest.param(lambda: token(kid="unknown-key"), id="unknown key id"),
        pytest.param(lambda: "not-a-jwt", id="garbage"),
        pytest.param(lambda: token(aud=None), id="no audience"),
    ],
)
def test_a_bad_token_is_refused_and_nothing_reaches_rasa_or_teams(secured, bad_token):
    response = secured.post(load_activity("message"), token=bad_token())
    assert response.status_code == 401
    assert secured.rasa_requests == []
    assert secured.connector.received == []


@pytest.mark.parametrize(
    "header", [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer "], ids=["none", "empty", "basic", "no token", "blank"]
)
def test_a_request_without_a_bearer_token_is_refused(secured, header):
    headers = {"Authorization": header} if header is not None else {}
    response = secured.client.post("/api/messages", json=load_activity("message"), headers=headers)
    assert response.status_code == 401
    assert secured.rasa_requests == []


def test_a_signed_token_cannot_send_our_replies_to_a_service_url_it_does_not_name(secured):
    activity = load_activity("message")
    activity["serviceUrl"] = "https://attacker.example/"
    response = secured.post(activity, token=token())
    assert response.status_code == 401
    assert secured.rasa_requests == []


def test_the_channel_is_off_until_the_whole_app_registration_is_set(connector):
    harness = make_harness(connector, auth_enabled=True)
    response = harness.post(load_activity("message"), token=token())
    assert response.status_code == 503


def test_a_half_configured_registration_is_a_start_up_error():
    from api.channels.teams.settings import TeamsSettings

    with pytest.raises(ValueError, match="HIPS_TEAMS_CLIENT_SECRET"):
        TeamsSettings(_env_file=None, app_id=APP_ID, tenant_id=TENANT_ID, session_secret="s")
