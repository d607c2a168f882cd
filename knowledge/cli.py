"""Command line for guidance authors and operators: check, build, search, reload.

python -m knowledge check [--strict] [--guidance DIR] [--out-of-scope DIR]
python -m knowledge build [--guidance DIR] [--index DIR] [--cache DIR]
python -m knowledge search "query" [--area X] [--k N]
python -m knowledge reload
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.pipeline import out_of_scope_dir_of, validate_content
from knowledge.settings import KnowledgeSettings, load_settings
from knowledge.validate import ValidationReport


def _print_report(report: ValidationReport, strict: bool = False) -> None:
    for problem in report.errors:
        print(f"{problem}", file=sys.stderr)
    for problem in report.warnings:
        print(f"{problem} (warning)", file=sys.stderr)
    summary = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    if report.ok:
        print(f"ok: {len(report.items)} guidance items, {len(report.topics)} out-of-scope topics; {summary}")
    else:
        print(f"failed: {summary}", file=sys.stderr)


def _paths(args: argparse.Namespace, settings: KnowledgeSettings) -> tuple[Path, Path, Path]:
    guidance = args.guidance or settings.resolve(settings.paths.guidance)
    index = getattr(args, "index", None) or settings.resolve(settings.paths.index)
    cache = getattr(args, "cache", None) or settings.resolve(settings.paths.embedding_cache)
    return guidance, index, cache


def _out_of_scope(args: argparse.Namespace, settings: KnowledgeSettings, guidance: Path) -> Path | None:
    return args.out_of_scope or out_of_scope_dir_of(settings, guidance)


def run_check(args: argparse.Namespace, settings: KnowledgeSettings) -> int:
    """Validate the guidance, out-of-scope topics and synonyms; exit status 1 on any error (overdue reviews
    count with --strict).
    """
    guidance, _, _ = _paths(args, settings)
    report = validate_content(guidance, _out_of_scope(args, settings, guidance),
                              args.toolkits or settings.resolve(settings.paths.toolkits), settings.areas,
                              today=args.today, strict=args.strict,
                              synonyms_file=settings.resolve(settings.paths.synonyms))
    _print_report(report)
    return 0 if report.ok else 1


def run_build(args: argparse.Namespace, settings: KnowledgeSettings) -> int:
    """Validate, then build the index with a progress bar; refuse to build on any error."""
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.pipeline import validate_and_build

    guidance, index, cache = _paths(args, settings)
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder(settings.model.name, batch_size=settings.model.batch_size)
    outcome = validate_and_build(guidance, index, cache, embedder, settings, toolkits_file=args.toolkits,
                                 show_progress=True, out_of_scope_dir=_out_of_scope(args, settings, guidance))
    _print_report(outcome.report)
    if outcome.index is None:
        print("index not built: fix the errors above; the previous index (if any) is unchanged", file=sys.stderr)
        return 1
    manifest = outcome.index.manifest
    print(f"built {index}: {manifest.item_count} items, {manifest.chunk_count} chunks "
          f"({outcome.embedded_chunks} embedded, {outcome.reused_chunks} from cache) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


def run_search(args: argparse.Namespace, settings: KnowledgeSettings) -> int:
    """Print the best items for a query, or say that the search abstained."""
    from knowledge.service import GuidanceService

    guidance, index, cache = _paths(args, settings)
    service = GuidanceService.from_directory(guidance, index, cache_dir=cache, settings=settings,
                                             toolkits_file=args.toolkits,
                                             out_of_scope_dir=_out_of_scope(args, settings, guidance))
    response = service.search(args.query, k=args.k, area=args.area)
    if response.redirect is not None:
        print(f"not covered by this guidance ({response.redirect.title}): {response.redirect.text}")
        return 0
    if response.abstained:
        print("no guidance matches this question well enough (abstained)")
        return 0
    for rank, hit in enumerate(response.results, start=1):
        flag = "" if hit.verified else "  [not fully verified]"
        print(f"{rank}. {hit.title} ({hit.id}, score {hit.score:.4f}){flag}")
        print(f"   {hit.snippet}")
        print(f"   source: {hit.source_title} <{hit.source_url}>; reviewed {hit.last_reviewed}, "
              f"review by {hit.review_by}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the guidance YAML")
    check.add_argument("--strict", action="store_true", help="overdue reviews are errors, not warnings")
    check.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)
    for name, text in (("build", "validate and build the search index"),
                       ("reload", "rebuild the on-disk index (a running API reloads via /api/v1/admin/reload)")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--index", type=Path)
        command.add_argument("--cache", type=Path)
    search = commands.add_parser("search", help="search the guidance")
    search.add_argument("query")
    search.add_argument("--area", default=None)
    search.add_argument("--k", type=int, default=None)
    search.add_argument("--index", type=Path)
    search.add_argument("--cache", type=Path)
    for command in commands.choices.values():
        command.add_argument("--guidance", type=Path, help="guidance folder (default knowledge/guidance)")
        command.add_argument("--toolkits", type=Path, help="toolkit list (default knowledge/toolkits.yml)")
        command.add_argument("--out-of-scope", type=Path,
                             help="out-of-scope topics folder (default knowledge/out_of_scope with the default guidance)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = _parser().parse_args(argv)
    settings = load_settings()
    if args.command == "search" and args.k is None:
        args.k = settings.search.top_k
    handlers = {"check": run_check, "build": run_build, "reload": run_build, "search": run_search}
    try:
        return handlers[args.command](args, settings)
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
