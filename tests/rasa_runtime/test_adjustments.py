"""The Rasa runtime adjustments (ADR 0009) keep Rasa's behaviour and only drop repeated work.

They run in .venv-rasa (Python 3.10, Rasa 3.6.21), so each check runs there as a small script.
"""

import subprocess
import textwrap

import pytest

from api.settings import REPO_ROOT

RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RASA_PYTHON.exists(), reason="the Rasa environment (.venv-rasa) is not installed"),
]


def run_in_rasa_env(script: str) -> str:
    result = subprocess.run([str(RASA_PYTHON), "-c", textwrap.dedent(script)], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_action_responses_are_validated_as_before_with_the_meta_schema_checked_once():
    output = run_in_rasa_env("""
        import jsonschema
        from jsonschema import ValidationError, validators
        from rasa_runtime import schema_cache
        from rasa.core.actions.action import RemoteAction

        original = jsonschema.validate
        schema_cache.install()
        spec = RemoteAction.action_response_format_spec()
        good = {"events": [{"event": "slot", "name": "pending_answer", "value": None}],
                "responses": [{"text": "Is the child in immediate danger?"}]}
        bad = [{"events": "not a list", "responses": []},
               {"events": [{"event": "slot", "name": 3}], "responses": []},
               {"events": [], "responses": ["not an object"]}]

        checks = []
        check_schema = validators.Draft202012Validator.check_schema
        validators.Draft202012Validator.check_schema = classmethod(
            lambda cls, schema, *a, **k: (checks.append(1), check_schema(schema, *a, **k))[1])
        action = RemoteAction("action_ask_threshold", None)
        for _ in range(5):
            assert action._validate_action_result(good)
        for response in bad:
            try:
                original(response, spec)
            except ValidationError as expected:
                try:
                    action._validate_action_result(response)
                except ValidationError as raised:
                    assert raised.message.startswith(expected.message), (raised.message, expected.message)
                else:
                    raise AssertionError(f"accepted a response Rasa rejects: {response}")
            else:
                raise AssertionError(f"plain jsonschema accepts {response}")
        print(len(checks) - len(bad))  # each plain jsonschema.validate above checks the schema itself
    """)
    assert output.strip() == "1", f"the meta-schema was checked {output.strip()} times for one schema"


def test_an_invalid_schema_is_still_refused():
    run_in_rasa_env("""
        import jsonschema
        from jsonschema import SchemaError
        from rasa_runtime import schema_cache
        schema_cache.install()
        try:
            jsonschema.validate({}, {"type": "no such type"})
        except SchemaError:
            pass
        else:
            raise AssertionError("an invalid schema was accepted")
    """)


def test_postgresql_pools_test_connections_before_use_and_sqlite_is_unchanged():
    output = run_in_rasa_env("""
        from rasa_runtime import sql_pool
        from rasa.core import tracker_store
        sql_pool.install()
        print(tracker_store.create_engine_kwargs("postgresql://hips@127.0.0.1:5432/rasa").get("pool_pre_ping"))
        print(tracker_store.create_engine_kwargs("sqlite:///var/rasa/tracker.db"))
    """)
    assert output.split() == ["True", "{}"]


def test_the_launcher_takes_rasas_own_command_line():
    output = run_in_rasa_env("""
        import subprocess, sys
        result = subprocess.run([sys.executable, "-m", "rasa_runtime", "run", "--help"],
                                capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stderr[-2000:]
        print("--endpoints" in result.stdout and "--port" in result.stdout)
    """)
    assert output.strip() == "True"


def test_tickets_issued_at_once_by_two_lock_stores_are_all_kept():
    """Two Rasa servers' lock stores (two Redis clients) issuing tickets for one conversation at once."""
    output = run_in_rasa_env("""
        import threading, uuid
        import redis
        from rasa_runtime import redis_lock
        from rasa.core.lock_store import RedisLockStore
        try:
            redis.StrictRedis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
        except Exception:
            print("SKIP")
            raise SystemExit(0)
        redis_lock.install()
        stores = [RedisLockStore(host="127.0.0.1", port=6379, db=2) for _ in range(2)]
        conversation = "test-" + uuid.uuid4().hex
        issued = []
        def issue(store):
            for _ in range(25):
                issued.append(store.issue_ticket(conversation, 60))
        threads = [threading.Thread(target=issue, args=(store,)) for store in stores for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        kept = stores[0].get_lock(conversation).tickets
        print(len(issued), len(set(issued)), len(kept))
        stores[0].delete_lock(conversation)
    """)
    if output.strip() == "SKIP":
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert output.split() == ["100", "100", "100"], f"issued, distinct, kept: {output.strip()}"
