"""Where the program's own files are: the source checkout, or the PyInstaller bundle when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def program_root() -> Path:
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))


def resource_dir(kind: str) -> Path:
    """resources/<kind>: "policies", "fonts" or "icons"."""
    return program_root() / "resources" / kind
