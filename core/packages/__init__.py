"""Signed batch packages: the town exports cases to the county and imports its results.

Pure Python, no Qt. Importing this package is cheap; the submodules pull in `cryptography`,
`zipfile` and openpyxl only when a job needs them.
"""
