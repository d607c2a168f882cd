"""Out-of-scope topics: validated like guidance, indexed beside it, and a matching question abstains with a redirect."""

import json
from pathlib import Path

import pytest

from knowledge.cli import main
from knowledge.index_store import read_index, read_manifest
from knowledge.out_of_scope import validate_out_of_scope
from tests.knowledge.support import FIXTURE_ITEMS, FIXTURE_TOOLKITS, HashingEmbedder, make_service

ADULTS = """\
id: adult-safeguarding
title: Safeguarding adults at risk
description: >
  Abuse or neglect of an elderly or vulnerable adult in a care home or at home.
phrasings:
  - elderly adult abused in a care home
  - vulnerable adult pension taken by relative
redirect: >
  Contact adult social care for the adult's council.
owner: Test team
"""
PIZZA = """\
id: takeaway-food
title: Takeaway food
description: Pizza and takeaway delivery.
phrasings: [best pizza delivery tonight]
redirect: Not something this assistant covers.
owner: Test team
"""


def write_topics(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for slug, text in files.items():
        (folder / f"{slug}.yml").write_text(text, encoding="utf-8")
    return folder


def problems_in(folder: Path, guidance_ids: frozenset[str] = frozenset()) -> list[str]:
    return [str(problem).removeprefix(str(folder.resolve()) + "/") for problem in
            validate_out_of_scope(folder, set(guidance_ids))[1]]


def test_valid_topics_load_with_their_texts(tmp_path: Path) -> None:
    topics, problems = validate_out_of_scope(write_topics(tmp_path, adults=ADULTS, pizza=PIZZA), set())
    assert problems == []
    adults = next(topic for topic in topics if topic.id == "adult-safeguarding")
    assert adults.redirect == "Contact adult social care for the adult's council."
    assert adults.texts()[1:] == ["elderly adult abused in a care home", "vulnerable adult pension taken by relative"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("owner: Test team\n", "owner: Test team\ncolour: blue\n", "adults.yml:11: colour: unknown field"),
    ("redirect: >\n  Contact adult social care for the adult's council.\n", "",
     "adults.yml:1: redirect: missing (required field)"),
    ("owner: Test team\n", "owner: Test team\ntitle: Again\n", "adults.yml:11: title: duplicate key (first at line 2)"),
    ("id: adult-safeguarding", "id: Adult Safeguarding", 'adults.yml:1: id: not kebab-case like "adult-safeguarding"'),
    ("  - elderly adult abused in a care home\n  - vulnerable adult pension taken by relative\n", "  - ''\n",
     "adults.yml:5: phrasings: give one or more non-empty example questions"),
])
def test_each_authoring_mistake_is_reported_with_its_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in ADULTS
    problems = problems_in(write_topics(tmp_path, adults=ADULTS.replace(old, new)))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_bad_file_and_duplicate_id_is_reported_in_one_run(tmp_path: Path) -> None:
    folder = write_topics(tmp_path, adults=ADULTS, again=ADULTS, pizza=PIZZA.replace("owner: Test team\n", ""),
                          broken="id: [unclosed\n")
    problems = problems_in(folder, frozenset({"takeaway-food"}))
    assert any(p.startswith('again.yml:1: id: duplicate id "adult-safeguarding"') for p in problems), problems
    assert any(p.startswith("pizza.yml:1: owner: missing") for p in problems), problems
    assert any(p.startswith("broken.yml:") and "malformed YAML" in p for p in problems), problems


def test_a_topic_may_not_reuse_a_guidance_id(tmp_path: Path) -> None:
    folder = write_topics(tmp_path, adults=ADULTS.replace("adult-safeguarding", "csa-responding-to-disclosure"))
    assert problems_in(folder, frozenset({"csa-responding-to-disclosure"})) == [
        'adults.yml:1: id: duplicate id "csa-responding-to-disclosure" (also a guidance item)']


def test_knowledge_check_reports_topic_errors_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = write_topics(tmp_path / "oos", adults=ADULTS + "colour: blue\n")
    status = main(["check", "--guidance", str(FIXTURE_ITEMS), "--toolkits", str(FIXTURE_TOOLKITS),
                   "--out-of-scope", str(folder), "--today", "2026-11-21"])
    assert status == 1 and "adults.yml:11: colour: unknown field" in capsys.readouterr().err
    write_topics(folder, adults=ADULTS)
    assert main(["check", "--guidance", str(FIXTURE_ITEMS), "--toolkits", str(FIXTURE_TOOLKITS),
                 "--out-of-scope", str(folder), "--today", "2026-11-21"]) == 0
    assert "6 guidance items, 1 out-of-scope topics" in capsys.readouterr().out


@pytest.fixture
def topics_dir(tmp_path: Path) -> Path:
    return write_topics(tmp_path / "out_of_scope", adults=ADULTS, pizza=PIZZA)


def test_a_question_on_a_declared_topic_abstains_with_its_redirect(tmp_path: Path, topics_dir: Path) -> None:
    response = make_service(tmp_path, out_of_scope_dir=topics_dir).search("elderly adult abused in her care home")
    assert response.abstained and response.results == []
    assert response.redirect is not None and response.redirect.topic_id == "adult-safeguarding"
    assert response.redirect.text == "Contact adult social care for the adult's council."


@pytest.mark.parametrize(("question", "expected"), [
    ("a child told me about sexual abuse, what do I write down", "csa-responding-to-disclosure"),
    ("child missing from home report to police", "missing-reporting-to-police"),
])
def test_child_safeguarding_questions_are_never_redirected(tmp_path: Path, topics_dir: Path, question: str,
                                                           expected: str) -> None:
    response = make_service(tmp_path, out_of_scope_dir=topics_dir).search(question)
    assert not response.abstained and response.redirect is None
    assert response.results[0].id == expected


def test_without_topics_an_off_topic_question_abstains_without_a_redirect(tmp_path: Path) -> None:
    response = make_service(tmp_path).search("best pizza delivery tonight")
    assert response.abstained and response.redirect is None


def test_topics_are_stored_in_the_index_and_re_embedded_incrementally(tmp_path: Path, topics_dir: Path) -> None:
    embedder = HashingEmbedder()
    service = make_service(tmp_path, embedder, out_of_scope_dir=topics_dir)
    folder = (tmp_path / "index").resolve()
    stored = json.loads((folder / "topics.json").read_text())
    assert sorted(topic["id"] for topic in stored) == ["adult-safeguarding", "takeaway-food"]
    assert read_index(tmp_path / "index").topic_dense.ntotal == 5
    embedder.embedded.clear()
    write_topics(topics_dir, pizza=PIZZA.replace("[best pizza delivery tonight]", "[cheap pizza near me]"))
    report = service.reload()
    assert report.ok and embedder.embedded == ["cheap pizza near me"]
    assert service.search("cheap pizza near me").redirect.topic_id == "takeaway-food"


def test_an_edited_topic_makes_the_index_stale_on_start(tmp_path: Path, topics_dir: Path) -> None:
    make_service(tmp_path, out_of_scope_dir=topics_dir)
    before = read_manifest(tmp_path / "index").content_hash
    (topics_dir / "pizza.yml").unlink()
    service = make_service(tmp_path, out_of_scope_dir=topics_dir)
    assert read_manifest(tmp_path / "index").content_hash != before
    assert service.search("best pizza delivery tonight").redirect is None


def test_a_bad_topic_on_reload_keeps_the_last_good_index(tmp_path: Path, topics_dir: Path) -> None:
    service = make_service(tmp_path, out_of_scope_dir=topics_dir)
    write_topics(topics_dir, pizza=PIZZA + "colour: blue\n")
    report = service.reload()
    assert not report.ok and any("pizza.yml:7: colour: unknown field" in error for error in report.errors)
    assert service.search("elderly adult abused in her care home").redirect.topic_id == "adult-safeguarding"


def test_a_topic_phrasing_counts_like_an_item_question_and_its_description_in_full(tmp_path: Path,
                                                                                   topics_dir: Path) -> None:
    embedder = HashingEmbedder()
    searcher = make_service(tmp_path, embedder, out_of_scope_dir=topics_dir)._searcher
    weight = searcher.settings.question_weight
    phrasing = embedder.embed(["best pizza delivery tonight"])[0]
    description = embedder.embed(["Takeaway food\n\nPizza and takeaway delivery."])[0]
    assert searcher._closest_topic(phrasing) == (pytest.approx(weight, abs=1e-5), "takeaway-food")
    assert searcher._closest_topic(phrasing, weighted=False)[0] == pytest.approx(1.0, abs=1e-5)
    assert searcher._closest_topic(description) == (pytest.approx(1.0, abs=1e-5), "takeaway-food")
