"""The budget report's outliers, coverage, budgets by year, page and Excel files: every figure
agrees with hand-computed frames."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pandas.testing as pdt
import pytest
from test_report import RECORDS, _read_csv, budget, record
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.reporting.outliers import outlier_reasons
from pipeline.reporting.synthesis import (
    UNKNOWN,
    build_report,
    by_funder_type,
    by_group,
    by_year_and_funder_type,
    fiches_frame,
    funders_frame,
)
from pipeline.reporting.writers import (
    CHART_FILES,
    CSV_FILES,
    HTML_FILE,
    LABELS,
    SHEETS,
    XLSX_FILE,
    render_html,
    report_frames,
    write_report,
)

runner = CliRunner()
# RECORDS plus one fiche holding 100 000 of the 103 800 euros: 96 % of the catalogue's total.
BIG = record("f", 6, "Yvelines", budget(100_000.0, "single_amount", approximate=True),
             [("CAF", 60_000.0), ("État", None)], "2019")
WITH_OUTLIER = [*RECORDS, BIG]


def frame(budgets: list[float], departements: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"budget_eur": budgets, "departement": departements,
                         "dimension": [None] * len(budgets)})


def test_one_fiche_over_a_third_of_the_total_is_an_outlier():
    reasons = outlier_reasons(fiches_frame(WITH_OUTLIER))
    assert reasons.tolist() == ["", "", "", "", "", "96\u00a0% du total du catalogue"]


def test_far_above_the_others_on_a_log_scale_is_an_outlier():
    # 30 budgets of 1 000 to 1 290 euros and one of 10 000: 24 % of the total, so only the
    # quartile rule flags it (log10 Q3 + 3 x IQR is about 1 700 euros here).
    budgets = [1000.0 + 10 * i for i in range(30)] + [10_000.0]
    reasons = outlier_reasons(frame(budgets, ["A"] * 31))
    assert reasons.iloc[-1] == "très au-dessus des autres budgets (Q3 + 3 × IQR, échelle log)"
    assert (reasons.iloc[:-1] == "").all()


def test_a_third_of_a_large_groups_total_is_an_outlier_but_not_in_a_small_group():
    # Département A: nine budgets of 1 000 and one of 6 000 (40 % of A's 15 000; 11 % of the
    # catalogue's 55 000); B: twenty of 2 000. C: three fiches, one with 75 % of C's total.
    budgets = [1000.0] * 9 + [6000.0] + [2000.0] * 20
    reasons = outlier_reasons(frame(budgets, ["A"] * 10 + ["B"] * 20))
    assert reasons.iloc[9] == "40\u00a0% du total du département A"
    assert (reasons.drop(index=9) == "").all()
    small = outlier_reasons(frame([*budgets, 300.0, 300.0, 1800.0], ["A"] * 10 + ["B"] * 20
                                  + ["C"] * 3))
    assert small.iloc[-1] == "" and small.iloc[9] != ""


def test_too_few_budgets_flag_nothing():
    assert (outlier_reasons(frame([10.0, 10.0, 1_000_000.0], ["A"] * 3)) == "").all()
    assert outlier_reasons(frame([], [])).empty


def test_every_total_is_also_given_without_the_outliers():
    report = build_report(WITH_OUTLIER)
    ov = report.overview
    assert (ov["outliers"], ov["budget_total_eur"], ov["budget_total_excl_outliers_eur"]) == (
        1, 103_800.0, 3_800.0)
    assert ov["quality"]["outlier"] == 1 and ov["budget_coverage"] == 4 / 6
    assert report.quality()["id"].tolist() == ["c", "d", "f"]
    expected = pd.DataFrame({
        "departement": ["Essonne", "Yvelines", UNKNOWN],
        "fiches": [3, 2, 1],
        "fiches_with_budget": [2, 2, 0],
        "budget_coverage": [2 / 3, 1.0, 0.0],
        "budget_total_eur": [2300.0, 101_500.0, math.nan],
        "budget_total_excl_outliers_eur": [2300.0, 1500.0, math.nan],
        "budget_median_eur": [1150.0, 50_750.0, math.nan],
    })
    pdt.assert_frame_equal(report.tables["departements"], expected)
    known = 1000.0 + 200.0 + 1200.0 + 100.0 + 800.0 + 60_000.0
    expected = pd.DataFrame({
        "funder_type": ["CAF", "Département", "Région", "Commune", "État"],
        "fiches": [3, 1, 2, 2, 1],
        "fiches_with_amount": [3, 1, 2, 0, 0],
        "amount_known_eur": [61_200.0, 1200.0, 900.0, math.nan, math.nan],
        "amount_known_excl_outliers_eur": [1200.0, 1200.0, 900.0, math.nan, math.nan],
        "share_of_known_total": [61_200.0 / known, 1200.0 / known, 900.0 / known, math.nan,
                                 math.nan],
    })
    pdt.assert_frame_equal(by_funder_type(fiches_frame(WITH_OUTLIER),
                                          funders_frame(WITH_OUTLIER)), expected)
    for name in ("departements", "dimensions", "statuses", "start_years"):
        table = report.tables[name]
        assert table["budget_total_eur"].sum() == ov["budget_total_eur"], name
        assert (table["budget_total_excl_outliers_eur"].sum()
                == ov["budget_total_excl_outliers_eur"]), name


def test_funding_by_start_year_and_funder_type():
    fiches, funders = fiches_frame(WITH_OUTLIER), funders_frame(WITH_OUTLIER)
    expected = pd.DataFrame({
        "start_year": ["2017", "2017", "2018", "2018", "2019", "2019", "2019", "2019",
                       UNKNOWN],
        "funder_type": ["CAF", "Région", "CAF", "Commune", "CAF", "Département", "Région",
                        "État", "Commune"],
        "fiches": [1, 1, 1, 1, 1, 1, 1, 1, 1],
        "fiches_with_amount": [1, 1, 1, 0, 1, 1, 1, 0, 0],
        "amount_known_eur": [200.0, 100.0, 1000.0, math.nan, 60_000.0, 1200.0, 800.0,
                             math.nan, math.nan],
        "amount_known_excl_outliers_eur": [200.0, 100.0, 1000.0, math.nan, math.nan, 1200.0,
                                           800.0, math.nan, math.nan],
    })
    pdt.assert_frame_equal(by_year_and_funder_type(fiches, funders), expected)
    by_type = by_funder_type(fiches, funders).set_index("funder_type")
    summed = expected.groupby("funder_type")["amount_known_eur"].sum(min_count=1)
    pdt.assert_series_equal(summed.sort_index(), by_type["amount_known_eur"].sort_index(),
                            check_names=False)


def test_group_coverage_agrees_with_by_group():
    table = by_group(fiches_frame(RECORDS), "status")
    assert table["status"].tolist() == ["En cours", "Terminée"]
    assert table["budget_coverage"].tolist() == [3 / 4, 0 / 1]


def test_page_says_coverage_provenance_and_non_chiffre():
    report = build_report(WITH_OUTLIER)
    page = render_html(report, {k: b"\x89PNG" for k in CHART_FILES}, "enriched.jsonl",
                       date(2026, 3, 5))
    text = re.sub(r"<[^>]+>", " ", page)
    assert "4 fiches sur 6 ont un budget (67\u00a0%)" in text
    assert "Source : enriched.jsonl" in text and "Établi le 05/03/2026" in text
    assert "« Ressources financières mobilisées pour cette action » (4 fiches)" in text
    assert "<details" not in page  # every fiche is shown, in print and in a mail client too
    commune = re.search(r"<tr><td[^>]*>Commune</td>(.*?)</tr>", page)
    assert commune and commune.group(1).count("non chiffré") == 3 and "0,0" not in commune[1]
    unknown = re.search(rf"<tr><td[^>]*>{re.escape(UNKNOWN)}</td>(.*?)</tr>", page)
    assert unknown and "—" in unknown.group(1) and "0\u00a0€" not in unknown.group(1)
    assert "96\u00a0% du total du catalogue" in text
    assert "Budget total hors valeurs atypiques (1 fiche(s))" in text


@pytest.mark.slow
def test_excel_csv_workbook_formats_and_year_chart(tmp_path):
    report = build_report(WITH_OUTLIER)
    write_report(report, tmp_path / "r", source="x.jsonl", xlsx=True, excel_csv=True)
    for key, table in report_frames(report).items():
        path = tmp_path / "r" / CSV_FILES[key]
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        back = _read_csv(path, table, sep=";", decimal=",", encoding="utf-8-sig")
        pdt.assert_frame_equal(back, table, check_dtype=False)
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "r" / XLSX_FILE)
    sheet = book[SHEETS["funder_types"]]
    headers = [c.value for c in sheet[1]]
    assert headers == [LABELS[c] for c in report.tables["funder_types"].columns]
    amount = sheet.cell(row=2, column=headers.index("Montant connu") + 1)
    share = sheet.cell(row=2, column=headers.index("Part du total connu") + 1)
    assert amount.value == 61_200.0 and "€" in amount.number_format
    assert share.number_format == "0.0%"
    for name in SHEETS.values():
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref
    summary = {row[2].value: row[1] for row in book["Synthèse"].iter_rows(min_row=2)}
    assert summary["budget_total_eur"].value == 103_800.0
    assert "€" in summary["budget_total_eur"].number_format
    assert summary["budget_coverage"].number_format == "0.0%"
    assert summary["fiches"].number_format == "General"
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert all(w >= len(h) for w, h in zip(widths, headers, strict=True))
    assert (tmp_path / "r" / CHART_FILES["years"]).read_bytes().startswith(b"\x89PNG")
    assert "Budgets par année de début" in (tmp_path / "r" / HTML_FILE).read_text()


@pytest.mark.slow
def test_cli_output_that_cannot_be_a_folder_is_exit_2_and_out_still_works(tmp_path):
    enriched = tmp_path / "e.jsonl"
    enriched.write_text("", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["report", "budgets", str(enriched), "-o", str(blocker)])
    assert result.exit_code == 2 and "not a folder" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["report", "budgets", str(enriched)])
    assert result.exit_code == 2 and "--output" in result.output
    result = runner.invoke(app, ["report", "budgets", str(enriched), "--out",
                                 str(tmp_path / "r")])
    assert result.exit_code == 0 and (tmp_path / "r" / HTML_FILE).exists()
