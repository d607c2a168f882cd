"""Validate a guidance folder and report every problem as `path:line: field: problem`."""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from knowledge.schema import ALL_AREAS, GuidanceFile, GuidanceItem
from knowledge.yaml_source import FieldPath, YamlSource, YamlSyntaxError, read_yaml

if TYPE_CHECKING:
    from knowledge.out_of_scope import OutOfScopeTopic

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one guidance file, at one line."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """Every valid item (and out-of-scope topic) and every problem found in one run."""

    items: tuple[GuidanceItem, ...]
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    topics: tuple["OutOfScopeTopic", ...] = ()

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when it is below it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def field_name(path: FieldPath) -> str:
    """Render a field path like `source.url` or `areas[1]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def pydantic_message(error: dict) -> str:
    """One pydantic error detail as a sentence for a YAML author (no pydantic jargon)."""
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "missing (required field)"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind.startswith("date"):
        return f'not a date like 2026-11-21 (got "{given}")'
    if kind == "bool_type":
        return f'not true or false (got "{given}")'
    if kind == "string_type":
        return f"not text (got {given!r})"
    if kind in {"list_type", "model_type", "dict_type"}:
        expected = "a list" if kind == "list_type" else "a mapping of fields"
        return f"not {expected} (got {given!r})"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def load_toolkits(toolkits_file: Path) -> tuple[set[str], list[Problem]]:
    """Return the toolkit keys of knowledge/toolkits.yml, or the problem that stops reading it."""
    shown = display_path(toolkits_file)
    try:
        data = read_yaml(toolkits_file.read_text(encoding="utf-8")).data
    except YamlSyntaxError as error:
        return set(), [Problem(shown, error.line, "yaml", f"malformed YAML: {error.problem}")]
    except OSError as error:
        return set(), [Problem(shown, 1, "(file)", f"cannot read the toolkit list: {error.strerror}")]
    if not isinstance(data, dict) or not data:
        return set(), [Problem(shown, 1, "(file)", "not a mapping of toolkit names")]
    return set(data), []


class FileChecker:
    """Collects problems for one file, turning field paths into lines."""

    def __init__(self, shown_path: str, source: YamlSource | None) -> None:
        self.shown_path = shown_path
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: FieldPath, message: str, severity: Severity = "error", line: int | None = None) -> None:
        if line is None:
            line = self.source.line_of(path) if self.source else 1
        self.problems.append(Problem(self.shown_path, line, field_name(path), message, severity))


def open_mapping_file(file: Path) -> FileChecker:
    """Read one YAML file for checking: syntax, text encoding, duplicate keys and a top-level mapping.

    Returns:
        The file's checker; its ``source`` is None (or its data not a mapping) when checking cannot go on,
        and its problems then say why.
    """
    shown = display_path(file)
    try:
        source = read_yaml(file.read_text(encoding="utf-8"))
    except (YamlSyntaxError, UnicodeDecodeError) as error:
        unreadable = FileChecker(shown, None)
        line, problem = (error.line, f"malformed YAML: {error.problem}") if isinstance(error, YamlSyntaxError) else (
            1, "not UTF-8 text")
        unreadable.problems.append(Problem(shown, line, "yaml", problem))
        return unreadable
    check = FileChecker(shown, source)
    for duplicate in source.duplicates:
        check.add(duplicate.path, f"duplicate key (first at line {duplicate.first_line})", line=duplicate.line)
    if not isinstance(source.data, dict):
        check.add((), "empty file" if source.data is None else "not a mapping of fields", line=1)
    return check


def is_checkable(check: FileChecker) -> bool:
    """True when the file parsed to a mapping, so its fields can be checked."""
    return check.source is not None and isinstance(check.source.data, dict)


def _check_context(
    check: FileChecker, data: dict[str, Any], folder: str | None, toolkits: set[str], areas: set[str], today: date,
    strict: bool,
) -> None:
    toolkit = data.get("toolkit")
    if isinstance(toolkit, str) and toolkits:
        if toolkit not in toolkits:
            check.add(("toolkit",), f'unknown toolkit "{toolkit}" (known: {", ".join(sorted(toolkits))})')
        elif folder is not None and toolkit != folder:
            check.add(("toolkit",), f'"{toolkit}" does not match the folder "{folder}"')
    listed = data.get("areas")
    if isinstance(listed, list):
        for index, area in enumerate(listed):
            if area not in areas | {ALL_AREAS}:
                known = ", ".join([ALL_AREAS, *sorted(areas)])
                check.add(("areas", index), f'unknown area "{area}" (known: {known})')
    if data.get("verified") is False and not str(data.get("unverified_note") or "").strip():
        check.add(("unverified_note",), "required when verified is false: say what is unchecked",
                  line=check.source.line_of(("verified",)))
    reviewed, review_by = data.get("last_reviewed"), data.get("review_by")
    if isinstance(review_by, date):
        if isinstance(reviewed, date) and review_by < reviewed:
            check.add(("review_by",), f"{review_by} is before last_reviewed {reviewed}")
        elif review_by < today:
            check.add(("review_by",), f"review overdue since {review_by}", "error" if strict else "warning")


def _check_file(
    file: Path, guidance_dir: Path, toolkits: set[str], areas: set[str], today: date, strict: bool
) -> tuple[GuidanceItem | None, list[Problem], int]:
    relative = file.relative_to(guidance_dir)
    check = open_mapping_file(file)
    if len(relative.parts) != 2:
        check.add((), "must sit in a toolkit folder: knowledge/guidance/<toolkit>/<slug>.yml", line=1)
    if not is_checkable(check):
        return None, check.problems, 1
    source = check.source
    assert source is not None
    folder = relative.parts[0] if len(relative.parts) == 2 else None
    _check_context(check, source.data, folder, toolkits, areas, today, strict)
    try:
        parsed = GuidanceFile.model_validate(source.data)
    except ValidationError as error:
        for detail in error.errors():
            check.add(tuple(detail["loc"]), pydantic_message(detail))
        return None, check.problems, source.line_of(("id",))
    item = GuidanceItem.from_file(parsed, os.fspath(relative))
    return item, check.problems, source.line_of(("id",))


def validate_guidance(
    guidance_dir: Path, toolkits_file: Path, areas: list[str], *, today: date | None = None, strict: bool = False
) -> ValidationReport:
    """Validate every `*.yml` under `guidance_dir` and collect all problems in one run.

    Args:
        guidance_dir: folder holding `<toolkit>/<slug>.yml` files.
        toolkits_file: YAML mapping whose keys are the allowed toolkits.
        areas: the allowed area names (besides `all`).
        today: the date overdue reviews are measured against (default: today).
        strict: report overdue reviews as errors instead of warnings.

    Returns:
        The valid items (only when there are no errors at all) and the problems found.
    """
    today = today or date.today()
    toolkits, problems = load_toolkits(toolkits_file)
    files = sorted(p for p in guidance_dir.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())
    if not files:
        problems.append(Problem(display_path(guidance_dir), 1, "(folder)", "no guidance files found"))
    items: list[GuidanceItem] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for file in files:
        item, found, id_line = _check_file(file, guidance_dir, toolkits, set(areas), today, strict)
        problems.extend(found)
        if item is None:
            continue
        if item.id in first_seen:
            other_path, other_line = first_seen[item.id]
            problems.append(Problem(display_path(file), id_line, "id",
                                    f'duplicate id "{item.id}" (also in {other_path}:{other_line})'))
            continue
        first_seen[item.id] = (display_path(file), id_line)
        items.append(item)
    errors = tuple(p for p in problems if p.severity == "error")
    warnings = tuple(p for p in problems if p.severity == "warning")
    return ValidationReport(items=() if errors else tuple(items), errors=errors, warnings=warnings)
