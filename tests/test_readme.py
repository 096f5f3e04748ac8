"""The README's example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_readme_example_runs_as_documented():
    text = (ROOT / "README.md").read_text()
    code = re.search(r"## Ten lines\n\n```python\n(.*?)```", text, re.S).group(1)
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)
    printed = out.getvalue().splitlines()
    claimed = re.search(r"print\(x\.round\(4\), state\.t\)\s+# (.*)", code).group(1)
    assert printed[0] == claimed
    # run() records the same numbers as the manual loop.
    assert (namespace["traj"].final == namespace["x"]).all()


def test_readme_links_exist():
    text = (ROOT / "README.md").read_text()
    for link in re.findall(r"\]\(((?:docs|benchmarks)/[^)]+)\)", text):
        assert (ROOT / link).exists(), link
