"""Thin wrappers: each runs one core call in its own session and hands back the result.

Widgets call these and refresh; no SQL and no policy logic lives in ui/.
"""
