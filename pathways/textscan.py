"""Low-level text scanning for triage: normalise, find phrases with negation, extract age and area."""

import re
from dataclasses import dataclass
from functools import lru_cache

from pathways.model import Signal, TriagePatterns


@dataclass(frozen=True)
class SignalHit:
    """A signal found in the text: the phrase that matched and whether it was negated."""

    signal: Signal
    phrase: str
    negated: bool


def normalise(text: str, patterns: TriagePatterns) -> str:
    """Lower-case, turn hyphens and slashes between words into spaces, expand abbreviations and typos."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\w)[-\u2013](?=\w)", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    for short, full in patterns.replacements.items():
        text = _word_regex(short).sub(full, text)
    return text


@lru_cache(maxsize=512)
def _word_regex(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/]){re.escape(word)}(?![\w/])")


@lru_cache(maxsize=2048)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def find_signals(text: str, patterns: TriagePatterns) -> list[SignalHit]:
    """Every signal whose pattern matches; a signal counts once, non-negated matches first."""
    hits: list[SignalHit] = []
    for signal in patterns.signals:
        negated_hit: SignalHit | None = None
        found: SignalHit | None = None
        for pattern in signal.patterns:
            for match in _compiled(pattern).finditer(text):
                negated = signal.negatable and (
                    is_negated(text, match.start(), patterns) or _last_word_negated(text, match, patterns))
                hit = SignalHit(signal, match.group(0).strip(), negated)
                if not negated:
                    found = hit
                    break
                negated_hit = negated_hit or hit
            if found:
                break
        if found or negated_hit:
            hits.append(found or negated_hit)  # type: ignore[arg-type]
    present = {h.signal.id for h in hits if not h.negated}
    return [h for h in hits if all(r in present for r in h.signal.requires)]


def is_negated(text: str, start: int, patterns: TriagePatterns) -> bool:
    """True when a negation cue sits within a few words before `start`, in the same clause."""
    clause = _clause_splitter(patterns.clause_breaks).split(text[:start])[-1]
    words = clause.split()[-patterns.negation_window:]
    window = " " + " ".join(words) + " "
    return any(f" {cue} " in window for cue in patterns.negation_cues)


def _last_word_negated(text: str, match: re.Match[str], patterns: TriagePatterns) -> bool:
    """For phrases spanning several words ("baby ... no bruising or marks"), the last keyword may be negated."""
    words = list(re.finditer(r"\w+", match.group(0)))
    if len(words) < 3:
        return False
    inner = text[match.start() + words[0].end():match.start() + words[-1].start()]
    clause = _clause_splitter(patterns.clause_breaks).split(inner)[-1]
    window = " " + " ".join(clause.split()[-patterns.negation_window:]) + " "
    return any(f" {cue} " in window for cue in patterns.negation_cues if cue not in patterns.denial_cues)


@lru_cache(maxsize=8)
def _clause_splitter(breaks: tuple[str, ...]) -> re.Pattern[str]:
    words = [re.escape(b) for b in breaks if b.isalpha()]
    marks = "".join(re.escape(b) for b in breaks if b and not b.isalpha())
    return re.compile(rf"[{marks}\n]|\b(?:{'|'.join(words) or '(?!)'})\b")


def extract_age(text: str, patterns: TriagePatterns) -> int | None:
    """The first age mentioned (years; 0 for babies in weeks or months; school year + offset)."""
    found: list[tuple[int, int]] = []
    for pattern in patterns.age_in_months_patterns:
        found += [(m.start(), 0) for m in _compiled(pattern).finditer(text)]
    for pattern in patterns.age_patterns:
        for m in _compiled(pattern).finditer(text):
            found.append((m.start(), int(m.group(1))))
    words = "|".join(patterns.number_words)
    for m in re.finditer(rf"\b({words}) ?years? ?old\b", text):
        found.append((m.start(), patterns.number_words[m.group(1)]))
    for m in _compiled(patterns.school_year_pattern).finditer(text):
        year = int(m.group(1))
        if 1 <= year <= 13:
            found.append((m.start(), year + patterns.school_year_offset))
    ages = [age for _, age in sorted(found) if 0 <= age <= 17]
    return ages[0] if ages else None


def extract_area(text: str, patterns: TriagePatterns) -> str | None:
    """The area of the first place named in the text, if any."""
    best: tuple[int, str] | None = None
    for area, places in patterns.area_places.items():
        for place in places:
            m = _word_regex(place).search(text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), area)
    return best[1] if best else None
