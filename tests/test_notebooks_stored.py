"""The notebooks as stored in git: without outputs (the docs build and nbmake execute them), and the student
workbook without solutions (its solved copy lives in tests/notebooks/ and is executed by ``make solved``)."""

from __future__ import annotations

import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, (
                f"{path.name}, cell {i}: outputs are stored (clear them before committing)"
            )
            assert cell.execution_count is None, (
                f"{path.name}, cell {i}: an execution count is stored"
            )


def test_the_student_workbook_has_stubs_not_solutions():
    nb = nbformat.read(ROOT / "notebooks" / "exercises.ipynb", as_version=4)
    stubs = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and re.search(r"^def \w+_step\(", c.source, re.M)
    ]
    assert len(stubs) == 7  # SGD, momentum, AdaGrad, RMSProp, Adam, AdaMax, AdamW
    for source in stubs:
        assert "raise NotImplementedError" in source, source
        assert "return" not in source, source
