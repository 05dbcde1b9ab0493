"""Spreadsheet cells that are safe to open and read as written. Used by every .xlsx the tool writes.

Every text is stored as a text cell (never as a formula), so a target such as "=100%" shows as
"=100%" and reads back the same. A text that a spreadsheet would run as a formula if someone
re-entered the cell or saved the sheet as CSV (=HYPERLINK(…), +1+1, @SUM(…), a tab or carriage
return first: the OWASP CSV-injection list) also gets Excel's quote prefix: the hidden
apostrophe that keeps it text, with nothing added to what the cell shows or holds.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A target or amount written with a sign (=100%, ≥ is not a formula start anyway, -5%, +3天,
#: =100(%)): a number and at most a short unit, nothing a spreadsheet could call or reference.
_SIGNED_VALUE = re.compile(r"^[=+\-]\s*\d[\d,]*(?:\.\d+)?\s*(?:[%‰]|\(%\)|（%）|[\u4e00-\u9fff]{1,4}|/[\u4e00-\u9fff]{1,3})*$")


def is_formula(value: Any) -> bool:
    """Whether a spreadsheet would run this text as a formula (a signed number with a unit is not one)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    return not _SIGNED_VALUE.match(value)


def append_row(sheet, row: Sequence[Any], header: bool = False) -> None:
    """One row: texts stored as text, real formula starts quote-prefixed, wrapped, bold when a header."""
    from openpyxl.styles import Alignment, Font

    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # stored as text even if it looks like a formula
            if is_formula(cell.value):
                cell.quotePrefix = True
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header:
            cell.font = Font(bold=True)


def a4(sheet, landscape: bool = False) -> None:
    """Print on A4, fitted to the page width."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_table(header: Sequence[str], rows: Sequence[Sequence[Any]], path: str | Path, title: str,
                widths: Sequence[int] = ()) -> Path:
    """A one-sheet workbook: a header row, then the rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, header, header=True)
    for row in rows:
        append_row(ws, row)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    a4(ws, landscape=True)
    ws.freeze_panes = "A2"
    path = Path(path)
    wb.save(path)
    return path
