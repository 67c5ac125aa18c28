"""Our overrides of Qt's virtual methods must never raise.

PySide6 (seen on 6.8 up to 6.12, with Python 3.11) crashes the whole program when an
exception raised inside C code (ZeroDivisionError, ValueError from int(), a wrong keyword
argument) escapes from a Python override of a C++ virtual such as QAbstractItemModel.data or
QWizardPage.validatePage: shiboken reads the exception's arguments before Python has built
them. Slots connected to signals are safe; overrides are not. So every override in ui/ is
wrapped: an unexpected error goes to sys.excepthook (logged, and one dialog for the user)
and Qt gets a harmless answer instead.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")


def shielded(fallback: R) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Wrap a Qt override: on an unexpected error, report it and return `fallback`."""

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:  # see the module docstring
                sys.excepthook(type(exc), exc, exc.__traceback__)
                return fallback

        return run

    return wrap
