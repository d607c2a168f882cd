"""Fit the route reader (pathways/model/route_reader.yml) on labelled practitioner descriptions.

Training data: every `pathways/training/*.yml` and every `pathways/eval/vignettes*.yml` that is not held out.
A set is held out while its header says "NEVER tune" and does not say "USED FOR DEVELOPMENT"; the fit refuses
to read it, so the newest blind set stays a clean measure (`make bench-triage`).

1. Embed each description and its clauses (all-MiniLM-L6-v2, offline), as `pathways.triage` does
   (`reader_vector`: the whole text, the mean and the element-wise maximum of the clauses); classes balanced.
2. Choose the regularisation C by leave-one-file-out cross-validation (files differ in author and style, so
   this estimates how the reader does on a new author's descriptions), then fit on everything.
3. Choose the thresholds on the out-of-fold probabilities, running the real triage (patterns, exemplars, the
   engine) with each candidate: the most exact routes subject to no severe under-triage (a MASH or emergency
   description ending at early help or universal) and at most `--max-false-emergency` of non-emergencies read
   as emergencies.

    .venv/bin/python -m bench.fit_route_reader [--out pathways/model/route_reader.yml]
"""

import argparse
import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from bench.held_out import is_held_out
from pathways.case_file import load_vignettes
from pathways.loader import load_model
from pathways.model import ThresholdModel
from pathways.route_reader import READER_ROUTES, FeaturePart, ReaderThresholds, RouteReader, RouteReaderFile
from pathways.semantic import SemanticMatcher
from pathways.triage import reader_vector, triage_text

ROOT = Path(__file__).resolve().parent.parent
PATHWAYS = ROOT / "pathways"
C_GRID = (2.0, 4.0, 8.0, 16.0)
FEATURES: tuple[FeaturePart, ...] = ("text", "clause_mean", "clause_max")
GRID = {
    "emergency_yes": (0.5, 0.6, 0.7, 0.8, 0.9, 1.01),
    "emergency_unsure": (0.3, 0.4, 0.5, 0.6, 1.01),
    "statutory_possible": (0.5, 0.6, 0.7, 0.8, 0.9, 1.01),
    "rule_out_at": (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01),
    "rule_out_max_statutory": (0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.3),
    "possible_outweighed_below": (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15),
    "negated_possible_outweighed_below": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5),
    "said_rule_out_max_statutory": (0.0, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
}
STATUTORY = {"emergency", "mash"}
BELOW_STATUTORY = {"early_help", "universal"}


def training_files() -> list[Path]:
    """Training sets first, then the development vignette sets; never a held-out set."""
    files = sorted((PATHWAYS / "training").glob("*.yml")) + sorted((PATHWAYS / "eval").glob("vignettes*.yml"))
    return [f for f in files if not is_held_out(f)]


class CachingEncoder:
    """The sentence encoder with a cache, so re-running triage for each threshold costs no embedding."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self._cache: dict[tuple[str, ...], np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        key = tuple(texts)
        if key not in self._cache:
            self._cache[key] = self.encoder.embed(list(texts))
        return self._cache[key]


class FixedReader(RouteReader):
    """A reader that returns given (out-of-fold) probabilities for each text, under candidate thresholds."""

    def __init__(self, fitted: RouteReaderFile, by_vector: dict[bytes, dict[str, float]]) -> None:
        super().__init__(fitted)
        self.by_vector = by_vector

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        return self.by_vector[np.asarray(vector, dtype=np.float64).tobytes()]


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float) -> np.ndarray:
    """Leave-one-file-out probabilities, columns in READER_ROUTES order."""
    probs = np.zeros((len(y), len(READER_ROUTES)))
    for group in np.unique(groups):
        test = groups == group
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x[~test], y[~test])
        order = [list(clf.classes_).index(r) for r in READER_ROUTES]
        probs[test] = clf.predict_proba(x[test])[:, order]
    return probs


def score_thresholds(model: ThresholdModel, matcher: SemanticMatcher, texts: list[str], expected: list[str],
                     keys: list[bytes], template: RouteReaderFile, by_vector: dict[bytes, dict[str, float]],
                     thresholds: ReaderThresholds, cache: dict) -> tuple[int, int, int]:
    """(exact routes, severe under-triage, non-emergencies read as emergency) with these thresholds."""
    reader = FixedReader(dataclasses.replace(template, thresholds=thresholds), by_vector)
    served = dataclasses.replace(model, route_reader=reader)
    exact = severe = false_emergency = 0
    for text, want, vector_key in zip(texts, expected, keys, strict=True):
        key = (text, _what_the_thresholds_decide(thresholds, by_vector[vector_key]))
        if key not in cache:
            cache[key] = triage_text(served, text, None, matcher).route
        got = cache[key]
        exact += got == want
        severe += want in STATUTORY and got in BELOW_STATUTORY
        false_emergency += got == "emergency" and want != "emergency"
    return exact, severe, false_emergency


def _what_the_thresholds_decide(limits: ReaderThresholds, probabilities: dict[str, float]) -> tuple:
    """Every comparison `pathways.route_reader` makes between a probability and a threshold.

    For a given text, triage with the reader depends on nothing else, so equal tuples mean equal routes.
    """
    p_emergency = probabilities["emergency"]
    p_statutory = p_emergency + probabilities["mash"]
    p_lower = probabilities["early_help"] + probabilities["universal"]
    return (p_emergency >= limits.emergency_yes, p_emergency >= limits.emergency_unsure,
            p_statutory >= limits.statutory_possible,
            p_statutory < limits.rule_out_max_statutory and p_lower >= limits.rule_out_at,
            p_statutory < limits.possible_outweighed_below,
            p_statutory < (limits.negated_possible_outweighed_below or 0.0),
            p_statutory < limits.rule_out_below(said_in_text=True) and p_lower >= limits.rule_out_at)


def choose_thresholds(score, n: int, max_false_emergency: float) -> tuple[ReaderThresholds, tuple[int, int, int]]:
    """Coordinate search from the most cautious setting; only settings with no severe under-triage count."""
    current = {"emergency_yes": 1.01, "emergency_unsure": 1.01, "statutory_possible": 1.01,
               "rule_out_at": 1.01, "rule_out_max_statutory": 0.05, "possible_outweighed_below": 0.0,
               "negated_possible_outweighed_below": 0.0, "said_rule_out_max_statutory": 0.0}

    def value(setting: dict) -> tuple[int, ...] | None:
        thresholds = _valid(setting)
        exact, severe, false_emergency = score(thresholds)
        if severe or false_emergency > max_false_emergency * n:
            return None
        return exact, -false_emergency

    best = value(current)
    for _ in range(3):
        improved = False
        for name, options in GRID.items():
            for option in options:
                candidate = {**current, name: option}
                result = value(candidate)
                if result is not None and (best is None or result > best):
                    best, current, improved = result, candidate, True
        if not improved:
            break
    thresholds = _valid(current)
    return thresholds, score(thresholds)


def _valid(setting: dict[str, float]) -> ReaderThresholds:
    """Thresholds from a grid point: "not sure" never stricter than "yes", rule-out below "possible"."""
    values = {k: min(v, 1.0) for k, v in setting.items()}
    values["emergency_unsure"] = min(values["emergency_unsure"], values["emergency_yes"])
    values["rule_out_max_statutory"] = min(values["rule_out_max_statutory"], values["statutory_possible"])
    values["possible_outweighed_below"] = min(values["possible_outweighed_below"], values["statutory_possible"])
    values["negated_possible_outweighed_below"] = min(values["negated_possible_outweighed_below"],
                                                      values["statutory_possible"])
    values["said_rule_out_max_statutory"] = min(values["said_rule_out_max_statutory"], values["statutory_possible"])
    return ReaderThresholds(**values)


def main(argv: list[str] | None = None) -> int:
    """Fit, choose the thresholds, write the YAML; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PATHWAYS / "model" / "route_reader.yml")
    parser.add_argument("--max-false-emergency", type=float, default=0.02)
    args = parser.parse_args(argv)

    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.settings import load_settings

    model_name = load_settings().model.name
    encoder = CachingEncoder(SentenceTransformerEmbedder(model_name))
    model = dataclasses.replace(load_model(PATHWAYS), route_reader=None)
    matcher = SemanticMatcher(encoder, model.exemplars)
    files = training_files()
    texts, expected, groups = [], [], []
    for path in files:
        for vignette in load_vignettes(path):
            texts.append(vignette.text)
            expected.append(vignette.expected)
            groups.append(path.name)
    print(f"{len(texts)} descriptions from {len(files)} files: {', '.join(f.name for f in files)}")
    x = np.vstack([reader_vector(model, matcher, t, FEATURES) for t in texts])
    y, groups_arr = np.array(expected), np.array(groups)

    by_c = {}
    for c in C_GRID:
        probs = out_of_fold(x, y, groups_arr, c)
        accuracy = float((np.array(READER_ROUTES)[probs.argmax(axis=1)] == y).mean())
        by_c[c] = (accuracy, probs)
        print(f"C={c:<5} leave-one-file-out reader accuracy {accuracy:.3f}")
    c = max(by_c, key=lambda k: by_c[k][0])
    oof = by_c[c][1]

    final = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    order = [list(final.classes_).index(r) for r in READER_ROUTES]
    template = RouteReaderFile(
        encoder=model_name, dimension=x.shape[1], fitted=dt.date.today(), trained_on=tuple(f.name for f in files),
        examples=len(texts), features=FEATURES, regularisation_c=c, cross_validation={},
        thresholds=ReaderThresholds(emergency_yes=1.0, emergency_unsure=1.0, statutory_possible=1.0,
                                    rule_out_at=1.0, rule_out_max_statutory=0.05),
        classes=READER_ROUTES, intercept=tuple(float(final.intercept_[i]) for i in order),
        coefficients=tuple(tuple(float(w) for w in final.coef_[i]) for i in order))

    keys = [row.tobytes() for row in x]
    by_vector = {k: dict(zip(READER_ROUTES, map(float, row), strict=True)) for k, row in zip(keys, oof, strict=True)}
    cache: dict = {}
    base_routes = [triage_text(model, text, None, matcher).decision.route for text in texts]

    def score(thresholds: ReaderThresholds) -> tuple[int, int, int]:
        return score_thresholds(model, matcher, texts, expected, keys, template, by_vector, thresholds, cache)

    thresholds, (exact, severe, false_emergency) = choose_thresholds(score, len(texts), args.max_false_emergency)
    base_exact = sum(r == e for r, e in zip(base_routes, expected, strict=True))
    cv = {"reader_alone_accuracy": round(by_c[c][0], 4),
          "patterns_and_exemplars_accuracy": round(base_exact / len(texts), 4),
          "with_reader_accuracy": round(exact / len(texts), 4),
          "with_reader_severe_under_triage": float(severe),
          "with_reader_false_emergency": float(false_emergency)}
    print(f"chosen C={c}, thresholds {dataclasses.asdict(thresholds)}")
    print(f"out-of-fold on the training files: patterns+exemplars {base_exact}/{len(texts)}, with the reader "
          f"{exact}/{len(texts)}, severe under-triage {severe}, false emergencies {false_emergency}")
    fitted = dataclasses.replace(template, thresholds=thresholds, cross_validation=cv)
    write(args.out, fitted)
    print(f"wrote {args.out}")
    return 0


def write(path: Path, fitted: RouteReaderFile) -> None:
    """The fitted reader as YAML, with a header saying what it is and how to refit it."""
    data = dataclasses.asdict(fitted)
    data["fitted"] = fitted.fitted.isoformat()
    data["trained_on"] = list(fitted.trained_on)
    data["features"] = list(fitted.features)
    data["classes"] = list(fitted.classes)
    data["intercept"] = [round(v, 6) for v in fitted.intercept]
    data["coefficients"] = [[round(v, 6) for v in row] for row in fitted.coefficients]
    header = ("# Route reader for free-text triage (pathways/route_reader.py, ADR 0011). GENERATED by\n"
              "# `.venv/bin/python -m bench.fit_route_reader`: do not edit the numbers by hand; refit after changing\n"
              "# pathways/training/ or the development vignette sets. Thresholds were chosen on leave-one-file-out\n"
              "# predictions with no severe under-triage; cross_validation holds those figures.\n")
    body = yaml.safe_dump(data, sort_keys=False, width=10_000, default_flow_style=None)
    path.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
