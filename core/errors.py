"""Errors a clerk can meet: a stable code for tests, a Chinese message for people.

Every message names the field and says how to fix it.
"""

from __future__ import annotations

# Exit codes of the command line when the database cannot be used, so scripts can tell why.
EXIT_LOCKED = 3
EXIT_READ_ONLY = 4
EXIT_CORRUPT = 5
EXIT_TOO_NEW = 6
EXIT_UNUSABLE = 7


class SubsidyDeskError(Exception):
    """Base of every error that the program explains to the user."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


class ValidationError(SubsidyDeskError):
    """A value typed by the clerk is not acceptable; `field` names where it was typed."""

    def __init__(self, code: str, field: str, message_zh: str) -> None:
        super().__init__(code, message_zh)
        self.field = field


class NotFoundError(SubsidyDeskError):
    """A record asked for by id does not exist."""


class DatabaseUnavailable(SubsidyDeskError):
    """The database file cannot be used; it is left exactly as it was found.

    `exit_code` is what the command line returns, so scripts can tell the causes apart.
    """

    def __init__(self, code: str, message_zh: str, exit_code: int) -> None:
        super().__init__(code, message_zh)
        self.exit_code = exit_code


class InvalidInput(SubsidyDeskError):
    """Several field errors at once, so a form can mark every field that needs fixing."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("INVALID_INPUT", "\n".join(e.message_zh for e in errors))
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]


class Cancelled(SubsidyDeskError):
    """The user cancelled a long job; whatever it had begun is undone by the code it ran in."""

    def __init__(self) -> None:
        super().__init__("CANCELLED", "已取消，没有做任何改动。")
