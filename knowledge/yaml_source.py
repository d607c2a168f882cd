"""Read a YAML file with ruamel.yaml round-trip: the data, the line of every field, duplicate keys."""

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class DuplicateKey:
    """A key that appears twice in one mapping."""

    path: FieldPath
    line: int
    first_line: int


@dataclass(frozen=True)
class YamlSource:
    """A parsed YAML document with 1-based line numbers for each field path."""

    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)
    duplicates: tuple[DuplicateKey, ...] = ()

    def line_of(self, path: FieldPath) -> int:
        """Return the line of `path`, or of its nearest ancestor that has one (1 at worst)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


class YamlSyntaxError(Exception):
    """Malformed YAML, with the 1-based line where the parser gave up."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"{line}: {problem}")


def _walk(node: Node, path: FieldPath, lines: dict, duplicates: list) -> None:
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(DuplicateKey(path + (key,), line, seen[key]))
                continue
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, duplicates)
    elif isinstance(node, SequenceNode):
        for index, item_node in enumerate(node.value):
            lines[path + (index,)] = item_node.start_mark.line + 1
            _walk(item_node, path + (index,), lines, duplicates)


def _plain(value: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def read_yaml(text: str) -> YamlSource:
    """Parse `text`, keeping the first value of a duplicated key and reporting the duplicate.

    Args:
        text: the YAML document.

    Returns:
        The data as plain Python values, the line of every field and the duplicate keys.

    Raises:
        YamlSyntaxError: the text is not well-formed YAML.
    """
    try:
        root = YAML(typ="rt").compose(text)
        loader = YAML(typ="rt")
        loader.allow_duplicate_keys = True
        data = loader.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlSyntaxError(line, problem or "malformed YAML") from None
    except YAMLError as error:
        raise YamlSyntaxError(1, str(error).splitlines()[0]) from None
    lines: dict[FieldPath, int] = {}
    duplicates: list[DuplicateKey] = []
    if root is not None:
        lines[()] = root.start_mark.line + 1
        _walk(root, (), lines, duplicates)
    return YamlSource(data=_plain(data), lines=lines, duplicates=tuple(duplicates))
