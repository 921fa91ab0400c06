# The two first commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLUSTER := $(VENV)/.installed-cluster

.PHONY: install run test check lint types bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The dask engine (optional extra): for the tests and the benchmark, not for `make run`.
$(CLUSTER): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,cluster]'
	touch $(CLUSTER)

install: $(STAMP)

run: $(STAMP)
	mkdir -p out
	$(BIN)/fiches enrich data/fiches_sample.txt -o out/enriched.jsonl

test: $(CLUSTER)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench

types: $(STAMP)
	$(BIN)/mypy pipeline

check: lint types test

bench: $(CLUSTER)
	$(BIN)/python bench/bench_enrich.py
	$(BIN)/python bench/bench_cluster.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
