"""Validator: every authoring mistake is reported as `path:line: field: problem`, all in one run."""

from datetime import date
from pathlib import Path

import pytest

from knowledge.cli import main
from knowledge.validate import validate_guidance
from tests.knowledge.support import FIXTURE_ITEMS, FIXTURE_TOOLKITS

AREAS = ["southampton", "portsmouth", "hampshire", "isle_of_wight"]
TODAY = date(2026, 11, 21)
GOOD = """\
id: neglect-test-item
toolkit: neglect
title: A test item
areas: [all]
body: |
  First paragraph.

  Second paragraph.
source:
  title: Somewhere
  url: https://example.org/x
owner: Test team
last_reviewed: 2026-01-10
review_by: 2027-01-10
verified: true
"""


def write(root: Path, text: str, toolkit: str = "neglect", slug: str = "test-item") -> Path:
    path = root / toolkit / f"{slug}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.resolve()


def errors_for(root: Path, strict: bool = False) -> list[str]:
    report = validate_guidance(root, FIXTURE_TOOLKITS, AREAS, today=TODAY, strict=strict)
    return [str(problem) for problem in report.errors]


def test_the_fixture_guidance_is_valid() -> None:
    report = validate_guidance(FIXTURE_ITEMS, FIXTURE_TOOLKITS, AREAS, today=TODAY)
    assert report.ok, report.errors
    assert len(report.items) == 6


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("review_by: 2027-01-10", "review_by: soon", '14: review_by: not a date like 2026-11-21 (got "soon")'),
        ("owner: Test team\n", "", "1: owner: missing (required field)"),
        ("verified: true\n", "verified: true\ncolour: blue\n", "16: colour: unknown field"),
        ("verified: true\n", "verified: true\ntitle: Again\n", "16: title: duplicate key (first at line 3)"),
        ("toolkit: neglect", "toolkit: csa", '2: toolkit: "csa" does not match the folder "neglect"'),
        ("toolkit: neglect", "toolkit: cooking", '2: toolkit: unknown toolkit "cooking" (known: csa, emergency, '
                                                 "mash, missing, neglect)"),
        ("body: |\n  First paragraph.\n\n  Second paragraph.\n", 'body: "   "\n', "5: body: empty"),
        ("areas: [all]", "areas: [all, gosport]", '4: areas[1]: unknown area "gosport" (known: all, hampshire, '
                                                  "isle_of_wight, portsmouth, southampton)"),
        ("areas: [all]", "areas: []", "4: areas: empty list: give [all] or one or more areas"),
        ("verified: true", "verified: false", "15: unverified_note: required when verified is false: "
                                              "say what is unchecked"),
        ("verified: true", "verified: yes", '15: verified: not true or false (got "yes")'),
        ("url: https://example.org/x", "url: example.org", '11: source.url: not a web address starting with '
                                                           'https:// (got "example.org")'),
        ("id: neglect-test-item", "id: Neglect_Item", '1: id: not kebab-case like "csa-signs-and-indicators" '
                                                      '(got "Neglect_Item")'),
        ("last_reviewed: 2026-01-10", "last_reviewed: 2027-03-01", "14: review_by: 2027-01-10 is before "
                                                                   "last_reviewed 2027-03-01"),
        ("verified: true\n", 'verified: true\nquestions: ["what is it", "  "]\n',
         "16: questions: an empty question: write each question this item answers, or leave the list out"),
        ("verified: true\n", 'verified: true\nquestions: ["What is it?", "what  is it?"]\n',
         "16: questions: the same question is listed twice"),
        ("areas: [all]", "areas: [all", "5: yaml: malformed YAML: while scanning for the next token "
                                        "found character '|' that cannot start any token"),
    ],
)
def test_each_mistake_is_reported_with_file_line_and_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    assert errors_for(tmp_path) == [f"{path}:{expected}"]


def test_all_problems_of_a_file_are_reported_in_one_run(tmp_path: Path) -> None:
    text = GOOD.replace("review_by: 2027-01-10", "review_by: soon").replace("toolkit: neglect", "toolkit: csa")
    path = write(tmp_path, text + "colour: blue\n")
    assert sorted(errors_for(tmp_path)) == sorted([
        f'{path}:14: review_by: not a date like 2026-11-21 (got "soon")',
        f'{path}:2: toolkit: "csa" does not match the folder "neglect"',
        f"{path}:16: colour: unknown field",
    ])


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, GOOD, slug="a-first")
    second = write(tmp_path, GOOD, slug="b-second")
    assert errors_for(tmp_path) == [f'{second}:1: id: duplicate id "neglect-test-item" (also in {first}:1)']


def test_a_file_outside_a_toolkit_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "loose.yml").write_text(GOOD, encoding="utf-8")
    errors = errors_for(tmp_path)
    assert len(errors) == 1 and "loose.yml:1: (file): must sit in a toolkit folder" in errors[0]


def test_no_items_are_returned_while_any_file_has_an_error(tmp_path: Path) -> None:
    write(tmp_path, GOOD, slug="good")
    write(tmp_path, GOOD.replace("neglect-test-item", "neglect-other").replace("owner: Test team\n", ""), slug="bad")
    report = validate_guidance(tmp_path, FIXTURE_TOOLKITS, AREAS, today=TODAY)
    assert not report.ok and report.items == ()


def test_an_overdue_review_is_a_warning_and_an_error_when_strict(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("review_by: 2027-01-10", "review_by: 2026-06-01"))
    report = validate_guidance(tmp_path, FIXTURE_TOOLKITS, AREAS, today=TODAY)
    assert report.ok and [str(w) for w in report.warnings] == [f"{path}:14: review_by: review overdue since 2026-06-01"]
    assert errors_for(tmp_path, strict=True) == [f"{path}:14: review_by: review overdue since 2026-06-01"]


def test_a_malformed_toolkit_list_is_reported_not_raised(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    toolkits = tmp_path / "toolkits.yml"
    toolkits.write_text("neglect: ok\nemergency: Emergencies: now\n", encoding="utf-8")
    report = validate_guidance(tmp_path / "neglect", toolkits, AREAS, today=TODAY)
    assert f"{toolkits.resolve()}:2: yaml: malformed YAML" in str(report.errors[0])


def test_check_command_prints_problems_without_traceback_and_fails(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, GOOD.replace("review_by: 2027-01-10", "review_by: soon"))
    status = main(["check", "--guidance", str(tmp_path), "--toolkits", str(FIXTURE_TOOLKITS)])
    captured = capsys.readouterr()
    assert status == 1
    assert f'{path}:14: review_by: not a date like 2026-11-21 (got "soon")' in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_check_command_strict_turns_overdue_reviews_into_failure(tmp_path: Path, capsys) -> None:
    write(tmp_path, GOOD.replace("review_by: 2027-01-10", "review_by: 2026-06-01"))
    base = ["check", "--guidance", str(tmp_path), "--toolkits", str(FIXTURE_TOOLKITS), "--today", "2026-11-21"]
    assert main(base) == 0
    assert main([*base, "--strict"]) == 1
