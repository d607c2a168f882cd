"""Identifying details are spotted (so the practitioner is warned) and scrubbed before storage."""

import pytest

from privacy.identifiers import find_identifiers, scrub_identifiers


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("his NHS number is 485 777 3456", "nhs_number"),
        ("DOB 03/04/2015", "date_of_birth"),
        ("born on 3rd March 2016", "date_of_birth"),
        ("mum's mobile is 07700 900123", "phone_number"),
        ("email her at jo.bloggs@example.org", "email"),
        ("they live at PO1 2AB", "postcode"),
        ("the family live at 12 Acacia Road", "street_address"),
        ("Mrs Patel came in this morning", "name"),
        ("a boy called Jayden in year 5", "name"),
        ("Liam Smith (7) keeps coming in hungry", "name"),
    ],
)
def test_identifying_details_are_found_and_scrubbed(text, kind):
    assert kind in [k.name for k in find_identifiers(text)]
    assert f"[{kind} removed]" in scrub_identifiers(text)


@pytest.mark.parametrize(
    "text",
    [
        "a year 4 boy keeps coming to school hungry",
        "I'm worried about a 14 year old in Portsmouth who goes missing",
        "attendance has dropped to 60% this term",
        "the MASH in Southampton said to call back",
        "a 6 month old baby has a bruise on the Isle of Wight",
    ],
)
def test_ordinary_descriptions_raise_no_warning(text):
    assert find_identifiers(text) == []
