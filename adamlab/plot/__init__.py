"""Every picture of adamlab, drawn with matplotlib (imported only when ``adamlab.plot`` is used).

All functions take ``ax=None`` (a new figure when None), return what they drew, never call
``plt.show()`` and never change matplotlib's global style. Each optimizer has one colour in every
view (:data:`colors`); labels are the optimizers' own ``repr``; a diverged run is drawn up to its
last finite point and ends in a cross, with "(diverged at t=…)" in its label.

>>> import numpy as np, adamlab
>>> from adamlab import plot
>>> traj = adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", np.array([0.0, 0.0]), 50)
>>> ax = plot.paths(traj)
>>> ax.get_legend().get_texts()[0].get_text()
'Adam(lr=0.1)'
>>> import matplotlib.pyplot as plt; plt.close("all")

Views
-----
paths, surface3d, loss_curves, race_figure
    Contour with paths, 3-D surface, loss / gap / distance curves, the demo's side-by-side figure.
bias_lab, bias_factors, bias_moments, bias_ablation_steps, bias_ablation_paths
    The bias-correction lab, measured on the real optimizer.
step_sizes, update_arrows
    Effective per-coordinate step sizes next to |Δθ|; g, m̂ and Δθ arrows on the contour.
basin_map, sweep_heatmap
    Basins of attraction over a grid of starts; every run of a hyperparameter sweep.
animate, animation_html
    GIF (Pillow, no ffmpeg) or inline HTML/JS animation of paths on the contour.
explorer
    ipywidgets sliders for the hyperparameters, start and function (``pip install "adamlab[notebooks]"``).
"""

from adamlab.plot._colors import OptimizerColors, colors
from adamlab.plot.anim import animate, animation_html
from adamlab.plot.bias import (
    bias_ablation_paths,
    bias_ablation_steps,
    bias_factors,
    bias_lab,
    bias_moments,
)
from adamlab.plot.interactive import explorer
from adamlab.plot.maps import basin_map, sweep_heatmap
from adamlab.plot.steps import step_sizes, update_arrows
from adamlab.plot.views import loss_curves, paths, race_figure, surface3d

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
    "explorer",
    "loss_curves",
    "paths",
    "race_figure",
    "step_sizes",
    "surface3d",
    "sweep_heatmap",
    "update_arrows",
]
