"""Single-tenant authentication of incoming Teams requests, with the Agents SDK's own JWT validator.

The Bot Connector signs every request with a JWT whose audience is our app id. ``JwtTokenValidator`` fetches
the signing keys (login.botframework.com for the connector's issuer, the tenant's Entra keys otherwise),
checks the RS256 signature, expiry (with the SDK's 5-minute leeway) and audience, and -- because we turn on
``validate_issuer`` -- that the issuer is the Bot Framework or our own tenant. Any failure is a refusal.
"""

import logging

from microsoft_agents.hosting.core import AgentAuthConfiguration, JwtTokenValidator
from microsoft_agents.hosting.core.authorization import AuthTypes, ClaimsIdentity

from api.channels.teams.settings import TeamsSettings

logger = logging.getLogger(__name__)


class Unauthenticated(Exception):
    """The request carries no valid token for this bot."""


def auth_configuration(settings: TeamsSettings) -> AgentAuthConfiguration:
    """The SDK configuration of our single-tenant app registration."""
    tenant = settings.tenant_id or None
    return AgentAuthConfiguration(
        auth_type=AuthTypes.client_secret,
        client_id=settings.app_id or None,
        tenant_id=tenant,
        client_secret=settings.client_secret.get_secret_value() or None,
        authority=f"https://login.microsoftonline.com/{tenant}" if tenant else None,
        connection_name="SERVICE_CONNECTION",
        anonymous_allowed=not settings.auth_enabled,
        validate_issuer=True,
    )


async def authenticate(authorization_header: str | None, configuration: AgentAuthConfiguration) -> ClaimsIdentity:
    """Return the caller's claims, or raise ``Unauthenticated``.

    Without a header the request is anonymous, which only local development (auth off) allows.

    Raises:
        Unauthenticated: no token where one is required, not a bearer token, or a token that fails validation.
    """
    validator = JwtTokenValidator(configuration)
    if not authorization_header:
        if configuration.ANONYMOUS_ALLOWED:
            return validator.get_anonymous_claims()
        raise Unauthenticated("no token")
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("not a bearer token")
    try:
        return await validator.validate_token(token.strip())
    except Exception as exc:  # noqa: BLE001 -- whatever breaks in validation, the answer is a refusal
        logger.warning("Teams request refused: %s", type(exc).__name__)
        raise Unauthenticated(type(exc).__name__) from exc
