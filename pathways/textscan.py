r"""Low-level text scanning for triage: normalise, tolerate typos, find phrases with negation, age and area.

Typo tolerance: a word of `FUZZY_MIN_WORD` letters or more whose start is one edit (a letter added,
dropped, changed, or two swapped; first letter kept) from a word stem that the patterns declare as a
family (`disclos` in `disclos\w*`, at least `FUZZY_MIN_STEM` letters) is corrected to that stem:
"dissclosed" → "disclosed", "brusing" → "bruising". Whole pattern words are not targets: too many
real English words sit one edit from them (eating/beating, anger/danger). A replacement that maps a
word to itself (`content: content`) marks a real word that must never be corrected; a test checks
18,000 common English words against this.

Immediacy: a signal with `when_now` answers is "now" when the sentence it sits in also holds a
`now_cues` match (tense, time and presence: "right now", "has just", "still in the flat", "not picking
up", "this Saturday") and no `past_cues` match ("last year", "when she was little"). `requires` entries
name signals that must also be present; "a|b" is met by either, and "id@now" by a signal found now.

Negation scope: a cue ("no", "not", "denies", ...) negates a phrase only when it sits a few words
before it in the same clause; clauses end at punctuation and at `clause_breaks` words ("but", "and").
Through a list joined by `negation_list_joiners` ("or", "nor") the scope reaches `negation_list_window`
words: "he isn't going missing or hanging round with older kids" negates both.
"""

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from pathways.model import Signal, TriagePatterns

FUZZY_MIN_STEM = 5
FUZZY_MIN_WORD = 6
_LITERAL_RUN = re.compile(r"(?<![a-z])([a-z]{4,})(#[*+]|\?)?")
_REGEX_ESCAPE = re.compile(r"\\[bBdDsSW]|\\w(?![*+])")
COMMON_SUFFIXES = ("", "s", "es", "e", "ed", "d", "ing", "ion", "ions", "ation", "ations", "al", "ally", "ly", "er",
                   "ers", "ive", "ure", "ures", "ity", "ies", "y", "ment", "ments", "ful", "ous", "ise", "ised", "ize")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class SignalHit:
    """A signal found in the text: the phrase that matched and whether it was negated."""

    signal: Signal
    phrase: str
    negated: bool
    now: bool = False


@dataclass(frozen=True)
class _Lexicon:
    """Pattern words (never corrected), word stems (targets, indexed by deletion key), known real words."""

    words: frozenset[str]
    stems: frozenset[str]
    stem_lengths: tuple[int, ...]
    known: frozenset[str]
    stem_keys: dict[str, tuple[str, ...]]


def normalise(text: str, patterns: TriagePatterns) -> str:
    """Lower-case, drop quote marks, split hyphenated words, expand abbreviations, then fix typos."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\"\u201c\u201d]|(?<![a-z])'|'(?![a-z])", " ", text)
    text = re.sub(r"(?<=\w)[-\u2013](?=\w)", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    expand, table = _replacement_regex(tuple(patterns.replacements.items()))
    text = expand.sub(lambda m: table[m.group(0)], text)
    return correct_typos(text, patterns)


@lru_cache(maxsize=8)
def _replacement_regex(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {short: full for short, full in items if short != full}
    words = sorted(table, key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"(?<![\w/])(?:{alternation})(?![\w/])"), table


def correct_typos(text: str, patterns: TriagePatterns) -> str:
    """Correct each unknown word of `FUZZY_MIN_WORD`+ letters that starts one edit from a pattern stem."""
    lexicon = _lexicon(_pattern_texts(patterns), tuple(patterns.replacements.items()))
    return _WORD.sub(lambda m: _correct_word(m.group(0), lexicon), text)


def _pattern_texts(patterns: TriagePatterns) -> tuple[str, ...]:
    return tuple(p for s in patterns.signals for p in s.patterns)


def _correct_word(word: str, lexicon: _Lexicon) -> str:
    if len(word) < FUZZY_MIN_WORD or word in lexicon.words or word in lexicon.known:
        return word
    if any(word[:n] in lexicon.stems for n in lexicon.stem_lengths if n <= len(word)):
        return word
    candidates = []
    for n in lexicon.stem_lengths:
        for cut in (n, n - 1, n + 1):
            if cut > len(word):
                continue
            prefix = word[:cut]
            for key in _deletions(prefix):
                for stem in lexicon.stem_keys.get(key, ()):
                    if len(stem) == n and stem[0] == word[0] and _one_edit(prefix, stem):
                        candidates.append(stem + word[cut:])
    # Of several readings ("brusing": bruis+ing or bruis+ng), prefer one ending in a common suffix.
    plain = [c for c in candidates if any(c.endswith(x) and c[:len(c) - len(x)] in lexicon.stems
                                          for x in COMMON_SUFFIXES)]
    return (plain or candidates or [word])[0]


@lru_cache(maxsize=8)
def _lexicon(pattern_texts: tuple[str, ...], replacements: tuple[tuple[str, str], ...]) -> _Lexicon:
    words: set[str] = set()
    stems: set[str] = set()
    for pattern in pattern_texts:
        for match in _LITERAL_RUN.finditer(_REGEX_ESCAPE.sub(" ", pattern).replace("\\w", "#")):
            run, suffix = match.group(1), match.group(2)
            if suffix and suffix.startswith("#"):
                stems.add(run)
            else:
                words.add(run)
                if suffix == "?":
                    words.add(run[:-1])
    words |= {w for _, full in replacements for w in _WORD.findall(full)}
    known = frozenset(short for short, full in replacements if short == full)
    fuzzy_stems = {s for s in stems if len(s) >= FUZZY_MIN_STEM}
    return _Lexicon(
        words=frozenset(words),
        stems=frozenset(stems),
        stem_lengths=tuple(sorted({len(s) for s in stems})),
        known=known,
        stem_keys=_deletion_index(fuzzy_stems),
    )


def _deletion_index(words: set[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in sorted(words):
        for key in _deletions(word):
            index.setdefault(key, []).append(word)
    return {key: tuple(found) for key, found in index.items()}


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1:]


@lru_cache(maxsize=4096)
def _word_regex(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/]){re.escape(word)}(?![\w/])")


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Clauses:
    """Clause boundaries of one text, computed once, for negation scope."""

    def __init__(self, text: str, patterns: TriagePatterns) -> None:
        self.text = text
        self.patterns = patterns
        self.starts = [0] + [m.end() for m in _clause_splitter(patterns.clause_breaks).finditer(text)]
        self.cues = tuple(f" {cue} " for cue in patterns.negation_cues)
        self.plain_cues = tuple(f" {cue} " for cue in patterns.negation_cues if cue not in patterns.denial_cues)

    def negated_before(self, start: int, cues: tuple[str, ...] | None = None, floor: int = 0) -> bool:
        """True when a negation cue sits within the window before `start`, in the same clause."""
        clause_start = max(floor, self.starts[bisect.bisect_right(self.starts, start) - 1])
        before = self.text[clause_start:start].split()
        cues = cues or self.cues
        window = " " + " ".join(before[-self.patterns.negation_window:]) + " "
        if any(cue in window for cue in cues):
            return True
        return self._negated_through_a_list(before[-self.patterns.negation_list_window:], cues)

    def _negated_through_a_list(self, words: list[str], cues: tuple[str, ...]) -> bool:
        """A cue further back still negates when an "or" list joins it to the phrase ("not X or Y")."""
        joiners = self.patterns.negation_list_joiners
        last_joiner = max((i for i, word in enumerate(words) if word in joiners), default=-1)
        if last_joiner < 0:
            return False
        head = " " + " ".join(words[:last_joiner]) + " "
        return any(cue in head for cue in cues)

    def last_word_negated(self, match: re.Match[str]) -> bool:
        """For phrases spanning several words ("baby ... no bruising"), the last keyword may be negated."""
        words = list(re.finditer(r"\w+", match.group(0)))
        if len(words) < 3:
            return False
        return self.negated_before(match.start() + words[-1].start(), self.plain_cues,
                                   floor=match.start() + words[0].end())


def find_signals(text: str, patterns: TriagePatterns) -> list[SignalHit]:
    """Every signal whose pattern matches; a signal counts once, non-negated matches first."""
    clauses = _Clauses(text, patterns)
    hits: list[SignalHit] = []
    for signal in patterns.signals:
        negated_hit: SignalHit | None = None
        found: SignalHit | None = None
        for pattern in signal.patterns:
            for match in _compiled(pattern).finditer(text):
                negated = signal.negatable and (
                    clauses.negated_before(match.start()) or clauses.last_word_negated(match))
                hit = SignalHit(signal, match.group(0).strip(), negated)
                if not negated:
                    found = hit
                    break
                negated_hit = negated_hit or hit
            if found:
                break
        if found and signal.when_now:
            now_match = _first_now_match(text, signal, patterns, clauses)
            if now_match is not None:
                found = SignalHit(signal, now_match.group(0).strip(), False, now=True)
        if found or negated_hit:
            hits.append(found or negated_hit)  # type: ignore[arg-type]
    present = {h.signal.id for h in hits if not h.negated} | {f"{h.signal.id}@now" for h in hits if h.now}
    return [h for h in hits if all(any(alt in present for alt in r.split("|")) for r in h.signal.requires)]


def _first_now_match(text: str, signal: Signal, patterns: TriagePatterns, clauses: "_Clauses") -> re.Match[str] | None:
    """The first non-negated match of the signal whose sentence says it is happening now or imminent."""
    for pattern in signal.patterns:
        for match in _compiled(pattern).finditer(text):
            negated = signal.negatable and (clauses.negated_before(match.start()) or clauses.last_word_negated(match))
            if not negated and sentence_is_now(text, match.start(), match.end(), patterns):
                return match
    return None


_SENTENCE_END = re.compile(r"[.;!?\n]")


def sentence_is_now(text: str, start: int, end: int, patterns: TriagePatterns) -> bool:
    """True when the sentence holding text[start:end] has a now cue and no past cue."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    sentence = text[before[-1] if before else 0:after.start() if after else len(text)]
    return (any(_compiled(p).search(sentence) for p in patterns.now_cues)
            and not any(_compiled(p).search(sentence) for p in patterns.past_cues))


def is_negated(text: str, start: int, patterns: TriagePatterns) -> bool:
    """True when a negation cue sits within a few words before `start`, in the same clause."""
    return _Clauses(text, patterns).negated_before(start)


@lru_cache(maxsize=8)
def _clause_splitter(breaks: tuple[str, ...]) -> re.Pattern[str]:
    words = [re.escape(b) for b in breaks if b.replace(" ", "").isalpha()]
    marks = "".join(re.escape(b) for b in breaks if b and not b.replace(" ", "").isalpha())
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
    for m in _compiled(rf"\b({words}) ?years? ?old\b").finditer(text):
        found.append((m.start(), patterns.number_words[m.group(1)]))
    for m in _compiled(patterns.school_year_pattern).finditer(text):
        year = int(m.group(1))
        if 1 <= year <= 13:
            found.append((m.start(), year + patterns.school_year_offset))
    ages = [age for _, age in sorted(found) if 0 <= age <= 17]
    return ages[0] if ages else None


def extract_area(text: str, patterns: TriagePatterns) -> str | None:
    """The area of the first place named in the text, if any."""
    regex, owner = _places_regex(tuple((a, tuple(p)) for a, p in patterns.area_places.items()))
    match = regex.search(text)
    return owner[match.group(0)] if match else None


@lru_cache(maxsize=8)
def _places_regex(places: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    owner = {place: area for area, names in places for place in names}
    alternation = "|".join(re.escape(p) for p in sorted(owner, key=len, reverse=True))
    return re.compile(rf"(?<![\w/])(?:{alternation})(?![\w/])"), owner
