"""Fixtures for action tests."""

import pytest
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def patterns_only_triage(monkeypatch):
    """Action tests run offline and fast: triage on the phrase patterns (the semantic layer is tested in pathways)."""
    monkeypatch.setattr("actions.triage.triage_matcher", lambda: None)
