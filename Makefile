# The two first commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLUSTER := $(VENV)/.installed-cluster

.PHONY: install run test check lint types bench bench-serve browser clean

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

# The browser test drives Debian's Chromium through its chromedriver; installed when missing.
SUDO := $(shell test "$$(id -u)" -eq 0 || echo sudo)

browser:
	@test -x /usr/bin/chromium && test -x /usr/bin/chromedriver || { \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }

test: $(CLUSTER) browser
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench

types: $(STAMP)
	$(BIN)/mypy pipeline

check: lint types test

bench: $(CLUSTER)
	$(BIN)/python bench/bench_enrich.py
	$(BIN)/python bench/bench_train.py
	$(BIN)/python bench/bench_cluster.py

bench-serve: $(STAMP)
	$(BIN)/python bench/bench_serve.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
