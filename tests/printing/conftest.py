"""A real database with the sample cases of sample.py, and a helper that reads PDFs back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from core.db import Database
from core.db.models import Office
from tests.printing.sample import SampleCases, add_office, add_samples


@dataclass
class Printing:
    db: Database
    office_id: int
    cases: SampleCases


@pytest.fixture
def printing(db: Database) -> Iterator[Printing]:
    with db.session() as s:
        office = add_office(s)
        cases = add_samples(s, office)
        s.commit()
        yield Printing(db, office.id, cases)


@pytest.fixture
def office(printing: Printing) -> Office:
    with printing.db.session() as s:
        found = s.get(Office, printing.office_id)
        assert found is not None
        s.expunge(found)
        return found


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a viewer's copy or search sees it."""
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))
