"""Read YAML with line numbers and turn validation failures into `file:line: field: problem`."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pathways.errors import ModelProblem

Loc = Sequence[str | int]
T = TypeVar("T")


class YamlDocument:
    """One parsed YAML file that remembers the line of every key and list item."""

    def __init__(self, path: Path, display_path: str, data: Any):
        self.path = path
        self.display_path = display_path
        self.data = data

    def line_of(self, loc: Loc) -> int:
        """1-based line of the deepest node of `loc` that exists in the file."""
        node, line = self.data, 1
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        return line

    def problem(self, loc: Loc, problem: str) -> ModelProblem:
        """A problem located at `loc` in this file."""
        return ModelProblem(self.display_path, self.line_of(loc), field_name(loc), problem)


def field_name(loc: Loc) -> str:
    """`('gates', 3, 'route')` → `gates[3].route`."""
    text = ""
    for key in loc:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text or "(document)"


def read_yaml(path: Path, root: Path) -> tuple[YamlDocument | None, list[ModelProblem]]:
    """Parse one file with the round-trip loader (duplicate keys are an error)."""
    display = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        return None, [ModelProblem(display, line, "(yaml)", problem)]
    except (YAMLError, OSError, UnicodeDecodeError) as exc:
        return None, [ModelProblem(display, 1, "(yaml)", " ".join(str(exc).split()))]
    return YamlDocument(path, display, data), []


def validate(doc: YamlDocument, loc: Loc, data: Any, schema: type[T]) -> tuple[T | None, list[ModelProblem]]:
    """Validate `data` (found at `loc` in `doc`) against a schema; every error located by line."""
    try:
        return TypeAdapter(schema).validate_python(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            full = [*loc, *error["loc"]]
            message = error["msg"]
            if error["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
                message = "unknown field"
            elif not isinstance(error.get("input"), (dict, list, CommentedMap, CommentedSeq)):
                message += f' (got "{error.get("input")}")'
            problems.append(doc.problem(full, message))
        return None, problems
