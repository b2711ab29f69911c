"""The exports as XLSX workbooks: the same rows and columns as the CSVs (exports.py).

A CSV opens garbled in LibreOffice unless she picks UTF-8 in its import window;
an XLSX has no character set to choose, so Chinese opens right in LibreOffice,
Excel and Numbers as they are. Cells are typed: numbers as numbers, dates as
dates, everything else as text. A text cell is always text, never a formula,
even one starting with = + - @ (its type is a string, and it is marked as
typed with a leading apostrophe, so editing it keeps it text). A bold header
row stays in view; each column is as wide as its header and its first rows.
"""

import io
import unicodedata
from collections.abc import Iterable
from datetime import date
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .exports import Column, Record, defuse

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows read to size the columns; widths in characters (a Chinese one counts two).
MEASURED_ROWS = 200
NARROWEST, WIDEST = 8, 60
DATE_WIDTH = 12


def shown_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def value_of(column: Column, row: Record) -> object:
    """The cell's value as the spreadsheet should hold it."""
    value = column.cell(row)
    if column.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def text_cell(sheet: WriteOnlyWorksheet, text: str, bold: bool = False) -> Cell:
    # XML cannot hold most control characters: they go, the text stays.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula
    if defuse(text) != text:
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def typed_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, float) and value != value:  # NaN: nothing a sheet can hold
        return None
    return value


def widths(columns: list[Column], rows: list[list[object]]) -> list[int]:
    found = []
    for index, column in enumerate(columns):
        widest = shown_width(str(column.header))
        for row in rows:
            value = row[index]
            size = DATE_WIDTH if isinstance(value, date) else shown_width(
                "" if value is None else str(value))
            widest = max(widest, size)
        found.append(min(WIDEST, max(NARROWEST, widest + 2)))
    return found


def workbook(records: Iterable[Record], columns: list[Column], title: str) -> bytes:
    """One sheet named `title`: a header row, then one row per record."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    rows = iter(records)
    first = [[value_of(c, row) for c in columns] for row in islice(rows, MEASURED_ROWS)]
    # A write-only sheet takes its columns' widths and frozen header before any row.
    for index, width in enumerate(widths(columns, first), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, str(c.header), bold=True) for c in columns])
    for values in first:
        sheet.append([typed_cell(sheet, v) for v in values])
    for row in rows:
        sheet.append([typed_cell(sheet, value_of(c, row)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
