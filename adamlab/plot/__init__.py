"""Every picture of adamlab, drawn with matplotlib (imported only when ``adamlab.plot`` is used).

All functions take ``ax=None`` (a new figure when None), return what they drew, never call
``plt.show()`` and never change matplotlib's global style. Each optimizer has one colour in every
view (:data:`colors`); legend labels are the optimizers' own ``repr`` (what you type to get the same
curve), titles are written for people ("Adam, α = 0.1 on Rosenbrock"); a diverged run is drawn up to
its last finite point and ends in a cross, with "(diverged at t=…)" in its label. Legends sit outside
the axes or where they cover no data.

>>> import numpy as np, adamlab
>>> from adamlab import plot
>>> traj = adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", np.array([0.0, 0.0]), 50)
>>> ax = plot.paths(traj)
>>> ax.get_legend().get_texts()[0].get_text()
'Adam(lr=0.1)'
>>> import matplotlib.pyplot as plt; plt.close("all")

Views (module: what it draws)
-----------------------------
contour (``contours``)
    A function over its domain, minima and stationary points marked; the background of the plane views.
paths (``contour_paths``), surface3d (``surface``), loss_curves (``loss``), race_figure (``race``)
    Paths on the contour, the 3-D surface, loss / gap / distance curves, the demo's side-by-side figure.
bias_lab, bias_factors, bias_moments, bias_ablation_steps, bias_ablation_paths (``bias``)
    The bias-correction lab, measured on the real optimizer.
step_sizes, update_arrows (``steps``)
    Effective per-coordinate step sizes next to |Δθ|; g, m̂ and Δθ arrows on the contour.
basin_map (``basins``)
    Basins of attraction over a grid of starts.
sweep_heatmap, sweep_heatmaps, sweep_norm (``sweeps``)
    Every run of a hyperparameter sweep; several sweeps on one colour scale.
animate, animation_html (``animation``)
    GIF (Pillow, no ffmpeg) or inline HTML/JS animation of paths on the contour.
explorer (``interactive``)
    ipywidgets sliders for the hyperparameters, start and function (``pip install "adamlab[notebooks]"``).

Style
-----
colors
    One colour per optimizer class, the same in every view (``plot.colors["Adam"]``).
slides
    ``with plot.slides():`` draws figures readable on a projector (larger text, thicker lines); global
    rcParams are untouched outside the block.
"""

from adamlab.plot._colors import OptimizerColors, colors
from adamlab.plot._style import slides
from adamlab.plot.animation import animate, animation_html
from adamlab.plot.basins import basin_map
from adamlab.plot.bias import (
    bias_ablation_paths,
    bias_ablation_steps,
    bias_factors,
    bias_lab,
    bias_moments,
)
from adamlab.plot.contour_paths import paths
from adamlab.plot.contours import contour
from adamlab.plot.interactive import explorer
from adamlab.plot.loss import loss_curves
from adamlab.plot.race import race_figure
from adamlab.plot.steps import step_sizes, update_arrows
from adamlab.plot.surface import surface3d
from adamlab.plot.sweeps import sweep_heatmap, sweep_heatmaps, sweep_norm

__all__ = [
    "OptimizerColors",
    "animate",
    "animation_html",
    "basin_map",
    "bias_ablation_paths",
    "bias_ablation_steps",
    "bias_factors",
    "bias_lab",
    "bias_moments",
    "colors",
    "contour",
    "explorer",
    "loss_curves",
    "paths",
    "race_figure",
    "slides",
    "step_sizes",
    "surface3d",
    "sweep_heatmap",
    "sweep_heatmaps",
    "sweep_norm",
    "update_arrows",
]
