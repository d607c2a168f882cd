"""Fit the abstention model (knowledge/abstention_model.yml) on the dev and training question sets.

Features come from the live hybrid search (`GuidanceSearcher.features`); in-scope questions are labelled 1
(answer), out-of-scope 0 (abstain). Questions matching a safety pattern are left out: they are never abstained
on. A standardised, L2-regularised logistic regression is fitted in numpy; the threshold is the one that, on
out-of-fold probabilities from stratified k-fold cross-validation, abstains on the most out-of-scope questions
while wrongly abstaining on at most `--max-wrong` of the in-scope ones. One feature, `scope`, is itself a model:
a logistic regression over the query's embedding (in scope or not), stored in the same file; while fitting, each
question's `scope` value comes from a classifier that did not see it (out-of-fold), so the outer model does not
learn to trust a feature that memorised its training questions. Never fit on a held-out set: a set whose header
still says never to tune on it is refused (`bench.held_out`).

`--leave-one-set-out` writes no model: it fits on all sets but one and reports that set's out-of-scope and wrong
abstention at the cross-validated threshold, in turn for each evaluation set (the training-only set is never
reported), and for each `--check` set with a model fitted on every `--questions` set. It estimates what a new set
written blind will see, which pooled cross-validation does not (questions of one set share a writer and style).

    .venv/bin/python -m bench.fit_abstention [--questions FILE ...] [--out FILE] [--max-wrong 0.02]
    .venv/bin/python -m bench.fit_abstention --leave-one-set-out [--check FILE ...] [--drop FEATURE ...]
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml

from bench.held_out import is_held_out
from bench.retrieval import load_eval_set
from knowledge.abstention import FEATURE_NAMES
from knowledge.service import GuidanceService
from knowledge.settings import load_settings

DEFAULT_SETS = ("knowledge/eval/questions_dev.yml", "knowledge/eval/questions_train.yml",
                "knowledge/eval/questions_fresh2.yml", "knowledge/eval/questions_fresh3.yml",
                "knowledge/eval/questions_fresh4.yml", "knowledge/eval/questions_fresh5.yml",
                "knowledge/eval/questions_fresh6.yml", "knowledge/eval/questions_train2.yml",
                "knowledge/eval/questions_train3.yml")
# Written to train the model, never to report on it (ADR 0008).
TRAINING_ONLY = frozenset({"questions_train.yml", "questions_train2.yml", "questions_train3.yml"})


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 300) -> tuple[np.ndarray, float]:
    """Newton's method on the class-balanced, L2-penalised log loss; returns (coefficients, intercept)."""
    weights = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (weights * (p - y)) + penalty @ beta
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and scales (scale 1 for a constant column)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def predict(x: np.ndarray, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    """P(in scope) for each row."""
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ coef + intercept)))


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: int, l2: float, seed: int) -> np.ndarray:
    """Stratified k-fold out-of-fold probabilities."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=int)
    for label in (0, 1):
        rows = np.flatnonzero(y == label)
        fold_of[rng.permutation(rows)] = np.arange(len(rows)) % folds
    probabilities = np.empty(len(y))
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        mean, scale = standardise(x[train])
        coef, intercept = fit_logistic((x[train] - mean) / scale, y[train], l2)
        probabilities[test] = predict(x[test], mean, scale, coef, intercept)
    return probabilities


def choose_threshold(probabilities: np.ndarray, y: np.ndarray, max_wrong: float) -> tuple[float, float, float]:
    """Highest threshold whose wrong-abstention rate stays within `max_wrong`; returns it with both rates."""
    best = (0.0, 0.0, 0.0)
    for threshold in np.unique(np.concatenate([[0.0], probabilities])):
        wrong = float((probabilities[y == 1] < threshold).mean())
        abstained = float((probabilities[y == 0] < threshold).mean())
        if wrong <= max_wrong and abstained >= best[1]:
            best = (float(threshold), abstained, wrong)
    return best


def collect(service: GuidanceService, paths: list[Path], names: tuple[str, ...] = FEATURE_NAMES
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, each row's set (file name) and query embedding, per question.

    Questions covered by the safety override are left out. The `scope` column is left as the current model
    computes it; `with_scope` replaces it.
    """
    searcher = service._searcher
    rows, labels, groups, vectors = [], [], [], []
    for path in paths:
        questions = load_eval_set(path)
        cases = [(q.question, q.area, 1) for q in questions.in_scope] + [(q.question, None, 0)
                                                                          for q in questions.out_of_scope]
        for question, area, label in cases:
            if searcher.safety.matches(searcher.expander.expand(question)):
                continue
            found = searcher.features_and_vector(question, area)
            if found is not None and found[1] is not None:
                rows.append([found[0].as_dict()[name] for name in names])
                labels.append(label)
                groups.append(path.name)
                vectors.append(found[1])
    return np.array(rows), np.array(labels, dtype=float), np.array(groups), np.array(vectors)


def fit_scope(vectors: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """The scope classifier: a class-balanced logistic regression over the query embeddings."""
    return fit_logistic(vectors, y, l2)


def with_scope(x: np.ndarray, names: tuple[str, ...], vectors: np.ndarray, y: np.ndarray, train: np.ndarray,
               l2: float, folds: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    """Fill the `scope` column without leakage; return the new rows and the classifier fitted on all `train` rows.

    The `train` rows get out-of-fold log-odds; every other row gets that classifier's log-odds.
    """
    if "scope" not in names:
        return x, np.zeros(vectors.shape[1]), 0.0
    column = names.index("scope")
    filled = x.copy()
    rows = np.flatnonzero(train)
    fold_of = np.random.default_rng(seed).permutation(len(rows)) % folds
    for fold in range(folds):
        fit_rows, score_rows = rows[fold_of != fold], rows[fold_of == fold]
        coef, intercept = fit_scope(vectors[fit_rows], y[fit_rows], l2)
        filled[score_rows, column] = vectors[score_rows] @ coef + intercept
    coef, intercept = fit_scope(vectors[train], y[train], l2)
    filled[~train, column] = vectors[~train] @ coef + intercept
    return filled, coef, intercept


def cv_threshold(x: np.ndarray, y: np.ndarray, args: argparse.Namespace, verbose: bool = False) -> float:
    """Median over `args.repeats` k-fold splits of the threshold that keeps the wrong-abstention budget."""
    thresholds = []
    for seed in range(args.repeats):
        probabilities = out_of_fold(x, y, args.folds, args.l2, seed)
        threshold, abstained, wrong = choose_threshold(probabilities, y, args.max_wrong)
        thresholds.append(threshold)
        if verbose:
            print(f"cv seed {seed}: threshold {threshold:.3f}, out-of-scope abstention {abstained:.3f}, "
                  f"wrong abstention {wrong:.3f}")
    return float(np.median(thresholds))


def held_out_rates(x: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray,
                   args: argparse.Namespace) -> tuple[float, float, float]:
    """Fit on the `train` rows (threshold by cross-validation); out-of-scope and wrong abstention on `test` rows."""
    threshold = cv_threshold(x[train], y[train], args)
    mean, scale = standardise(x[train])
    coef, intercept = fit_logistic((x[train] - mean) / scale, y[train], args.l2)
    abstains = predict(x[test], mean, scale, coef, intercept) < threshold
    return float(abstains[y[test] == 0].mean()), float(abstains[y[test] == 1].mean()), threshold


def leave_one_set_out(x: np.ndarray, y: np.ndarray, groups: np.ndarray, checks: set[str],
                      args: argparse.Namespace, names: tuple[str, ...], vectors: np.ndarray) -> None:
    """Print each evaluation set's abstention figures with a model fitted without it (see the module docstring).

    The scope classifier is refitted each time without the left-out set too.
    """
    trainable = ~np.isin(groups, list(checks))
    for name in dict.fromkeys(groups):
        if name in TRAINING_ONLY:
            continue
        test = groups == name
        train = trainable & ~test
        filled, _, _ = with_scope(x, names, vectors, y, train, args.scope_l2)
        oos, wrong, threshold = held_out_rates(filled, y, train, test, args)
        print(f"{name:<24} {'check' if name in checks else 'left out':>9}: out-of-scope abstention {oos:.3f}, "
              f"wrong abstention {wrong:.3f} ({int(test.sum())} questions, threshold {threshold:.3f})")


def main(argv: list[str] | None = None) -> int:
    """Fit, cross-validate and write the model, or only report (--leave-one-set-out); 1 for a held-out set."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="+", default=[settings.resolve(Path(p)) for p in DEFAULT_SETS])
    parser.add_argument("--out", type=Path, default=settings.resolve(Path("knowledge/abstention_model.yml")))
    parser.add_argument("--max-wrong", type=float, default=0.02, help="cross-validated wrong-abstention budget")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--scope-l2", type=float, default=3.0, help="L2 penalty of the scope classifier")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=20, help="cross-validation repeats (different folds)")
    parser.add_argument("--leave-one-set-out", action="store_true", help="report held-out figures, write nothing")
    parser.add_argument("--check", type=Path, nargs="*", default=[], help="development sets to report, never fit on")
    parser.add_argument("--drop", nargs="*", default=[], choices=FEATURE_NAMES, help="features to leave out")
    args = parser.parse_args(argv)
    if any(is_held_out(path) for path in [*args.questions, *args.check]):
        print("refusing to fit on or check against a held-out set", file=sys.stderr)
        return 1
    names = tuple(name for name in FEATURE_NAMES if name not in args.drop)
    service = GuidanceService.from_directory(settings=settings)
    x, y, groups, vectors = collect(service, [*args.questions, *args.check], names)
    if args.leave_one_set_out:
        leave_one_set_out(x, y, groups, {path.name for path in args.check}, args, names, vectors)
        return 0
    x, scope_coef, scope_intercept = with_scope(x, names, vectors, y, np.ones(len(y), dtype=bool), args.scope_l2)
    threshold = cv_threshold(x, y, args, verbose=True)
    mean, scale = standardise(x)
    coef, intercept = fit_logistic((x - mean) / scale, y, args.l2)
    model = {
        "features": list(names), "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale], "coefficients": [round(float(v), 6) for v in coef],
        "intercept": round(intercept, 6), "threshold": round(threshold, 4),
        "trained_on": [str(path.relative_to(settings.resolve(Path(".")))) if path.is_absolute() else str(path)
                       for path in args.questions],
        "notes": (f"{int(y.sum())} in-scope, {int(len(y) - y.sum())} out-of-scope questions; threshold = median "
                  f"over {args.repeats} repeats of {args.folds}-fold CV, wrong-abstention budget {args.max_wrong}; "
                  f"scope classifier L2 {args.scope_l2}, its feature out-of-fold while fitting"),
    }
    if "scope" in names:
        model["scope_bias"] = round(float(scope_intercept), 6)
        model["scope_weights"] = [round(float(v), 6) for v in scope_coef]
    header = ("# Fitted by `python -m bench.fit_abstention` (ADR 0008). Do not edit by hand;"
              " refit after content changes.\n")
    args.out.write_text(header + yaml.safe_dump(model, sort_keys=False, width=120), encoding="utf-8")
    print("coefficients: " + ", ".join(f"{n} {c:+.2f}" for n, c in zip(names, coef, strict=True)))
    print(f"wrote {args.out} (threshold {threshold:.3f}, {len(y)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
