"""JSON logs carry a request id and none of the practitioner's words; metrics count routes and Rasa's state."""

import json
import logging

import httpx
import pytest

from tests.ops.harness import ops_client, rasa_asks

NAME, DOB, NHS = "Amelia Hartley", "03/04/2015", "943 476 5919"
WORRY = f"{NAME}, born {DOB}, NHS number {NHS}, told me her stepdad hits her with a belt"
WORDS = (NAME, "Amelia", "Hartley", DOB, NHS, "9434765919", "stepdad", "belt")


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def rasa_failing_loudly(request: httpx.Request) -> httpx.Response:
    """A broken Rasa whose error answer quotes the message back (some servers do)."""
    return httpx.Response(500, text=f"could not parse {json.loads(request.content)['message']}")


@pytest.mark.parametrize("rasa", [rasa_asks, rasa_failing_loudly], ids=["rasa answers", "rasa fails quoting input"])
def test_a_message_with_a_name_a_birth_date_and_an_nhs_number_leaves_no_trace_in_the_logs(
        monkeypatch, tmp_path, capsys, rasa):
    with ops_client(monkeypatch, tmp_path, rasa, HIPS_LOG_LEVEL="DEBUG") as client:
        logging.getLogger().setLevel(logging.DEBUG)
        response = client.post("/api/v1/chat", json={"message": WORRY})
        assert response.status_code == 200
        logging.getLogger("api.test").info("after the turn for %s", WORRY)  # even a careless log call is scrubbed
    logs = capsys.readouterr().err
    assert json_lines(logs), "no JSON log lines were written"
    for word in (NAME, DOB, NHS, "9434765919"):
        assert word not in logs, f"an identifying detail reached the logs: {word!r}"
    api_lines = [line for line in json_lines(logs) if line["logger"].startswith("api.chat")]
    assert all("stepdad" not in line["event"] for line in api_lines)


def test_every_log_line_is_json_with_the_request_id_of_its_request(monkeypatch, tmp_path, capsys):
    with ops_client(monkeypatch, tmp_path, lambda r: httpx.Response(503)) as client:
        response = client.post("/api/v1/chat", json={"message": "hello"}, headers={"X-Request-ID": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    lines = json_lines(capsys.readouterr().err)
    degraded = [line for line in lines if "dialogue unavailable" in line["event"]]
    assert degraded and degraded[0]["request_id"] == "req-42"
    assert {"time", "level", "logger", "request_id", "event"} <= set(degraded[0])


def test_an_unsafe_incoming_request_id_is_replaced(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks) as client:
        response = client.get("/health", headers={"X-Request-ID": "Amelia Hartley 03/04/2015"})
    assert response.headers["x-request-id"] != "Amelia Hartley 03/04/2015"
    assert len(response.headers["x-request-id"]) == 32


def test_metrics_count_requests_by_route_template_and_report_rasa_down(monkeypatch, tmp_path):
    def rasa_down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with ops_client(monkeypatch, tmp_path, rasa_down) as client:
        client.get("/api/v1/guidance/some-item-id")
        client.get("/api/v1/guidance/another-item-id")
        text = client.get("/metrics").text
    assert 'route="/api/v1/guidance/{item_id}"' in text, "routes must be labelled by template"
    assert "some-item-id" not in text
    assert "hips_rasa_up 0.0" in text
    assert "hips_http_request_duration_seconds_bucket" in text
    assert "hips_retrieval_duration_seconds" in text


RASA_TIMEOUT_LINE = json.dumps({"text": WORRY, "event": "rest.message.received.timeout", "level": "error"})
RASA_TRACKER_ERROR = ("Error happened when trying to save conversation tracker to 'SQLTrackerStore'. "
                      "Please investigate the following error: (psycopg2.OperationalError) "
                      "server closed the connection unexpectedly\n"
                      "[SQL: INSERT INTO events (sender_id, data) VALUES (%(sender_id)s, %(data)s)]\n"
                      f"[parameters: {{'sender_id': 'k', 'data': '{{\"text\": \"{WORRY}\"}}'}}]\n"
                      "(Background on this error at: https://sqlalche.me/e/14/e3q8)")


@pytest.mark.parametrize("line", [RASA_TIMEOUT_LINE, RASA_TRACKER_ERROR], ids=["rest timeout", "tracker store error"])
def test_rasas_log_filter_withholds_message_text_and_keeps_the_event(line):
    from api.observability.rasa_log_filter import RedactMessageText

    record = logging.LogRecord("rasa.core.channels.rest", logging.ERROR, "rest.py", 173, line, None, None)
    assert RedactMessageText().filter(record)
    redacted = record.getMessage()
    for word in WORDS:
        assert word not in redacted
    assert "rest.message.received.timeout" in redacted or "OperationalError" in redacted
