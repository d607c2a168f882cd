"""How guidance reads in the chat.

Plain text for every channel, plus a structured card payload the web widget and Teams render.
"""

from typing import Any

from knowledge.schema import GuidanceItem
from knowledge.search import SearchHit


def card_from_hit(hit: SearchHit) -> dict[str, Any]:
    """A search hit as the fields a channel needs to show guidance with its source."""
    return {
        "id": hit.id,
        "toolkit": hit.toolkit,
        "title": hit.title,
        "snippet": hit.snippet,
        "source_title": hit.source_title,
        "source_url": hit.source_url,
        "last_reviewed": str(hit.last_reviewed),
        "review_by": str(hit.review_by),
        "verified": hit.verified,
    }


def card_from_item(item: GuidanceItem, snippet_chars: int = 400) -> dict[str, Any]:
    """A guidance item cited by a rule, shown by its first paragraph."""
    first = " ".join(item.paragraphs()[0].split()) if item.paragraphs() else ""
    snippet = first if len(first) <= snippet_chars else first[:snippet_chars].rsplit(" ", 1)[0] + " ..."
    return {
        "id": item.id,
        "toolkit": item.toolkit,
        "title": item.title,
        "snippet": snippet,
        "source_title": item.source.title,
        "source_url": item.source.url,
        "last_reviewed": str(item.last_reviewed),
        "review_by": str(item.review_by),
        "verified": item.verified,
    }


def guidance_text(card: dict[str, Any]) -> str:
    """One piece of guidance as plain text, with its source and review dates."""
    unverified = "" if card["verified"] else " Not yet verified against the source."
    return (
        f"{card['title']}\n{card['snippet']}\n"
        f"Source: {card['source_title']} ({card['source_url']}). Reviewed {card['last_reviewed']}, "
        f"next review by {card['review_by']}.{unverified}"
    )


def bullet_list(lines: list[str]) -> str:
    """Lines as a plain-text bullet list."""
    return "\n".join(f"- {line}" for line in lines)
