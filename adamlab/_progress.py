"""Progress bars for long runs: tqdm's (``pip install "adamlab[progress]"``), in a terminal or a notebook.

Only imported when a caller asks for progress (``run(..., progress=True)``, the ``adamlab`` command); the core
never imports it.
"""

from __future__ import annotations

from typing import Any

INSTALL_HINT = 'a progress bar needs tqdm: pip install "adamlab[progress]"'


def bar(total: int, description: str, **options: Any) -> Any:
    """A tqdm bar over ``total`` steps (``tqdm.auto``: a widget in Jupyter, text elsewhere)."""
    try:
        from tqdm.auto import tqdm
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return tqdm(total=total, desc=description, unit="step", **options)
