"""What the printed documents show, as plain frozen dataclasses (no database, no ReportLab).

`data.py` fills them from the database; the renderers read only these, so a test can draw a
document from hand-made values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.identity import mask_id_number
from core.printing.fingerprint import qr_payload

FORM_ZH = {
    "original": "原件",
    "copy": "复印件",
    "original_and_copy": "原件及复印件",
    "document": "书面材料",
    "statement": "书面说明",
}
SUBMITTED_BY_ZH = {
    "self": "本人",
    "spouse": "配偶",
    "cohabiting_parent": "共同生活的父母",
    "adult_child": "成年子女",
    "parent": "父母",
    "school": "学校",
    "employer": "用人单位",
    "sibling": "兄弟姐妹",
    "non_cohabiting_parent": "不共同生活的父母",
    "other_relative": "其他亲属",
    "friend": "朋友",
    "village_cadre": "村干部",
    "other": "其他人员",
}


def zh_date(day: dt.date | None) -> str:
    """2024年3月5日; an empty string when there is no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass(frozen=True)
class OfficeInfo:
    name: str
    town: str = ""
    phone: str = ""
    county_code: str = ""


@dataclass(frozen=True)
class ApplicantInfo:
    kind: str  # person | organisation
    name: str
    id_number: str  # 身份证号 of a person, 统一社会信用代码 of an organisation
    sex: str = ""
    phone: str = ""
    town: str = ""
    village: str = ""
    address: str = ""
    representative: str = ""
    account: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def id_label(self) -> str:
        return "身份证号" if self.is_person else "统一社会信用代码"

    @property
    def masked_id(self) -> str:
        """Persons' ID numbers are masked on anything handed out; a credit code is public."""
        return mask_id_number(self.id_number) if self.is_person else self.id_number


@dataclass(frozen=True)
class FactLine:
    id: str
    label: str
    value: str  # formatted for paper; "" when the clerk has not entered it


@dataclass(frozen=True)
class MaterialLine:
    id: str
    name: str
    form: str
    copies: int = 1
    original_returned: bool = False
    group_label: str | None = None  # an any-of group ("以下任选其一")
    condition: str = ""  # when the material is only needed in some cases
    received: bool = False
    original_seen: bool = False
    copies_kept: int = 0

    @property
    def form_text(self) -> str:
        return FORM_ZH.get(self.form, self.form)

    @property
    def handling_text(self) -> str:
        """What happened to the paper: 原件核验后退回 / 留存复印件N份."""
        parts = []
        if self.original_seen:
            parts.append("原件已核验并退回")
        if self.copies_kept:
            parts.append(f"留存复印件{self.copies_kept}份")
        return "，".join(parts) or "已收取"


@dataclass(frozen=True)
class MissingItem:
    name: str  # a material, or a group's label
    options: tuple[str, ...] = ()  # the members of an any-of group: one of them is enough
    form_text: str = ""


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    text: str  # the sentence printed on the notice
    basis: str = ""  # the rule the date comes from, as the catalog words it


@dataclass(frozen=True)
class RefusalReason:
    """One condition the assessment found unmet, with the clause of the document it rests on."""

    message: str  # as the engine words it for the applicant
    section: str = ""  # where in the document, e.g. 二(一)1; "" when the rule names no clause
    clause_text: str = ""


@dataclass(frozen=True)
class CaseSheet:
    """Everything the 申请表, 受理回执 and 一次性告知书 of one case print."""

    office: OfficeInfo
    case_id: int
    case_uuid: str
    case_number: str
    status: str
    application_date: dt.date
    accepted_on: dt.date | None
    catalog_title: str
    document_number: str
    subsidy_id: str
    subsidy_name: str
    applicant: ApplicantInfo
    facts: tuple[FactLine, ...] = ()
    amount_fen: int | None = None
    materials: tuple[MaterialLine, ...] = ()
    missing: tuple[MissingItem, ...] = ()
    deadline: Deadline = Deadline(None, "")
    handler_name: str = ""
    submitted_by: str = "self"
    clerk: str = ""
    content_hash: str = ""
    printed_on: dt.date = field(default_factory=dt.date.today)
    catalog_issuer: str = ""
    decision: str = ""  # of the stored assessment: eligible, not_eligible, needs_info; "" if none
    refusal_reasons: tuple[RefusalReason, ...] = ()
    review_note: str = ""
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    # The county-decided readings the assessment applied, in words (the receipt's detail line).
    readings: tuple[str, ...] = ()

    @property
    def qr_payload(self) -> str:
        return qr_payload(self.case_uuid, self.content_hash)

    @property
    def case_number_text(self) -> str:
        return self.case_number or f"（未受理，草稿 {self.case_id}）"

    @property
    def received(self) -> tuple[MaterialLine, ...]:
        return tuple(x for x in self.materials if x.received)


@dataclass(frozen=True)
class RosterRow:
    name: str
    sex: str
    id_number: str
    village: str
    facts: tuple[str, ...]
    amount_fen: int | None
    note: str = ""
    is_person: bool = True  # an organisation's row carries its credit code, which is public
    # The facts as a spreadsheet's cells: a date, fen, a count, or the text of `facts`.
    fact_cells: tuple[object, ...] = ()


@dataclass(frozen=True)
class Roster:
    """One 花名册 (or, with `public`, the 公示 list) of one subsidy."""

    title: str
    office: OfficeInfo
    subsidy_name: str
    fact_labels: tuple[str, ...]
    rows: tuple[RosterRow, ...]
    batch_label: str = ""
    printed_on: dt.date = field(default_factory=dt.date.today)
    public: bool = False
    fact_kinds: tuple[str, ...] = ()  # core.spreadsheet.CellKind of each fact column; text when empty

    @property
    def total_fen(self) -> int:
        return sum(r.amount_fen or 0 for r in self.rows)

    @property
    def document_title(self) -> str:
        if not self.public:
            return self.title
        return self.title.removeprefix("《").removesuffix("》").removesuffix("花名册") + "公示名单"

    def shown_id(self, row: RosterRow) -> str:
        """Full ID numbers for the county; masked on the list that is posted in public."""
        if self.public and row.is_person:
            return mask_id_number(row.id_number)
        return row.id_number
