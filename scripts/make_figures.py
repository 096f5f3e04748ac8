"""Write the key figures for slides, as PNG (150 dpi) and SVG, drawn inside ``adamlab.plot.slides()``.

Usage: ``make figures`` or ``python scripts/make_figures.py [--out figures-output] [--only NAME ...]
[--formats png svg]``; ``--list`` prints the names. Each figure is one entry of :data:`FIGURES` (a name and a
function that returns a matplotlib Figure): add the course's figures there, so that a lecturer gets all of
them with one command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import adamlab
from adamlab import plot
from adamlab.cli import DEMO_FUNCTION, DEMO_OPTIMIZERS, DEMO_STEPS


def race():
    """The demo's race: six optimizers on Beale (``adamlab demo``)."""
    optimizers = {k: getattr(adamlab, cls)(**hp) for k, (cls, hp) in DEMO_OPTIMIZERS.items()}
    f = adamlab.functions.get(DEMO_FUNCTION)
    return plot.race_figure(adamlab.compare(optimizers, f, f.start, DEMO_STEPS), f)


def bias_steps():
    """|Δθ|/α of Adam with and without each bias correction, constant gradient."""
    return plot.bias_ablation_steps().figure


def bias_sweeps():
    """What bias correction is for: β₂ × α on Rosenbrock with and without it, on one colour scale."""
    grid = dict(lr=np.logspace(-3, 0, 7), beta2=np.array([0.9, 0.99, 0.999, 0.9999]))
    x0 = np.array([-1.5, 2.0])
    sweeps = {
        "Adam (Algorithm 1)": adamlab.sweep(adamlab.Adam(), "rosenbrock", x0, 300, **grid),
        "Adam without bias correction": adamlab.sweep(
            adamlab.Adam(bias_correction="none"), "rosenbrock", x0, 300, **grid
        ),
    }
    return plot.sweep_heatmaps(sweeps)


def basins():
    """Where Adam goes from each start on Himmelblau."""
    bm = adamlab.basins(adamlab.Adam(lr=0.1), "himmelblau", resolution=60, steps=200)
    return plot.basin_map(bm).figure


def step_sizes():
    """Per-coordinate step sizes on an ill-conditioned quadratic (κ = 100)."""
    f = adamlab.functions.get("quadratic", kappa=100, angle=0)
    optimizers = {"SGD": adamlab.SGD(lr=0.01), "Adam": adamlab.Adam(lr=0.05)}
    return plot.step_sizes(adamlab.compare(optimizers, f, np.array([3.0, 2.0]), 100))[0].figure


def surface():
    """Adam's path on the 3-D Rosenbrock valley."""
    f = adamlab.functions.get("rosenbrock")
    return plot.surface3d(adamlab.run(adamlab.Adam(lr=0.05), f, f.start, 1000)).figure


FIGURES: dict[str, Callable] = {
    "race-beale": race,
    "bias-lab": plot.bias_lab,
    "bias-steps": bias_steps,
    "bias-sweeps": bias_sweeps,
    "basins-himmelblau": basins,
    "step-sizes": step_sizes,
    "surface-rosenbrock": surface,
}


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures-output", help="directory (created)")
    parser.add_argument("--only", nargs="*", default=None, help="figure names (default: all)")
    parser.add_argument(
        "--formats", nargs="*", default=["png", "svg"], choices=["png", "svg", "pdf"]
    )
    parser.add_argument("--list", action="store_true", help="print the figure names and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, make in FIGURES.items():
            print(f"{name:20s} {(make.__doc__ or '').strip().splitlines()[0]}")
        return []
    unknown = sorted(set(args.only or ()) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in args.only or FIGURES:
        with plot.slides():
            fig = FIGURES[name]()
            for fmt in args.formats:
                path = out / f"{name}.{fmt}"
                fig.savefig(path)
                written.append(path)
        plt.close(fig)
    return written


if __name__ == "__main__":
    for p in main():
        print(f"{p}  {p.stat().st_size / 1024:.0f} KB")
