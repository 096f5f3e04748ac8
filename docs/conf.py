"""Sphinx configuration: Markdown pages via MyST, the API from the NumPy-style docstrings."""

from __future__ import annotations

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
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_typehints = "none"
html_theme = "furo"
html_title = "adamlab"
suppress_warnings = ["myst.header"]
