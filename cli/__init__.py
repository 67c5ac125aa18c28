"""The command line's jobs, registered into main.py's parser; each calls one use case of core.app.

Nothing heavy is imported at module level: main.py builds its parser at every start, and the
window must not wait for SQLAlchemy, `cryptography` or openpyxl.
"""
