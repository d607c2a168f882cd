"""Hybrid search: dense (exact FAISS) and BM25 (title-boosted) scores fused per item, with abstention.

An item is found by its chunks and by the questions it says it answers (guidance `questions`): each question is
embedded (an item's dense score is the best of its chunk cosines and `question_weight` times its question cosines)
and its words are added to every chunk of the item for BM25.

Before searching, known abbreviations are spelled out (knowledge/synonyms.yml). Hybrid ranking adds to each
item's best chunk cosine a share of its BM25 score relative to the best item's. In hybrid mode a calibrated
logistic model (knowledge/abstention_model.yml, ADR 0008) decides whether to abstain, from evidence features
including the closest declared out-of-scope topic, whose redirect text the response then carries; without a
model (and in the dense/lexical benchmark modes) the threshold rules in settings decide. A question matching a
safety pattern (a disclosure, immediate danger) is never abstained on.
"""

import logging
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from knowledge.abstention import AbstentionFeatures, AbstentionModel, PatternSet, SafetyOverride
from knowledge.embedding import Embedder
from knowledge.index_store import GuidanceIndex
from knowledge.lexical import Bm25Index, SpellingRule, tokenize
from knowledge.settings import AbstentionSettings, SearchSettings
from knowledge.synonyms import QueryExpander

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class SearchHit:
    """One guidance item found for a query, with its best chunk as the snippet."""

    id: str
    toolkit: str
    title: str
    snippet: str
    source_title: str
    source_url: str
    last_reviewed: date
    review_by: date
    verified: bool
    score: float


@dataclass(frozen=True)
class Redirect:
    """A declared out-of-scope topic that matched the question, and where to go instead."""

    topic_id: str
    title: str
    text: str


@dataclass(frozen=True)
class SearchResponse:
    """Results best first; `abstained` is True (and results empty) when no item is a good enough match.

    `redirect` is set when the search abstained because the question matches a declared out-of-scope topic.
    """

    results: list[SearchHit]
    abstained: bool
    redirect: Redirect | None = None


@dataclass(frozen=True)
class _Ranking:
    """One query's rankings and the per-chunk scores behind them."""

    query: str
    topic: str
    terms: list[str]
    topic_vector: np.ndarray | None
    cosines: np.ndarray
    lexical: np.ndarray
    best_cosine: np.ndarray
    best_lexical: np.ndarray
    ordered: list[tuple[int, float]]
    dense_ranking: list[int]
    lexical_ranking: list[int]


@dataclass(frozen=True)
class Evidence:
    """Why the top item was kept or not: its best cosine and its share of the query's words."""

    cosine: float
    coverage: float


def _model_fits(model: AbstentionModel | None, dimension: int) -> bool:
    """A model whose scope classifier reads another embedding size is left out (the rule decides), with a log."""
    if model is None or not model.scope_weights or len(model.scope_weights) == dimension:
        return model is not None
    logger.error("abstention model left out: its scope classifier expects %d dimensions, the index has %d; "
                 "refit it with `python -m bench.fit_abstention`", len(model.scope_weights), dimension)
    return False


def reciprocal_rank_fusion(rankings: list[list], rrf_k: float, weights: list[float] | None = None) -> dict:
    """Fuse rankings (best first) into scores: sum over rankings of weight / (rrf_k + rank), rank from 1."""
    fused: dict = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (rrf_k + rank)
    return fused


def without_place_names(query: str, place_names: list[str]) -> str:
    """Remove place names (whole words, any case) from a query and tidy the spaces."""
    pattern = r"\b(?:" + "|".join(re.escape(name) for name in sorted(place_names, key=len, reverse=True)) + r")\b"
    return " ".join(re.sub(pattern, " ", query, flags=re.IGNORECASE).split())


def snippet_of(passage: str, limit: int) -> str:
    """Cut a passage at a word boundary to at most `limit` characters, marking the cut with an ellipsis."""
    text = " ".join(passage.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


class GuidanceSearcher:
    """Searches one loaded index. Immutable after construction, so it is safe across threads."""

    def __init__(self, index: GuidanceIndex, embedder: Embedder, search: SearchSettings,
                 abstention: AbstentionSettings, expander: QueryExpander | None = None,
                 model: AbstentionModel | None = None) -> None:
        self.index = index
        self.model = model if _model_fits(model, index.dense.d) else None
        self.safety = SafetyOverride(tuple(abstention.never_abstain_patterns))
        self.child_mention = PatternSet(tuple(abstention.child_patterns))
        self.expander = expander or QueryExpander()
        self.embedder = embedder
        self.settings = search
        self.abstention = abstention
        # Each chunk's words, with the item's title repeated and the questions the item answers added.
        extra = {item_id: tokenize(item.title) * search.bm25_title_repeats + tokenize(" ".join(item.questions))
                 for item_id, item in index.items.items()}
        self.bm25 = Bm25Index(
            [extra[chunk.item_id] + tokenize(chunk.text) for chunk in index.chunks], k1=search.bm25_k1, b=search.bm25_b,
            spelling=SpellingRule(search.spelling_min_length, search.spelling_max_edits_short,
                                  search.spelling_long_word, search.spelling_max_edits_long),
            known_words=embedder.known_words() | self.expander.keys() | frozenset(
                word for name in search.place_names for word in name.lower().split()),
        )
        self.vectors = index.dense.reconstruct_n(0, index.dense.ntotal) if index.dense.ntotal else None
        self.item_ids = list(index.items)
        row_of_item = {item_id: row for row, item_id in enumerate(self.item_ids)}
        self.chunk_item = np.array([row_of_item[c.item_id] for c in index.chunks], dtype=np.int64)
        self.chunks_of: dict[str, list[int]] = {item_id: [] for item_id in self.item_ids}
        for row, chunk in enumerate(index.chunks):
            self.chunks_of[chunk.item_id].append(row)
        # The questions items say they answer: one vector each, counted at `question_weight` of a chunk's cosine.
        questions = index.question_dense
        self.question_vectors = (questions.reconstruct_n(0, questions.ntotal) if questions.ntotal
                                 else np.zeros((0, index.dense.d), dtype=np.float32))
        self.question_item = np.array([row_of_item[i] for i in index.question_of_row], dtype=np.int64)
        self.questions_of: dict[str, list[int]] = {item_id: [] for item_id in self.item_ids}
        for row, item_id in enumerate(index.question_of_row):
            self.questions_of[item_id].append(row)
        # Out-of-scope topic texts: each topic's first row is its title and description, counted in full; its
        # typical phrasings count at `question_weight`, like the questions an item answers, so a short phrasing
        # that shares one everyday word ("mum", "youth", "alcohol") with a question does not outweigh guidance.
        topics = index.topic_dense
        self.topic_vectors = (topics.reconstruct_n(0, topics.ntotal) if topics.ntotal
                              else np.zeros((0, index.dense.d), dtype=np.float32))
        self.topic_row_weight = np.array(
            [1.0 if row == 0 or index.topic_of_row[row - 1] != topic_id else search.question_weight
             for row, topic_id in enumerate(index.topic_of_row)], dtype=np.float32)

    def _cosines(self, vector: np.ndarray) -> np.ndarray:
        total = self.index.dense.ntotal
        cosines = np.full(total, -1.0, dtype=np.float32)
        if total:
            scores, rows = self.index.dense.search(vector.reshape(1, -1), total)
            cosines[rows[0]] = scores[0]
        return cosines

    def _item_best(self, chunk_scores: np.ndarray) -> np.ndarray:
        best = np.full(len(self.item_ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.chunk_item, chunk_scores)
        return best

    def _item_dense(self, vector: np.ndarray, chunk_cosines: np.ndarray) -> np.ndarray:
        """Each item's dense score: its best chunk cosine, or its best question's weighted cosine when higher."""
        best = self._item_best(chunk_cosines)
        if len(self.question_item):
            weighted = (self.question_vectors @ vector) * np.float32(self.settings.question_weight)
            np.maximum.at(best, self.question_item, weighted.astype(np.float32))
        return best

    def _abstain(self, mode: Mode, evidence: Evidence, lexical_hit: bool) -> bool:
        rule = self.abstention
        if mode == "dense":
            return evidence.cosine < rule.dense_only_min_cosine
        if mode == "lexical":
            return not lexical_hit or evidence.coverage < rule.lexical_only_min_coverage
        if evidence.cosine >= rule.dense_accept:
            return False
        return evidence.cosine < rule.dense_floor or evidence.coverage < rule.min_coverage

    def search(self, query: str, k: int = 3, area: str | None = None, mode: Mode = "hybrid") -> SearchResponse:
        """Return up to `k` items for `query`, each once, best first, or abstain.

        Args:
            query: the practitioner's question.
            k: number of items wanted.
            area: keep only items for this area (items for `all` always match); None keeps all.
            mode: `hybrid` (default), or `dense` / `lexical` alone for the benchmark.

        Returns:
            The hits (score: fused score, cosine or BM25 by mode) and whether the search abstained.
        """
        ranking = self._rank(query, area, mode)
        if not ranking.ordered:
            return SearchResponse(results=[], abstained=True)
        if not self.safety.matches(ranking.query):
            features = self._features(ranking)
            # The model was fitted with out-of-scope topics in the index; without them its topic features
            # mean nothing, so the rule decides.
            if mode == "hybrid" and self.model is not None and self.index.topic_dense.ntotal:
                if self.model.abstains(features):
                    return SearchResponse(results=[], abstained=True, redirect=self._best_topic(ranking.topic_vector))
            else:
                evidence = Evidence(cosine=features.cosine, coverage=features.coverage)
                redirect = self._out_of_scope(ranking.topic_vector, evidence) if mode != "lexical" else None
                if redirect is not None:
                    return SearchResponse(results=[], abstained=True, redirect=redirect)
                if self._abstain(mode, evidence, lexical_hit=bool(ranking.best_lexical[ranking.ordered[0][0]] > 0)):
                    return SearchResponse(results=[], abstained=True)
        chunk_strength = self._chunk_strength(mode, ranking.cosines, ranking.lexical)
        hits = [self._hit(self.item_ids[i], score, chunk_strength) for i, score in ranking.ordered[:k]]
        return SearchResponse(results=hits, abstained=False)

    def features(self, query: str, area: str | None = None) -> AbstentionFeatures | None:
        """The abstention features of a hybrid search (None when nothing is eligible); used to fit the model."""
        found = self.features_and_vector(query, area)
        return found[0] if found is not None else None

    def features_and_vector(self, query: str,
                            area: str | None = None) -> tuple[AbstentionFeatures, np.ndarray | None] | None:
        """The features and the place-free query embedding the scope classifier reads (for fitting it)."""
        ranking = self._rank(query, area, "hybrid")
        return (self._features(ranking), ranking.topic_vector) if ranking.ordered else None

    def _rank(self, query: str, area: str | None, mode: Mode) -> "_Ranking":
        eligible = np.array([self.index.items[i].applies_to(area) for i in self.item_ids], dtype=bool)
        query = self.expander.expand(query)
        terms = self.bm25.query_terms(query)
        topic = without_place_names(query, self.settings.place_names)
        topic_vector = None
        if mode != "lexical":
            # One model call for the query and, when it names a place, the query without it.
            vectors = self.embedder.embed([query, topic] if topic and topic != query else [query])
            cosines = self._cosines(vectors[0])
            best_cosine = self._item_dense(vectors[0], cosines)
            topic_vector = vectors[-1]
        else:
            cosines = np.zeros(len(self.index.chunks), np.float32)
            best_cosine = self._item_best(cosines)
        lexical = self.bm25.scores(terms) if mode != "dense" else np.zeros(len(self.index.chunks), np.float32)
        best_lexical = self._item_best(lexical)
        candidates = [i for i in range(len(self.item_ids)) if eligible[i]]
        dense_ranking = sorted(candidates, key=lambda i: -best_cosine[i])
        lexical_ranking = sorted((i for i in candidates if best_lexical[i] > 0), key=lambda i: -best_lexical[i])
        if mode == "dense":
            ordered = [(i, float(best_cosine[i])) for i in dense_ranking]
        elif mode == "lexical":
            ordered = [(i, float(best_lexical[i])) for i in lexical_ranking]
        else:
            # Score fusion: the item's best cosine plus a share of its BM25 score relative to the best item's.
            top_lexical = float(best_lexical[lexical_ranking[0]]) if lexical_ranking else 0.0
            weight = self.settings.fusion_lexical_weight / top_lexical if top_lexical > 0 else 0.0
            fused = {i: float(best_cosine[i]) + weight * float(max(best_lexical[i], 0.0)) for i in candidates}
            ordered = sorted(fused.items(), key=lambda pair: (-pair[1], -best_cosine[pair[0]]))
        return _Ranking(query=query, topic=topic, terms=terms, topic_vector=topic_vector, cosines=cosines,
                        lexical=lexical, best_cosine=best_cosine, best_lexical=best_lexical, ordered=ordered,
                        dense_ranking=dense_ranking, lexical_ranking=lexical_ranking)

    def _features(self, ranking: "_Ranking") -> AbstentionFeatures:
        top = ranking.ordered[0][0]
        evidence = self._evidence(ranking.query, ranking.topic, ranking.topic_vector, self.item_ids[top],
                                  float(ranking.best_cosine[top]), ranking.terms)
        topic_cosine = self._closest_topic(ranking.topic_vector)[0]
        unique = set(ranking.terms)
        total_idf = sum(self.bm25.idf(term) for term in unique)
        known = sum(self.bm25.idf(term) for term in unique if term in self.bm25.postings)
        dense = ranking.dense_ranking
        dense_margin = (float(ranking.best_cosine[dense[0]] - ranking.best_cosine[dense[1]])
                        if len(dense) > 1 else 0.0)
        lexical_top = ranking.lexical_ranking[0] if ranking.lexical_ranking else None
        return AbstentionFeatures(
            cosine=evidence.cosine, coverage=evidence.coverage, topic_cosine=topic_cosine,
            topic_margin=topic_cosine - evidence.cosine,
            lexical_strength=float(ranking.best_lexical[top]) / total_idf if total_idf else 0.0,
            agreement=float(bool(dense) and lexical_top == dense[0]), dense_margin=dense_margin,
            known_terms=known / total_idf if total_idf else 0.0,
            mentions_child=float(self.child_mention.matches(ranking.query)),
            query_length=math.log1p(len(set(self.bm25.query_terms(ranking.topic)))),
            scope=self.model.scope_logit(ranking.topic_vector) if self.model is not None else 0.0,
        )

    def _best_topic(self, topic_vector: np.ndarray | None) -> Redirect | None:
        """The closest out-of-scope topic when it is similar enough to name as a redirect."""
        cosine, topic_id = self._closest_topic(topic_vector)
        if topic_id is None or cosine < self.abstention.out_of_scope_min_cosine:
            return None
        topic = self.index.topics[topic_id]
        return Redirect(topic_id=topic.id, title=topic.title, text=topic.redirect)

    def _closest_topic(self, topic_vector: np.ndarray | None, weighted: bool = True) -> tuple[float, str | None]:
        """The best cosine of any out-of-scope topic text, and its topic (0.0 and None without topics).

        Phrasings are weighted unless `weighted` is False, as the threshold rules of the benchmark modes were set on
        raw cosines.
        """
        if topic_vector is None or not len(self.topic_vectors):
            return 0.0, None
        scores = self.topic_vectors @ topic_vector
        if weighted:
            scores = scores * self.topic_row_weight
        row = int(np.argmax(scores))
        return float(scores[row]), self.index.topic_of_row[row]

    def _out_of_scope(self, topic_vector: np.ndarray | None, evidence: Evidence) -> Redirect | None:
        """The declared out-of-scope topic that matches the (place-free) question clearly better than the top item.

        None if there is none; a top item that shares most of the question's words is kept.
        """
        if evidence.coverage >= self.abstention.out_of_scope_max_coverage:
            return None
        cosine, topic_id = self._closest_topic(topic_vector, weighted=False)
        if topic_id is None or cosine < self.abstention.out_of_scope_min_cosine:
            return None
        if cosine - evidence.cosine < self.abstention.out_of_scope_margin:
            return None
        topic = self.index.topics[topic_id]
        return Redirect(topic_id=topic.id, title=topic.title, text=topic.redirect)

    def _evidence(self, query: str, topic: str, topic_vector: np.ndarray | None, item_id: str, cosine: float,
                  terms: list[str]) -> Evidence:
        """Evidence that the top item answers the query, measured without place names."""
        rows = self.chunks_of[item_id]
        if topic == query:
            return Evidence(cosine=cosine, coverage=self.bm25.coverage(terms, rows))
        if not topic:
            return Evidence(cosine=0.0, coverage=0.0)
        if topic_vector is not None and self.vectors is not None:
            cosine = float((self.vectors[rows] @ topic_vector).max())
            questions = self.questions_of[item_id]
            if questions:
                cosine = max(cosine, float((self.question_vectors[questions] @ topic_vector).max())
                             * self.settings.question_weight)
        return Evidence(cosine=cosine, coverage=self.bm25.coverage(self.bm25.query_terms(topic), rows))

    def _chunk_strength(self, mode: Mode, cosines: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """Per-chunk fused strength, used to pick each item's snippet."""
        if mode == "dense":
            return cosines
        if mode == "lexical":
            return lexical
        strength = np.zeros(len(cosines), dtype=np.float64)
        for scores in (cosines, lexical):
            ranks = np.empty(len(scores), dtype=np.float64)
            ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
            strength += 1.0 / (self.settings.rrf_k + ranks)
        return strength

    def _hit(self, item_id: str, score: float, chunk_strength: np.ndarray) -> SearchHit:
        item = self.index.items[item_id]
        rows = self.chunks_of[item_id]
        best_row = max(rows, key=lambda row: chunk_strength[row]) if rows else None
        passage = self.index.chunks[best_row].passage if best_row is not None else item.body
        return SearchHit(
            id=item.id, toolkit=item.toolkit, title=item.title,
            snippet=snippet_of(passage, self.settings.snippet_chars), source_title=item.source.title,
            source_url=item.source.url, last_reviewed=item.last_reviewed, review_by=item.review_by,
            verified=item.verified, score=round(score, 6),
        )
