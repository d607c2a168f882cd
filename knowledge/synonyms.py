"""Query expansion: abbreviations and local words (knowledge/synonyms.yml) spelled out inside the query."""

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.validate import FileChecker, Problem, display_path, pydantic_message
from knowledge.yaml_source import YamlSyntaxError, read_yaml

TERM = re.compile(r"^[a-z0-9][a-z0-9 '-]*$")
# Terms at least this long also match with a plural "s".
MIN_PLURAL_TERM = 3


class SynonymsFile(BaseModel):
    """knowledge/synonyms.yml as the knowledge team writes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    terms: dict[str, str]


@dataclass(frozen=True)
class QueryExpander:
    """Spells out known terms in a query, keeping the original words: "rhi due?" -> "rhi (return home interview) due?"."""

    terms: tuple[tuple[str, str], ...] = ()

    def keys(self) -> frozenset[str]:
        """The one-word terms (lowercase) this expander knows, e.g. `soton`: query words that are not typos."""
        return frozenset(key for key, _ in self.terms if " " not in key)

    def expand(self, query: str) -> str:
        """Return `query` with each known term followed by its expansion in brackets (once per term).

        A term of three or more characters also matches with a plural "s" ("EHAs", "DNAs"); a shorter one does
        not, as "cps" or "hvs" may be another abbreviation altogether.
        """
        if not self.terms:
            return query
        expansions = dict(self.terms)
        keys = "|".join(re.escape(key) for key, _ in sorted(self.terms, key=lambda t: -len(t[0])))
        pattern = r"\b(" + keys + r")(s?)\b"
        seen: set[str] = set()

        def spell_out(match: re.Match) -> str:
            key = match.group(1).lower()
            plural_of_short_term = bool(match.group(2)) and len(key) < MIN_PLURAL_TERM
            if plural_of_short_term or key in seen or expansions[key].lower() in query.lower():
                return match.group(0)
            seen.add(key)
            return f"{match.group(0)} ({expansions[key]})"

        return re.sub(pattern, spell_out, query, flags=re.IGNORECASE)


def check_synonyms(path: Path) -> tuple[QueryExpander, list[Problem]]:
    """Read and validate the synonyms file; a missing file means no expansion.

    Returns:
        The expander (empty when there are problems) and the problems as `path:line: field: problem`.
    """
    shown = display_path(path)
    if not path.is_file():
        return QueryExpander(), []
    try:
        source = read_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as error:
        return QueryExpander(), [Problem(shown, error.line, "yaml", f"malformed YAML: {error.problem}")]
    check = FileChecker(shown, source)
    for duplicate in source.duplicates:
        check.add(duplicate.path, f"duplicate key (first at line {duplicate.first_line})", line=duplicate.line)
    try:
        parsed = SynonymsFile.model_validate(source.data)
    except ValidationError as error:
        for detail in error.errors():
            check.add(tuple(detail["loc"]), pydantic_message(detail))
        return QueryExpander(), check.problems
    for key, expansion in parsed.terms.items():
        if not TERM.match(key):
            check.add(("terms", key), "write the term in lower case letters, digits, spaces or hyphens")
        elif not expansion:
            check.add(("terms", key), "empty expansion")
    if check.problems:
        return QueryExpander(), check.problems
    return QueryExpander(tuple((key.lower(), value) for key, value in parsed.terms.items())), []


def load_synonyms(path: Path) -> QueryExpander:
    """Return the expander for a synonyms file already validated (problems ignored: no expansion)."""
    return check_synonyms(path)[0]
