"""The Excel template an organisation fills in: columns, formats, drop-downs, instructions."""

from __future__ import annotations

import io
from typing import Any

from core.cases.roster.columns import (
    INSTRUCTIONS_SHEET,
    NAME_MAX,
    TEMPLATE_ROWS,
    _choice_labels,
    _Column,
    _columns,
    _fact_rule_text,
    _range_text,
    _rule,
    allowed_categories,
)
from core.policy import model as m


def roster_template(subsidy: m.Subsidy) -> bytes:
    """An .xlsx roster template for the subsidy: the roster sheet and a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = _rule(subsidy)
    cols = _columns(subsidy)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last_row = TEMPLATE_ROWS + 1
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=col.title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = _width(col)
        fmt = _number_format(col)
        if fmt is not None:
            # The column default is for rows typed beyond the pre-formatted ones.
            ws.column_dimensions[letter].number_format = fmt
            for row in range(2, last_row + 1):
                ws.cell(row=row, column=index).number_format = fmt
        validation = _validation(col, DataValidation)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 36

    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    _write_instructions(info, subsidy, rule, cols, bold)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _width(col: _Column) -> float:
    if col.kind == "seq":
        return 6
    if col.kind == "id":
        return 22
    if col.kind == "name":
        return 12
    return max(14.0, min(40.0, len(col.title) * 2.0 + 2))


def _number_format(col: _Column) -> str | None:
    if col.kind in ("id", "name", "categories"):
        return "@"  # text: Excel must not turn 18 digits into 6.1E+17
    if col.fact is None:
        return None
    if col.fact.type == "date":
        return "yyyy-mm-dd"
    if col.fact.type == "money":
        return "0.00"
    if col.fact.type in ("text", "choice", "bool"):
        return "@"
    return None


def _validation(col: _Column, factory: Any) -> Any:
    """An Excel drop-down or range check where Excel can do it; the import checks again."""
    fact = col.fact
    if fact is None:
        return None
    if fact.type == "bool":
        return factory(
            type="list",
            formula1='"是,否"',
            allow_blank=True,
            showErrorMessage=True,
            error="请选择“是”或“否”。",
            errorTitle=col.title,
        )
    if fact.type == "choice":
        labels = [c.label for c in fact.choices]
        formula = '"' + ",".join(labels) + '"'
        if any("," in x or '"' in x for x in labels) or len(formula) > 255:
            return None
        return factory(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            error=f"请从下拉列表中选择：{_choice_labels(fact)}。",
            errorTitle=col.title,
        )
    if fact.type == "int" and fact.min is not None and fact.max is not None:
        return factory(
            type="whole",
            operator="between",
            formula1=str(fact.min),
            formula2=str(fact.max),
            allow_blank=True,
            showErrorMessage=True,
            error=f"请填写{_range_text(fact)}之间的整数。",
            errorTitle=col.title,
        )
    return None


def _write_instructions(
    ws: Any, subsidy: m.Subsidy, rule: m.BeneficiaryRule, cols: list[_Column], bold: Any
) -> None:
    ws.append([f"《{subsidy.name}》{rule.label}花名册 填写说明"])
    ws["A1"].font = bold
    if rule.clause is not None:
        ws.append([f"文件依据（{rule.clause.section}）：{rule.clause.text}"])
    if rule.min_count:
        ws.append([f"文件要求符合条件的人员至少{rule.min_count}人。"])
    ws.append(["1. 每人填一行；同一身份证号只能出现一次。第一行的列名请不要修改，列的先后顺序可以调整。"])
    ws.append(
        [
            "2. “身份证号”列已设为文本格式。从其他表格复制时请用“选择性粘贴→数值”；"
            "如果身份证号显示成 6.1E+17 这样的科学计数法，说明后几位已被Excel改掉，"
            "须把该列设为文本后重新填写。"
        ]
    )
    ws.append(["3. 多个人员类别用顿号（、）或逗号分隔，例如“脱贫人口、农民工”。"])
    ws.append(["4. 不需要的空行可以留着，导入时会跳过；导入时会逐行检查并一次列出所有问题。"])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["列名", "是否必填", "填写要求", "可以填的值"])
    for cell in ws[header_row]:
        cell.font = bold
    for col in cols:
        ws.append([col.title, "必填" if col.required else "选填", *_column_help(col)])
    for letter, width in zip("ABCD", (36, 10, 50, 60), strict=True):
        ws.column_dimensions[letter].width = width
    cats = allowed_categories(subsidy)
    ws.append([])
    ws.append(["人员类别可填："])
    ws.cell(row=ws.max_row, column=1).font = bold
    for label in cats.values():
        ws.append([label])


def _column_help(col: _Column) -> tuple[str, str]:
    if col.kind == "seq":
        return "1、2、3……，可不填，导入时不使用", ""
    if col.kind == "name":
        return f"与身份证上的姓名一致，最多{NAME_MAX}个字", ""
    if col.kind == "id":
        return "18位居民身份证号，最后一位可以是X；请按文本填写", "18位身份证号"
    if col.kind == "categories":
        return "该人员所属的人员类别，可填多个，用顿号分隔", "见下方“人员类别可填”"
    assert col.fact is not None
    what, allowed = _fact_rule_text(col.fact)
    if col.fact.help:
        what = f"{what}。{col.fact.help}"
    return what, allowed


# ---------------------------------------------------------------- reading
