"""Domain exceptions of the knowledge package. They carry no HTTP codes; the API maps them."""


class KnowledgeError(Exception):
    """Base class for every error the knowledge package raises on purpose."""


class GuidanceInvalid(KnowledgeError):
    """The guidance content has validation errors, so no index can be built from it."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} guidance error(s); first: {errors[0] if errors else '-'}")


class IndexUnavailable(KnowledgeError):
    """No usable index: the one on disk is missing or corrupt and it cannot be rebuilt."""


class IndexCorrupt(KnowledgeError):
    """The index on disk does not match its manifest or cannot be read."""


class InvalidQuery(KnowledgeError):
    """A search request the service cannot answer as given (empty, too long, unknown area, bad k)."""


class IndexMissing(KnowledgeError):
    """No index has been built at the given path yet."""
