"""Draw the function gallery: one contour per zoo function into docs/gallery/<name>.png.

Usage: ``python scripts/make_gallery.py [--out docs/gallery] [--dpi 100] [--names rosenbrock ...]``
(``make gallery``). Each image is 600 pixels wide with 10-point text (the default rcParams), drawn by
:func:`adamlab.plot.contour`, and stored with a 256-colour palette so that the committed files stay
small; rerun this script after changing a function's domain, starts or metadata.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
from PIL import Image

from adamlab.functions import available, get
from adamlab.plot import contour

FIGSIZE = (6.0, 6.2)  # inches: 600 x 620 pixels at the default 100 dpi


def draw(name: str, resolution: int = 200):
    """The gallery figure of one zoo function (a constrained-layout Figure, legend under the axes)."""
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    contour(
        get(name),
        ax=ax,
        show_stationary=True,
        show_curves=True,
        show_starts=True,
        resolution=resolution,
    )
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False)
    return fig


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "gallery")
    )
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--resolution", type=int, default=200, help="grid points per axis")
    parser.add_argument("--names", nargs="*", default=None, help="functions (default: all)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in args.names or available():
        fig = draw(name, args.resolution)
        path = out / f"{name}.png"
        fig.savefig(path, dpi=args.dpi)
        plt.close(fig)
        with Image.open(path) as image:
            palette = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
        palette.save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main():
        print(f"{p}  {p.stat().st_size / 1024:.0f} KB")
