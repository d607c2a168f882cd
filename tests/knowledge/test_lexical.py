"""BM25, tokenisation, typo correction and reciprocal rank fusion."""

import pytest

from knowledge.lexical import Bm25Index, edit_distance, stem, tokenize
from knowledge.search import reciprocal_rank_fusion


def test_tokenize_lowercases_drops_stop_words_and_stems() -> None:
    assert tokenize("The Children were NEGLECTED, and neglecting!") == ["child", "neglect", "neglect"]


@pytest.mark.parametrize(("word", "expected"), [("disclosures", "disclos"), ("disclosed", "disclos"),
                                                 ("babies", "baby"), ("missing", "miss"), ("class", "class"),
                                                 ("pregnant", "pregn"), ("pregnancy", "pregn"), ("infant", "infant")])
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def index() -> Bm25Index:
    docs = ["neglect of a child at home", "sexual abuse disclosure by a child", "missing from home police report",
            "neglect neglect neglect pattern over time"]
    return Bm25Index([tokenize(d) for d in docs])


def test_bm25_ranks_the_document_with_the_rare_term_first() -> None:
    scores = index().scores(tokenize("disclosure"))
    assert scores.argmax() == 1 and (scores[[0, 2, 3]] == 0).all()


def test_bm25_term_frequency_saturates_and_longer_documents_are_penalised() -> None:
    bm25 = index()
    scores = bm25.scores(tokenize("neglect"))
    assert scores[3] > scores[0] > 0
    assert scores[3] < 3 * scores[0]


def test_a_misspelt_word_is_corrected_to_the_vocabulary() -> None:
    bm25 = index()
    assert bm25.query_terms("negelct dislcosure") == ["neglect", "disclos"]
    assert bm25.correct("weather") == "weather"


def test_a_known_word_is_never_corrected_to_a_guidance_word() -> None:
    docs = [tokenize("staff sickness and the county council"), tokenize("a child protection document")]
    assert Bm25Index(docs).query_terms("stuff from another country") == ["staff", "anoth", "county"]
    guarded = Bm25Index(docs, known_words=frozenset({"stuff", "another", "country"}))
    assert guarded.query_terms("stuff from another country") == ["stuff", "anoth", "country"]
    assert guarded.query_terms("staf from the country") == ["staff", "country"]


def test_contractions_typed_without_an_apostrophe_are_stop_words() -> None:
    assert tokenize("she's scared, he doesnt know and it isn't safe") == ["scar", "know", "safe"]


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert edit_distance("chlid", "child", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("abc", "abcdef", 1) == 2


def test_coverage_is_high_for_known_words_and_low_for_unknown_ones() -> None:
    bm25 = index()
    assert bm25.coverage(tokenize("child disclosure"), [1]) == pytest.approx(1.0)
    assert bm25.coverage(tokenize("pizza delivery tonight"), [0, 1, 2, 3]) == 0.0


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c"]], rrf_k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert max(fused, key=fused.get) == "b"
    assert fused["a"] == pytest.approx(1 / 61)
