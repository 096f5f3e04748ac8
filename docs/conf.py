"""Sphinx configuration: Markdown pages via MyST, the API from the NumPy-style docstrings."""

from __future__ import annotations

import re

import adamlab

project = "adamlab"
author = "adamlab developers"
release = version = adamlab.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "gallery/*.md"]
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
