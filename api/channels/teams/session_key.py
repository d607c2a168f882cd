"""The Rasa sender id for a Teams conversation: keyed, so it can be neither guessed nor collide across tenants."""

import hashlib
import hmac


def teams_session_key(secret: str, tenant_id: str | None, conversation_id: str) -> str:
    """Return the dialogue session key for one Teams conversation.

    The key is an HMAC of the tenant and the conversation id under a server secret: someone who knows
    (or guesses) a conversation id cannot work out the Rasa sender id, and the same conversation id in
    two tenants gives two different keys. Neither id appears in the key.

    Args:
        secret: The server-side secret (``HIPS_TEAMS_SESSION_SECRET``).
        tenant_id: The Entra tenant of the conversation ("" when the channel gives none).
        conversation_id: Teams' conversation id.
    """
    message = f"{tenant_id or ''}\x1f{conversation_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"teams-{digest[:40]}"
