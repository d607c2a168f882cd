"""Triage a practitioner's free-text description: concerns, red flags, answers inferred, provisional route.

    result = triage_text(model, "7 year old said daddy hit him with a belt", area=None)

Phrase patterns from `pathways/model/triage_patterns.yml`, negation-aware, are authoritative. With a
`SemanticMatcher` (pathways.semantic), clauses that read like a red flag the patterns missed add
worrying answers too ("possible" → a MASH contact and the question asked; "detected" when close);
they never lower a route. Red flags only ever push the route up; when the text says nothing about a
red flag, the route stays `unclear` and the questions say what to ask. Inferred answers are passed
to `assess_case`, so the conversation can skip what the practitioner has already said.
"""

import functools
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pathways.decision import Decision
from pathways.engine import assess_case
from pathways.errors import AssessmentError, ContradictoryAnswers
from pathways.model import Question, Route, ThresholdModel
from pathways.route_reader import FeaturePart, outweighs_possible_red_flags, read_answers, reader_features
from pathways.semantic import SemanticHit, SemanticMatcher, split_clauses
from pathways.textscan import SignalHit, extract_age, extract_area, find_signals, normalise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TriageResult:
    """What the text told us, and the provisional decision built from it."""

    route: Route
    level: int | None
    concerns: tuple[str, ...]
    red_flags: tuple[str, ...]
    reasons: tuple[str, ...]
    answers: dict[str, str]
    questions: tuple[Question, ...]
    guidance_ids: tuple[str, ...]
    age: int | None
    area: str | None
    decision: Decision


def triage_text(model: ThresholdModel, text: str, area: str | None,
                matcher: SemanticMatcher | None = None) -> TriageResult:
    """Read a description and recommend a provisional route.

    Args:
        model: the loaded threshold model.
        text: the practitioner's description, in their own words.
        area: the area if known; otherwise taken from place names in the text, if any.
        matcher: the semantic recall layer, or None for phrase patterns alone (deterministic, no model).

    Returns:
        The triage result: route, concerns, red flags, reasons, inferred answers, the questions
        still needed (next first), guidance ids, and the full decision.

    Raises:
        AssessmentError: empty or oversized text (`text`) or an unknown area (`area`).
    """
    patterns = model.triage
    if not isinstance(text, str) or not text.strip():
        raise AssessmentError("text", "is empty; describe what worries you")
    if len(text) > patterns.max_text_chars:
        raise AssessmentError("text", f"is too long ({len(text)} characters; at most {patterns.max_text_chars})")
    if area is not None and area not in model.areas:
        raise AssessmentError("area", f"unknown area; use one of {sorted(model.areas)}")
    clean = normalise(text, patterns)
    age = extract_age(clean, patterns)
    area = area or extract_area(clean, patterns)
    hits = find_signals(clean, patterns)
    answers, reasons, concerns = _answers_from_hits(model, hits)
    answers.update(_number_answers(model, clean, answers, reasons, concerns))
    text_vector: np.ndarray | None = None
    semantic_hits: list[SemanticHit] = []
    only_possible: dict[str, str] | None = None  # the answers before the exemplars, if all they added was "possible"
    only_negated = False  # ... and every one of those "possible" hits came from a clause holding a negation
    if matcher is not None:
        clauses = split_clauses(clean)
        if model.route_reader is None:
            clause_vectors = matcher.encoder.embed(clauses) if clauses else None
        else:
            clause_vectors, text_vector = _embed_description(matcher, text, clauses, model.route_reader.features)
        before_exemplars = dict(answers)
        semantic_hits = matcher.match(clauses, clause_vectors)
        raised_by = _add_semantic_answers(model, semantic_hits, answers, reasons, concerns)
        if raised_by and raised_by <= {"possible", "negated"}:
            only_possible = before_exemplars
            only_negated = raised_by == {"negated"}
    main = _main_concern(model, concerns)
    if main and "main_concern" not in answers:
        answers["main_concern"] = main
    decision = _assess_dropping_contradictions(model, area, age, answers, reasons)
    read_as_no: tuple[str, ...] = ()
    if text_vector is not None and model.route_reader is not None:
        decision, read_as_no = _add_reader_answers(model, text_vector, area, age, answers, reasons, decision,
                                                   only_possible, only_negated,
                                                   _red_flags_ruled_out(model, hits, semantic_hits))
    red_flags = tuple(rule.id for rule in decision.fired if rule.id in model.gates)
    answers, questions = _ask_the_practitioner_to_confirm(model, answers, decision.questions, read_as_no)
    return TriageResult(
        route=decision.route,
        level=decision.level,
        concerns=tuple(sorted(concerns | set(decision.concerns))),
        red_flags=red_flags,
        reasons=tuple(dict.fromkeys([*reasons, *decision.reasons])),
        answers=answers,
        questions=questions,
        guidance_ids=decision.guidance_ids,
        age=age,
        area=area,
        decision=decision,
    )


def reader_vector(model: ThresholdModel, matcher: SemanticMatcher, text: str,
                  features: Sequence[FeaturePart]) -> np.ndarray:
    """The route reader's input for a description, exactly as `triage_text` computes it (for the fit)."""
    return _embed_description(matcher, text, split_clauses(normalise(text, model.triage)), features)[1]


def _embed_description(matcher: SemanticMatcher, text: str, clauses: list[str],
                       features: Sequence[FeaturePart]) -> tuple[np.ndarray, np.ndarray]:
    """The clauses' embeddings and the reader's features, from one call to the encoder."""
    vectors = matcher.encoder.embed([text.strip(), *clauses])
    return vectors[1:], reader_features(vectors[0], vectors[1:], features)


# Questions whose "not sure" read from the text must still be put to the practitioner: the text may raise
# the provisional route (a possible danger goes up), but only the practitioner can say whether the child is
# in danger right now — and a "yes" means 999, which no reading of the text should stand in for.
CONFIRM_WITH_THE_PRACTITIONER = ("immediate_danger",)
# The questions that screen for red flags: when only the route reader read them as "no", they are asked first.
RED_FLAG_SCREENS = ("immediate_danger", "harm_screen")
STATUTORY_ROUTES = ("mash", "emergency")


def _ask_the_practitioner_to_confirm(model: ThresholdModel, answers: dict[str, str], questions: tuple[Question, ...],
                                     read_as_no: tuple[str, ...] = ()) -> tuple[dict[str, str], tuple[Question, ...]]:
    """Leave a text-inferred "unsure" on these questions, and red flags only read as ruled out, to ask first."""
    unsure = [qid for qid in CONFIRM_WITH_THE_PRACTITIONER if answers.get(qid) == "unsure"]
    unsure += [qid for qid in read_as_no if qid not in unsure]
    if not unsure:
        return answers, questions
    ask_first = tuple(question for qid in unsure if (question := model.question(qid)) is not None)
    kept = {qid: value for qid, value in answers.items() if qid not in unsure}
    return kept, (*ask_first, *(q for q in questions if q.id not in unsure))


def _answers_from_hits(model: ThresholdModel, hits: list[SignalHit]) -> tuple[dict[str, str], list[str], set[str]]:
    answers: dict[str, str] = {}
    reasons: list[str] = []
    concerns: set[str] = set()
    for hit in hits:
        implied = hit.signal.when_negated if hit.negated else hit.signal.answers
        if hit.negated and not implied:
            continue
        if not hit.negated:
            concerns.update(hit.signal.concerns)
        for qid, value in implied.items():
            _keep_most_worrying(model, answers, qid, value)
        prefix = "not " if hit.negated else ""
        reasons.append(f'"{hit.phrase}": {prefix}{hit.signal.reason}')
        if hit.now:
            for qid, value in hit.signal.when_now.items():
                _keep_most_worrying(model, answers, qid, value)
            reasons.append(f'"{hit.phrase}": {hit.signal.reason}, and the text says it is happening now or very soon')
    return answers, reasons, concerns


def _add_semantic_answers(model: ThresholdModel, hits: list[SemanticHit], answers: dict[str, str],
                          reasons: list[str], concerns: set[str]) -> set[str]:
    """Semantic hits only add answers that are more worrying than what the patterns found.

    Returns the strengths of the hits that changed an answer: "detected", "possible", or "negated" for a
    possible hit from a clause holding a negation.
    """
    raised_by: set[str] = set()
    for hit in hits:
        before = dict(answers)
        for qid, value in hit.answers.items():
            _keep_most_worrying(model, answers, qid, value)
        if answers != before:
            raised_by.add("negated" if hit.negated and hit.strength == "possible" else hit.strength)
            concerns.update(hit.cue.concerns)
            wording = "reads like" if hit.strength == "detected" else "may be"
            reasons.append(f'"{hit.clause}" {wording} a red flag: {hit.cue.reason} (close to "{hit.nearest}")')
    return raised_by


def _add_reader_answers(model: ThresholdModel, vector: np.ndarray, area: str | None,
                        age: int | None, answers: dict[str, str], reasons: list[str],
                        decision: Decision, only_possible: dict[str, str] | None = None,
                        only_negated: bool = False,
                        ruled_out_in_text: tuple[str, ...] = ()) -> tuple[Decision, tuple[str, ...]]:
    """The route reader's answers: raised ones only if more worrying, filled ones only where nothing was said.

    `only_possible` holds the answers from before the exemplars when everything they added was a "possible"
    hit (`only_negated`: all from clauses holding a negation); if the reader outweighs those, they are set aside
    and the red-flag questions asked instead. `ruled_out_in_text`: the practitioner's phrases that rule a red
    flag out, which let the reader rule out at a higher statutory probability (`said_rule_out_max_statutory`).
    Returns the decision and the red-flag questions to put to the practitioner first.
    """
    reader = model.route_reader
    if reader is None:
        return decision, ()
    if len(vector) != reader.dimension:
        _warn_reader_does_not_fit(reader.dimension, len(vector))
        return decision, ()
    probabilities = reader.probabilities(vector)
    set_aside: tuple[str, ...] = ()
    if (only_possible is not None and decision.route in STATUTORY_ROUTES
            and outweighs_possible_red_flags(reader, probabilities, only_negated)):
        kept = {**only_possible, **{k: v for k, v in answers.items() if k == "main_concern"}}
        kept_reasons: list[str] = []
        without = _assess_dropping_contradictions(model, area, age, kept, kept_reasons)
        if without.route not in STATUTORY_ROUTES:
            set_aside = tuple(qid for qid in RED_FLAG_SCREENS if qid not in only_possible)
            answers.clear()
            answers.update(kept)
            statutory = probabilities["emergency"] + probabilities["mash"]
            reasons.extend(kept_reasons)
            reasons.append(f"The description as a whole reads like a lower-need concern (only "
                           f"{math.floor(statutory * 100)}% like the MASH and emergency descriptions the reader "
                           "learned from), so the possible red flags above are put to you as questions rather than "
                           "assumed: please answer them first.")
            decision = without
    reading = read_answers(reader, probabilities, decision.route, tuple(answers), ruled_out_in_text)
    before = dict(answers)
    for qid, value in reading.raise_answers.items():
        _keep_most_worrying(model, answers, qid, value)
        if answers.get(qid) != before.get(qid):
            reasons.append(reading.reasons[qid])
    for qid, value in reading.fill_answers.items():
        answers.setdefault(qid, value)
    if answers == before:
        return decision, set_aside
    if reading.fill_answers:
        reasons.append(reading.reasons["fill"])
    read_as_no = tuple(qid for qid in RED_FLAG_SCREENS if reading.fill_answers.get(qid) and qid not in before)
    confirm_first = tuple(dict.fromkeys([*set_aside, *read_as_no]))
    return _assess_dropping_contradictions(model, area, age, answers, reasons), confirm_first


def _red_flags_ruled_out(model: ThresholdModel, hits: list[SignalHit],
                         semantic_hits: list[SemanticHit]) -> tuple[str, ...]:
    """The practitioner's own phrases that rule a red flag out: "no marks on him", "nothing has been disclosed".

    A negated phrase pattern whose plain answers would raise a red flag, a pattern whose answers clear one
    ("no safeguarding concerns"), or an exemplar clause close to a red flag that holds a negation.
    """
    phrases = [hit.phrase for hit in hits
               if (hit.negated and _touches_a_gate(model, hit.signal.answers, "raises"))
               or (not hit.negated and _touches_a_gate(model, hit.signal.answers, "clears"))]
    phrases += [hit.clause for hit in semantic_hits if hit.negated]
    return tuple(dict.fromkeys(phrases))


def _touches_a_gate(model: ThresholdModel, answers: dict[str, str], how: str) -> bool:
    """Whether any of these answers fires or makes possible a gate ("raises"), or clears one ("clears")."""
    for qid, value in answers.items():
        question = model.question(qid)
        option = question.option(value) if question is not None else None
        if option is None:
            continue
        touched = option.clears if how == "clears" else (*option.fires, *option.possible)
        if any(rule in model.gates for rule in touched):
            return True
    return False


@functools.cache
def _warn_reader_does_not_fit(expected: int, got: int) -> None:
    """Once per process and size pair, not on every message."""
    logger.warning("route reader left out: it expects %d features, the encoder gives %d; refit it", expected, got)


def _keep_most_worrying(model: ThresholdModel, answers: dict[str, str], qid: str, value: str) -> None:
    """Options run from least to most worrying, so a red flag always beats a reassurance."""
    question = model.question(qid)
    if question is None:
        return
    values = [o.value for o in question.options]
    current = answers.get(qid)
    if current is None or values.index(value) > values.index(current):
        answers[qid] = value


def _number_answers(model: ThresholdModel, text: str, answers: dict[str, str], reasons: list[str],
                    concerns: set[str]) -> dict[str, str]:
    found = dict(answers)
    for signal in model.triage.number_signals:
        match = re.search(signal.pattern, text)
        if not match:
            continue
        number = float(next(g for g in match.groups() if g is not None))
        for band in signal.ranges:
            if band.at_least <= number < band.below:
                for qid, value in band.answers.items():
                    _keep_most_worrying(model, found, qid, value)
                reasons.append(f'"{match.group(0).strip()}": {signal.reason}')
                concerns.update(signal.concerns)
    return found


def _main_concern(model: ThresholdModel, concerns: set[str]) -> str | None:
    question = model.question("main_concern")
    if question is None:
        return None
    matching = [o.value for o in question.options if concerns.intersection(o.concerns)]
    return matching[-1] if matching else None


def _assess_dropping_contradictions(model: ThresholdModel, area: str | None, age: int | None,
                                    answers: dict[str, str], reasons: list[str]) -> Decision:
    """Text can say "no disclosure" and also describe one; keep the worrying answer and say so."""
    for _ in range(len(answers) + 1):
        try:
            return assess_case(model, area, age, answers)
        except ContradictoryAnswers as exc:
            qid = exc.field.removeprefix("answers.")
            if qid not in answers:
                raise
            del answers[qid]
            reasons.append(f"The text both raises and rules out a red flag; the safer reading is kept ({exc.problem}).")
    return assess_case(model, area, age, answers)
