"""Lexical retrieval: light tokenisation and stemming, typo correction against the vocabulary, BM25."""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing for from had has have having he her
    hers him his how i if in into is it its just me my of on or our ours she should so than that the their them
    then there these they this those to too very was we were what when where which while who whom why will with
    would you your yours i'm it's im about am any""".split()
    # Contractions as typed without the apostrophe: common words that carry no topic.
    + """hes shes theyre theyve youre youve weve ive dont doesnt didnt isnt arent wasnt werent whats thats whos
    theres""".split()
)
# Longest suffix first, each with the shortest stem it may leave. A light, consistent stemmer: it need not
# produce words, only map the forms of a word to one key (`neglected`, `neglecting` -> `neglect`).
SUFFIXES = (("ational", 4), ("ations", 4), ("ancies", 5), ("ation", 4), ("ancy", 5), ("ures", 4), ("ure", 4),
            ("ingly", 4), ("nesses", 4), ("ness", 4), ("ments", 4), ("ment", 4), ("ings", 4), ("ing", 4), ("edly", 4),
            ("ants", 5), ("ant", 5), ("ies", 3), ("ied", 3), ("ers", 5), ("er", 5), ("ed", 4), ("ly", 5), ("s", 3))
IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "person", "told": "tell"}


def stem(word: str) -> str:
    """Strip one common English suffix, then a final `e` (`forced`, `force` -> `forc`)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.isdigit() or len(word) <= 3:
        return word
    base = word
    for suffix, shortest in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            base = word[: -len(suffix)]
            if suffix in {"ies", "ied"}:
                base += "y"
            elif suffix == "s" and (word.endswith("ss") or word.endswith("us") or word.endswith("is")):
                base = word
            elif suffix == "s" and (word.endswith(("ses", "xes", "zes", "ches", "shes"))):
                base = word[:-2]
            elif suffix in {"ing", "ed", "er", "ers"} and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            break
    if len(base) > 4 and base.endswith("e"):
        base = base[:-1]
    return base


def words(text: str) -> list[str]:
    """Lowercase, split on anything but letters and digits (apostrophes dropped), drop stop words."""
    plain = text.lower().replace("'", "").replace("\u2019", "")
    return [word for word in WORD.findall(plain) if word not in STOP_WORDS]


def tokenize(text: str) -> list[str]:
    """Lowercase, split on anything but letters and digits, drop stop words, stem."""
    return [stem(word) for word in words(text)]


@dataclass(frozen=True)
class SpellingRule:
    """How far a query word may be from a guidance word and still be corrected to it."""

    min_length: int = 4
    max_edits_short: int = 1
    long_word: int = 8
    max_edits_long: int = 2

    def max_edits(self, word: str) -> int:
        """Return the edits allowed for `word` (0: leave it alone)."""
        if len(word) < self.min_length:
            return 0
        return self.max_edits_long if len(word) >= self.long_word else self.max_edits_short


def edit_distance(left: str, right: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one edit), capped at `limit + 1`."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i in range(1, len(left) + 1):
        current = [i] + [0] * len(right)
        for j in range(1, len(right) + 1):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Bm25Index:
    """Okapi BM25 over pre-tokenised documents (chunks)."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75,
                 spelling: SpellingRule | None = None, known_words: frozenset[str] = frozenset()) -> None:
        """Index the documents.

        `known_words` are correctly spelt words (lowercase) that a query may use; they are never "corrected" to a
        guidance word (`stuff` is not a typo for `staff`, nor `country` for `county`).
        """
        self.k1, self.b = k1, b
        self.spelling = spelling or SpellingRule()
        self.known_words = known_words
        self.size = len(documents)
        self.lengths = np.array([len(doc) for doc in documents], dtype=np.float32)
        self.mean_length = float(self.lengths.mean()) if self.size and self.lengths.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                postings[term].append((doc_id, count))
        self.postings = {
            term: (np.array([d for d, _ in pairs]), np.array([c for _, c in pairs], dtype=np.float32))
            for term, pairs in postings.items()
        }
        self.doc_terms = [frozenset(doc) for doc in documents]
        self.by_first_letter: dict[str, list[str]] = defaultdict(list)
        for term in sorted(self.postings):
            self.by_first_letter[term[0]].append(term)

    def idf(self, term: str) -> float:
        """BM25 inverse document frequency; a term in no document gets the highest value."""
        frequency = len(self.postings[term][0]) if term in self.postings else 0
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def correct(self, term: str) -> str:
        """Return `term` if the index knows it, else the closest known term within the allowed
        edits (ties: the more common term), else `term` unchanged.
        """
        limit = self.spelling.max_edits(term)
        if term in self.postings or limit == 0:
            return term
        best, best_key = term, (limit + 1, 0)
        for candidate in self.by_first_letter.get(term[0], ()):
            if candidate[:2] != term[:2]:
                continue
            distance = edit_distance(term, candidate, limit)
            key = (distance, -len(self.postings[candidate][0]))
            if distance <= limit and key < best_key:
                best, best_key = candidate, key
        return best

    def query_terms(self, text: str) -> list[str]:
        """Tokenise a query and correct each word that is not a known word to the vocabulary."""
        return [stem(word) if word in self.known_words else self.correct(stem(word)) for word in words(text)]

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Return the BM25 score of every document for the query terms."""
        result = np.zeros(self.size, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.mean_length)
        for term, repeats in Counter(terms).items():
            if term not in self.postings:
                continue
            doc_ids, counts = self.postings[term]
            weight = self.idf(term) * repeats
            result[doc_ids] += weight * counts * (self.k1 + 1) / (counts + norm[doc_ids])
        return result

    def coverage(self, terms: Sequence[str], doc_ids: Sequence[int]) -> float:
        """IDF-weighted share of the query terms found in the union of the given documents.

        A query whose words the guidance does not use scores near 0; one whose rare words all
        appear in the documents scores near 1.
        """
        unique = set(terms)
        if not unique:
            return 0.0
        present: set[str] = set().union(*(self.doc_terms[d] for d in doc_ids)) if doc_ids else set()
        total = sum(self.idf(term) for term in unique)
        found = sum(self.idf(term) for term in unique if term in present)
        return found / total if total else 0.0
