"""Jupyter explorer: sliders for the hyperparameters, the start and the function, paths redrawn live.

Needs ipywidgets (the optional ``notebooks`` extra). Without it :func:`explorer` raises an
ImportError that says what to install.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import numpy as np

from adamlab.optimizers import OPTIMIZERS

__all__ = ["explorer", "OPTIMIZER_NAMES", "SLIDERS"]

#: The optimizers offered by name: every class of ``adamlab.optimizers``, in teaching order.
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
#: The hyperparameters that have a slider (others keep the optimizer's own value or its default).
SLIDERS = ("lr", "beta1", "beta2", "eps", "momentum", "rho", "bias_correction")
INSTALL_HINT = 'the explorer needs ipywidgets: pip install "adamlab[notebooks]"'


def _widgets():
    try:
        import ipywidgets
        from IPython.display import display
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ipywidgets, display


def _function_table(objective: Any) -> tuple[dict[str, Any], str]:
    """The functions offered (label -> a zoo name or the caller's own function) and the label of
    ``objective``: any name :func:`adamlab.functions.get` accepts, a zoo function built with parameters, or
    your own function (``__call__``, ``grad``, ``dim == 2`` and a plotting ``domain``)."""
    from adamlab import functions
    from adamlab.trajectory import resolve_objective

    table: dict[str, Any] = {n: n for n in functions.available() if functions.get(n).dim == 2}
    f = resolve_objective(objective)  # a name in any spelling, or the object itself (checked)
    name = getattr(f, "name", None)
    if getattr(f, "dim", None) != 2:
        raise ValueError(
            f"the explorer draws functions of two variables; {name or f!r} has dim "
            f"{getattr(f, 'dim', None)!r}"
        )
    domain = np.asarray(getattr(f, "domain", None), dtype=float)
    if domain.shape != (2, 2) or not np.all(np.isfinite(domain)):
        raise ValueError(
            f"the explorer needs a plotting domain for {name or f!r} (its sliders span it): give the "
            "function a (2, 2) `domain`, e.g. adamlab.functions.from_callables(value, grad, dim=2, "
            "domain=[[-2, 2], [-1, 3]])"
        )
    if isinstance(name, str) and name in table and repr(f) == repr(functions.get(name)):
        return table, name  # a zoo function as the zoo builds it
    label = repr(f) if not repr(f).startswith("<") else (name or type(f).__name__)
    while label in table:
        label += " (yours)"
    table[label] = f
    return table, label


def _optimizer_table(optimizer: Any) -> tuple[dict[str, type], str, Any]:
    """The optimizers offered (label -> class), the label of ``optimizer`` and, when an optimizer object was
    given, that object (its hyperparameters are the sliders' start values and the ones without a slider)."""
    from adamlab._checks import lookup
    from adamlab.trajectory import resolve_optimizer

    table = {name: OPTIMIZERS[name] for name in OPTIMIZER_NAMES}
    base = None
    if isinstance(optimizer, str):
        cls = lookup("optimizer", optimizer, table)  # "adam", "Adam", "rmsprop", ...
    elif isinstance(optimizer, type):  # your own optimizer class: built from the sliders it accepts
        if not (
            callable(getattr(optimizer, "init", None))
            and callable(getattr(optimizer, "step", None))
        ):
            raise TypeError(f"optimizer must have init and step methods, got {optimizer!r}")
        cls = optimizer
    else:
        base = resolve_optimizer(optimizer)
        cls = type(base)
    label = cls.__name__
    while label in table and table[label] is not cls:
        label += " (yours)"
    table[label] = cls
    return table, label, base


def _hyperparameter_names(cls: type) -> tuple[str, ...]:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return tuple(p for p in inspect.signature(cls).parameters if p != "self")


def _own_values(base: Any) -> dict[str, Any]:
    """An optimizer object's hyperparameters that a slider can show (numbers, and bias_correction)."""
    if base is None or not dataclasses.is_dataclass(base):
        return {}
    values = {f.name: getattr(base, f.name) for f in dataclasses.fields(base)}
    return {
        k: v
        for k, v in values.items()
        if k in SLIDERS
        and (isinstance(v, str) or (isinstance(v, float) and not isinstance(v, bool)))
    }


def explorer(objective="rosenbrock", optimizer="Adam", *, steps=200, x0=None, **hyperparameters):
    """Interactive explorer: pick a function, an optimizer, its hyperparameters and a start.

    Sliders: learning rate (log scale), β₁, β₂, ε (log), momentum, ρ, Adam's bias correction, the
    start point (within the function's domain) and the number of steps. Sliders that the chosen
    optimizer does not have are greyed out. Every change re-runs :func:`adamlab.run` and redraws
    :func:`adamlab.plot.race_figure` (paths on the contour, loss per step).

    Parameters
    ----------
    objective : str or function
        A 2-D zoo function by any name :func:`adamlab.functions.get` accepts (``"Rosenbrock"``,
        ``"six-hump camel"``), a zoo function built with parameters (``get("quadratic", kappa=100)``), or your
        own function with ``__call__``, ``grad``, ``dim = 2`` and a ``domain`` (e.g. from
        :func:`adamlab.functions.from_callables`); yours is added to the function menu.
    optimizer : str, optimizer or optimizer class
        A name from ``adamlab.OPTIMIZERS`` (any case), an optimizer object (``Adam(lr=0.02, eps=1e-3)``: its
        values start the sliders, and its other hyperparameters are kept), or your own optimizer class (built
        from the sliders its constructor accepts); yours is added to the optimizer menu.
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

    function_table, function_label = _function_table(objective)
    optimizer_table, optimizer_label, base = _optimizer_table(optimizer)
    unknown = sorted(set(hyperparameters) - set(SLIDERS))
    if unknown:
        raise TypeError(
            f"explorer: no slider for {', '.join(unknown)}; sliders: {', '.join(SLIDERS)} (give other "
            "hyperparameters with an optimizer object, e.g. optimizer=adamlab.AdamW(weight_decay=0.1))"
        )
    own = _own_values(base)
    initial = (
        {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum": 0.9, "rho": 0.9}
        | {"bias_correction": "both"}
        | own
        | hyperparameters
    )
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="360px")
    c = {
        "function": widgets.Dropdown(
            options=list(function_table), value=function_label, description="function"
        ),
        "optimizer": widgets.Dropdown(
            options=list(optimizer_table), value=optimizer_label, description="optimizer"
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
            value=initial["bias_correction"],
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

    def function(label):
        entry = function_table[label]
        return functions.get(entry) if isinstance(entry, str) else entry

    def set_domain(label, start=None):
        f = function(label)
        (x0_, x1_), (y0_, y1_) = np.asarray(f.domain, dtype=float)
        if start is None:
            starts = getattr(f, "starts", None)
            start = starts[0] if starts is not None and len(starts) else np.mean(f.domain, axis=1)
        s = np.asarray(start, dtype=float)
        for w, lo, hi, v in ((c["x"], x0_, x1_, s[0]), (c["y"], y0_, y1_, s[1])):
            w.min, w.max = -1e300, 1e300  # widen first so that min <= max holds at every step
            w.min, w.max = float(lo), float(hi)
            w.step = (hi - lo) / 200
            w.value = float(np.clip(v, lo, hi))

    def current_optimizer():
        cls = optimizer_table[c["optimizer"].value]
        mine = base is not None and type(base) is cls
        accepted = set(_hyperparameter_names(cls))
        if mine:  # a slider only for the values it can show; schedules and arrays are kept as given
            accepted &= set(own)
        for k in SLIDERS:
            c[k].disabled = k not in accepted
        kwargs = {k: c[k].value for k in SLIDERS if k in accepted}
        if mine:
            return dataclasses.replace(base, **kwargs)
        return cls(**kwargs)

    def redraw(*_):
        if state["busy"]:
            return
        with output:
            output.clear_output(wait=True)
            try:
                opt = current_optimizer()
                f = function(c["function"].value)
                start = np.array([c["x"].value, c["y"].value])
                box.trajectory = adamlab.run(opt, f, start, int(c["steps"].value), progress=False)
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
    set_domain(function_label, x0)
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
