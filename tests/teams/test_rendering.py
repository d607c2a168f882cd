"""Internal messages to Teams activities, and the 429 wait policy, without any HTTP."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from microsoft_agents.activity import Activity

from api.channels.teams.adapter import RetryPolicy
from api.channels.teams.card_labels import load_card_labels
from api.channels.teams.inbound import message_text
from api.channels.teams.outbound import activities_for_message
from api.messages import BotMessage
from api.safe_reply import load_canned_replies
from api.settings import REPO_ROOT
from tests.teams.conftest import LINES

LABELS = load_card_labels()


def card_texts(activity) -> str:
    return "\n".join(e.get("text", "") for a in activity.attachments for e in a.content["body"])


def test_the_safe_reply_lists_the_emergency_lines_once_as_text():
    replies = load_canned_replies(REPO_ROOT / "api" / "replies.yml", LINES)
    [activity] = activities_for_message(replies.render("safe_fallback"), LABELS)
    assert activity.text.count("0845 671 0271") == 1 and not activity.attachments


def test_the_bots_emergency_route_gets_a_card_when_its_text_does_not_list_the_lines():
    message = BotMessage(text="If a child is in immediate danger, call 999 now.",
                         custom={"type": "emergency_route", "lines": ["Portsmouth: MASH 0845 671 0271"]})
    text, card = activities_for_message(message, LABELS)
    assert text.text == message.text
    assert "Portsmouth: MASH 0845 671 0271" in card_texts(card)


def test_an_unknown_payload_type_still_sends_its_text():
    [activity] = activities_for_message(BotMessage(text="Hello", custom={"type": "something_new"}), LABELS)
    assert activity.text == "Hello"


def test_a_guidance_link_that_is_not_https_is_not_offered():
    item = {"title": "T", "snippet": "S", "source_title": "Src", "source_url": "javascript:alert(1)",
            "last_reviewed": "2026-01-01", "review_by": "2026-07-01", "verified": True}
    [activity] = activities_for_message(BotMessage(custom={"type": "guidance", "items": [item]}), LABELS)
    body = activity.attachments[0].content["body"]
    assert all(element["type"] != "ActionSet" for element in body)
    assert "Src" in card_texts(activity)


@pytest.mark.parametrize(
    ("value", "text", "expected"),
    [
        ({"hips_payload": "/affirm"}, None, "/affirm"),
        ({"hips_payload": "/affirm"}, "Yes", "/affirm"),
        ({"other": "x"}, "typed", "typed"),
        (None, "  typed  ", "typed"),
        ({"hips_payload": 42}, None, ""),
    ],
)
def test_the_text_sent_to_rasa(value, text, expected):
    assert message_text(Activity(type="message", value=value, text=text)) == expected


NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("retry_after", "attempt", "expected"),
    [
        ("3", 1, 3.0),
        ("0", 1, 0.0),
        (format_datetime(NOW + timedelta(seconds=7), usegmt=True), 1, 7.0),
        (None, 1, 1.0),
        (None, 3, 4.0),
        ("garbage", 2, 2.0),
        ("60", 1, None),
        ("1", 4, None),
    ],
)
def test_the_wait_after_a_429(retry_after, attempt, expected):
    policy = RetryPolicy(max_attempts=4, max_wait_seconds=20, first_backoff_seconds=1)
    assert policy.wait_seconds(retry_after, attempt, now=NOW) == expected
