"""Identifiers that mean different things get different types (a case id is not a person id)."""

from __future__ import annotations

from typing import NewType

PersonId = NewType("PersonId", int)
OrganisationId = NewType("OrganisationId", int)
CaseId = NewType("CaseId", int)
CaseUuid = NewType("CaseUuid", str)  # the case's identity across town and county; never changes
