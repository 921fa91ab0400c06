"""The budget report: figures agree with the records, duplicates count once, clear errors."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest
from typer.testing import CliRunner

from pipeline import __version__
from pipeline.cli import app
from pipeline.reporting.synthesis import (
    UNKNOWN,
    ReportError,
    build_report,
    by_funder_type,
    by_group,
    fiches_frame,
    format_eur,
    funders_frame,
    overview,
)
from pipeline.reporting.writers import (
    CHART_FILES,
    CSV_FILES,
    HTML_FILE,
    LABELS,
    OVERVIEW_FILE,
    SHEETS,
    XLSX_FILE,
    read_enriched,
    render_html,
    report_frames,
    write_report,
)

runner = CliRunner()


def budget(total: float | None, basis: str | None, *, approximate: bool = False,
           unit_assumed: bool = False, consistent: bool = True) -> dict[str, Any]:
    lines = [] if total is None else [{"label": "Total", "amount_eur": total, "kind": "total",
                                       "funder": None, "field": "financial_resources",
                                       "start": 0, "end": 5}]
    return {"total_eur": total, "basis": basis, "approximate": approximate,
            "unit_assumed": unit_assumed, "consistent": consistent, "lines": lines}


def record(ident: str, ordinal: int, dep: str | None, budget_: dict[str, Any] | None,
           funders: list[tuple[str, float | None]], start: str | None, *,
           status: str = "En cours", dimension: str | None = "Citoyenneté",
           file: str = "a.txt", duplicate_of: int | None = None) -> dict[str, Any]:
    return {
        "id": ident, "source": {"file": file, "ordinal": ordinal, "line": 10 * ordinal + 2},
        "duplicate_of": duplicate_of, "warnings": [], "title": f"Fiche {ident}",
        "structure": {"name": "CS", "departement": dep}, "status": status,
        "dimension": dimension, "keywords": [], "financial_resources": "Total : 1 500 €",
        "budget": budget_,
        "funders": [{"type": t, "name": None, "amount_eur": a, "field": "financial_resources",
                     "start": 0, "end": 3} for t, a in funders],
        "dates": {"start": start, "end": None, "years": [], "mentions": []},
        "headcount": None,
    }


A = record("a", 0, "Yvelines", budget(1500.0, "explicit_total"),
           [("CAF", 1000.0), ("Commune", None)], "2018-05")
RECORDS = [
    A,
    {**A, "source": {"file": "a.txt", "ordinal": 1, "line": 12}, "duplicate_of": 0},
    record("b", 2, None, None, [("Commune", None)], None, status="Terminée", dimension=None),
    record("c", 3, "Essonne", budget(300, "sum_of_expenses", approximate=True,
                                     unit_assumed=True), [("CAF", 200), ("Région", 100)], "2017"),
    record("d", 4, "Essonne", budget(2000, "sum_of_funding", consistent=False),
           [("Département", 1200.0), ("Région", 800.0)], "2019-01"),
    record("e", 5, "Essonne", budget(None, None), [], None),
    {**A, "source": {"file": "b.txt", "ordinal": 0, "line": 2}},  # same fiche, another export
]


def test_distinct_fiches_in_input_order_with_their_copies():
    fiches = fiches_frame(RECORDS)
    assert fiches["id"].tolist() == ["a", "b", "c", "d", "e"]
    assert fiches["copies"].tolist() == [3, 1, 1, 1, 1]
    pdt.assert_series_equal(fiches["budget_eur"],
                            pd.Series([1500.0, math.nan, 300.0, 2000.0, math.nan],
                                      name="budget_eur"))
    assert fiches.loc[0, "funders"] == "CAF 1000 €; Commune"
    assert fiches.loc[0, "budget_evidence"] == "Total"
    pdt.assert_series_equal(fiches["start_year"],
                            pd.Series(["2018", None, "2017", "2019", None], name="start_year"))
    assert fiches[["approximate", "unit_assumed", "inconsistent"]].sum().tolist() == [1, 1, 1]


def test_overview_agrees_with_the_records():
    assert overview(fiches_frame(RECORDS)) == {
        "records": 7, "fiches": 5, "duplicates": 2, "fiches_with_budget": 3,
        "budget_coverage": 0.6, "budget_total_eur": 3800.0, "outliers": 0,
        "budget_total_excl_outliers_eur": 3800.0,
        "budget_min_eur": 300.0, "budget_q1_eur": 900.0,
        "budget_median_eur": 1500.0, "budget_q3_eur": 1750.0, "budget_max_eur": 2000.0,
        "basis": {"explicit_total": 1, "sum_of_expenses": 1, "sum_of_funding": 1},
        "budget_fields": {"financial_resources": 3},
        "quality": {"approximate": 1, "unit_assumed": 1, "inconsistent": 1, "outlier": 0,
                    "no_budget": 2},
    }


def test_funding_by_funder_type():
    fiches, funders = fiches_frame(RECORDS), funders_frame(RECORDS)
    known = 1000.0 + 200.0 + 1200.0 + 100.0 + 800.0
    expected = pd.DataFrame({
        "funder_type": ["CAF", "Département", "Région", "Commune"],
        "fiches": [2, 1, 2, 2],
        "fiches_with_amount": [2, 1, 2, 0],
        "amount_known_eur": [1200.0, 1200.0, 900.0, math.nan],  # Commune: named, no amount
        "amount_known_excl_outliers_eur": [1200.0, 1200.0, 900.0, math.nan],
        "share_of_known_total": [1200.0 / known, 1200.0 / known, 900.0 / known, math.nan],
    })
    pdt.assert_frame_equal(by_funder_type(fiches, funders), expected)


def test_fiches_and_budgets_by_departement_and_start_year():
    fiches = fiches_frame(RECORDS)
    expected = pd.DataFrame({
        "departement": ["Essonne", "Yvelines", UNKNOWN],
        "fiches": [3, 1, 1],
        "fiches_with_budget": [2, 1, 0],
        "budget_coverage": [2 / 3, 1.0, 0.0],
        "budget_total_eur": [2300.0, 1500.0, math.nan],  # no budget: "—", not 0 €
        "budget_total_excl_outliers_eur": [2300.0, 1500.0, math.nan],
        "budget_median_eur": [1150.0, 1500.0, math.nan],
    })
    pdt.assert_frame_equal(by_group(fiches, "departement"), expected)
    expected = pd.DataFrame({
        "start_year": ["2017", "2018", "2019", UNKNOWN],
        "fiches": [1, 1, 1, 2],
        "fiches_with_budget": [1, 1, 1, 0],
        "budget_coverage": [1.0, 1.0, 1.0, 0.0],
        "budget_total_eur": [300.0, 1500.0, 2000.0, math.nan],
        "budget_total_excl_outliers_eur": [300.0, 1500.0, 2000.0, math.nan],
        "budget_median_eur": [300.0, 1500.0, 2000.0, math.nan],
    })
    pdt.assert_frame_equal(by_group(fiches, "start_year", order="label"), expected)


def test_every_table_adds_up_to_the_overview():
    report = build_report(RECORDS)
    ov = report.overview
    for name in ("departements", "dimensions", "statuses", "start_years"):
        table = report.tables[name]
        assert table["fiches"].sum() == ov["fiches"], name
        assert table["fiches_with_budget"].sum() == ov["fiches_with_budget"], name
        assert table["budget_total_eur"].sum() == ov["budget_total_eur"], name
    assert report.tables["funder_types"]["share_of_known_total"].sum() == pytest.approx(1.0)
    assert report.quality()["id"].tolist() == ["c", "d"]


def test_empty_catalogue_gives_zeros():
    report = build_report([])
    assert report.overview["fiches"] == 0
    assert report.overview["budget_total_eur"] == 0.0
    assert report.overview["budget_median_eur"] is None
    assert all(table.empty for table in report.tables.values())


def test_parsed_records_get_a_clear_error_not_a_key_error(tmp_path):
    parsed = {key: value for key, value in A.items()
              if key not in ("budget", "funders", "dates", "headcount")}
    path = tmp_path / "parsed.jsonl"
    path.write_text("\n" + json.dumps(parsed) + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"parsed\.jsonl:2: .*no 'budget'.*fiches enrich"):
        read_enriched(str(path))
    with pytest.raises(ReportError, match="record 1 .*no 'budget'"):
        build_report([parsed])


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", r"bad\.jsonl:2: not valid JSON"),
    ("[1, 2]", r"bad\.jsonl:2: expected a JSON object"),
    (json.dumps({**A, "budget": {"total_eur": "1500"}}), r"bad\.jsonl:2: 'budget\.total_eur'"),
])
def test_bad_lines_are_named_with_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(A) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        read_enriched(str(path))


def test_html_is_self_contained_and_escapes_record_text():
    hostile = record("x", 9, "<b>Dép</b>", budget(10.0, "single_amount", approximate=True),
                     [("CAF", 10.0)], "2020")
    hostile["title"] = '<script>alert("x")</script>'
    hostile["financial_resources"] = "<img src=http://evil/x.png> 10 €"
    page = render_html(build_report([hostile]), {k: b"\x89PNG" for k in CHART_FILES}, "<in>")
    assert "<script" not in page and "<b>Dép" not in page and "<img src=http" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Dép&lt;/b&gt;" in page
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link" not in page


@pytest.mark.slow
def test_cli_writes_every_file_and_they_agree_with_the_records(tmp_path):
    enriched = tmp_path / "enriched.jsonl"
    enriched.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "budgets", str(enriched), "-o", str(out), "--xlsx",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert "fiches: 5 (records: 7, duplicates: 2)" in result.stderr
    expected = {OVERVIEW_FILE, HTML_FILE, XLSX_FILE, *CSV_FILES.values(), *CHART_FILES.values()}
    assert {p.name for p in out.iterdir()} == expected
    assert not list(tmp_path.glob(".*.tmp"))
    report = build_report(RECORDS)
    written = json.loads((out / OVERVIEW_FILE).read_text())
    assert json.loads(result.stdout) == written
    assert written == {"source": "enriched.jsonl", "generated": date.today().isoformat(),
                       "version": __version__, **report.overview}
    for key, table in report_frames(report).items():
        pdt.assert_frame_equal(_read_csv(out / CSV_FILES[key], table), table,
                               check_dtype=False)
        text = {LABELS[c]: "str" for c in table.columns
                if pd.api.types.is_string_dtype(table[c].dtype)}
        from_excel = pd.read_excel(out / XLSX_FILE, sheet_name=SHEETS[key], dtype=text)
        assert list(from_excel.columns) == [LABELS[c] for c in table.columns]
        from_excel.columns = table.columns
        pdt.assert_frame_equal(_restore(from_excel, table), table, check_dtype=False)
    for name in CHART_FILES.values():
        assert (out / name).read_bytes().startswith(b"\x89PNG")


def _restore(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """A table read back from CSV or xlsx, with `like`'s text types: an empty text cell comes
    back missing, so it is made "" again where `like` has ""."""
    for column in like.columns:
        if pd.api.types.is_string_dtype(like[column].dtype):
            empty = frame[column].isna() & like[column].eq("").fillna(False)
            frame[column] = frame[column].astype(like[column].dtype).mask(empty, "")
    return frame


def _read_csv(path: Path, like: pd.DataFrame, **options: Any) -> pd.DataFrame:
    text = [c for c in like.columns if pd.api.types.is_string_dtype(like[c].dtype)]
    return _restore(pd.read_csv(path, dtype={c: "str" for c in text}, **options), like)


def test_cli_on_parsed_records_fails_clearly_and_writes_nothing(tmp_path):
    parsed = tmp_path / "parsed.jsonl"
    parsed.write_text(json.dumps({k: v for k, v in A.items() if k != "budget"}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "budgets", str(parsed), "-o", str(out)])
    assert result.exit_code == 1
    assert "parsed.jsonl:1" in result.stderr and "fiches enrich" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.slow
def test_empty_input_still_gives_a_full_report(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "report"
    files = write_report(build_report(read_enriched(str(empty))), out, source="empty")
    assert len(files) == 1 + len(CSV_FILES) + len(CHART_FILES) + 1
    assert json.loads((out / OVERVIEW_FILE).read_text())["fiches"] == 0
    assert "Aucune donnée." in (out / HTML_FILE).read_text(encoding="utf-8")


@pytest.mark.slow
def test_existing_folder_keeps_other_files(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    write_report(build_report([]), out, source="x")
    assert (out / "notes.txt").read_text() == "mine" and (out / OVERVIEW_FILE).exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_xlsx_keeps_formula_looking_text_as_text(tmp_path):
    from openpyxl import load_workbook

    from pipeline.reporting.writers import write_xlsx

    tricky = record("f", 0, "=1+1", budget(5.0, "single_amount"), [], None)
    tricky["financial_resources"] = '=HYPERLINK("http://evil")\x07'
    path = tmp_path / "t.xlsx"
    write_xlsx(build_report([tricky]), path)
    sheet = load_workbook(path)[SHEETS["fiches"]]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.value.startswith("=")]
    assert formulas and all(c.data_type == "s" for c in formulas)
    assert all(len(name) <= 31 for name in SHEETS.values())


def test_format_eur_is_french():
    assert format_eur(12000.5) == "12\u00a0000,50\u00a0€"
    assert format_eur(None) == "—" and format_eur(math.nan) == "—"
