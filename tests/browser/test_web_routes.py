"""The web channel's routes without a browser: the page, the widget's files and the emergency lines."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_canned_replies
from api.emergency import emergency_lines
from api.routes import web
from api.safe_reply import CannedReplies, EmergencyLine, load_canned_replies
from api.settings import REPO_ROOT
from pathways.loader import load_model


def client_with(replies: CannedReplies) -> TestClient:
    app = FastAPI()
    app.include_router(web.router)
    app.dependency_overrides[get_canned_replies] = lambda: replies
    return TestClient(app)


@pytest.fixture(scope="module")
def real_replies() -> CannedReplies:
    model = load_model(REPO_ROOT / "pathways")
    return load_canned_replies(REPO_ROOT / "api" / "replies.yml", emergency_lines(model))


def test_the_page_carries_999_and_every_area_line_in_its_html(real_replies: CannedReplies):
    page = client_with(real_replies).get("/")
    assert page.status_code == 200
    assert '<a href="tel:999">999</a>' in page.text
    for line in real_replies.emergency_lines:
        assert f'href="tel:{line.phone.replace(" ", "")}"' in page.text
    assert '<html lang="en-GB">' in page.text
    assert '<script src="/widget.js" defer></script>' in page.text


def test_emergency_labels_are_escaped_in_the_page():
    replies = CannedReplies(templates={}, emergency_lines=(
        EmergencyLine("A child in immediate danger", "999"),
        EmergencyLine("<script>x()</script> MASH", "0100 000 0000")))
    page = client_with(replies).get("/").text
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; MASH" in page


def test_our_pages_forbid_inline_script_and_framing(real_replies: CannedReplies):
    client = client_with(real_replies)
    for path in ("/", "/embed-example"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy, path


@pytest.mark.parametrize(("path", "media_type"), [("/widget.js", "text/javascript"), ("/widget.css", "text/css")])
def test_the_widget_files_are_served_for_partner_sites(real_replies: CannedReplies, path: str, media_type: str):
    response = client_with(real_replies).get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["cache-control"] == "no-cache"
    assert len(response.content) > 1000


def test_a_partner_page_can_read_the_emergency_lines(real_replies: CannedReplies):
    response = client_with(real_replies).get("/widget/emergency.json", headers={"Origin": "https://partner.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    lines = response.json()["emergency"]
    assert lines[0] == {"label": "A child in immediate danger", "phone": "999"}
    assert lines == real_replies.emergency_payload()


def test_the_widget_keeps_a_999_floor_when_nothing_else_is_known():
    script = (REPO_ROOT / "api" / "static" / "widget.js").read_text(encoding="utf-8")
    assert 'FLOOR_LINES = [{ label: "A child in immediate danger", phone: "999" }]' in script
    assert "innerHTML" not in script, "server text must only be inserted as text"
