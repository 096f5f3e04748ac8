"""Jupyter explorer: sliders for the hyperparameters, the start and the function, paths redrawn live.

Needs ipywidgets (the optional ``notebooks`` extra). Without it :func:`explorer` raises an
ImportError that says what to install.
"""

from __future__ import annotations

import numpy as np

__all__ = ["explorer", "OPTIMIZER_NAMES"]

OPTIMIZER_NAMES = ("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdaMax")
INSTALL_HINT = 'the explorer needs ipywidgets: pip install "adamlab[notebooks]"'


def _widgets():
    try:
        import ipywidgets
        from IPython.display import display
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ipywidgets, display


def explorer(objective="rosenbrock", optimizer="Adam", *, steps=200, x0=None, **hyperparameters):
    """Interactive explorer: pick a function, an optimizer, its hyperparameters and a start.

    Sliders: learning rate (log scale), β₁, β₂, ε (log), momentum, ρ, Adam's bias correction, the
    start point (within the function's domain) and the number of steps. Sliders that the chosen
    optimizer does not have are greyed out. Every change re-runs :func:`adamlab.run` and redraws
    :func:`adamlab.plot.race_figure` (paths on the contour, loss per step).

    Parameters
    ----------
    objective : zoo name (``adamlab.functions.available()``)
    optimizer : one of SGD, Momentum, AdaGrad, RMSProp, Adam, AdaMax
    steps : int
    x0 : start (default: the function's first start)
    **hyperparameters : initial slider values, e.g. ``lr=0.05, beta1=0.8``

    Returns
    -------
    ipywidgets.VBox
        Display it (the last expression of a cell). ``box.controls`` maps names to the widgets,
        ``box.output`` is the Output widget, ``box.trajectory`` the last run and
        ``box.redraw()`` redraws by hand.

    Raises
    ------
    ImportError
        Without ipywidgets: ``pip install "adamlab[notebooks]"``.
    """
    widgets, display = _widgets()
    import matplotlib.pyplot as plt

    import adamlab
    from adamlab import functions
    from adamlab.plot.race import race_figure

    if optimizer not in OPTIMIZER_NAMES:
        raise ValueError(
            f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}, not {optimizer!r}"
        )
    names = [n for n in functions.available() if functions.get(n).dim == 2]
    if objective not in names:
        raise ValueError(
            f"objective must be a 2-D zoo function ({', '.join(names)}), not {objective!r}"
        )
    initial = {
        "lr": 0.05,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "momentum": 0.9,
        "rho": 0.9,
    } | {k: v for k, v in hyperparameters.items() if k != "bias_correction"}
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="360px")
    c = {
        "function": widgets.Dropdown(options=names, value=objective, description="function"),
        "optimizer": widgets.Dropdown(
            options=list(OPTIMIZER_NAMES), value=optimizer, description="optimizer"
        ),
        "lr": widgets.FloatLogSlider(
            value=initial["lr"],
            base=10,
            min=-5,
            max=1,
            step=0.05,
            description="lr α",
            readout_format=".2e",
        ),
        "beta1": widgets.FloatSlider(
            value=initial["beta1"],
            min=0.0,
            max=0.999,
            step=0.001,
            description="β₁",
            readout_format=".3f",
        ),
        "beta2": widgets.FloatSlider(
            value=initial["beta2"],
            min=0.5,
            max=0.9999,
            step=0.0001,
            description="β₂",
            readout_format=".4f",
        ),
        "eps": widgets.FloatLogSlider(
            value=initial["eps"],
            base=10,
            min=-12,
            max=0,
            step=0.5,
            description="ε",
            readout_format=".0e",
        ),
        "momentum": widgets.FloatSlider(
            value=initial["momentum"],
            min=0.0,
            max=0.999,
            step=0.001,
            description="momentum",
            readout_format=".3f",
        ),
        "rho": widgets.FloatSlider(
            value=initial["rho"],
            min=0.0,
            max=0.999,
            step=0.001,
            description="ρ",
            readout_format=".3f",
        ),
        "bias_correction": widgets.Dropdown(
            options=["both", "m", "v", "none"],
            value=hyperparameters.get("bias_correction", "both"),
            description="bias correction",
        ),
        "x": widgets.FloatSlider(description="start θ₁", step=0.01),
        "y": widgets.FloatSlider(description="start θ₂", step=0.01),
        "steps": widgets.IntSlider(value=steps, min=1, max=2000, step=1, description="steps"),
    }
    for w in c.values():
        w.style = style
        w.layout = layout
        if hasattr(w, "continuous_update"):
            w.continuous_update = False
    output = widgets.Output()
    box = widgets.VBox()
    state = {"busy": False}

    def set_domain(name, start=None):
        f = functions.get(name)
        (x0_, x1_), (y0_, y1_) = np.asarray(f.domain, dtype=float)
        s = np.asarray(f.starts[0] if start is None else start, dtype=float)
        for w, lo, hi, v in ((c["x"], x0_, x1_, s[0]), (c["y"], y0_, y1_, s[1])):
            w.min, w.max = -1e300, 1e300  # widen first so that min <= max holds at every step
            w.min, w.max = float(lo), float(hi)
            w.step = (hi - lo) / 200
            w.value = float(np.clip(v, lo, hi))

    def current_optimizer():
        cls = getattr(adamlab, c["optimizer"].value)
        accepted = set(cls().hyperparameters())
        kwargs = {k: c[k].value for k in ("lr", "beta1", "beta2", "eps", "momentum", "rho")}
        kwargs["bias_correction"] = c["bias_correction"].value
        for k, w in c.items():
            if k in kwargs:
                w.disabled = k not in accepted
        return cls(**{k: v for k, v in kwargs.items() if k in accepted})

    def redraw(*_):
        if state["busy"]:
            return
        with output:
            output.clear_output(wait=True)
            try:
                opt = current_optimizer()
                f = functions.get(c["function"].value)
                start = np.array([c["x"].value, c["y"].value])
                box.trajectory = adamlab.run(opt, f, start, int(c["steps"].value))
            except (ValueError, TypeError) as exc:
                print(f"cannot run: {exc}")
                return
            fig = race_figure(box.trajectory, f, figsize=(11.5, 4.8))
            display(fig)
            plt.close(fig)

    def on_function(change):
        state["busy"] = True
        try:
            set_domain(change["new"])
        finally:
            state["busy"] = False
        redraw()

    state["busy"] = True
    set_domain(objective, x0)
    state["busy"] = False
    c["function"].observe(on_function, names="value")
    for k, w in c.items():
        if k != "function":
            w.observe(redraw, names="value")
    left = widgets.VBox([c[k] for k in ("function", "optimizer", "x", "y", "steps")])
    right = widgets.VBox(
        [c[k] for k in ("lr", "beta1", "beta2", "eps", "momentum", "rho", "bias_correction")]
    )
    box.children = [widgets.HBox([left, right]), output]
    box.controls = c
    box.output = output
    box.trajectory = None
    box.redraw = redraw
    redraw()
    return box
