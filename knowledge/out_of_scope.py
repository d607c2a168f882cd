"""Out-of-scope topics: subjects the knowledge team declares NOT covered, each with where to go instead.

One file per topic, `knowledge/out_of_scope/<slug>.yml`, validated like guidance (strict fields, line-numbered
errors, duplicate keys and ids rejected). The topics are embedded beside the guidance; a search abstains and
returns the topic's `redirect` when a topic matches the question clearly better than any guidance item.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from knowledge.schema import ID_PATTERN
from knowledge.validate import Problem, display_path, is_checkable, open_mapping_file, pydantic_message


class OutOfScopeFile(BaseModel):
    """One out-of-scope topic file as the knowledge team writes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str
    title: str
    description: str
    phrasings: list[str]
    redirect: str
    owner: str

    @field_validator("id")
    @classmethod
    def _id_is_kebab_case(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f'not kebab-case like "adult-safeguarding" (got "{value}")')
        return value

    @field_validator("title", "description", "redirect", "owner")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("empty")
        return value

    @field_validator("phrasings")
    @classmethod
    def _phrasings_given(cls, value: list[str]) -> list[str]:
        if not value or any(not phrase.strip() for phrase in value):
            raise ValueError("give one or more non-empty example questions")
        return [" ".join(phrase.split()) for phrase in value]


@dataclass(frozen=True)
class OutOfScopeTopic:
    """A validated out-of-scope topic."""

    id: str
    title: str
    description: str
    phrasings: tuple[str, ...]
    redirect: str
    owner: str
    path: str

    def texts(self) -> list[str]:
        """The texts embedded for this topic: title with description, then each typical phrasing."""
        return [f"{self.title}\n\n{' '.join(self.description.split())}", *self.phrasings]

    def to_json(self) -> dict[str, object]:
        """Return a JSON-safe dict for the index metadata."""
        return {"id": self.id, "title": self.title, "description": self.description,
                "phrasings": list(self.phrasings), "redirect": self.redirect, "owner": self.owner, "path": self.path}

    @classmethod
    def from_json(cls, data: dict) -> "OutOfScopeTopic":
        """Inverse of `to_json`."""
        return cls(**{**data, "phrasings": tuple(data["phrasings"])})


def _check_topic_file(file: Path, folder: Path) -> tuple[OutOfScopeTopic | None, list[Problem], int]:
    check = open_mapping_file(file)
    if not is_checkable(check):
        return None, check.problems, 1
    source = check.source
    assert source is not None
    try:
        parsed = OutOfScopeFile.model_validate(source.data)
    except ValidationError as error:
        for detail in error.errors():
            check.add(tuple(detail["loc"]), pydantic_message(detail))
        return None, check.problems, source.line_of(("id",))
    if check.problems:
        return None, check.problems, source.line_of(("id",))
    topic = OutOfScopeTopic(id=parsed.id, title=parsed.title, description=parsed.description,
                            phrasings=tuple(parsed.phrasings), redirect=" ".join(parsed.redirect.split()),
                            owner=parsed.owner, path=os.fspath(file.relative_to(folder)))
    return topic, [], source.line_of(("id",))


def validate_out_of_scope(folder: Path | None, guidance_ids: set[str]) -> tuple[tuple[OutOfScopeTopic, ...],
                                                                                   list[Problem]]:
    """Validate every `*.yml` in `folder` (no folder, or none there: no topics) and collect all problems.

    Args:
        folder: the out-of-scope topics folder, or None.
        guidance_ids: ids of the guidance items; a topic may not reuse one.

    Returns:
        The valid topics and the problems found (all are errors).
    """
    if folder is None or not folder.is_dir():
        return (), []
    topics: list[OutOfScopeTopic] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for file in sorted(p for p in folder.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file()):
        topic, found, id_line = _check_topic_file(file, folder)
        problems.extend(found)
        if topic is None:
            continue
        where = f"{display_path(file)}:{id_line}"
        if topic.id in first_seen or topic.id in guidance_ids:
            other = first_seen.get(topic.id, "a guidance item")
            problems.append(Problem(display_path(file), id_line, "id", f'duplicate id "{topic.id}" (also {other})'))
            continue
        first_seen[topic.id] = f"in {where}"
        topics.append(topic)
    return tuple(topics), problems
