# `make` builds everything from data/raw; `make test` runs the whole test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: all build test lint clean notebooks lock

all: build

# constraints.txt pins every installed package (make lock rewrites it from the current .venv)
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -c constraints.txt
	touch $@

lock: $(BIN)/.installed
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^govreport'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

# exit code 3: some files could not be read (the tables hold the rest; see data/processed/errors.csv)
build: $(BIN)/.installed
	$(BIN)/govreport build data/raw --out data/processed --docs-figures docs/figures || [ $$? -eq 3 ]

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check govreport tests benchmarks scripts

notebooks: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[notebooks]' -c constraints.txt
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) data/processed/*.csv data/processed/*.csv.gz data/processed/*.parquet data/processed/manifest.json data/processed/.govreport-*
	find data/processed -mindepth 1 -maxdepth 1 -type d ! -name figures -exec rm -rf {} +
