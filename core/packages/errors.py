"""Errors of the package exchange: a stable code, a Chinese message that says what to do."""

from __future__ import annotations

from core.errors import SubsidyDeskError

# The command line returns this when a package fails verification, so that scripts can tell a
# bad package (someone must look at the USB stick) from bad input (2) or a database problem.
EXIT_PACKAGE_REJECTED = 9


class PackageError(SubsidyDeskError):
    """Something about keys, batches or packages that the clerk must act on."""


class PackageRejected(PackageError):
    """A package failed verification; `problems` holds every (code, message) found."""

    def __init__(self, code: str, message_zh: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(code, message_zh)
        self.problems = problems or [(code, message_zh)]
