"""Spreadsheet cells that are safe to open: every value a spreadsheet would run as a formula
(= + - @, a tab or a carriage return first) is prefixed with an apostrophe and stored as text,
the OWASP CSV-injection advice. Used by every .xlsx the tool writes."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; numbers pass unchanged."""
    if value is None or isinstance(value, (int, float)):
        return value
    s = str(value)
    return "'" + s if s.startswith(FORMULA_STARTS) else s


def append_row(sheet, row: Sequence[Any], header: bool = False) -> None:
    """One row, neutralised, wrapped, bold when it is a header."""
    from openpyxl.styles import Alignment, Font

    sheet.append([neutralise(v) for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # stored as text even if it looks like a formula
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header:
            cell.font = Font(bold=True)


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
    path = Path(path)
    wb.save(path)
    return path
