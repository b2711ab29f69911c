"""Exports that open right by default (issue 31, item 5): XLSX beside each CSV, read back
with openpyxl. Chinese text intact, numbers as numbers, dates as dates, a text cell that
looks like a formula stays text, the same rows and columns as the CSV."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from html import unescape as html_unescape

import openpyxl
import pytest

from app.review.exports import defuse
from helpers import act, add_organizer, db_rows, login, new_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.active.iter_rows()]


def csv_table(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def as_csv(cell) -> str:
    """What the CSV says of a cell: a date as its ISO day, anything else defused."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date().isoformat()
    return defuse(value)


@pytest.fixture
def reports(app, admin):
    new_report(admin, venue="上海商场 3楼", city="上海 静安区", device="clock",
               observed_on="2026-11-03", latitude="-33.8712", longitude="-70.6543")
    new_report(admin, venue=FORMULA, city="+86 区", response="@SUM(A1)")
    new_report(admin, venue="Third")
    # Corroborated: the public copy names the venue only from that level (issue 31).
    assert act(admin, 1, "publish", public=["venue", "city", "device", "location",
                                            "observed_on"],
               verification="corroborated").status_code == 200
    assert act(admin, 2, "publish", public=["venue", "city"],
               verification="corroborated").status_code == 200


@pytest.mark.parametrize("export", ["published", "all"])
def test_xlsx_holds_the_csv_rows_with_chinese_numbers_and_dates_intact(admin, reports, export):
    rows = sheet(admin.get(f"/zh-hans/organizers/export/{export}.xlsx"))
    table = csv_table(admin.get(f"/zh-hans/organizers/export/{export}.csv"))
    # The same header and rows as the CSV, each cell as the CSV says it.
    assert [[as_csv(cell) for cell in row] for row in rows] == table
    header = [cell.value for cell in rows[0]]
    assert "场所名称" in header and all(cell.font.b for cell in rows[0])
    by_number = {row[0].value: dict(zip(header, row, strict=True)) for row in rows[1:]}
    first = by_number[1]
    assert first["场所名称"].value == "上海商场 3楼"
    assert first["城市和区县"].value == "上海 静安区"
    assert isinstance(first["纬度"].value, float) and first["纬度"].value < -33
    assert first["纬度"].data_type == "n" and rows[1][0].data_type == "n"
    seen = first["发现日期"]
    assert seen.is_date and seen.value.date() == date(2026, 11, 3)


def test_a_formula_like_text_cell_stays_text(admin, reports):
    for export in ("published", "all"):
        response = admin.get(f"/en/organizers/export/{export}.xlsx")
        rows = sheet(response)
        header = [cell.value for cell in rows[0]]
        [venue] = [row[header.index("Name of the place")] for row in rows[1:]
                   if row[0].value == 2]
        assert venue.value == FORMULA and venue.data_type == "s" and venue.quotePrefix
        # Nowhere in the workbook is there a formula.
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            sheets = [book.read(n).decode() for n in book.namelist() if "worksheets" in n]
        assert sheets and not any(re.search(r"<f[ >]", xml) for xml in sheets)


def test_column_widths_fit_their_words_and_the_header_stays_in_view(admin, reports):
    book = openpyxl.load_workbook(io.BytesIO(admin.get("/zh-hans/organizers/export/all.xlsx").data))
    page = book.active
    assert page.freeze_panes == "A2"
    widths = {page.cell(1, n).value: page.column_dimensions[openpyxl.utils.get_column_letter(n)]
              .width for n in range(1, page.max_column + 1)}
    # Chinese characters count double: "上海商场 3楼" is 11 wide.
    assert widths["场所名称"] >= 11 and all(8 <= w <= 62 for w in widths.values())


def test_the_full_xlsx_is_for_admins_and_on_the_record(app, admin, reports):
    assert admin.get("/en/organizers/export/all.xlsx?status=published").status_code == 200
    assert db_rows(app, "SELECT action, detail FROM audit_log WHERE action LIKE 'export%'"
                   )[-1][:] == ("export all reports", "published")
    add_organizer(app, "mo", "moderator")
    moderator = app.test_client()
    login(moderator, "mo")
    assert moderator.get("/en/organizers/export/all.xlsx").status_code == 403
    assert moderator.get("/en/organizers/export/published.xlsx").status_code == 200


def test_the_queue_links_each_xlsx_beside_its_csv(admin, reports):
    html = admin.get("/en/organizers/?space=hotel-room").get_data(as_text=True)
    links = [html_unescape(link) for link in re.findall(r'<a href="([^"]+\.(?:csv|xlsx)[^"]*)"',
                                                        html)]
    assert links == ["/en/organizers/export/published.csv?space=hotel-room",
                     "/en/organizers/export/published.xlsx?space=hotel-room",
                     "/en/organizers/export/all.csv", "/en/organizers/export/all.xlsx"]
