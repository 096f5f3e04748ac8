"""The docs site: every course notebook is executed at build time, its figures are on its page, a failing cell or
assert fails the build, and the whole site stays small.

The checks of the built site read docs/_build/html, which `make test` builds before the unit tests (it sets
ADAMLAB_REQUIRE_DOCS=1, so a missing build is a failure there; elsewhere those checks are skipped).
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
HTML = ROOT / "docs" / "_build" / "html"
COURSE = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def built():
    if not (HTML / "index.html").exists():
        if os.environ.get("ADAMLAB_REQUIRE_DOCS"):
            pytest.fail("the docs are not built: run `make docs` first")
        pytest.skip("the docs are not built (make docs)")
    return HTML


@pytest.mark.parametrize("notebook", COURSE, ids=[n.stem for n in COURSE])
def test_every_course_page_has_its_figures(built, notebook):
    page = (built / "course" / f"{notebook.stem}.html").read_text()
    images = re.findall(r"<img [^>]*src=\"([^\"]+)\"", page)
    figures = [src for src in images if src.endswith(".png") or src.startswith("data:image")]
    expected = sum(
        1
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "code" and ("plt.show()" in cell.source or ".plot(" in cell.source)
    )
    assert figures, f"{notebook.name} rendered without a single figure (was MPLBACKEND=Agg set?)"
    assert len(figures) >= min(expected, 1)


def test_the_course_lists_every_notebook(built):
    table = (ROOT / "docs" / "course" / "_table.md").read_text()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"course/{notebook.name}" in table
        assert (built / "course" / f"{notebook.stem}.html").exists()


def test_the_site_stays_small(built):
    size = sum(
        p.stat().st_size for p in built.rglob("*") if p.is_file() and ".doctrees" not in p.parts
    )
    assert size < 25e6, f"the HTML is {size / 1e6:.1f} MB"


def test_a_failing_assert_fails_the_build(tmp_path):
    """A one-notebook site built with the project's settings: the notebook's failing assert must fail it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A notebook"),
        nbformat.v4.new_code_cell("assert 1 + 1 == 3"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "broken.ipynb")
    (tmp_path / "index.md").write_text("# Site\n\n```{toctree}\nbroken\n```\n")
    conf = (ROOT / "docs" / "conf.py").read_text()
    settings = conf[conf.index("nb_execution_mode") : conf.index("def _title_and_summary")]
    (tmp_path / "conf.py").write_text(
        textwrap.dedent(
            """
            import os
            extensions = ["myst_nb"]
            """
        )
        + settings
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(tmp_path),
            str(tmp_path / "_build"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "AssertionError" in proc.stdout + proc.stderr
