"""Domain exceptions of the pathways package (no HTTP codes: the API maps them)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelProblem:
    """One problem in a threshold-model YAML file, for the people who write the YAML."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


class ModelError(Exception):
    """The threshold model could not be loaded; carries every problem found in one run."""

    def __init__(self, problems: list[ModelProblem]):
        self.problems = problems
        first = problems[0] if problems else ModelProblem("?", 0, "?", "unknown problem")
        self.file, self.line, self.field, self.problem = first.file, first.line, first.field, first.problem
        super().__init__("\n".join(str(p) for p in problems))


class AssessmentError(ValueError):
    """Input to the engine or triage is invalid: names the field and the problem."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ContradictoryAnswers(AssessmentError):
    """Two answers say opposite things about the same rule; the practitioner must choose."""
