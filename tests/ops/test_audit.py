"""The audit trail stores what was recommended and the feedback, and can never hold what a practitioner wrote."""

import csv
import io
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.sessions import issue_session_id
from api.settings import REPO_ROOT
from audit.store import AuditRejected, AuditStore, conversation_ref, record_recommendation
from pathways.engine import assess_case
from pathways.loader import load_model
from tests.ops.harness import ADMIN_TOKEN, SESSION_SECRET, ops_client, rasa_asks

PRACTITIONER_TEXT = "Amelia Hartley (DOB 03/04/2015) said her stepdad hits her"


def every_stored_value(path) -> str:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT * FROM recommendations").fetchall()
    return " ".join(str(value) for row in rows for value in row)


def test_a_real_decision_is_stored_with_route_level_rules_and_guidance(tmp_path):
    model = load_model(REPO_ROOT / "pathways")
    decision = assess_case(model, "portsmouth", 9, {})
    stored = record_recommendation(conversation="session-key-1", area="portsmouth", route=decision.route,
                                   level=decision.level, rules_fired=[r.id for r in decision.fired],
                                   guidance_ids=list(decision.guidance_ids), path=tmp_path / "audit.db")
    assert stored
    [row] = AuditStore(tmp_path / "audit.db").rows()
    assert (row.area, row.route, row.level) == ("portsmouth", decision.route, decision.level)
    assert row.rules_fired == tuple(r.id for r in decision.fired)
    assert row.guidance_ids == tuple(decision.guidance_ids)
    assert row.conversation_ref == conversation_ref("session-key-1") != "session-key-1"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=80).filter(lambda t: " " in t.strip() or not t.isascii()),
       field=st.sampled_from(["area", "route", "rules_fired", "guidance_ids"]))
def test_free_text_in_any_field_is_refused_and_nothing_is_stored(tmp_path_factory, text, field):
    path = tmp_path_factory.mktemp("audit") / "audit.db"
    values = {"area": "hampshire", "route": "mash", "rules_fired": ["g1"], "guidance_ids": ["mash-making-a-contact"]}
    values[field] = [text] if field in {"rules_fired", "guidance_ids"} else text
    assert not record_recommendation(conversation="k", level=4, path=path, **values)
    assert every_stored_value(path) == ""


def test_the_conversation_id_is_never_stored_in_clear(tmp_path):
    store = AuditStore(tmp_path / "audit.db")
    store.record(conversation=PRACTITIONER_TEXT, area=None, route="unclear", level=None, rules_fired=[],
                 guidance_ids=[])
    assert "Amelia" not in every_stored_value(tmp_path / "audit.db")


def test_feedback_is_a_fixed_choice_attached_to_the_latest_recommendation(tmp_path):
    store = AuditStore(tmp_path / "audit.db")
    for route in ("early_help", "mash"):
        store.record(conversation="k", area="southampton", route=route, level=4 if route == "mash" else 3,
                     rules_fired=["r1"], guidance_ids=[])
    assert store.add_feedback("k", "route_too_low")
    assert [row.feedback for row in store.rows()] == [None, "route_too_low"]
    assert not store.add_feedback("no-such-conversation", "helpful")
    with pytest.raises(AuditRejected):
        store.add_feedback("k", PRACTITIONER_TEXT)


def test_feedback_over_http_and_the_csv_export_hold_no_practitioner_words(monkeypatch, tmp_path):
    with ops_client(monkeypatch, tmp_path, rasa_asks) as client:
        session_id = client.post("/api/v1/chat", json={"message": PRACTITIONER_TEXT}).json()["session_id"]
        key = session_id.split(".")[0]
        before = client.post("/api/v1/feedback", json={"session_id": session_id, "feedback": "helpful"})
        assert before.status_code == 404
        record_recommendation(conversation=key, area="isle_of_wight", route="mash", level=4,
                              rules_fired=["physical-abuse-disclosure"], guidance_ids=["mash-making-a-contact"],
                              path=tmp_path / "audit.db")
        ok = client.post("/api/v1/feedback", json={"session_id": session_id, "feedback": "helpful"})
        forged = client.post("/api/v1/feedback", json={"session_id": issue_session_id("another-secret"),
                                                       "feedback": "helpful"})
        free_text = client.post("/api/v1/feedback", json={"session_id": session_id, "feedback": PRACTITIONER_TEXT})
        exported = client.get("/api/v1/admin/audit.csv", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert ok.status_code == 200 and forged.status_code == 404 and free_text.status_code == 422
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    stored = [(r["area"], r["route"], r["level"], r["feedback"]) for r in rows]
    assert stored == [("isle_of_wight", "mash", "4", "helpful")]
    for word in ("Amelia", "Hartley", "03/04/2015", "stepdad", key, SESSION_SECRET):
        assert word not in exported.text
