"""Triage benchmark: route accuracy on free-text vignettes and structured cases, and latency.

Run `python -m bench.triage`. For each vignette set (tuning, holdout, blind, final) and in total it
prints exact route accuracy, a confusion matrix (expected × got), the count of severe under-triage
(a statutory case routed to early help or universal — must be 0) and the misses; then the same for
the structured cases, and the in-process p95 latency of `assess_case` and `triage_text`.
Exits 1 if severe under-triage is not 0 on any set.

Which sets were tuned on is printed beside each title: only the `final` set is a generalisation
estimate; the others were used, at some point, to write the patterns.
"""

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from pathways.case_file import Vignette, load_cases, load_vignettes
from pathways.engine import assess_case
from pathways.loader import load_model
from pathways.model import ThresholdModel
from pathways.triage import triage_text

PATHWAYS = Path(__file__).resolve().parent.parent / "pathways"
ROUTES = ["emergency", "mash", "early_help", "universal", "unclear"]
STATUTORY = {"emergency", "mash"}
BELOW_STATUTORY = {"early_help", "universal"}
VIGNETTE_SETS = (
    ("vignettes.yml", "tuning", "tuned on from the start"),
    ("vignettes_holdout.yml", "holdout", "held out at first; its misses were then fixed, so now tuned on"),
    ("vignettes_blind.yml", "blind", "written blind, measured, then tuned on"),
    ("vignettes_final.yml", "final", "written after tuning, never tuned on: the generalisation estimate"),
)


def confusion(pairs: list[tuple[str, str]]) -> str:
    """A text table: rows expected, columns got."""
    counts = Counter(pairs)
    head = f"{'expected/got':>16}" + "".join(f"{r:>11}" for r in ROUTES)
    rows = [head] + [f"{e:>16}" + "".join(f"{counts[(e, g)]:>11}" for g in ROUTES) for e in ROUTES]
    return "\n".join(rows)


def report(title: str, pairs: list[tuple[str, str]], misses: list[str]) -> int:
    """Print the figures for one set; return the number of severe under-triages."""
    exact = sum(e == g for e, g in pairs)
    severe = sum(e in STATUTORY and g in BELOW_STATUTORY for e, g in pairs)
    emergency_down = sum(e == "emergency" and g != "emergency" for e, g in pairs)
    print(f"\n== {title}: {len(pairs)} items")
    print(f"exact route accuracy: {exact}/{len(pairs)} = {exact / max(len(pairs), 1):.1%}")
    print(f"severe under-triage (statutory -> early_help/universal): {severe}")
    print(f"emergency not given as emergency: {emergency_down}")
    print(confusion(pairs))
    for miss in misses:
        print("  miss:", miss)
    return severe


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1)]


def run_vignettes(model: ThresholdModel, vignettes: list[Vignette]) -> tuple[list[tuple[str, str]], list[str], int]:
    """Triage every vignette from its text alone: (expected, got) pairs, misses, areas found."""
    pairs, misses, area_hits = [], [], 0
    for v in vignettes:
        result = triage_text(model, v.text, None)
        pairs.append((v.expected, result.route))
        area_hits += result.area == v.area
        if result.route != v.expected:
            misses.append(f"{v.id} expected {v.expected} got {result.route}: {v.text[:90]}")
    return pairs, misses, area_hits


def main() -> int:
    """Run every set and print the figures."""
    model = load_model(PATHWAYS)
    severe = 0
    all_pairs: list[tuple[str, str]] = []
    all_vignettes: list[Vignette] = []
    for file_name, name, status in VIGNETTE_SETS:
        path = PATHWAYS / "eval" / file_name
        if not path.exists():
            print(f"\n== {name}: {file_name} not found")
            continue
        vignettes = load_vignettes(path)
        pairs, misses, area_hits = run_vignettes(model, vignettes)
        severe += report(f"{name} ({file_name}; {status})", pairs, misses)
        print(f"area found in text: {area_hits}/{len(vignettes)}")
        all_pairs += pairs
        all_vignettes += vignettes
    report("all vignette sets together (text alone, area not given)", all_pairs, [])

    cases = load_cases(PATHWAYS / "cases")
    pairs, misses = [], []
    for file_name, case in cases:
        decision = assess_case(model, case.area, case.age, case.answers)
        pairs.append((case.expected.route, decision.route))
        if decision.route != case.expected.route:
            misses.append(f"{file_name}: {case.name}")
    severe += report("structured cases", pairs, misses)

    timings = []
    for _ in range(20):
        for _, case in cases:
            start = time.perf_counter()
            assess_case(model, case.area, case.age, case.answers)
            timings.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    triage_text(model, "first call builds the caches", None)
    print(f"\ntriage_text first call (compiles patterns, builds the typo lexicon): "
          f"{(time.perf_counter() - start) * 1000:.1f} ms")
    triage_times = []
    for _ in range(5):
        for v in all_vignettes:
            start = time.perf_counter()
            triage_text(model, v.text, None)
            triage_times.append((time.perf_counter() - start) * 1000)
    print(f"\nassess_case latency over {len(timings)} calls: p50 {statistics.median(timings):.3f} ms, "
          f"p95 {percentile(timings, 95):.3f} ms")
    print(f"triage_text latency over {len(triage_times)} calls: p50 {statistics.median(triage_times):.3f} ms, "
          f"p95 {percentile(triage_times, 95):.3f} ms")
    print(f"\nsevere under-triage over all sets: {severe}")
    return 1 if severe else 0


if __name__ == "__main__":
    sys.exit(main())
