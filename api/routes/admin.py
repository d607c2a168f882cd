"""Operator endpoints, behind a bearer token: reload the guidance index without a restart."""

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from api.deps import GuidanceDep, SettingsDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
_bearer = HTTPBearer(auto_error=False)


def require_admin(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Allow the request only with `Authorization: Bearer <admin_token>`; an empty configured token allows none.

    Raises:
        HTTPException: 401 without a bearer token, 403 with a wrong one (compared in constant time).
    """
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    expected = settings.admin_token.encode("utf-8")
    given = credentials.credentials.encode("utf-8")
    if not expected or not secrets.compare_digest(given, expected):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this token may not use the admin endpoints")


class ReloadReportOut(BaseModel):
    """The result of a reload. When `ok` is false the previous index is still served and `errors` say why."""

    ok: bool
    item_count: int
    chunk_count: int
    duration: float
    errors: list[str]
    warnings: list[str]
    embedded_chunks: int
    reused_chunks: int


@router.post("/reload", dependencies=[Depends(require_admin)])
def reload_guidance(service: GuidanceDep, response: Response) -> ReloadReportOut:
    """Validate the guidance and rebuild the index; 409 (with the errors) when the content is invalid."""
    if service is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "guidance search is not available")
    report = service.reload()
    if not report.ok:
        response.status_code = status.HTTP_409_CONFLICT
    return ReloadReportOut(
        ok=report.ok, item_count=report.item_count, chunk_count=report.chunk_count,
        duration=round(report.duration_seconds, 3), errors=report.errors, warnings=report.warnings,
        embedded_chunks=report.embedded_chunks, reused_chunks=report.reused_chunks,
    )
