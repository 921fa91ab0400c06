"""The report's tables for Excel: a formatted workbook, and CSV a French Excel opens by
double-click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

# Number formats: euros as currency, shares as percentages (Excel shows them in its locale).
EUR_FORMAT = '#,##0.00\\ "€"'
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60  # characters; longer texts wrap in their cell
# French Excel reads a CSV by double-click when it starts with a BOM and uses ";" between
# fields and "," in numbers; the numbers keep every digit.
EXCEL_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}
PLAIN_CSV = {"sep": ",", "decimal": ".", "encoding": "utf-8"}
# A sheet of key figures has one value column and this column of keys: each value is formatted
# as its key says (`*_eur`, `*_coverage`), since one column mixes counts, euros and shares.
KEY_COLUMN = "key"


def write_csv(frame: pd.DataFrame, path: Path, *, excel: bool = False) -> None:
    """One table as CSV: plain (UTF-8, ",", "." ) or, with `excel`, for a French Excel.

    Column names are the stable English ones either way; numbers are never rounded.
    """
    options = EXCEL_CSV if excel else PLAIN_CSV
    frame.to_csv(path, index=False, lineterminator="\n", **options)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path, labels: dict[str, str]) -> None:
    """Tables as one workbook, one sheet each, formatted for people.

    Headers are the French `labels` of the columns; euro columns (`*_eur`) are currency and
    `share*` / `*_coverage` columns percentages; widths fit the content; each sheet has a filter
    and a frozen header row. Text from the records is made safe for Excel: characters it refuses
    are dropped, cells are cut at 32 767 characters, and a text starting with "=" stays text.

    Args:
        sheets: frames by sheet name (31 characters at most), in order.
        path: the workbook to write.
        labels: French header by column name; a column without one keeps its name.
    """
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _clean(frame).rename(columns=labels).to_excel(writer, sheet_name=name, index=False)
            _format(writer.sheets[name], list(frame.columns))
            if KEY_COLUMN in frame.columns:
                _format_by_key(writer.sheets[name], list(frame.columns).index(KEY_COLUMN))


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767] if isinstance(value, str) else value

    frame = frame.copy()
    for column in frame.select_dtypes(include=["object", "string"]).columns:
        frame[column] = frame[column].map(clean)
    return frame


def _format(sheet: Any, columns: list[str]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        number_format = _number_format(column)
        width = 8
        for cell in sheet[letter]:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
            if cell.row > 1 and number_format:
                cell.number_format = number_format
            width = max(width, _width(cell.value, number_format))
        sheet.column_dimensions[letter].width = min(width, MAX_WIDTH) + 2
        if width > MAX_WIDTH:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = sheet.dimensions


def _format_by_key(sheet: Any, key_index: int) -> None:
    for row in sheet.iter_rows(min_row=2):
        number_format = _number_format(str(row[key_index].value).rpartition(".")[2])
        for cell in row:
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format


def _number_format(column: str) -> str | None:
    if column.endswith("_eur"):
        return EUR_FORMAT
    if column.startswith("share") or column.endswith("_coverage"):
        return PERCENT_FORMAT
    return None


def _width(value: Any, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format == EUR_FORMAT and isinstance(value, int | float):
        return len(f"{value:,.2f} €")
    if number_format == PERCENT_FORMAT and isinstance(value, int | float):
        return 7
    longest_line = max((len(line) for line in str(value).splitlines()), default=0)
    return longest_line + (2 if number_format else 0)
