"""Chunking keeps every chunk within the model's token limit and puts the title first."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.chunking import chunk_item
from knowledge.schema import GuidanceItem, Source


def item(body: str, title: str = "Signs of neglect") -> GuidanceItem:
    return GuidanceItem(
        id="neglect-x", toolkit="neglect", title=title, areas=("all",), body=body,
        source=Source("s", "https://example.org"), owner="o", last_reviewed=date(2026, 1, 1),
        review_by=date(2027, 1, 1), verified=True, unverified_note=None, path="neglect/x.yml",
    )


def count_words(text: str) -> int:
    return len(text.split()) + 2


def test_short_paragraphs_are_packed_and_title_prepended() -> None:
    chunks = chunk_item(item("One two three.\n\nFour five six."), count_words, max_tokens=50, target_tokens=40)
    assert [c.text for c in chunks] == ["Signs of neglect\n\nOne two three.\n\nFour five six."]


def test_paragraphs_that_do_not_fit_the_target_start_a_new_chunk() -> None:
    body = "\n\n".join(" ".join(["word"] * 10) for _ in range(3))
    chunks = chunk_item(item(body), count_words, max_tokens=40, target_tokens=20)
    assert len(chunks) == 3 and all(c.text.startswith("Signs of neglect\n\n") for c in chunks)
    assert [c.position for c in chunks] == [0, 1, 2]


def test_a_long_paragraph_is_cut_at_sentences_then_words() -> None:
    sentence = " ".join(["alpha"] * 30) + "."
    chunks = chunk_item(item(f"{sentence} {sentence} Short one."), count_words, max_tokens=25, target_tokens=25)
    assert all(count_words(c.text) <= 25 for c in chunks)
    assert " ".join(c.passage for c in chunks).split() == f"{sentence} {sentence} Short one.".split()


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(st.lists(st.sampled_from(["child", "neglect.", "home", "school;", "safe"]), min_size=1,
                                 max_size=120).map(" ".join), min_size=1, max_size=6),
    limit=st.integers(min_value=12, max_value=60),
)
def test_no_chunk_exceeds_the_limit_and_no_word_is_lost(paragraphs: list[str], limit: int) -> None:
    body = "\n\n".join(paragraphs)
    chunks = chunk_item(item(body), count_words, max_tokens=limit, target_tokens=limit)
    assert all(count_words(c.text) <= limit for c in chunks)
    assert " ".join(c.passage for c in chunks).split() == body.split()


@pytest.mark.slow
def test_real_tokenizer_keeps_real_guidance_chunks_under_the_model_limit() -> None:
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.settings import load_settings

    settings = load_settings()
    embedder = SentenceTransformerEmbedder(settings.model.name)
    body = "\n\n".join(
        "A practitioner who notices that a child is often hungry, tired or unwashed should record it, "
        "talk to the designated safeguarding lead and consider whether early help is needed. " * 4
        for _ in range(3)
    )
    chunks = chunk_item(item(body), embedder.count_tokens, settings.model.max_chunk_tokens,
                        settings.model.target_chunk_tokens)
    assert len(chunks) >= 3
    assert all(embedder.count_tokens(c.text) <= settings.model.max_chunk_tokens < 256 for c in chunks)
