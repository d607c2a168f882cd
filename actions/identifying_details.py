"""The warning a practitioner gets when they type identifying details."""

from privacy.identifiers import find_identifiers


def identifying_details_warning(text: str) -> str | None:
    """A kind warning naming what was spotted, or None when the text looks free of identifiers."""
    kinds = find_identifiers(text)
    if not kinds:
        return None
    found = ", ".join(kind.label for kind in kinds)
    return (
        f"It looks like your message includes {found}. I don't need names or other identifying details "
        "to help, and I don't keep them; please leave them out. Put them only in your own records or the referral form."
    )
