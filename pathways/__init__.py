"""Threshold model as YAML, a pure engine that recommends the route, and free-text triage."""
