"""Draw the function gallery: one contour per zoo function into docs/gallery/<name>.png.

Usage: ``python scripts/make_gallery.py [--out docs/gallery] [--dpi 64]``. The images are generated
from adamlab.plot.surface.contour and committed only because they are small; rerun this script after
changing a function's domain, starts or metadata.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from adamlab.functions import available, get  # noqa: E402
from adamlab.plot.surface import contour  # noqa: E402


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "gallery")
    )
    parser.add_argument("--dpi", type=int, default=64)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in available():
        f = get(name)
        fig, ax = plt.subplots(figsize=(5.0, 4.6))
        contour(f, ax=ax, show_stationary=True, show_curves=True, show_starts=True, resolution=200)
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(
                handles,
                labels,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.14),
                ncol=3,
                fontsize=7,
                frameon=False,
            )
        fig.tight_layout()
        path = out / f"{name}.png"
        fig.savefig(path, dpi=args.dpi)
        plt.close(fig)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main():
        print(f"{p}  {p.stat().st_size / 1024:.0f} KB")
