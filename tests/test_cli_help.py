"""Every command's help, found by walking the app (so new commands are checked too): an example,
usage as `fiches CMD [OPTIONS] ARG...`, no `<bool>`, no machine path, no broken lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
PROJECT = str(Path(__file__).resolve().parent.parent)
WIDTHS = (80, 120)
USAGE = re.compile(r"^ Usage: fiches(?: [a-z-]+)* \[OPTIONS\](?: COMMAND \[ARGS\]\.\.\.|"
                   r"(?: \[?[A-Z][A-Za-z.]*(?:\.\.\.)?\]?)*)$")


def command_paths() -> list[tuple[str, ...]]:
    """Every group and command of the app, as the words typed after `fiches`."""
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


def render(path: tuple[str, ...], width: int) -> list[str]:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(width)},
                           prog_name="fiches")
    assert result.exit_code == 0, (path, result.output)
    return [line.rstrip() for line in result.output.splitlines()]


def prose(lines: list[str]) -> list[str]:
    """The help text above the option panels, without the usage line."""
    end = next((i for i, line in enumerate(lines) if line.startswith("╭")), len(lines))
    return [line for line in lines[:end] if not line.startswith(" Usage:")]


def test_the_walk_finds_every_command():
    paths = command_paths()
    assert {(), ("parse",), ("enrich",), ("train",), ("report",), ("report", "budgets")
            } <= set(paths)


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "fiches")
def test_help_reads_cleanly_at_80_and_120_columns(path):
    for width in WIDTHS:
        lines = render(path, width)
        text = "\n".join(lines)
        assert all(len(line) <= width for line in lines), (path, width)
        usage = [line for line in lines if line.startswith(" Usage:")]
        assert usage and USAGE.match(usage[0]), usage
        assert "<bool>" not in text and PROJECT not in text, path
        _has_an_example(path, prose(lines))
        _no_hard_wrapped_sentence(path, width, prose(lines))


def _has_an_example(path: tuple[str, ...], lines: list[str]) -> None:
    """An "Example:" heading, then shell lines rendered as code (indented by two), each
    starting with `fiches` unless the previous one ends with a backslash."""
    start = next((i for i, line in enumerate(lines) if line.strip() == "Example:"), None)
    assert start is not None, f"{path}: help has no example"
    code = [line for line in lines[start + 1:] if line.strip()]
    assert code and code[0].startswith("  fiches "), (path, code[:1])
    for before, line in zip(code, code[1:], strict=False):
        assert line.startswith("  fiches ") or before.endswith("\\"), (path, line)


def _no_hard_wrapped_sentence(path: tuple[str, ...], width: int, lines: list[str]) -> None:
    """A prose line ends only where the next word would not fit: the text is reflowed to the
    terminal, not broken where the docstring's source lines end."""
    room = width - 2  # one column of padding on each side
    for line, following in zip(lines, lines[1:], strict=False):
        if not line.strip() or not following.strip() or following.startswith("  "):
            continue
        next_word = following.split()[0]
        assert len(line.strip()) + 1 + len(next_word) > room, (path, width, line, following)


def test_the_checks_catch_a_command_written_without_the_conventions():
    import typer

    plain = typer.Typer(add_completion=False)

    @plain.command("old")
    def old(quiet: bool = False) -> None:
        """Do something.

        A sentence long enough to be broken where the source line ends, which the
        terminal then shows as a short line.
        """

    @plain.command("other")
    def other() -> None:
        """Other."""

    result = runner.invoke(plain, ["old", "--help"], env={"COLUMNS": "120"}, prog_name="fiches")
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert "<bool>" in result.output
    with pytest.raises(AssertionError):
        _no_hard_wrapped_sentence(("old",), 120, prose(lines))
    with pytest.raises(AssertionError, match="no example"):
        _has_an_example(("old",), prose(lines))
