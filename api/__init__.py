"""FastAPI service: chat channels, guidance, pathways and operations endpoints."""
