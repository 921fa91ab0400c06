"""What every `fiches` command shares: help rendering, option definitions, messages, exit codes.

Conventions every command in `cli.py` follows (`tests/test_cli_help.py` checks the help of each):

- a docstring whose first line is the summary, then paragraphs, then `Example:` and an indented
  shell example of at most 76 characters a line (continue with `\\`);
- `INPUT...` arguments, `-o/--output` for what it writes (`Output` for a file),
  `--json` for machine-readable results (`JsonFlag`), `--config` when it reads config
  (`ConfigOption`); a default path is named in the help relative to the project ("default:
  models/tagger in the project", with `show_default=False`), never as a machine's path;
- messages on stderr through `say`; "rejected: " for bad input, "failed: " for an error while
  processing, "error: " for what stops the command (`fail`), with one of the `EXIT_*` codes;
- commands registered on a `Typer` from here (`app` or a sub-app such as `report_app`), which
  renders help the project's way: paragraphs reflowed to the terminal, examples kept as code,
  usage `fiches enrich [OPTIONS] INPUT...`, no `<bool>` after flags.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from pipeline.config import MODELS_DIR
from pipeline.reading.stats import ReadStats

# Exit codes, the same for the same cause on every command.
EXIT_OK = 0
EXIT_REJECTED = 1  # some input rejected, or failed while processing; the rest is written
EXIT_USAGE = 2  # bad usage, config, model, or an output location that cannot be used
EXIT_WORKER = 3  # a worker process died


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the metavar (INPUT...) says it all


def _fence_code(help_text: str) -> str:
    """Help text whose indented (code) blocks are fenced, so the markdown renderer keeps them
    as code whatever typer's own dedenting does (it strips a lone block's indentation)."""
    out: list[str] = []
    code = False
    for line in inspect.cleandoc(help_text).splitlines():
        indented = line.startswith("    ") and (code or not out or not out[-1].strip())
        if indented != code:
            if code:  # the fence closes before the blank line that ended the block
                while out and not out[-1].strip():
                    out.pop()
            out.append("```")
            if not indented:
                out.append("")
            code = indented
        out.append(line[4:] if code else line)
    if code:
        out.append("```")
    return "\n".join(out)


class _HelpMixin:
    """Help that reads `fiches enrich [OPTIONS] INPUT...` and shows no `<bool>` for flags."""

    help: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = _fence_code(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""
            elif isinstance(param, TyperArgument) and not isinstance(param, _Argument):
                param.__class__ = _Argument
        return params

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        arguments = [p for p in self.get_params(ctx) if isinstance(p, TyperArgument)]
        if not arguments:
            return pieces
        names = [a.metavar or (a.name or "").upper() for a in arguments]
        names = [n + "..." if a.nargs != 1 and not n.endswith("...") else n
                 for a, n in zip(arguments, names, strict=True)]
        return [pieces[0], *names] if pieces else names


class _Command(_HelpMixin, TyperCommand):
    pass


class _Group(_HelpMixin, TyperGroup):
    pass


class Typer(typer.Typer):
    """`typer.Typer` whose commands and sub-apps render help the project's way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", _Group)
        kwargs.setdefault("rich_markup_mode", "markdown")  # paragraphs reflow to the terminal
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


Inputs = Annotated[list[str], typer.Argument(
    help="Text exports or JSONL record files; '-' reads standard input.", metavar="INPUT...")]
Output = Annotated[str, typer.Option(
    "--output", "-o", metavar="FILE", help="Output JSONL; '-' is stdout.")]
JsonFlag = Annotated[bool, typer.Option(
    "--json", help="Print the results as JSON on stdout.")]
def _checked_config(folder: Path) -> Path:
    """The --config folder, once every file in it has the shape the stages expect: a broken
    config stops any command that reads it before work starts (exit 2, file and entry named)."""
    from pipeline.config import ConfigError, check_config

    try:
        check_config(folder)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    return folder


ConfigOption = Annotated[Path, typer.Option(
    "--config", metavar="DIR", show_default=False, callback=_checked_config,
    help="Config folder (gazetteer, role words, vocabulary, thesaurus); default: config in "
         "the project.")]
ThresholdOption = Annotated[float | None, typer.Option(
    min=0.0, max=1.0, metavar="SCORE", show_default=False,
    help="Suggest keywords scoring at least this; default: the model's tuned threshold.")]
LimitOption = Annotated[int | None, typer.Option(
    min=0, metavar="N", show_default=False,
    help="At most this many keywords per fiche; default: the model's.")]
DEFAULT_MODEL = MODELS_DIR / "tagger"
ModelOption = Annotated[Path, typer.Option(
    "--model", metavar="DIR", show_default=False,
    help="Tagger model folder; default: models/tagger in the project.")]


def say(message: str) -> None:
    """A message for people, on stderr."""
    typer.echo(message, err=True)


def fail(message: str, code: int) -> NoReturn:
    """Print "error: message" on stderr and exit with `code`, one of the `EXIT_*` codes."""
    say(f"error: {message}")
    raise typer.Exit(code)


def old_name(value: Any, old: Any, default: Any) -> Any:
    """The value of an option, or of its hidden former name when only that one was given."""
    return old if old is not None and value == default else value


OldOut = Annotated[str | None, typer.Option("--out", hidden=True, help="Former name of -o.")]


def check_output_file(output: str) -> None:
    """Exit 2 before any work when the output file cannot be one (it is a folder)."""
    if output != "-" and Path(output).is_dir():
        fail(f"{output}: is a folder; -o names the file to write", EXIT_USAGE)


def cannot_write(output: str, exc: OSError) -> str:
    return f"cannot write {output}: {exc.strerror or exc}" + (
        f" ({exc.filename})" if exc.filename and str(exc.filename) != output else "")


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[int | None], Callable[[int], None]] | None]:
    """A rich progress bar on stderr (done / total, rate, ETA), or nothing when quiet."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        def start(total: int | None) -> Callable[[int], None]:
            task = bar.add_task("enrich", total=total, rate="")

            def advance(n: int) -> None:
                bar.advance(task, n)
                speed = bar.tasks[task].speed
                bar.update(task, rate=f"{speed:.1f} fiches/s" if speed else "")
            return advance
        yield start


def tagger_model(model: Path) -> Path | None:
    """The model folder for enrich once checked; None (with a notice) when the default model is
    absent; exits with a message when a model is unusable."""
    from pipeline.tagging.card import ModelError, read_card

    try:
        read_card(model)
    except ModelError as exc:
        if model == DEFAULT_MODEL and not model.exists():
            say(f"note: no tagger model at {model}: suggestions are null "
                 "(train one with `fiches train`)")
            return None
        fail(str(exc), EXIT_USAGE)
    return model


def say_problems(stats: ReadStats) -> None:
    """Print what the reader noticed, the files that failed and the rejected records."""
    say_lists(stats.notices, [f.reason for f in stats.failed_files], stats.rejected)


def say_lists(notices: Iterable[object], files_failed: Iterable[object],
              rejected: Iterable[object], failed: Iterable[object] = ()) -> None:
    """Print notes, failed files, rejected records and failed records, one per line."""
    for prefix, items in (("note", notices), ("failed", files_failed), ("rejected", rejected),
                          ("failed", failed)):
        for item in items:
            say(f"{prefix}: {item}")


def report_counts(stats: ReadStats, written: int) -> int:
    """Print notices, rejections and the summary line on stderr; return the exit code."""
    say_problems(stats)
    say(f"fiches read: {stats.found}, written: {written}, duplicates: {stats.duplicates}, "
         f"rejected: {len(stats.rejected)}, files failed: {len(stats.failed_files)}")
    return EXIT_REJECTED if stats.rejected or stats.failed_files else EXIT_OK
