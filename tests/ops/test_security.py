"""Admin token, CORS origins, body size and per-session rate limits: every refusal still shows the emergency route."""

import httpx

from api.security.limits import SlidingWindowLimiter
from tests.ops.harness import ADMIN_TOKEN, ops_client, rasa_asks


def test_the_audit_export_needs_the_admin_token(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks) as client:
        assert client.get("/api/v1/admin/audit.csv").status_code == 401
        wrong = client.get("/api/v1/admin/audit.csv", headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 403
        right = client.get("/api/v1/admin/audit.csv", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert right.status_code == 200 and right.text.startswith("recorded_at,")


def test_no_admin_token_configured_means_no_admin_access(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks, HIPS_ADMIN_TOKEN="") as client:
        assert client.get("/api/v1/admin/audit.csv", headers={"Authorization": "Bearer "}).status_code in {401, 403}


def test_cors_answers_only_configured_origins(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks,
                    HIPS_CORS_ORIGINS='["https://intranet.example.org"]') as client:
        allowed = client.options("/api/v1/chat", headers={"Origin": "https://intranet.example.org",
                                                           "Access-Control-Request-Method": "POST"})
        other = client.options("/api/v1/chat", headers={"Origin": "https://evil.example.com",
                                                         "Access-Control-Request-Method": "POST"})
    assert allowed.headers.get("access-control-allow-origin") == "https://intranet.example.org"
    assert "access-control-allow-origin" not in other.headers


def test_a_body_over_the_limit_is_refused_with_413_and_the_emergency_route(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks, HIPS_MAX_BODY_BYTES="2048") as client:
        response = client.post("/api/v1/chat", json={"message": "x" * 5000})
        streamed = client.post("/api/v1/chat", content=iter([b'{"message": "', b"y" * 4000, b'"}']),
                               headers={"Content-Type": "application/json"})
    for refused in (response, streamed):
        assert refused.status_code == 413
        assert refused.json()["emergency"][0]["phone"] == "999"
        assert "999" in refused.json()["messages"][0]["text"]


def test_one_session_over_its_rate_gets_429_with_the_emergency_route_and_others_are_unaffected(
        monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks, HIPS_CHAT_MESSAGES_PER_MINUTE="3") as client:
        session = client.post("/api/v1/chat", json={"message": "hello"}).json()["session_id"]
        answers = [client.post("/api/v1/chat", json={"message": "no", "session_id": session}) for _ in range(4)]
        other = client.post("/api/v1/chat", json={"message": "hello"}).json()["session_id"]
        other_answer = client.post("/api/v1/chat", json={"message": "no", "session_id": other})
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["emergency"][0]["phone"] == "999"
    assert "999" in refused.json()["messages"][0]["text"] and "MASH" in refused.json()["messages"][0]["text"]
    assert other_answer.status_code == 200


def test_a_forged_session_id_cannot_use_up_another_sessions_allowance(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks, HIPS_CHAT_MESSAGES_PER_MINUTE="2") as client:
        session = client.post("/api/v1/chat", json={"message": "hello"}).json()["session_id"]
        key = session.split(".")[0]
        for _ in range(5):
            client.post("/api/v1/chat", json={"message": "no", "session_id": f"{key}.forged"})
        assert client.post("/api/v1/chat", json={"message": "no", "session_id": session}).status_code == 200


def test_the_sliding_window_lets_messages_through_again_after_the_window():
    now = [0.0]
    limiter = SlidingWindowLimiter(2, window_seconds=60, clock=lambda: now[0])
    assert limiter.allow("a") == (True, 0) and limiter.allow("a") == (True, 0)
    allowed, retry_after = limiter.allow("a")
    assert not allowed and 1 <= retry_after <= 61
    now[0] = 61.0
    assert limiter.allow("a")[0]


def test_requests_within_limits_pass_untouched(monkeypatch, tmp_path):
    seen: list[bytes] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return rasa_asks(request)

    with ops_client(monkeypatch, tmp_path, recording) as client:
        response = client.post("/api/v1/chat", json={"message": "a pupil is often hungry"})
    assert response.status_code == 200 and b"a pupil is often hungry" in seen[0]
