"""Admin reload: only with the right bearer token; a bad edit keeps the last good index serving."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_guidance_service
from api.routes import admin, guidance
from api.settings import Settings, get_settings
from tests.knowledge.support import make_service

TOKEN = "correct-horse-battery-staple"


def build_client(tmp_path: Path, admin_token: str = TOKEN) -> TestClient:
    service = make_service(tmp_path)
    app = FastAPI()
    app.include_router(admin.router)
    app.include_router(guidance.router)
    app.dependency_overrides[get_guidance_service] = lambda: service
    app.dependency_overrides[get_settings] = lambda: Settings(admin_token=admin_token)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
    ({"Authorization": f"Bearer {TOKEN}x"}, 403),
    ({"Authorization": "Bearer "}, 401),
    ({"Authorization": "Bearer wrong"}, 403),
])
def test_reload_needs_the_admin_token(tmp_path: Path, headers: dict, status: int) -> None:
    response = build_client(tmp_path).post("/api/v1/admin/reload", headers=headers)
    assert response.status_code == status


def test_an_unset_admin_token_refuses_everyone(tmp_path: Path) -> None:
    client = build_client(tmp_path, admin_token="")
    assert client.post("/api/v1/admin/reload", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.post("/api/v1/admin/reload", headers={"Authorization": "Bearer anything"}).status_code == 403


def test_reload_reports_counts(tmp_path: Path) -> None:
    response = build_client(tmp_path).post("/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True and report["item_count"] == 6 and report["errors"] == []
    assert report["chunk_count"] >= 6 and report["reused_chunks"] == report["chunk_count"]
    assert report["duration"] >= 0


def test_a_failed_reload_returns_the_errors_and_keeps_serving(tmp_path: Path) -> None:
    client = build_client(tmp_path)
    bad = tmp_path / "guidance" / "missing" / "reporting-to-police.yml"
    bad.write_text(bad.read_text().replace("toolkit: missing", "toolkit: cooking"), encoding="utf-8")
    response = client.post("/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 409
    report = response.json()
    assert report["ok"] is False and report["item_count"] == 6
    assert report["errors"][0].startswith(f'{bad.resolve()}:2: toolkit: unknown toolkit "cooking"')
    search = client.post("/api/v1/guidance/search", json={"query": "child missing from home, ring the police"})
    assert search.json()["results"][0]["id"] == "missing-reporting-to-police"
