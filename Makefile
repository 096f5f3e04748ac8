# Two commands: `make demo` and `make test`. Each creates .venv (if missing) and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PLOT_STAMP := $(VENV)/.installed-plot
DEV_STAMP := $(VENV)/.installed-dev
export MPLBACKEND := Agg

.PHONY: demo test lint unit notebooks parity bench docs gallery clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "adamlab needs Python >= 3.10"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo needs the package and its plotting extra only.
$(PLOT_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[plot]'
	@touch $@

# Tests, notebooks and docs need the dev and docs extras.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	@touch $@ $(PLOT_STAMP)

demo: $(PLOT_STAMP)
	$(BIN)/adamlab demo --out demo-output

# Lint, the docs build (warnings are errors), the notebooks (executed by nbmake), then the test suite with
# doctests, last, so its summary line closes the output.
test: lint docs notebooks unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 2

notebooks: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbmake notebooks tests/notebooks

docs: $(DEV_STAMP)
	$(BIN)/sphinx-build -W -q -b html docs docs/_build/html

# torch.optim conformance: the CPU build of torch goes into .venv (never a dependency of adamlab), and the tests
# may not be skipped. CI runs this after `make test`.
TORCH_STAMP := $(VENV)/.installed-torch
$(TORCH_STAMP): $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	@touch $@

parity: $(TORCH_STAMP)
	ADAMLAB_REQUIRE_TORCH=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_torch_conformance.py

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run.py

gallery: $(DEV_STAMP)
	$(BIN)/python scripts/make_gallery.py

# The key figures for slides (PNG and SVG, drawn inside adamlab.plot.slides()): make figures OUT=dir
.PHONY: figures
OUT ?= figures-output
figures: $(PLOT_STAMP)
	$(BIN)/python scripts/make_figures.py --out $(OUT)

clean:
	rm -rf $(VENV) build dist *.egg-info docs/_build demo-output figures-output
