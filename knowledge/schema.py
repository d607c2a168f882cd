"""The guidance item: its YAML shape (pydantic, strict) and its internal form (frozen dataclasses)."""

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, StrictBool, field_validator

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
ALL_AREAS = "all"


class _YamlModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceFile(_YamlModel):
    """`source:` of a guidance file."""

    title: str
    url: str

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("empty")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_web_address(cls, value: str) -> str:
        if not URL_PATTERN.match(value):
            raise ValueError(f'not a web address starting with https:// (got "{value}")')
        return value


class GuidanceFile(_YamlModel):
    """One guidance YAML file as authors write it (see docs/architecture.md "Guidance item").

    Checks that need context (toolkit list, folder, areas, duplicate ids, dates) live in
    `knowledge.validate`, where the line of each field is known.
    """

    id: str
    toolkit: str
    title: str
    areas: list[str]
    body: str
    source: SourceFile
    owner: str
    last_reviewed: date
    review_by: date
    verified: StrictBool
    unverified_note: str | None = None
    # Questions this item answers, in practitioners' own words (optional). Each is embedded as well as the body,
    # so a question asked in a practitioner's words can match the item (ADR 0008, addendum 2).
    questions: list[str] = []

    @field_validator("id")
    @classmethod
    def _id_is_kebab_case(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f'not kebab-case like "csa-signs-and-indicators" (got "{value}")')
        return value

    @field_validator("title", "body", "owner")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("empty")
        return value

    @field_validator("questions")
    @classmethod
    def _questions_distinct(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(question.split()) for question in value]
        if any(not question for question in cleaned):
            raise ValueError("an empty question: write each question this item answers, or leave the list out")
        if len({question.lower() for question in cleaned}) != len(cleaned):
            raise ValueError("the same question is listed twice")
        return cleaned

    @field_validator("areas")
    @classmethod
    def _areas_not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("empty list: give [all] or one or more areas")
        return value


@dataclass(frozen=True)
class Source:
    """Where the facts of an item come from."""

    title: str
    url: str


@dataclass(frozen=True)
class GuidanceItem:
    """A validated guidance item, as the rest of the system sees it."""

    id: str
    toolkit: str
    title: str
    areas: tuple[str, ...]
    body: str
    source: Source
    owner: str
    last_reviewed: date
    review_by: date
    verified: bool
    unverified_note: str | None
    path: str
    questions: tuple[str, ...] = ()

    def applies_to(self, area: str | None) -> bool:
        """Return True when the item is relevant to `area` (None means any area)."""
        return area is None or ALL_AREAS in self.areas or area in self.areas

    def paragraphs(self) -> list[str]:
        """Return the body's paragraphs (separated by blank lines), stripped, none empty."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.body) if part.strip()]

    @classmethod
    def from_file(cls, parsed: GuidanceFile, path: str) -> "GuidanceItem":
        """Build the internal item from a validated file model."""
        return cls(
            id=parsed.id,
            toolkit=parsed.toolkit,
            title=parsed.title,
            areas=tuple(parsed.areas),
            body=parsed.body,
            source=Source(title=parsed.source.title, url=parsed.source.url),
            owner=parsed.owner,
            last_reviewed=parsed.last_reviewed,
            review_by=parsed.review_by,
            verified=parsed.verified,
            unverified_note=parsed.unverified_note or None,
            path=path,
            questions=tuple(parsed.questions),
        )

    def to_json(self) -> dict[str, object]:
        """Return a JSON-safe dict (dates as ISO strings) for the index metadata."""
        return {
            "id": self.id,
            "toolkit": self.toolkit,
            "title": self.title,
            "areas": list(self.areas),
            "body": self.body,
            "source": {"title": self.source.title, "url": self.source.url},
            "owner": self.owner,
            "last_reviewed": self.last_reviewed.isoformat(),
            "review_by": self.review_by.isoformat(),
            "verified": self.verified,
            "unverified_note": self.unverified_note,
            "path": self.path,
            "questions": list(self.questions),
        }

    @classmethod
    def from_json(cls, data: dict) -> "GuidanceItem":
        """Inverse of `to_json`."""
        return cls(
            id=data["id"],
            toolkit=data["toolkit"],
            title=data["title"],
            areas=tuple(data["areas"]),
            body=data["body"],
            source=Source(**data["source"]),
            owner=data["owner"],
            last_reviewed=date.fromisoformat(data["last_reviewed"]),
            review_by=date.fromisoformat(data["review_by"]),
            verified=data["verified"],
            unverified_note=data["unverified_note"],
            path=data["path"],
            questions=tuple(data["questions"]),
        )
