"""The use cases: one function per action a user can take, for the windows and the command line.

Each function takes the database (or the data folder) and the `Actor` first, then keyword-only
typed inputs; it opens its own unit of work (session, commit, audit events), checks the
actor's role and station, and returns a typed result or raises a `SubsidyDeskError` with a
stable code and a Chinese message. `ui/` and `main.py` call only this layer; the rest of
`core/` sits below it and never imports it.

Modules import what they need inside the functions where it is heavy (SQLAlchemy, the policy
engine, cryptography): the main window calls the list queries before the ORM has loaded.
"""
