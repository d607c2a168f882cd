"""Request ids, JSON logs without message text, and Prometheus metrics for the API."""
