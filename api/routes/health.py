"""Liveness and readiness for operators and orchestrators."""

from fastapi import APIRouter, Request, Response

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request, response: Response) -> dict[str, object]:
    """Ready when the dialogue engine and the action server answer and the guidance index is loaded."""
    state = request.app.state
    rasa_up = await state.rasa_client.is_up()
    actions_up = await state.actions_probe.is_up()
    guidance_loaded = getattr(state, "guidance", None) is not None
    is_ready = rasa_up and actions_up and guidance_loaded
    response.status_code = 200 if is_ready else 503
    return {"ready": is_ready, "rasa": rasa_up, "actions": actions_up, "guidance": guidance_loaded}
