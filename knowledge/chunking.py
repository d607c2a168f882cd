"""Split guidance items into chunks that fit the embedding model's input, title first."""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from knowledge.schema import GuidanceItem

TokenCounter = Callable[[str], int]
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True)
class Chunk:
    """A piece of one item's body, with the item's title prepended for context."""

    item_id: str
    position: int
    text: str
    passage: str

    @property
    def content_hash(self) -> str:
        """sha256 of the embedded text: the embedding cache key (with the model name)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _with_title(title: str, passage: str) -> str:
    return f"{title}\n\n{passage}"


def _split_words(text: str, fits: Callable[[str], bool]) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for word in text.split():
        if current and not fits(" ".join([*current, word])):
            pieces.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _units(paragraph: str, fits: Callable[[str], bool]) -> list[str]:
    """Return the paragraph whole if it fits, else its sentences (long ones cut at words)."""
    if fits(paragraph):
        return [paragraph]
    units: list[str] = []
    for sentence in SENTENCE_END.split(paragraph):
        units.extend([sentence] if fits(sentence) else _split_words(sentence, fits))
    return _pack(units, fits, separator=" ")


def _pack(units: Iterable[str], fits: Callable[[str], bool], separator: str) -> list[str]:
    packed: list[str] = []
    for unit in units:
        if packed and fits(packed[-1] + separator + unit):
            packed[-1] = packed[-1] + separator + unit
        else:
            packed.append(unit)
    return packed


def chunk_item(item: GuidanceItem, count_tokens: TokenCounter, max_tokens: int, target_tokens: int) -> list[Chunk]:
    """Cut an item's body into chunks of whole paragraphs where possible.

    Consecutive paragraphs are joined while the chunk (title included) stays within
    `target_tokens`; a paragraph above `max_tokens` is cut at sentences, then at words.

    Args:
        item: the guidance item.
        count_tokens: counts the model's word pieces in a text, special tokens included.
        max_tokens: hard limit per chunk (below the model's truncation length).
        target_tokens: preferred size when packing short paragraphs together.

    Returns:
        The chunks in body order; each one's `text` is within `max_tokens`.
    """

    def fits_hard(passage: str) -> bool:
        return count_tokens(_with_title(item.title, passage)) <= max_tokens

    def fits_target(passage: str) -> bool:
        return count_tokens(_with_title(item.title, passage)) <= min(target_tokens, max_tokens)

    units = [unit for paragraph in item.paragraphs() for unit in _units(paragraph, fits_hard)]
    passages = _pack(units, fits_target, separator="\n\n")
    return [
        Chunk(item_id=item.id, position=position, text=_with_title(item.title, passage), passage=passage)
        for position, passage in enumerate(passages)
    ]


def chunk_items(
    items: Iterable[GuidanceItem], count_tokens: TokenCounter, max_tokens: int, target_tokens: int
) -> list[Chunk]:
    """Chunk every item, in the given order."""
    return [chunk for item in items for chunk in chunk_item(item, count_tokens, max_tokens, target_tokens)]
