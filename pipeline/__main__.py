"""`python -m pipeline` runs the `fiches` command line."""

from pipeline.cli import main

main()
