"""Organisations: a list like the persons' (searched, paged), and an edit dialog with every field
checked (the credit code by its check character), each change audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from core import audit
from core.actor import Actor
from core.app import applicants as applicant_ops
from core.app.catalogs import CatalogChoices
from core.app.paging import PAGE_SIZE
from core.applicant_types import OrganisationInput
from core.db.models import AuditEvent, Organisation
from core.errors import InvalidInput
from core.identity.uscc import ALPHABET, uscc_check_character
from tests.test_gui import press, type_text
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.organisation import OrganisationDialog
from ui.main_window import MainWindow
from ui.organisations.model import OrganisationTableModel
from ui.organisations.state import OrganisationListState

CLERK = Actor("李经办")
MANY = PAGE_SIZE * 2 + 31  # two full pages and a short one


def uscc(seq: int) -> str:
    digits = f"{seq:08d}"
    first17 = "91610328MA" + "".join(ALPHABET[int(d)] for d in digits[1:])
    return first17 + uscc_check_character(first17)


WORKSHOP = OrganisationInput(
    name="千阳县水沟镇柿沟村就业帮扶车间",
    uscc=uscc(1),
    org_type="assistance_workshop",
    legal_representative="王建设",
    town="水沟镇",
    address="柿沟村二组",
    phone="0917-4212345",
    bank_name="千阳县农村信用合作联社",
    bank_account="2701000012345678",
)


def saved(db, data: OrganisationInput = WORKSHOP, organisation_id: int | None = None) -> int:
    return applicant_ops.save_organisation(db, CLERK, data=data, organisation_id=organisation_id)


def many_organisations(db, count: int = MANY) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            insert(Organisation),
            [
                {"name": f"{'甲乙丙丁'[i % 4]}公司{i:04d}", "uscc": uscc(100 + i), "org_type": "enterprise",
                 "legal_representative": "", "town": "水沟镇", "address": "", "phone": "", "bank_name": "",
                 "bank_account": ""}
                for i in range(count)
            ],
        )  # fmt: skip


def window_for(qtbot, db) -> MainWindow:
    window = MainWindow(
        db, CatalogChoices(), ScriptedDialogs(), actor=CLERK
    )  # whom the window's changes name
    qtbot.addWidget(window)
    window.show()
    return window


def model_for(db) -> OrganisationTableModel:
    return OrganisationTableModel(
        OrganisationListState(), lambda text: applicant_ops.organisation_rows(db, text=text)
    )


def scroll_to_end(model) -> None:
    """Ask for every row, as a view scrolled from top to bottom would."""
    for row in range(model.rowCount()):
        assert model.data(model.index(row, 0)) is not None


# ------------------------------------------------------------------ core


def test_an_organisation_is_corrected_and_the_change_audited(db) -> None:
    org_id = saved(db)
    assert applicant_ops.load_organisation(db, organisation_id=org_id) == WORKSHOP
    changed = OrganisationInput(
        **(vars(WORKSHOP) | {"phone": "13985901234", "org_type": "community_factory"})
    )
    assert saved(db, changed, org_id) == org_id
    assert applicant_ops.load_organisation(db, organisation_id=org_id) == changed
    with db.session() as s:
        events = audit.history(s, "organisation", WORKSHOP.uscc)
    assert [e.action for e in events] == ["create", "update"]
    assert events[-1].changes == {
        "org_type": ["assistance_workshop", "community_factory"],
        "phone": ["0917-4212345", "13985901234"],
    }
    assert saved(db, changed, org_id) == org_id  # saved again unchanged: no empty event
    with db.session() as s:
        assert len(audit.history(s, "organisation", WORKSHOP.uscc)) == 2


def test_every_field_is_checked_when_correcting(db) -> None:
    org_id = saved(db)
    wrong = OrganisationInput(
        name=" ", uscc=WORKSHOP.uscc[:-1] + ("0" if WORKSHOP.uscc[-1] != "0" else "1"), org_type="bakery",
        phone="12", bank_account="62-17x", address="地" * 201,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as info:
        saved(db, wrong, org_id)
    assert set(info.value.codes) == {
        "NAME_EMPTY", "USCC_CHECKSUM", "ORG_TYPE_UNKNOWN", "PHONE_FORMAT", "ACCOUNT_CHARS", "FIELD_TOO_LONG",
    }  # fmt: skip
    assert {e.field for e in info.value.errors} >= {"单位名称", "统一社会信用代码", "地址", "基本账户账号"}
    assert applicant_ops.load_organisation(db, organisation_id=org_id) == WORKSHOP


def test_a_credit_code_of_another_organisation_is_refused(db) -> None:
    first = saved(db)
    other = saved(db, OrganisationInput(name="千阳县劳务派遣有限公司", uscc=uscc(2), org_type="hr_agency"))
    with pytest.raises(InvalidInput) as info:
        saved(db, OrganisationInput(name="千阳县劳务派遣有限公司", uscc=WORKSHOP.uscc), other)
    assert info.value.codes == ["USCC_DUPLICATE"] and WORKSHOP.name in info.value.message_zh
    fixed = OrganisationInput(**(vars(WORKSHOP) | {"uscc": uscc(3).lower()}))  # typed in lower case
    assert saved(db, fixed, first) == first
    assert applicant_ops.load_organisation(db, organisation_id=first).uscc == uscc(3)


def test_a_missing_organisation_is_explained(db) -> None:
    from core.errors import NotFoundError

    with pytest.raises(NotFoundError) as info:
        applicant_ops.load_organisation(db, organisation_id=999)
    assert info.value.code == "ORGANISATION_NOT_FOUND"
    with pytest.raises(NotFoundError):
        saved(db, WORKSHOP, 999)


# ------------------------------------------------------------------ the list


def test_the_list_pages_and_searches_by_name_or_credit_code(qtmodeltester, db) -> None:
    many_organisations(db)
    model = model_for(db)
    model.search("")
    assert model.rowCount() == model.total == MANY and model.paged.loaded_rows == PAGE_SIZE
    qtmodeltester.check(model)  # stays attached while it scrolls and searches
    scroll_to_end(model)
    assert model.rowCount() == MANY and len({model.row_at(r).id for r in range(MANY)}) == MANY
    model.search("公司01")  # any part of the name
    scroll_to_end(model)
    assert model.total == 100 and all("公司01" in model.row_at(r).name for r in range(model.rowCount()))
    code = uscc(100 + 7)
    model.search(code[:16].lower())  # the start of a credit code, as typed
    assert {model.row_at(r).uscc for r in range(model.rowCount())} >= {code}
    assert all(model.row_at(r).uscc.startswith(code[:16]) for r in range(model.rowCount()))
    model.search("甲%")  # a wildcard is a character, not a pattern
    assert model.total == 0
    model.search("")
    assert model.row_at(0).org_type == "企业" and model.headerData(1, Qt.Horizontal) == "统一社会信用代码"
    qtmodeltester.check(model)


def test_the_window_has_an_organisation_tab_read_when_first_opened(qtbot, db) -> None:
    saved(db)
    window = window_for(qtbot, db)
    index = window.tabs.indexOf(window.organisations)
    assert window.tabs.tabText(index) == "单位"
    assert window.organisation_model.rowCount() == 0  # not read at start-up
    window.tabs.setCurrentWidget(window.organisations)
    assert (
        window.organisation_model.rowCount() == 1 and window.organisations.count_label.text() == "共 1 个单位"
    )
    type_text(window.organisations.search, "帮扶车间")
    qtbot.waitUntil(lambda: window.organisation_model.state.text == "帮扶车间", timeout=2000)
    assert window.organisation_model.row_at(0).name == WORKSHOP.name
    menu_items = [a.text() for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert "新建单位(&O)…" in menu_items


def accept_modal_with(change) -> list[BaseException]:
    """Answer the dialog the window opens next, as a clerk would, then press Enter. A failed
    check is handed back (and the dialog closed), so a test never hangs on a modal box."""
    problems: list[BaseException] = []

    def answer() -> None:
        found = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, OrganisationDialog) and w.isVisible()
        ]
        if not found:
            QTimer.singleShot(10, answer)
            return
        dialog = found[0]
        try:
            change(dialog)
            press(dialog.phone, Qt.Key_Return)
        except BaseException as exc:  # handed to the test, which fails with it
            problems.append(exc)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, answer)
    return problems


def test_double_clicking_an_organisation_opens_it_for_correction(qtbot, db) -> None:
    org_id = saved(db)
    window = window_for(qtbot, db)
    window.tabs.setCurrentWidget(window.organisations)

    def correct(dialog: OrganisationDialog) -> None:
        assert dialog.windowTitle() == "编辑单位" and dialog.name.text() == WORKSHOP.name
        assert (
            dialog.org_type.currentData() == "assistance_workshop" and dialog.address.text() == "柿沟村二组"
        )
        assert dialog.uscc_hint.text() == "校验位正确"
        dialog.phone.clear()
        type_text(dialog.phone, "13985901234")

    problems = accept_modal_with(correct)
    window.organisations.table.activated.emit(window.organisation_model.index(0, 0))
    assert not problems, problems
    assert applicant_ops.load_organisation(db, organisation_id=org_id).phone == "13985901234"
    assert window.organisation_model.row_at(0).phone == "13985901234"  # the list shows the change


def test_the_new_organisation_button_registers_one(qtbot, db) -> None:
    window = window_for(qtbot, db)
    window.tabs.setCurrentWidget(window.organisations)

    def fill(dialog: OrganisationDialog) -> None:
        assert dialog.windowTitle() == "新建单位"
        type_text(dialog.name, "千阳县人力资源服务有限公司")
        type_text(dialog.uscc, uscc(9))
        dialog.org_type.setCurrentIndex(dialog.org_type.findData("hr_agency"))

    problems = accept_modal_with(fill)
    window.organisations.new_button.click()
    assert not problems, problems
    assert (
        window.organisation_model.total == 1
        and window.organisation_model.row_at(0).org_type == "人力资源服务机构"
    )
    with db.session() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.entity == "organisation")) == "李经办"


def test_the_dialog_checks_the_credit_code_as_it_is_typed(qtbot, db) -> None:
    dialog = OrganisationDialog(lambda data: saved(db, data))
    qtbot.addWidget(dialog)
    type_text(dialog.uscc, WORKSHOP.uscc[:10])
    assert dialog.uscc_hint.text() == "已输入 10/18 位"
    dialog.uscc.clear()
    type_text(dialog.uscc, WORKSHOP.uscc[:-1] + ("0" if WORKSHOP.uscc[-1] != "0" else "1"))
    assert "校验位不正确" in dialog.error_labels["统一社会信用代码"].text()
    type_text(dialog.phone, "12")
    dialog.try_save()
    assert dialog.result() != OrganisationDialog.Accepted
    assert "请填写单位名称" in dialog.error_labels["单位名称"].text()
    assert "联系电话" in dialog.error_labels["联系电话"].text()
    rows = applicant_ops.organisation_rows(db, text="")
    rows.reload()
    assert rows.total == 0


def test_an_unnamed_operator_is_told_in_the_dialog_and_keeps_the_form(qtbot, db) -> None:
    dialog = OrganisationDialog(lambda data: applicant_ops.save_organisation(db, Actor(""), data=data))
    qtbot.addWidget(dialog)
    type_text(dialog.name, WORKSHOP.name)
    type_text(dialog.uscc, WORKSHOP.uscc)
    dialog.try_save()
    assert dialog.result() != OrganisationDialog.Accepted and dialog.name.text() == WORKSHOP.name
    assert "请先登录" in dialog.error_labels["其他"].text()
