"""Read practitioner-written cases (`pathways/cases/*.yml`) and evaluation vignettes (`pathways/eval/*.yml`)."""

from pathlib import Path

from pydantic import Field
from pydantic.dataclasses import dataclass

from pathways.errors import ModelError, ModelProblem
from pathways.model import YAML_TYPE, Route
from pathways.yaml_source import read_yaml, validate


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Expected:
    """What a case should give: the route, optionally the level, and rules that must fire."""

    route: Route
    level: int | None = None
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Case:
    """One structured case: a sentence as its name, the input, and the expected result."""

    name: str = Field(min_length=10)
    area: str | None = None
    age: int | None = None
    answers: dict[str, str]
    expected: Expected


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class CasesFile:
    cases: tuple[Case, ...] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Vignette:
    """A free-text description with the route a careful practitioner would expect."""

    id: str
    author: str
    area: str
    expected: Route
    text: str = Field(min_length=10)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class VignettesFile:
    vignettes: tuple[Vignette, ...] = Field(min_length=1)


def load_cases(cases_dir: Path) -> list[tuple[str, Case]]:
    """Every case in `cases_dir/*.yml` as (file name, case); raises ModelError listing every problem."""
    problems: list[ModelProblem] = []
    cases: list[tuple[str, Case]] = []
    for path in sorted(Path(cases_dir).glob("*.yml")):
        doc, found = read_yaml(path, Path(cases_dir).parent)
        problems += found
        if doc is None:
            continue
        parsed, found = validate(doc, (), doc.data, CasesFile)
        problems += found
        if parsed is not None:
            cases += [(path.name, case) for case in parsed.cases]
    if problems:
        raise ModelError(problems)
    return cases


def load_vignettes(path: Path) -> list[Vignette]:
    """The vignettes of one evaluation file; raises ModelError listing every problem."""
    doc, problems = read_yaml(Path(path), Path(path).parent.parent)
    parsed = None
    if doc is not None:
        parsed, found = validate(doc, (), doc.data, VignettesFile)
        problems += found
    if problems or parsed is None:
        raise ModelError(problems)
    return list(parsed.vignettes)

