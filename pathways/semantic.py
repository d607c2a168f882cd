"""Semantic recall for free-text triage: clauses compared with exemplar statements of each red flag.

    matcher = SemanticMatcher(encoder, model.exemplars)   # embeds the exemplars once
    hits = matcher.match(["mum's partner gave him a right hiding"])

The phrase patterns miss idioms they were not written for ("a good hiding"). This layer embeds each
clause of the description and compares it with many exemplar statements per cue
(`pathways/model/triage_exemplars.yml`). A clause whose mean similarity to its `top_k` nearest
exemplars of a cue reaches `possible_at`, and beats its similarity to the `lower_need` statements
(no concern, advice only, early-help needs; same top-k mean) by `margin`, gives the cue's `possible`
answers; at `detected_at` and `detected_margin` its `detected` answers. Cues only carry worrying
answers (checked at load), so the layer can raise a route or turn `unclear` into a MASH contact,
never lower one.

The encoder is injected (any object with `embed(texts) -> normalised rows`), so `pathways` needs no
torch: the services pass the guidance embedder (all-MiniLM-L6-v2), tests pass a fake.
"""

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from pathways.exemplars import SemanticCue, TriageExemplars

logger = logging.getLogger(__name__)

MIN_CLAUSE_WORDS = 3
MAX_CLAUSES = 16
_SENTENCE_END = re.compile(r"[.;!?\n]+")
_WORDS = re.compile(r"[a-z']+")
_CLAUSE_BREAK = re.compile(r",|\bbut\b|\bhowever\b|\balthough\b|\bwhereas\b")


class SentenceEncoder(Protocol):
    """What the semantic layer needs from a sentence-embedding model."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


@dataclass(frozen=True)
class SemanticHit:
    """A clause close to a cue's exemplars: how close, and the nearest exemplar (for the reason)."""

    cue: SemanticCue
    clause: str
    score: float
    strength: Literal["possible", "detected"]
    nearest: str
    negated: bool = False

    @property
    def answers(self) -> dict[str, str]:
        """The answers this hit implies."""
        return self.cue.detected if self.strength == "detected" else self.cue.possible


def split_clauses(text: str) -> list[str]:
    """Sentences, and the comma or "but" clauses of longer sentences, each of a few words at least."""
    clauses: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip(" ,")
        if len(sentence.split()) >= MIN_CLAUSE_WORDS:
            clauses.append(sentence)
        parts = [p.strip() for p in _CLAUSE_BREAK.split(sentence)]
        if len(parts) > 1:
            clauses += [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS]
    return list(dict.fromkeys(clauses))[:MAX_CLAUSES]


class SemanticMatcher:
    """Exemplar embeddings held once per process; `match` embeds only the description's clauses."""

    def __init__(self, encoder: SentenceEncoder, exemplars: TriageExemplars) -> None:
        self.encoder = encoder
        self.exemplars = exemplars
        texts = [e for cue in exemplars.cues for e in cue.exemplars]
        vectors = encoder.embed([*texts, *exemplars.lower_need])
        self._cue_vectors: list[np.ndarray] = []
        start = 0
        for cue in exemplars.cues:
            self._cue_vectors.append(vectors[start:start + len(cue.exemplars)])
            start += len(cue.exemplars)
        self._lower_need = vectors[start:]

    def scores(self, clauses: Sequence[str],
               vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per clause: each cue's score (mean of its top_k similarities), nearest exemplar index, lower_need.

        `vectors` are the clauses' embeddings when the caller has them already.

        Returns:
            (clauses × cues scores, clauses × cues index of the nearest exemplar, lower-need score per clause).
        """
        vectors = self.encoder.embed(list(clauses)) if vectors is None else vectors
        k = self.exemplars.top_k
        cue_scores = np.zeros((len(clauses), len(self._cue_vectors)), dtype=np.float32)
        nearest = np.zeros(cue_scores.shape, dtype=np.int64)
        for j, cue_vectors in enumerate(self._cue_vectors):
            sims = vectors @ cue_vectors.T
            cue_scores[:, j] = _top_k_mean(sims, k)
            nearest[:, j] = sims.argmax(axis=1)
        lower_need = _top_k_mean(vectors @ self._lower_need.T, k)
        return cue_scores, nearest, lower_need

    def match(self, clauses: Sequence[str], vectors: np.ndarray | None = None) -> list[SemanticHit]:
        """The strongest qualifying clause for each cue, if any (cue order kept).

        A clause that rules something out ("his dad has never hit him", an `exemplars.negation_cues` match):
        the sentence model reads the hurt and not the "never", so such a clause gives only a "possible" hit,
        marked `negated`, and only when no plain clause qualifies for the cue.
        """
        if not clauses:
            return []
        cue_scores, nearest, lower_need = self.scores(clauses, vectors)
        is_negated = np.array([self.rules_out(clause) for clause in clauses], dtype=bool)
        settings = self.exemplars
        hits = []
        for j, cue in enumerate(settings.cues):
            ok = (cue_scores[:, j] >= settings.possible_at) & (cue_scores[:, j] - lower_need >= settings.margin)
            if not ok.any():
                continue
            if (ok & ~is_negated).any():
                ok &= ~is_negated
            row = int(np.where(ok, cue_scores[:, j], -1.0).argmax())
            score = float(cue_scores[row, j])
            strong = (score >= settings.detected_at and score - float(lower_need[row]) >= settings.detected_margin
                      and not is_negated[row])
            strength: Literal["possible", "detected"] = "detected" if strong else "possible"
            hits.append(SemanticHit(cue, clauses[row], round(score, 3), strength,
                                    cue.exemplars[int(nearest[row, j])], bool(is_negated[row])))
        return hits

    def rules_out(self, clause: str) -> bool:
        """True when the clause holds one of the exemplars' negation cues (whole words, any case)."""
        padded = " " + " ".join(_WORDS.findall(clause.lower())) + " "
        return any(f" {cue} " in padded for cue in self.exemplars.negation_cues)


def _top_k_mean(sims: np.ndarray, k: int) -> np.ndarray:
    """Per row, the mean of the k largest values (fewer when there are fewer columns)."""
    return np.sort(sims, axis=1)[:, -min(k, sims.shape[1]):].mean(axis=1)


def matcher_or_none(load_encoder: Callable[[], SentenceEncoder | None],
                    exemplars: TriageExemplars) -> SemanticMatcher | None:
    """The semantic layer on a service's own embedder, or None when there is none or it cannot be loaded.

    None leaves triage on the phrase patterns alone, which stay authoritative: triage is never down for want of it.
    """
    try:
        encoder = load_encoder()
        return SemanticMatcher(encoder, exemplars) if encoder is not None else None
    except Exception as error:  # noqa: BLE001 - any failure leaves triage on the patterns
        logger.error("semantic triage layer unavailable, using phrase patterns alone: %s", type(error).__name__)
        return None
