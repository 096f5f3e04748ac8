"""Sphinx configuration: Markdown pages and the course notebooks via myst-nb, the API from the NumPy-style
docstrings.

The notebooks live in ``notebooks/`` (stored without outputs); each build copies them into ``docs/course/`` (not
in git), writes the course's table of contents from their titles, and executes every one of them: a notebook that
raises, or one of its asserts that fails, fails the build. ``ADAMLAB_DOCS_EXECUTE=off`` skips the execution for a
quick look at the text.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil

import adamlab

HERE = pathlib.Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent / "notebooks"
COURSE = HERE / "course"

project = "adamlab"
author = "adamlab developers"
release = version = adamlab.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "gallery/*.md", "course/_table.md", "**.ipynb_checkpoints"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_typehints = "none"
html_theme = "furo"
html_title = "adamlab"
suppress_warnings = ["myst.header", "ref.python"]

# Docstrings are written to be read in the source, where |Δθ| means an absolute value. In reStructuredText a
# pair of bars is a substitution, so escape bars in prose (not in literals, roles or math blocks) when Sphinx
# reads a docstring.
_CODE = re.compile(r"(``.*?``|:\w+:`.*?`|`[^`]*`)")


def _escape_bars(app, what, name, obj, options, lines):
    in_math, math_indent = False, 0
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if in_math and stripped and indent <= math_indent:
            in_math = False
        if stripped.startswith(".. math::"):
            in_math, math_indent = True, indent
            continue
        if in_math or "|" not in line:
            continue
        parts = _CODE.split(line)
        lines[i] = "".join(
            part if k % 2 else re.sub(r"(?<!\\)\|", r"\\|", part) for k, part in enumerate(parts)
        )


def setup(app):
    app.connect("autodoc-process-docstring", _escape_bars)


# ------------------------------------------------------------------------------------------------------------
# The course: the notebooks, executed at build time.

nb_execution_mode = "off" if os.environ.get("ADAMLAB_DOCS_EXECUTE") == "off" else "force"
nb_execution_raise_on_error = (
    False  # reported as a warning with its traceback, and -W makes it fail the build
)
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True
# The Makefile exports MPLBACKEND=Agg for the CLI and the tests; an executed notebook needs the inline backend,
# or its figures are never shown (and the pages have no images).
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def _title_and_summary(notebook: pathlib.Path) -> tuple[str, str, str]:
    """The notebook's title (its first heading), the first paragraph after it, and its stated time."""
    cells = json.loads(notebook.read_text())["cells"]
    text = "".join(next((c["source"] for c in cells if c["cell_type"] == "markdown"), ""))
    lines = text.strip().splitlines()
    title = lines[0].lstrip("# ").strip() if lines else notebook.stem
    paragraphs = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    summary = next((p for p in paragraphs if not p.startswith(("**", "-", "|", "#", "$$"))), "")
    summary = " ".join(summary.split())
    sentence = re.match(r"(.+?[.!?])(\s|$)", summary)
    time = re.search(r"\*\*Time\*\*:?\s*:?\s*([^.\n]+)", text)
    return title, sentence.group(1) if sentence else summary, time.group(1).strip() if time else ""


def _course() -> None:
    """Copy the notebooks into docs/course/ and write the course's table (docs/course/_table.md)."""
    COURSE.mkdir(exist_ok=True)
    wanted = sorted(NOTEBOOKS.glob("*.ipynb"))
    for old in COURSE.glob("*.ipynb"):
        if old.name not in {n.name for n in wanted}:
            old.unlink()
    rows = []
    for notebook in wanted:
        target = COURSE / notebook.name
        if not target.exists() or target.read_bytes() != notebook.read_bytes():
            shutil.copyfile(notebook, target)
        title, summary, time = _title_and_summary(notebook)
        number = notebook.stem.split("_")[0] if notebook.stem[:2].isdigit() else "–"
        rows.append(f"| {number} | [{title}](course/{notebook.name}) | {summary} | {time} |")
    table = ["| | notebook | what it teaches | time |", "|---|---|---|---|", *rows]
    (COURSE / "_table.md").write_text("\n".join(table) + "\n")


_course()


def _front_figure() -> None:
    """The front page's figure: the demo's race (``adamlab demo``), drawn at build time (docs/_generated/)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from adamlab import plot
    from adamlab.cli import DEMO_FUNCTION, DEMO_OPTIMIZERS, DEMO_STEPS

    out = HERE / "_generated" / "race.png"
    out.parent.mkdir(exist_ok=True)
    optimizers = {k: getattr(adamlab, cls)(**hp) for k, (cls, hp) in DEMO_OPTIMIZERS.items()}
    f = adamlab.functions.get(DEMO_FUNCTION)
    fig = plot.race_figure(adamlab.compare(optimizers, f, f.start, DEMO_STEPS), f)
    fig.savefig(out, dpi=110)
    plt.close(fig)


_front_figure()
