"""`python -m pipeline` runs the `fiches` command line."""

from pipeline.cli import app

app(prog_name="fiches")
