"""Query expansion from knowledge/synonyms.yml: whole words, any case, validated like the other YAML."""

from pathlib import Path

import pytest

from knowledge.settings import load_settings
from knowledge.synonyms import QueryExpander, check_synonyms
from tests.knowledge.support import make_service, settings_for_tests

EXPANDER = QueryExpander((("rhi", "return home interview"), ("cse", "child sexual exploitation"),
                          ("soton", "southampton")))


@pytest.mark.parametrize(("query", "expected"), [
    ("RHI due?", "RHI (return home interview) due?"),
    ("cse risk in soton", "cse (child sexual exploitation) risk in soton (southampton)"),
    ("cse, cse again", "cse (child sexual exploitation), cse again"),
    ("csex rhinoceros", "csex rhinoceros"),
    ("child sexual exploitation (cse)", "child sexual exploitation (cse)"),
    ("nothing to expand", "nothing to expand"),
    ("two RHIs missed", "two RHIs (return home interview) missed"),
    ("rhisk", "rhisk"),
])
def test_known_terms_are_spelled_out_once_as_whole_words(query: str, expected: str) -> None:
    assert EXPANDER.expand(query) == expected


def test_a_plural_s_is_read_only_after_a_term_of_three_or_more_characters() -> None:
    expander = QueryExpander((("eha", "early help assessment"), ("cp", "child protection")))
    assert expander.expand("do we still do EHAs") == "do we still do EHAs (early help assessment)"
    assert expander.expand("the CPS charged him") == "the CPS charged him"
    assert expander.expand("cp plan") == "cp (child protection) plan"


def test_the_shipped_synonyms_file_is_valid_and_expands_the_common_abbreviations() -> None:
    settings = load_settings()
    expander, problems = check_synonyms(settings.resolve(settings.paths.synonyms))
    assert problems == []
    expanded = expander.expand("LAC missing, RHI and CCE concerns, DSL in pompey")
    for words in ("looked-after child", "return home interview", "child criminal exploitation",
                  "designated safeguarding lead", "portsmouth"):
        assert words in expanded


@pytest.mark.parametrize(("text", "expected"), [
    ("terms:\n  rhi: return home interview\n  rhi: again\n", "3: terms.rhi: duplicate key (first at line 2)"),
    ("terms:\n  rhi: return home interview\nextra: 1\n", "3: extra: unknown field"),
    ("terms:\n  RHI!: return home interview\n", "2: terms.RHI!: write the term in lower case"),
    ("terms:\n  rhi: ''\n", "2: terms.rhi: empty expansion"),
])
def test_mistakes_in_the_synonyms_file_are_reported_with_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "synonyms.yml"
    path.write_text(text, encoding="utf-8")
    expander, problems = check_synonyms(path)
    assert expander.terms == ()
    assert any(str(problem).removeprefix(str(path.resolve()) + ":").startswith(expected) for problem in problems), \
        [str(p) for p in problems]


def test_expansion_reaches_the_word_search(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yml"
    synonyms.write_text("terms:\n  zqm: missing police\n", encoding="utf-8")
    base = settings_for_tests()
    settings = base.model_copy(update={"paths": base.paths.model_copy(update={"synonyms": synonyms})})
    response = make_service(tmp_path, settings=settings).search("zqm", mode="lexical")
    assert response.results[0].id == "missing-reporting-to-police"
    assert make_service(tmp_path / "plain").search("zqm", mode="lexical").abstained


def test_a_bad_synonyms_file_stops_the_rebuild_and_keeps_the_last_good_index(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yml"
    synonyms.write_text("terms:\n  rhi: return home interview\n", encoding="utf-8")
    base = settings_for_tests()
    settings = base.model_copy(update={"paths": base.paths.model_copy(update={"synonyms": synonyms})})
    service = make_service(tmp_path, settings=settings)
    synonyms.write_text("terms:\n  rhi: return home interview\ncolour: blue\n", encoding="utf-8")
    report = service.reload()
    assert not report.ok and any("3: colour: unknown field" in error for error in report.errors)
    assert service.search("child missing from home report to police").results[0].id == "missing-reporting-to-police"
