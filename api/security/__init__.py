"""Request limits for the API: CORS origins, body size, and a per-session rate limit on chat."""
