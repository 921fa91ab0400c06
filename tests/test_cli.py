"""The command line: parse to stdout and files, errors and exit codes (help: test_cli_help.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "fiches_sample.txt"
runner = CliRunner()


def test_parse_sample_to_stdout():
    result = runner.invoke(app, ["parse", str(SAMPLE)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 25
    assert [r["duplicate_of"] for r in records[6:9]] == [None, 6, 6]
    assert records[4]["structure"] == {"name": "CENTRE SOCIAL MONTREUIL - VAUBAN",
                                       "departement": "Yvelines"}
    assert records[22]["keywords"] == ["Emploi, économie"]
    assert ("fiches read: 25, written: 25, duplicates: 2, rejected: 0, files failed: 0"
            in result.stderr)


def test_parse_to_file_then_from_jsonl_is_identical(tmp_path):
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert runner.invoke(app, ["parse", str(SAMPLE), "-o", str(out1)]).exit_code == 0
    assert runner.invoke(app, ["parse", str(out1), "-o", str(out2)]).exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_parse_reads_stdin():
    result = runner.invoke(app, ["parse", "-"], input=SAMPLE.read_bytes())
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 25


def test_bad_inputs_are_named_and_counted(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("pas un export\n", encoding="utf-8")
    records = tmp_path / "r.jsonl"
    good = runner.invoke(app, ["parse", str(SAMPLE)]).stdout.splitlines()[0]
    records.write_text(good + "\n[1, 2]\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(junk), str(records), str(tmp_path / "absent.txt")])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1  # the valid record still comes out
    assert "junk.txt: no fiche found" in result.stderr
    assert "r.jsonl:2: not a fiche record" in result.stderr
    assert "absent.txt: cannot read" in result.stderr
    assert ("fiches read: 2, written: 1, duplicates: 0, rejected: 1, files failed: 2"
            in result.stderr)


def test_enrich_refuses_an_output_another_run_holds(tmp_path):
    from pipeline.running.batch import lock

    out = tmp_path / "enriched.jsonl"
    with lock(tmp_path / ".enriched.jsonl.lock", f"output {out}"):
        result = runner.invoke(app, ["enrich", str(SAMPLE), "-o", str(out), "--quiet"])
    assert result.exit_code == 2
    assert "in use by another run" in result.stderr
    assert not out.exists()


def test_enrich_stops_before_starting_on_a_broken_config_file(tmp_path):
    import shutil

    config = tmp_path / "config"
    shutil.copytree(Path(__file__).resolve().parent.parent / "config", config)
    (config / "roles.json").write_text('{"professionals": [\n  "animateur",,\n]}',
                                       encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["enrich", str(SAMPLE), "-o", str(out), "-q", "--no-suggest",
                                 "--config", str(config)])
    assert result.exit_code == 2
    assert "roles.json:2: invalid JSON" in result.stderr
    assert not out.exists()


def test_enrich_reports_a_dead_worker(tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    import pipeline.running.batch

    def die(*args, **kwargs):
        raise BrokenProcessPool("A child process terminated abruptly")

    monkeypatch.setattr(pipeline.running.batch, "run", die)
    result = runner.invoke(app, ["enrich", str(SAMPLE), "-o", str(tmp_path / "o.jsonl"), "-q"])
    assert result.exit_code == 3
    assert "a worker process died" in result.stderr and "resumes" in result.stderr


def test_version():
    from pipeline import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"fiches {__version__}"


@pytest.mark.slow
def test_an_unusable_output_is_exit_2_with_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for command in (["parse"], ["enrich", "-q", "--no-suggest", "--workers", "1"]):
        result = runner.invoke(app, [*command, str(SAMPLE), "-o", str(tmp_path)])
        assert result.exit_code == 2 and "is a folder" in result.stderr, command
        result = runner.invoke(app, [*command, str(SAMPLE), "-o", str(blocker / "x.jsonl")])
        assert result.exit_code == 2 and result.stderr.startswith("error: "), command
        assert "cannot write" in result.stderr and str(blocker) in result.stderr, command
        assert "Traceback" not in result.output and blocker.read_text() == "x"
