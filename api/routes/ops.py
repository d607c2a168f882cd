"""Operator endpoints: Prometheus metrics, and the audit trail as CSV behind the admin token."""

from fastapi import APIRouter, Depends, Request, Response

from api.audit.feedback import AuditStoreDep
from api.observability.metrics import RASA_UP, render_metrics
from api.routes.admin import require_admin

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus scrape: request counts and latencies, retrieval latency, index version, Rasa availability."""
    rasa_client = getattr(request.app.state, "rasa_client", None)
    RASA_UP.set(1 if rasa_client is not None and await rasa_client.is_up() else 0)
    return Response(render_metrics(), media_type="text/plain; version=0.0.4; charset=utf-8")


@router.get("/api/v1/admin/audit.csv", dependencies=[Depends(require_admin)], response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def export_audit(store: AuditStoreDep) -> Response:
    """Every recommendation (time, area, route, level, rules fired, guidance ids, feedback) as CSV."""
    return Response(store.export_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="hips-audit.csv"'})
