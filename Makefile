# Two commands: `make demo` and `make test`. Each creates .venv (if missing) and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PLOT_STAMP := $(VENV)/.installed-plot
DEV_STAMP := $(VENV)/.installed-dev
export MPLBACKEND := Agg

.PHONY: demo test lint unit solved nbtest lab parity bench docs gallery clean

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

# Lint; the docs build, which executes every course notebook (a failing cell or assert fails it; warnings are
# errors); the solved exercise notebook; then the test suite with doctests (including the checks of the built
# site), last, so its summary line closes the output. Each notebook is executed once.
test: lint docs solved unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(DEV_STAMP)
	ADAMLAB_REQUIRE_DOCS=1 $(BIN)/python -m pytest -n 2

solved: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbmake tests/notebooks

# Execute notebooks without building the site: `make nbtest` (all), `make nbtest NB=notebooks/06_adam_bias_correction.ipynb`
NB ?= notebooks tests/notebooks
nbtest: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbmake $(NB)

# Open the course: sets up the environment (Jupyter, ipywidgets) and starts JupyterLab on notebooks/.
NOTEBOOKS_STAMP := $(VENV)/.installed-notebooks
$(NOTEBOOKS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	@touch $@ $(PLOT_STAMP)

lab: $(NOTEBOOKS_STAMP)
	env -u MPLBACKEND $(BIN)/jupyter lab notebooks  # the inline backend, not the Agg exported above

# -j auto: the notebooks are executed while the pages are read, so two cores execute two notebooks at once.
docs: $(DEV_STAMP)
	$(BIN)/sphinx-build -j auto -W -q -b html docs docs/_build/html

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
