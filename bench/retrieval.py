"""Retrieval benchmark: dense-only, lexical-only and hybrid side by side, per question set.

The dev set (knowledge/eval/questions_dev.yml) is what settings are tuned on, with the training set
(questions_train.yml, abstention model only, never reported); the blind set (questions_blind.yml) was held out
until ADR 0008 tuned against it too. Any other file in the same format can be given with --questions (e.g. a
fresh held-out set); each file is reported apart, dense / lexical / hybrid side by side.

Prints Recall@1/3/5, MRR@5, out-of-scope abstention, wrong abstentions on in-scope questions and search
latency (query embedding included) per mode, the same searches through `POST /api/v1/guidance/search` (the
route on an in-process ASGI client: validation and JSON included), then the cold index build time (empty
embedding cache) and the time to re-index after editing one file. Everything runs on copies in a temporary folder.

    .venv/bin/python -m bench.retrieval [--questions FILE ...] [--pooled] [--guidance DIR] [--toolkits FILE]
                                        [--show-misses]
"""

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.pipeline import validate_and_build
from knowledge.search import Mode
from knowledge.service import GuidanceService
from knowledge.settings import load_settings
from knowledge.yaml_source import read_yaml

MODES: tuple[Mode, ...] = ("dense", "lexical", "hybrid")
DEPTH = 5
POOLED = "all sets together"
DEFAULT_SETS = ("knowledge/eval/questions_dev.yml", "knowledge/eval/questions_blind.yml")


class InScopeQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    toolkit: str
    expected: list[str] = Field(min_length=1)
    area: str | None = None


class OutOfScopeQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str


class EvalSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    in_scope: list[InScopeQuestion]
    out_of_scope: list[OutOfScopeQuestion]


@dataclass(frozen=True)
class ModeResult:
    """Quality and latency figures for one retrieval mode."""

    recall: dict[int, float]
    mrr: float
    oos_abstention: float
    wrong_abstention: float
    oos_redirected: float
    wrong_redirect: float
    latency_ms: dict[int, float]
    misses: list[str]


def load_eval_set(path: Path) -> EvalSet:
    """Read and validate the evaluation questions."""
    return EvalSet.model_validate(read_yaml(path.read_text(encoding="utf-8")).data)


def evaluate(service: GuidanceService, questions: EvalSet, mode: Mode) -> ModeResult:
    """Run every question through one mode and compute the figures."""
    ranks: list[int | None] = []
    wrong_abstentions = wrongly_redirected = 0
    latencies: list[float] = []
    misses: list[str] = []
    for case in questions.in_scope:
        started = time.perf_counter()
        response = service.search(case.question, k=DEPTH, area=case.area, mode=mode)
        latencies.append(time.perf_counter() - started)
        ids = [hit.id for hit in response.results]
        rank = next((position for position, item_id in enumerate(ids, 1) if item_id in case.expected), None)
        ranks.append(rank)
        wrong_abstentions += response.abstained
        wrongly_redirected += response.redirect is not None
        if rank != 1:
            got = ", ".join(ids[:3]) or ("REDIRECTED to " + response.redirect.topic_id if response.redirect
                                         else "ABSTAINED")
            misses.append(f"  [{rank or '-'}] {case.question!r}: expected {case.expected}, got {got}")
    abstained = redirects = 0
    for case in questions.out_of_scope:
        started = time.perf_counter()
        response = service.search(case.question, k=DEPTH, mode=mode)
        latencies.append(time.perf_counter() - started)
        abstained += response.abstained
        if not response.abstained:
            misses.append(f"  [oos] {case.question!r}: answered {response.results[0].id}")
        elif response.redirect is not None:
            redirects += 1
    total = len(ranks)
    return ModeResult(
        recall={n: sum(1 for r in ranks if r is not None and r <= n) / total for n in (1, 3, 5)},
        mrr=sum(1 / r for r in ranks if r is not None) / total,
        oos_abstention=abstained / max(len(questions.out_of_scope), 1),
        wrong_abstention=wrong_abstentions / total,
        oos_redirected=redirects / max(len(questions.out_of_scope), 1),
        wrong_redirect=wrongly_redirected / total,
        latency_ms={p: float(np.percentile(latencies, p) * 1000) for p in (50, 95, 99)},
        misses=misses,
    )


def api_latency_ms(service: GuidanceService, questions: list) -> dict:
    """Search latency through the HTTP route: request validation, the search, and the JSON response.

    The guidance router on its own FastAPI app, called through an in-process ASGI client (no socket), so the
    figure is what the service adds to a request, not the network's share.
    """
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.deps import get_guidance_service
    from api.routes import guidance

    app = FastAPI()
    app.include_router(guidance.router)
    app.dependency_overrides[get_guidance_service] = lambda: service
    latencies: list[float] = []
    with TestClient(app) as client:
        client.post("/api/v1/guidance/search", json={"query": "warm up"})
        for case in questions:
            body = {"query": case.question, "k": DEPTH, "area": getattr(case, "area", None)}
            started = time.perf_counter()
            response = client.post("/api/v1/guidance/search", json=body)
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
    return {"n": len(latencies), **{p: float(np.percentile(latencies, p) * 1000) for p in (50, 95, 99)}}


def print_table(results: dict[Mode, ModeResult]) -> None:
    """Print the modes side by side."""
    rows = [("Recall@1", lambda r: f"{r.recall[1]:.3f}"), ("Recall@3", lambda r: f"{r.recall[3]:.3f}"),
            ("Recall@5", lambda r: f"{r.recall[5]:.3f}"), ("MRR@5", lambda r: f"{r.mrr:.3f}"),
            ("OOS abstention", lambda r: f"{r.oos_abstention:.3f}"),
            ("in-scope wrong abstention", lambda r: f"{r.wrong_abstention:.3f}"),
            ("  of which redirected", lambda r: f"{r.wrong_redirect:.3f}"),
            ("OOS given a redirect", lambda r: f"{r.oos_redirected:.3f}"),
            ("latency p50 ms", lambda r: f"{r.latency_ms[50]:.1f}"),
            ("latency p95 ms", lambda r: f"{r.latency_ms[95]:.1f}"),
            ("latency p99 ms", lambda r: f"{r.latency_ms[99]:.1f}")]
    print(f"{'metric':<28}" + "".join(f"{mode:>12}" for mode in results))
    for label, cell in rows:
        print(f"{label:<28}" + "".join(f"{cell(result):>12}" for result in results.values()))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when the inputs are invalid."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="+", default=[settings.resolve(Path(p)) for p in DEFAULT_SETS],
                        help="question files, each reported apart (default: the dev and the blind set)")
    parser.add_argument("--guidance", type=Path, default=settings.resolve(settings.paths.guidance))
    parser.add_argument("--toolkits", type=Path, default=settings.resolve(settings.paths.toolkits))
    parser.add_argument("--out-of-scope", type=Path, default=settings.resolve(settings.paths.out_of_scope),
                        help="out-of-scope topics folder")
    parser.add_argument("--show-misses", action="store_true", help="list questions not answered at rank 1")
    parser.add_argument("--pooled", action="store_true", help="also report every given set together as one")
    args = parser.parse_args(argv)
    question_sets = {path.stem.removeprefix("questions_"): load_eval_set(path) for path in args.questions}
    if args.pooled and len(question_sets) > 1:
        separate = list(question_sets.values())
        question_sets[POOLED] = EvalSet(in_scope=[q for s in separate for q in s.in_scope],
                                        out_of_scope=[q for s in separate for q in s.out_of_scope])

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder(settings.model.name, batch_size=settings.model.batch_size)
    model_load = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as temp:
        work = Path(temp)
        guidance = work / "guidance"
        shutil.copytree(args.guidance, guidance)
        out_of_scope = work / "out_of_scope"
        if args.out_of_scope.is_dir():
            shutil.copytree(args.out_of_scope, out_of_scope)
        started = time.perf_counter()
        outcome = validate_and_build(guidance, work / "index", work / "cache", embedder, settings,
                                     toolkits_file=args.toolkits, out_of_scope_dir=out_of_scope)
        cold_build = time.perf_counter() - started
        if outcome.index is None:
            print("\n".join(str(problem) for problem in outcome.report.errors), file=sys.stderr)
            return 1
        service = GuidanceService.from_directory(guidance, work / "index", cache_dir=work / "cache",
                                                 settings=settings, embedder=embedder, toolkits_file=args.toolkits,
                                                 out_of_scope_dir=out_of_scope)
        unknown = sorted({i for questions in question_sets.values() for q in questions.in_scope
                          for i in q.expected if service.get(i) is None})
        if unknown:
            print(f"eval set expects ids the guidance does not have: {', '.join(unknown)}", file=sys.stderr)
        for query in ("warm up the model", "neglect"):
            service.search(query)
        results = {name: {mode: evaluate(service, questions, mode) for mode in MODES}
                   for name, questions in question_sets.items()}
        separate = [questions for name, questions in question_sets.items() if name != POOLED]
        through_api = api_latency_ms(service, [q for questions in separate
                                               for q in (*questions.in_scope, *questions.out_of_scope)])

        edited = sorted(guidance.rglob("*.yml"))[0]
        edited.write_text(edited.read_text(encoding="utf-8").replace("body: |\n", "body: |\n  Edited.\n\n", 1),
                          encoding="utf-8")
        report = service.reload()

    manifest = outcome.index.manifest
    print(f"guidance: {manifest.item_count} items, {manifest.chunk_count} chunks, "
          f"{len(outcome.index.topics)} out-of-scope topics; top {DEPTH} per query")
    for name, questions in question_sets.items():
        print(f"\n== {name}: {len(questions.in_scope)} in-scope, {len(questions.out_of_scope)} out-of-scope questions")
        print_table(results[name])
    print(f"\nPOST /api/v1/guidance/search, hybrid, query embedding included ({through_api['n']:.0f} requests, "
          f"in-process ASGI client): p50 {through_api[50]:.1f} ms, p95 {through_api[95]:.1f} ms, "
          f"p99 {through_api[99]:.1f} ms")
    print(f"model load: {model_load:.1f} s (once per process, not counted below)")
    print(f"full index build, cold (empty embedding cache): {cold_build:.1f} s")
    print(f"one-file edit re-index ({edited.name}): {report.duration_seconds:.2f} s "
          f"({report.embedded_chunks} chunks embedded, {report.reused_chunks} from cache, ok={report.ok})")
    if args.show_misses:
        for name, by_mode in results.items():
            for mode, result in by_mode.items():
                print(f"\n{name} / {mode}: not at rank 1")
                print("\n".join(result.misses) or "  (none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
