"""Words for titles and axis labels, written for people: "Rosenbrock", "Adam, α = 0.1", not reprs.

Legends keep the optimizers' own ``repr`` (what a student types to get the same curve); titles and
axis labels use these texts, built from the objects themselves (never retyped).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

__all__ = ["function_title", "optimizer_text", "symbol"]

FUNCTION_NAMES = {
    "sphere": "Sphere",
    "quadratic": "Quadratic",
    "booth": "Booth",
    "matyas": "Matyas",
    "rosenbrock": "Rosenbrock",
    "beale": "Beale",
    "himmelblau": "Himmelblau",
    "three_hump_camel": "Three-hump camel",
    "six_hump_camel": "Six-hump camel",
    "styblinski_tang": "Styblinski–Tang",
    "rastrigin": "Rastrigin",
    "ackley": "Ackley",
    "goldstein_price": "Goldstein–Price",
    "easom": "Easom",
    "levi13": "Lévi N.13",
    "mccormick": "McCormick",
    "saddle": "Saddle",
    "monkey_saddle": "Monkey saddle",
    "least_squares": "Least squares",
    "logistic_regression": "Logistic regression",
    "sparse_logistic_regression": "Sparse logistic regression",
    "online_linear": "Online linear problem",
    "reddi": "Reddi et al.'s online problem",
    "reddi_stochastic": "Reddi et al.'s stochastic problem",
}

SYMBOLS = {
    "lr": "α",
    "beta1": "β₁",
    "beta2": "β₂",
    "eps": "ε",
    "rho": "ρ",
    "momentum": "μ",
    "weight_decay": "λ",
    "kappa": "κ",
    "sigma": "σ",
    "dim": "d",
    "momentum_decay": "ψ",
    "initial_accumulator": "G₀",
}

MATH_SYMBOLS = {
    "lr": r"learning rate $\alpha$",
    "beta1": r"$\beta_1$",
    "beta2": r"$\beta_2$",
    "eps": r"$\varepsilon$",
    "rho": r"$\rho$",
    "momentum": r"momentum $\mu$",
    "weight_decay": r"weight decay $\lambda$",
}


def symbol(name: str, *, math: bool = False) -> str:
    """The paper's symbol for a hyperparameter: ``symbol("beta2")`` is "β₂" (``math=True``: an axis label)."""
    if math:
        return MATH_SYMBOLS.get(name, name.replace("_", " "))
    return SYMBOLS.get(name, name.replace("_", " "))


def _number(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return f"{value.item():g}"
        return f"{value.min():g}…{value.max():g}" if value.size else "[]"
    if isinstance(value, (int, float, np.number)):
        return f"{float(value):g}"
    return type(value).__name__ if repr(value).startswith("<") else repr(value)


def _setting(name: str, value: Any) -> str:
    if name == "bias_correction":
        return {"none": "no bias correction", "m": "m̂ only", "v": "v̂ only"}.get(value, "")
    if name == "nesterov":
        return "Nesterov" if value else ""
    if name == "angle":
        degrees = math.degrees(float(value))
        return f"rotated {degrees:.3g}°" if degrees else ""
    return f"{symbol(name)} = {_number(value)}"


def optimizer_text(optimizer: Any, omit: tuple[str, ...] = ()) -> str:
    """``"Adam, α = 0.1, β₂ = 0.99"``: the class and its hyperparameters that differ from the defaults.

    The learning rate is always shown (unless in ``omit``); hyperparameters named in ``omit`` (e.g. the
    swept ones) never are. An optimizer that is not a dataclass is described by its ``repr`` (or its class
    name when the repr is ``<... object at 0x...>``).

    >>> import adamlab
    >>> optimizer_text(adamlab.Adam(lr=0.1, beta2=0.99))
    'Adam, α = 0.1, β₂ = 0.99'
    >>> optimizer_text(adamlab.Adam(lr=0.1, bias_correction="none"), omit=("lr",))
    'Adam, no bias correction'
    """
    name = type(optimizer).__name__
    if not dataclasses.is_dataclass(optimizer):
        text = repr(optimizer)
        return name if text.startswith("<") else text
    shown = []
    for field in dataclasses.fields(optimizer):
        if field.name in omit:
            continue
        value = getattr(optimizer, field.name)
        is_default = (
            not isinstance(value, np.ndarray)
            and not callable(value)
            and field.default is not dataclasses.MISSING
            and isinstance(field.default, (bool, str)) == isinstance(value, (bool, str))
            and value == field.default
        )
        if field.name == "lr" or not is_default:
            text = _setting(field.name, value)
            if text:
                shown.append(text)
    return ", ".join([name, *shown])


def function_title(f: Any) -> str:
    """A function's or objective's name for a title: "Rosenbrock", "Quadratic, κ = 10".

    Parameters that differ from the plane (``dim=2``) or from no rotation are added; a wrapped objective
    (noisy, sparse, L2) names its base function and the wrapper.

    >>> from adamlab import functions, objectives
    >>> function_title(functions.get("quadratic", kappa=100, angle=0))
    'Quadratic, κ = 100'
    >>> function_title(objectives.noisy("beale", 0.5))
    'Beale, gradient noise σ = 0.5'
    """
    if f is None:
        return "objective"
    if isinstance(f, str):
        return FUNCTION_NAMES.get(f, f.replace("_", " "))
    base = getattr(f, "base", None)
    if base is not None and base is not f:
        inner = function_title(base)
        for attr, words in (
            ("sigma", "gradient noise σ"),
            ("p", "sparse gradients, p"),
            ("weight_decay", "L2 penalty, λ"),
        ):
            if hasattr(f, attr):
                return f"{inner}, {words} = {_number(getattr(f, attr))}"
        return inner
    name = getattr(f, "name", None)
    if not isinstance(name, str):
        text = repr(f)
        return type(f).__name__ if text.startswith("<") else text
    words = [FUNCTION_NAMES.get(name, name.replace("_", " ").capitalize())]
    params = getattr(f, "params", None)
    if isinstance(params, dict):
        for key, value in params.items():
            if key == "dim" and value == 2:
                continue
            text = _setting(key, value)
            if text:
                words.append(text)
    return ", ".join(words)
