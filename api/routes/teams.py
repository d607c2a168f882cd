"""The Microsoft Teams endpoint: Bot Connector activities in, handled by the Agents SDK adapter (ADR 0006)."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from api.channels.teams.agent import TeamsBot
from api.channels.teams.auth import Unauthenticated, authenticate

router = APIRouter(tags=["teams"])


def get_teams_bot(request: Request) -> TeamsBot | None:
    """The Teams channel created at start-up (None when it is not configured)."""
    return getattr(request.app.state, "teams_bot", None)


TeamsBotDep = Annotated[TeamsBot | None, Depends(get_teams_bot)]


@router.post("/api/messages", include_in_schema=False)
async def teams_messages(request: Request, bot: TeamsBotDep) -> Response:
    """Receive one activity from the Bot Connector; replies are sent back to the connector, not in this response.

    Refuses (401) any request without a valid token for our app id from the Bot Framework or our tenant.
    """
    if bot is None:
        raise HTTPException(status_code=503, detail="The Teams channel is not configured")
    try:
        request.state.claims_identity = await authenticate(request.headers.get("Authorization"), bot.auth)
    except Unauthenticated:
        raise HTTPException(status_code=401, detail="Unauthorized") from None
    response = await bot.adapter.process(request, bot.agent)
    return response if response is not None else Response(status_code=202)
