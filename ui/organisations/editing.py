"""Opening the organisation dialog from the list or the menu: new, or the one chosen to correct."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.actor import Actor
from core.app import applicants as applicant_ops
from core.app.storage import Database
from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService


def new_organisation(parent: QWidget, db: Database, actor: Actor) -> int | None:
    """The id of the organisation registered, or None when the clerk cancelled."""
    from ui.dialogs.organisation import OrganisationDialog

    dialog = OrganisationDialog(
        lambda data: applicant_ops.save_organisation(db, actor, data=data), parent=parent
    )
    return dialog.saved_id if dialog.exec() else None


def edit_organisation(
    parent: QWidget, db: Database, actor: Actor, dialogs: DialogService, organisation_id: int
) -> int | None:
    """The id of the organisation corrected, or None when cancelled or no longer there."""
    from ui.dialogs.organisation import OrganisationDialog

    try:
        initial = applicant_ops.load_organisation(db, organisation_id=organisation_id)
    except SubsidyDeskError as exc:
        dialogs.error(parent, "找不到单位", exc.message_zh)
        return None
    dialog = OrganisationDialog(
        lambda data: applicant_ops.save_organisation(db, actor, data=data, organisation_id=organisation_id),
        initial=initial,
        parent=parent,
    )
    return dialog.saved_id if dialog.exec() else None
