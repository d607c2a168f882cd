"""Safeguarding guidance: YAML items validated, chunked, embedded, indexed and searched.

Entry points: `knowledge.service.GuidanceService` for code, `python -m knowledge` for people.
"""
