"""What the county may decide, as plain rules: the forms' inputs, and every check that names a field.

Kept free of the database so that the county's forms, the command line and the tests read the
same rules (decisions.py applies them to a stored case):

- 审核通过: the approved amount is prefilled with what the town assessed. Less is allowed (the
  town reads the officer's note). More than assessed is only accepted with a written note:
  the amount follows from the policy and the town's facts, and a higher one means the county
  found the town's figures wrong; the note tells the town why. The county cannot send a case
  back for correction once it has decided, so refusing outright would leave no way to pay the
  right amount.
- 不予通过: a reason is required, chosen from the common ones or written, and the town reads it.
- 登记拨付: amount and date together: more than zero, not more than approved, not after today.
- 更正: a decision not yet sent to the town in a result package may be corrected, with a
  reason; see CORRECTIONS for what each decision may become.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import ValidationError
from core.money import format_yuan

RECEIVED, APPROVED, REJECTED, PAID = "received", "approved", "rejected", "paid"

# The fields of the decision forms, as the officer reads them; errors name them.
APPROVED_AMOUNT = "核定金额"
APPROVAL_NOTE = "核定说明"
REJECTION_REASON = "不予通过理由"
REJECTION_DETAIL = "具体说明"
PAID_AMOUNT = "拨付金额"
PAID_ON = "拨付日期"
CORRECTION_REASON = "更正理由"

# The reasons a county gives most often; the officer may also write one.
REJECTION_REASONS = ("材料不全", "不符合补贴对象条件", "超过申请时限", "重复申报", "已享受同类补贴")
OTHER_REASON = "其他理由"


@dataclass(frozen=True)
class Approval:
    amount_fen: int | None = None  # None: what the town assessed
    note: str = ""  # required when more than assessed; the town reads it


@dataclass(frozen=True)
class Rejection:
    reason: str


@dataclass(frozen=True)
class Payment:
    amount_fen: int | None = None  # None: the approved amount
    paid_on: dt.date | None = None  # None: today


@dataclass(frozen=True)
class Undo:
    """Take the decision back: 审核通过 / 不予通过 → 待审核; 已拨付 → 审核通过."""


DecisionInput = Approval | Rejection | Payment | Undo


@dataclass(frozen=True)
class Correction:
    to: DecisionInput
    why: str


# What each decision may be corrected to, with the officer's words for the choice.
CORRECTIONS: dict[str, tuple[tuple[type[DecisionInput], str], ...]] = {
    APPROVED: (
        (Approval, "改正核定金额或说明"),
        (Rejection, "改为不予通过"),
        (Undo, "撤销决定，改回待审核"),
    ),
    REJECTED: (
        (Rejection, "改正不予通过理由"),
        (Approval, "改为审核通过"),
        (Undo, "撤销决定，改回待审核"),
    ),
    PAID: (
        (Payment, "改正拨付金额或日期"),
        (Undo, "撤销拨付登记，改回审核通过"),
    ),
}


def correction_choices(status: str) -> tuple[tuple[type[DecisionInput], str], ...]:
    return CORRECTIONS.get(status, ())


def compose_reason(common: str, detail: str) -> str:
    """The rejection reason from the list and the officer's words: 材料不全：缺劳动合同.

    `common` is one of REJECTION_REASONS, OTHER_REASON or empty (nothing chosen).
    """
    chosen = "" if common == OTHER_REASON else common.strip()
    words = detail.strip()
    if chosen and words:
        return f"{chosen}：{words}"
    return chosen or words


def rejection_problems(reason: str) -> list[ValidationError]:
    if reason.strip():
        return []
    return [
        ValidationError(
            "COUNTY_REASON_MISSING",
            REJECTION_REASON,
            "不予通过必须写明理由：请从常用理由中选择一项，或选“其他理由”并写明具体说明；理由会随结果包告知站所。",
        )
    ]


def approval_problems(amount_fen: int, assessed_fen: int, note: str) -> list[ValidationError]:
    if amount_fen <= 0:
        return [
            ValidationError(
                "COUNTY_APPROVED_AMOUNT",
                APPROVED_AMOUNT,
                "核定金额必须大于0；不予补贴的案件请作“不予通过”并写明理由。",
            )
        ]
    if amount_fen > assessed_fen and not note.strip():
        return [
            ValidationError(
                "COUNTY_APPROVED_OVER_ASSESSED",
                APPROVAL_NOTE,
                f"核定金额 {format_yuan(amount_fen)} 元高于站所核算的 {format_yuan(assessed_fen)} 元："
                f"请在“{APPROVAL_NOTE}”中写明理由（会随结果包告知站所），或把核定金额改为不超过 {format_yuan(assessed_fen)} 元。",
            )
        ]
    return []


def payment_problems(
    amount_fen: int, approved_fen: int | None, paid_on: dt.date, today: dt.date
) -> list[ValidationError]:
    """Amount and date are checked together, so the form marks both at once."""
    problems = []
    if amount_fen <= 0:
        problems.append(ValidationError("COUNTY_PAID_AMOUNT", PAID_AMOUNT, "拨付金额必须大于0，请核对。"))
    elif approved_fen is not None and amount_fen > approved_fen:
        problems.append(
            ValidationError(
                "COUNTY_PAID_OVER_APPROVED",
                PAID_AMOUNT,
                f"拨付金额 {format_yuan(amount_fen)} 元超过核定金额 {format_yuan(approved_fen)} 元，请核对。",
            )
        )
    if paid_on > today:
        problems.append(
            ValidationError("COUNTY_PAID_DATE", PAID_ON, f"拨付日期 {paid_on.isoformat()} 晚于今天，请核对。")
        )
    return problems


def correction_reason_problems(why: str) -> list[ValidationError]:
    if why.strip():
        return []
    return [
        ValidationError(
            "COUNTY_CORRECTION_REASON",
            CORRECTION_REASON,
            "更正决定必须写明更正理由（例如：核定金额录入有误），理由记入县局办理记录。",
        )
    ]


@dataclass(frozen=True)
class DecisionState:
    """A case's decision as values: before a change, and what a change would make of it."""

    status: str
    approved_fen: int | None = None
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    reason: str = ""


def after(state: DecisionState, to: DecisionInput, assessed_fen: int, today: dt.date) -> DecisionState:
    """The decision once `to` is applied (a first decision or a correction); the defaults filled in."""
    if isinstance(to, Approval):
        amount = assessed_fen if to.amount_fen is None else to.amount_fen
        return DecisionState(APPROVED, amount, None, None, to.note.strip())
    if isinstance(to, Rejection):
        return DecisionState(REJECTED, None, None, None, to.reason.strip())
    if isinstance(to, Payment):
        paid = state.approved_fen if to.amount_fen is None else to.amount_fen
        return DecisionState(
            PAID, state.approved_fen, paid, to.paid_on or state.paid_on or today, state.reason
        )
    if state.status == PAID:  # Undo of a payment keeps the approval
        return DecisionState(APPROVED, state.approved_fen, None, None, state.reason)
    return DecisionState(RECEIVED)


def phrase(state: DecisionState) -> str:
    """A decision in a few words: 审核通过，核定金额 450.00 元."""
    if state.status == APPROVED:
        note = f"（{state.reason}）" if state.reason else ""
        return f"审核通过，核定金额 {format_yuan(state.approved_fen or 0)} 元{note}"
    if state.status == REJECTED:
        return f"不予通过（理由：{state.reason}）"
    if state.status == PAID:
        day = state.paid_on.isoformat() if state.paid_on else ""
        return f"已拨付 {format_yuan(state.paid_fen or 0)} 元（拨付日期 {day}）"
    return "待审核"


def question(subject: str, before: DecisionState, to: DecisionInput | Correction, assessed_fen: int,
             today: dt.date) -> str:  # fmt: skip
    """The confirmation the officer answers before a decision is recorded."""
    if isinstance(to, Correction):
        new = after(before, to.to, assessed_fen, today)
        return f"确认将{subject}的决定由“{phrase(before)}”更正为“{phrase(new)}”？\n更正理由：{to.why.strip()}"
    new = after(before, to, assessed_fen, today)
    if isinstance(to, Approval):
        text = f"确认将{subject}审核通过，核定金额 {format_yuan(new.approved_fen or 0)} 元？"
        if new.approved_fen != assessed_fen:
            text += f"\n站所核算金额为 {format_yuan(assessed_fen)} 元。"
        return text + (f"\n{APPROVAL_NOTE}：{new.reason}（会随结果包告知站所）" if new.reason else "")
    if isinstance(to, Rejection):
        return f"确认对{subject}作“不予通过”决定？\n理由：{new.reason}（会随结果包告知站所）"
    day = new.paid_on.isoformat() if new.paid_on else ""
    return f"确认登记{subject}已拨付 {format_yuan(new.paid_fen or 0)} 元，拨付日期 {day}？"


def split_reason(reason: str) -> tuple[str, str]:
    """A stored rejection reason as the form's (common reason, detail), e.g. for a correction."""
    for common in REJECTION_REASONS:
        if reason == common or reason.startswith(f"{common}："):
            return common, reason[len(common) + 1 :]
    return (OTHER_REASON, reason) if reason else ("", "")
