# Two commands: `make demo` and `make test`. Each creates .venv (if missing) and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.adamlab-installed

.PHONY: demo test lint unit notebooks bench docs gallery clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/adamlab demo --out demo-output

test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/sphinx-build -W -q -b html docs docs/_build/html

gallery: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python scripts/make_gallery.py

clean:
	rm -rf $(VENV) build dist *.egg-info docs/_build demo-output
