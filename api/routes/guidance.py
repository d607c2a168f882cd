"""Guidance search and lookup over HTTP: thin wrappers around `knowledge.service.GuidanceService`."""

from datetime import date

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from api.deps import GuidanceDep
from knowledge.errors import IndexUnavailable, InvalidQuery
from knowledge.schema import GuidanceItem
from knowledge.search import SearchHit
from knowledge.settings import load_settings

router = APIRouter(prefix="/api/v1/guidance", tags=["guidance"])
_limits = load_settings().search
_areas = load_settings().areas


class GuidanceSearchRequest(BaseModel):
    """A search: the question, how many items (1..10) and optionally the practitioner's area."""

    model_config = ConfigDict(extra="forbid")

    query: StrictStr = Field(description=f"the question, 1 to {_limits.max_query_chars} characters")
    k: StrictInt = Field(default=_limits.top_k, ge=1, le=_limits.max_k)
    area: StrictStr | None = Field(default=None, description=f"one of {', '.join(_areas)}, or null for all areas")

    @field_validator("query")
    @classmethod
    def _query_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("query must not be empty")
        if len(value) > _limits.max_query_chars:
            raise ValueError(f"query must be at most {_limits.max_query_chars} characters")
        return value.strip()

    @field_validator("area")
    @classmethod
    def _area_is_known(cls, value: str | None) -> str | None:
        if value is not None and value not in _areas:
            raise ValueError(f"area must be one of {', '.join(_areas)} (or null)")
        return value


class GuidanceHitOut(BaseModel):
    """One item found, with the passage that matched best."""

    id: str
    toolkit: str
    title: str
    snippet: str
    source_title: str
    source_url: str
    last_reviewed: date
    review_by: date
    verified: bool
    score: float


class GuidanceSearchResponse(BaseModel):
    """Results best first; `abstained` true (and no results) when no item matches well enough."""

    results: list[GuidanceHitOut]
    abstained: bool
    redirect: str | None = Field(default=None, description="where to ask instead, only when the question is a topic "
                                 "the guidance declares out of scope")


class SourceOut(BaseModel):
    title: str
    url: str


class GuidanceItemOut(BaseModel):
    """A whole guidance item."""

    id: str
    toolkit: str
    title: str
    areas: list[str]
    body: str
    source: SourceOut
    owner: str
    last_reviewed: date
    review_by: date
    verified: bool
    unverified_note: str | None


def _hit_out(hit: SearchHit) -> GuidanceHitOut:
    return GuidanceHitOut(
        id=hit.id, toolkit=hit.toolkit, title=hit.title, snippet=hit.snippet, source_title=hit.source_title,
        source_url=hit.source_url, last_reviewed=hit.last_reviewed, review_by=hit.review_by, verified=hit.verified,
        score=hit.score,
    )


def _item_out(item: GuidanceItem) -> GuidanceItemOut:
    return GuidanceItemOut(
        id=item.id, toolkit=item.toolkit, title=item.title, areas=list(item.areas), body=item.body,
        source=SourceOut(title=item.source.title, url=item.source.url), owner=item.owner,
        last_reviewed=item.last_reviewed, review_by=item.review_by, verified=item.verified,
        unverified_note=item.unverified_note,
    )


def _require(service: object) -> None:
    if service is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "guidance search is not available")


@router.post("/search", response_model_exclude_none=True)
def search_guidance(request: GuidanceSearchRequest, service: GuidanceDep) -> GuidanceSearchResponse:
    """Search the guidance; abstains rather than return a weak match."""
    _require(service)
    try:
        response = service.search(request.query, k=request.k, area=request.area)
    except InvalidQuery as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    except IndexUnavailable:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "guidance search is not available") from None
    return GuidanceSearchResponse(results=[_hit_out(hit) for hit in response.results], abstained=response.abstained,
                                  redirect=response.redirect.text if response.redirect else None)


@router.get("/{item_id}")
def get_guidance_item(item_id: str, service: GuidanceDep) -> GuidanceItemOut:
    """Return one guidance item by id (404 when there is none)."""
    _require(service)
    item = service.get(item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f'no guidance item with id "{item_id[:100]}"')
    return _item_out(item)
