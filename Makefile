# Two entry points, each doing its own set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/jixiao rubric list
	$(BIN)/jixiao import examples/hengshan-kaiyun-town-2022.txt examples/hengyang-city-government-office-2022.txt -d $(VENV)/imported
	$(BIN)/jixiao score $(VENV)/imported/*.json --detail

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/import_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
