"""Prometheus metrics: requests and latency by route, retrieval latency, index version, Rasa availability."""

import json
import time
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)

HTTP_REQUESTS = Counter("hips_http_requests_total", "HTTP requests answered, by route template and status",
                        ("method", "route", "status"), registry=REGISTRY)
HTTP_LATENCY = Histogram("hips_http_request_duration_seconds", "Time to answer, by route template",
                         ("method", "route"), buckets=LATENCY_BUCKETS, registry=REGISTRY)
RETRIEVAL_LATENCY = Histogram("hips_retrieval_duration_seconds", "Guidance search time (embedding and search)",
                              buckets=LATENCY_BUCKETS, registry=REGISTRY)
INDEX_INFO = Gauge("hips_guidance_index_info", "The guidance index being served (1 for the current one)",
                   ("content_hash", "built_at", "item_count"), registry=REGISTRY)
RASA_UP = Gauge("hips_rasa_up", "1 when the Rasa server answered its status route at the last scrape",
                registry=REGISTRY)
RATE_LIMITED = Counter("hips_rate_limited_total", "Chat messages refused by the per-session rate limit",
                       registry=REGISTRY)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency."""
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route).observe(seconds)


def set_index_info(index_dir: Path) -> None:
    """Publish the served index's content hash from its manifest (nothing when there is none)."""
    INDEX_INFO.clear()
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    INDEX_INFO.labels(str(manifest.get("content_hash", ""))[:16], str(manifest.get("built_at", "")),
                      str(manifest.get("item_count", ""))).set(1)


def render_metrics() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)


class TimedGuidance:
    """Wraps the guidance service so every search is timed; everything else passes through."""

    def __init__(self, service: Any, index_dir: Path) -> None:
        self._service = service
        self._index_dir = index_dir

    def search(self, *args: Any, **kwargs: Any) -> Any:
        """Search and record how long it took."""
        started = time.perf_counter()
        try:
            return self._service.search(*args, **kwargs)
        finally:
            RETRIEVAL_LATENCY.observe(time.perf_counter() - started)

    def reload(self, *args: Any, **kwargs: Any) -> Any:
        """Reload and publish the new index version."""
        report = self._service.reload(*args, **kwargs)
        set_index_info(self._index_dir)
        return report

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)
