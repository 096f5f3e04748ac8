r"""Exercise mode: you write each optimizer's step, adamlab tells you whether it is right, and if not, which line.

Write a plain function for one step, then check it::

    def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
        ...                                 # your Algorithm 1, t = 1 on the first step
        return theta, m, v

    report = adamlab.exercises.check_adam_step(adam_step)
    report                                  # in Jupyter: a small table; print(report) elsewhere

The checker runs your function on a handful of *probes* (the first step from a zero state, a constant gradient,
tiny gradients, large ones, β1 = 0 with β2 = 0.9999, a long mixed stream), each a few to thirty steps in which
your function is fed its own state, and compares every output with adamlab's optimizers, field by field in the
algorithm's order (m before v before θ), so that a wrong line shows up as the first field that differs. It also
runs a catalogue of the mistakes people really make (a missing bias correction, ε inside the square root, t off
by one, ...) on the same probes: when one of them reproduces your outputs exactly, the report names it and tells
its story in the paper's terms, never with the code to fix it.

================================  ===================================================================
checker                           your function
================================  ===================================================================
``check_sgd_step``                ``fn(theta, g, lr) -> theta``
``check_momentum_step``           ``fn(theta, g, b, lr, momentum) -> (theta, b)``, b ← μb + g
``check_adagrad_step``            ``fn(theta, g, G, lr, eps) -> (theta, G)``
``check_rmsprop_step``            ``fn(theta, g, v, lr, rho, eps) -> (theta, v)``
``check_adam_step``               ``fn(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v)``
``check_adamax_step``             ``fn(theta, g, m, u, t, lr, beta1, beta2) -> (theta, m, u)``
``check_adamw_step``              ``fn(theta, g, m, v, t, lr, beta1, beta2, eps, weight_decay) -> (theta, m, v)``
``check_optimizer``               a class with ``init(params)`` and ``step(params, grad, state)``
================================  ===================================================================

Arrays are float64 (compute in float32 if you like: the tolerance is then 1e-5 instead of 1e-9). A function that
raises, returns NaN, the wrong shape or the wrong number of outputs gets a report that says so; one that changes
its input arrays in place or returns a list gets a warning. For graders, ``assert_correct(report)`` raises an
AssertionError with the explanation (nbgrader, otter-grader and GitHub Classroom test cells).

The catalogue (``MISTAKES``) and each mistake's story are in ``docs/exercises.md``.

>>> import numpy as np
>>> def sgd_step(theta, g, lr):
...     return theta + lr * g
>>> report = check_sgd_step(sgd_step)
>>> bool(report), report.diagnosis
(False, 'wrong-sign')
"""

from __future__ import annotations

import dataclasses
import html
import traceback
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from adamlab import _mistakes
from adamlab.optimizers import SGD, AdaGrad, Adam, AdaMax, AdamW, Momentum, RMSProp

__all__ = [
    "check_sgd_step",
    "check_momentum_step",
    "check_adagrad_step",
    "check_rmsprop_step",
    "check_adam_step",
    "check_adamax_step",
    "check_adamw_step",
    "check_optimizer",
    "assert_correct",
    "Report",
    "Difference",
    "MISTAKES",
]

RTOL = {np.dtype(np.float64): 1e-9, np.dtype(np.float32): 1e-5}


# ------------------------------------------------------------------------------------------------------------
# Probes and exercises.


@dataclasses.dataclass(frozen=True)
class Probe:
    name: str
    what: str  # what it tests, for the report
    hyper: dict[str, float]
    theta0: np.ndarray
    grads: np.ndarray  # (steps, d)


def _stream(
    seed: int, steps: int, scale: float = 1.0, zeros: float = 0.0, d: int = 4
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(steps, d)) * scale * np.exp(rng.uniform(-2, 2, size=(steps, d)))
    g[rng.random((steps, d)) < zeros] = 0.0
    return g


_THETA0 = np.array([0.5, -1.0, 2.0, 0.25])
_FIRST = np.array([[0.5, -2.0, 1e-3, 3.0]])
_CONSTANT = np.tile([1.0, -2.0, 0.5, 0.0], (20, 1))


def _probes(
    base: dict[str, float], mixed: dict[str, float], extra: list[Probe] = ()
) -> list[Probe]:
    """The probes every adaptive exercise shares, with its own hyperparameters."""
    return [
        Probe("first step", "the first step from a zero state", base, _THETA0, _FIRST),
        Probe(
            "constant gradient",
            "20 steps of the same gradient (one coordinate always 0)",
            base,
            _THETA0,
            _CONSTANT,
        ),  # fmt: skip
        Probe(
            "tiny gradients",
            "10 steps of gradients about 1e-9 (where ε matters)",
            base,
            _THETA0,
            _stream(1, 10, 1e-9),
        ),  # fmt: skip
        Probe(
            "large gradients",
            "10 steps of gradients about 1000",
            base,
            _THETA0,
            _stream(2, 10, 1e3),
        ),
        *extra,
        Probe(
            "mixed",
            "30 steps of mixed signs and scales, with zeros",
            mixed,
            _THETA0,
            _stream(3, 30, 1.0, zeros=0.3),
        ),  # fmt: skip
    ]


@dataclasses.dataclass(frozen=True)
class Exercise:
    name: str  # "Adam"
    args: tuple[str, ...]  # the student function's parameters, in order
    fields: tuple[str, ...]  # what it returns after theta
    lines: dict[str, str]  # the line of the algorithm that computes each output
    reference: Callable  # the right step, computed by adamlab, with the student's signature
    mistakes: dict[str, _mistakes.Mistake]
    probes: list[Probe]
    optimizer: type  # the adamlab class it is checked against

    @property
    def order(self) -> tuple[str, ...]:
        """Outputs in the algorithm's order: the state first (m before v), then θ."""
        return (*self.fields, "theta")

    @property
    def signature(self) -> str:
        out = "theta" if not self.fields else f"({', '.join(('theta', *self.fields))})"
        return f"fn({', '.join(self.args)}) -> {out}"


def _ref(cls: type, fields: tuple[str, ...], hyper: tuple[str, ...], uses_t: bool) -> Callable:
    """A step with the student's signature, computed by adamlab's ``cls``."""

    def step(theta, g, *rest):
        values = dict(zip((*fields, *(["t"] if uses_t else []), *hyper), rest))
        t_done = values.pop("t") - 1 if uses_t else 0
        opt = cls(**{k: values[k] for k in hyper})
        if (
            cls is RMSProp
        ):  # without momentum its buffer b is only the rescaled gradient: start it anywhere
            state = cls.State(t_done, values["v"], np.zeros_like(theta))
        else:
            state = cls.State(t_done, *(values[f] for f in fields))
        new, s = opt.step(theta, g, state)
        return new if not fields else (new, *(getattr(s, f) for f in fields))

    return step


_ADAM_LINES = {
    "m": "m_t ← β1 m_{t−1} + (1 − β1) g_t",
    "v": "v_t ← β2 v_{t−1} + (1 − β2) g_t²",
    "theta": "θ_t ← θ_{t−1} − α m̂_t/(√v̂_t + ε), with m̂_t = m_t/(1 − β1ᵗ), v̂_t = v_t/(1 − β2ᵗ)",
}
_ADAM_BASE = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
_ADAM_MIXED = {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}
_BIAS = Probe("β1 = 0, β2 = 0.9999", "5 steps where the bias correction of v is large", {"lr": 0.1,
              "beta1": 0.0, "beta2": 0.9999, "eps": 1e-8}, _THETA0, _stream(4, 5))  # fmt: skip


def _with(probes: list[Probe], **extra: float) -> list[Probe]:
    return [dataclasses.replace(p, hyper={**p.hyper, **extra}) for p in probes]


EXERCISES: dict[str, Exercise] = {
    "sgd": Exercise(
        "SGD",
        ("theta", "g", "lr"),
        (),
        {"theta": "θ_t ← θ_{t−1} − α g_t"},
        _ref(SGD, (), ("lr",), False),
        _mistakes.SGD,
        [
            Probe(
                "three steps", "three steps of mixed gradients", {"lr": 0.1}, _THETA0, _stream(5, 3)
            )
        ],
        SGD,
    ),
    "momentum": Exercise(
        "Momentum",
        ("theta", "g", "b", "lr", "momentum"),
        ("b",),
        {"b": "b_t ← μ b_{t−1} + g_t", "theta": "θ_t ← θ_{t−1} − α b_t"},
        _ref(Momentum, ("b",), ("lr", "momentum"), False),
        _mistakes.MOMENTUM,
        [
            Probe(
                "mixed", "10 steps, μ = 0.9", {"lr": 0.05, "momentum": 0.9}, _THETA0, _stream(6, 10)
            ),
            Probe(
                "μ = 0.5",
                "10 steps, μ = 0.5",
                {"lr": 0.2, "momentum": 0.5},
                _THETA0,
                _stream(7, 10),
            ),
        ],
        Momentum,
    ),
    "adagrad": Exercise(
        "AdaGrad",
        ("theta", "g", "G", "lr", "eps"),
        ("G",),
        {"G": "G_t ← G_{t−1} + g_t²", "theta": "θ_t ← θ_{t−1} − α g_t/(√G_t + ε)"},
        _ref(AdaGrad, ("G",), ("lr", "eps"), False),
        _mistakes.ADAGRAD,
        _probes({"lr": 0.5, "eps": 1e-10}, {"lr": 0.1, "eps": 1e-7}),
        AdaGrad,
    ),
    "rmsprop": Exercise(
        "RMSProp",
        ("theta", "g", "v", "lr", "rho", "eps"),
        ("v",),
        {"v": "v_t ← ρ v_{t−1} + (1 − ρ) g_t²", "theta": "θ_t ← θ_{t−1} − α g_t/(√v_t + ε)"},
        _ref(RMSProp, ("v",), ("lr", "rho", "eps"), False),
        _mistakes.RMSPROP,
        _probes({"lr": 0.1, "rho": 0.9, "eps": 1e-8}, {"lr": 0.01, "rho": 0.95, "eps": 1e-6}),
        RMSProp,
    ),
    "adam": Exercise(
        "Adam",
        ("theta", "g", "m", "v", "t", "lr", "beta1", "beta2", "eps"),
        ("m", "v"),
        _ADAM_LINES,
        _ref(Adam, ("m", "v"), ("lr", "beta1", "beta2", "eps"), True),
        _mistakes.ADAM,
        _probes(_ADAM_BASE, _ADAM_MIXED, [_BIAS]),
        Adam,
    ),
    "adamax": Exercise(
        "AdaMax",
        ("theta", "g", "m", "u", "t", "lr", "beta1", "beta2"),
        ("m", "u"),
        {
            "m": "m_t ← β1 m_{t−1} + (1 − β1) g_t",
            "u": "u_t ← max(β2 u_{t−1}, |g_t|)",
            "theta": "θ_t ← θ_{t−1} − (α/(1 − β1ᵗ)) m_t/u_t",
        },
        _ref(AdaMax, ("m", "u"), ("lr", "beta1", "beta2"), True),
        _mistakes.ADAMAX,
        _probes(
            {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}, {"lr": 0.01, "beta1": 0.8, "beta2": 0.99}
        ),
        AdaMax,
    ),
    "adamw": Exercise(
        "AdamW",
        ("theta", "g", "m", "v", "t", "lr", "beta1", "beta2", "eps", "weight_decay"),
        ("m", "v"),
        {**_ADAM_LINES, "theta": "θ_{t−1} ← θ_{t−1}(1 − αλ), then " + _ADAM_LINES["theta"]},
        _ref(AdamW, ("m", "v"), ("lr", "beta1", "beta2", "eps", "weight_decay"), True),
        _mistakes.ADAMW,
        _with(_probes(_ADAM_BASE, _ADAM_MIXED, [_BIAS]), weight_decay=0.5),
        AdamW,
    ),
}
EXERCISES["nesterov"] = dataclasses.replace(
    EXERCISES["momentum"],
    name="Momentum (Nesterov)",
    lines={"b": "b_t ← μ b_{t−1} + g_t", "theta": "θ_t ← θ_{t−1} − α (g_t + μ b_t)"},
    reference=lambda theta, g, b, lr, momentum: _nesterov(theta, g, b, lr, momentum),
    mistakes=_mistakes.NESTEROV,
)


def _nesterov(theta, g, b, lr, momentum):
    new, s = Momentum(lr=lr, momentum=momentum, nesterov=True).step(theta, g, Momentum.State(0, b))
    return new, s.b


#: Every catalogued mistake, by exercise: ``MISTAKES["adam"]["eps-inside-sqrt"].story``.
MISTAKES: dict[str, dict[str, _mistakes.Mistake]] = {k: e.mistakes for k, e in EXERCISES.items()}


# ------------------------------------------------------------------------------------------------------------
# Running a step function on the probes.


class Difference(NamedTuple):
    """Where a function first differs from adamlab: the probe, the step t (1-based), the output field, and the
    expected and obtained arrays."""

    probe: str
    t: int
    field: str
    expected: np.ndarray
    got: np.ndarray


@dataclasses.dataclass
class Trace:
    """What a step function produced on one probe: one dict of outputs per step, or the error that stopped it."""

    steps: list[dict[str, np.ndarray]]
    error: str | None = None
    error_t: int = 0


class _Failure(Exception):
    """A student function's output cannot be used (its message says why)."""


def _call(
    fn: Callable, ex: Exercise, args: list[Any], warn: Callable[[str], None]
) -> dict[str, np.ndarray]:
    """One call of a student's step, with every hygiene check; the outputs by name."""
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    before = [a.copy() for a in arrays]
    out = fn(*args)
    for name, a, b in zip(ex.args, arrays, before):
        if not np.array_equal(a, b, equal_nan=True):
            warn(f"your function changed its input {name!r} in place; return new arrays instead")
    names = ("theta", *ex.fields)
    if not ex.fields:
        out = out[0] if isinstance(out, tuple) and len(out) == 1 else out
        values = [out]
    else:
        if not isinstance(out, (tuple, list)) or len(out) != len(names):
            got = (
                f"{len(out)} values"
                if isinstance(out, (tuple, list))
                else f"a {type(out).__name__}"
            )
            raise _Failure(f"it returned {got}; expected ({', '.join(names)})")
        values = list(out)
    result = {}
    shape = args[0].shape
    for name, value in zip(names, values):
        if isinstance(value, list):
            warn(f"your function returned {name!r} as a list; return a NumPy array")
        try:
            a = np.asarray(value, dtype=None)
        except (TypeError, ValueError) as exc:
            raise _Failure(f"its {name!r} is not an array of numbers ({exc})") from None
        if a.dtype.kind not in "iuf":
            raise _Failure(f"its {name!r} is not an array of numbers (dtype {a.dtype})")
        if a.shape != shape:
            if a.size != int(np.prod(shape)):
                raise _Failure(f"its {name!r} has shape {a.shape}, but theta has shape {shape}")
            warn(f"your function returned {name!r} with shape {a.shape} instead of {shape}")
            a = a.reshape(shape)
        if a.dtype != np.float64:
            warn(f"your function returned {name!r} as {a.dtype}, not float64")
        result[name] = a
    return result


def _start(ex: Exercise, probe: Probe) -> dict[str, np.ndarray]:
    return {f: np.zeros_like(probe.theta0) for f in ex.fields}


def _trace(
    fn: Callable, ex: Exercise, probe: Probe, warn: Callable[[str], None] | None = None
) -> Trace:
    """Run ``fn`` over a probe, feeding it its own state."""
    theta, state = probe.theta0.copy(), _start(ex, probe)
    steps: list[dict[str, np.ndarray]] = []
    for t, g in enumerate(probe.grads, start=1):
        values = {"theta": theta, "g": g.copy(), **state, "t": t, **probe.hyper}
        args = [values[name].copy() if isinstance(values[name], np.ndarray) else values[name]
                for name in ex.args]  # fmt: skip
        try:
            with np.errstate(all="ignore"):
                if warn is None:
                    out = fn(*args)
                    out = {"theta": out} if not ex.fields else dict(zip(("theta", *ex.fields), out))
                    out = {k: np.asarray(v, dtype=float) for k, v in out.items()}
                else:
                    out = _call(fn, ex, args, warn)
        except NotImplementedError:
            return Trace(steps, "not implemented yet (your function raised NotImplementedError)", t)
        except _Failure as exc:
            return Trace(steps, f"{exc}", t)
        except Exception as exc:  # noqa: BLE001 - the student's error is reported, never raised
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f" (line {frame.lineno}: {frame.line})" if frame.line else ""
            return Trace(steps, f"your function raised {type(exc).__name__}: {exc}{where}", t)
        steps.append(out)
        theta, state = out["theta"], {f: out[f] for f in ex.fields}
    return Trace(steps)


def _close(got: np.ndarray, expected: np.ndarray, rtol: float) -> bool:
    """Equal up to ``rtol`` (relative to each element and to the array's scale); NaN and ±inf must coincide."""
    if got.shape != expected.shape:
        return False
    fe, fg = np.isfinite(expected), np.isfinite(got)
    if not np.array_equal(fe, fg):
        return False
    if not np.array_equal(got[~fe], expected[~fe], equal_nan=True):
        return False
    if not fe.any():
        return True
    scale = float(np.max(np.abs(expected[fe])))
    return bool(np.all(np.abs(got[fe] - expected[fe]) <= rtol * (np.abs(expected[fe]) + scale)))


def _first_difference(student: list[Trace], reference: list[Trace], ex: Exercise, rtol: float,
                      fields: tuple[str, ...] | None = None) -> Difference | None:  # fmt: skip
    fields = ex.order if fields is None else fields
    for probe, mine, ref in zip(ex.probes, student, reference):
        for t, (got, exp) in enumerate(zip(mine.steps, ref.steps), start=1):
            for field in fields:
                if field in got and not _close(got[field], exp[field], rtol):
                    return Difference(probe.name, t, field, exp[field], got[field])
    return None


def _matches(
    student: list[Trace], other: list[Trace], rtol: float, fields: tuple[str, ...]
) -> bool:
    for mine, theirs in zip(student, other):
        if mine.error is not None or len(mine.steps) != len(theirs.steps):
            return False
        for got, exp in zip(mine.steps, theirs.steps):
            if not all(_close(got[f], exp[f], rtol) for f in fields if f in got):
                return False
    return True


# ------------------------------------------------------------------------------------------------------------
# The report.


@dataclasses.dataclass
class Report:
    """The verdict on one exercise. ``bool(report)`` is True exactly when the function matches adamlab on every
    probe. ``diagnosis`` is the catalogued mistake that reproduces it (or None), ``explanation`` says what is
    wrong in the paper's terms, ``first_difference`` where it first differs, ``warnings`` what is untidy but
    does not change the numbers."""

    exercise: str
    passed: bool
    diagnosis: str | None
    explanation: str
    first_difference: Difference | None
    warnings: list[str]
    signature: str = ""
    _ex: Exercise | None = dataclasses.field(default=None, repr=False)
    _fn: Callable | None = dataclasses.field(default=None, repr=False)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        verdict = "correct" if self.passed else "not correct yet"
        lines = [f"{self.exercise}: {verdict}"]
        if self.diagnosis:
            lines.append(f"diagnosis: {self.diagnosis}")
        if self.explanation:
            lines.append(self.explanation)
        d = self.first_difference
        if d is not None:
            lines.append(
                f"first difference: probe '{d.probe}', step t = {d.t}, {d.field}: expected "
                f"{_show(d.expected)}, got {_show(d.got)}"
            )
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#1b7f3b" if self.passed else "#b3261e"
        verdict = "correct" if self.passed else "not correct yet"
        rows = [
            ("exercise", self.exercise),
            ("verdict", f'<b style="color:{colour}">{verdict}</b>'),
        ]
        if self.diagnosis:
            rows.append(("diagnosis", f"<code>{html.escape(self.diagnosis)}</code>"))
        if self.explanation:
            rows.append(("why", html.escape(self.explanation)))
        d = self.first_difference
        if d is not None:
            rows.append(
                (
                    "first difference",
                    html.escape(
                        f"probe '{d.probe}', t = {d.t}, {d.field}: expected {_show(d.expected)}, got {_show(d.got)}"
                    ),
                )  # fmt: skip
            )
        rows += [("warning", html.escape(w)) for w in self.warnings]
        body = "".join(
            f'<tr><th style="text-align:left;padding-right:1em">{k}</th><td style="text-align:left">{v}</td></tr>'
            for k, v in rows
        )
        return f'<table style="border-left:4px solid {colour}">{body}</table>'

    def raise_if_wrong(self) -> None:
        """Raise AssertionError with the explanation unless the function is correct (for grading cells)."""
        if not self.passed:
            raise AssertionError(str(self))

    def plot(self, ax: Any = None, steps: int = 200) -> Any:
        """Your path next to adamlab's on a test surface (Beale, from (1, 1.5)), with your function fed its own
        state; returns the Axes."""
        import matplotlib.pyplot as plt

        from adamlab import functions
        from adamlab import plot as adamlab_plot

        if self._ex is None or self._fn is None:
            raise ValueError("this report has no step function to draw")
        f = functions.get("beale")
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
        adamlab_plot.contour(f, ax=ax)
        hyper = self._ex.probes[-1].hyper
        for label, fn, style in (("adamlab", self._ex.reference, "-"), ("yours", self._fn, "--")):
            path = _path(fn, self._ex, f, hyper, steps)
            ax.plot(path[:, 0], path[:, 1], style, lw=2, label=label)
        ax.legend(loc="upper right")
        ax.set_title(f"{self.exercise}: your path and adamlab's on Beale, {steps} steps")
        return ax


def _path(fn: Callable, ex: Exercise, f: Any, hyper: dict[str, float], steps: int) -> np.ndarray:
    theta = np.array([1.0, 1.5])
    state = {name: np.zeros(2) for name in ex.fields}
    points = [theta]
    for t in range(1, steps + 1):
        values = {"theta": theta, "g": f.grad(theta), **state, "t": t, **hyper}
        try:
            with np.errstate(all="ignore"):
                out = fn(*(values[name] for name in ex.args))
        except Exception:  # noqa: BLE001 - the path simply ends
            break
        out = (out,) if not ex.fields else out
        theta = np.asarray(out[0], dtype=float).reshape(2)
        state = {name: np.asarray(v, dtype=float).reshape(2) for name, v in zip(ex.fields, out[1:])}
        if not np.all(np.isfinite(theta)) or np.abs(theta).max() > 1e3:
            break
        points.append(theta)
    return np.array(points)


def _show(a: np.ndarray) -> str:
    return np.array2string(np.asarray(a), precision=6, max_line_width=200)


def assert_correct(report: Report) -> None:
    """AssertionError with the explanation unless ``report`` says the function is correct."""
    report.raise_if_wrong()


# ------------------------------------------------------------------------------------------------------------
# Checking.


def _check(fn: Callable, key: str) -> Report:
    ex = EXERCISES[key]
    if not callable(fn):
        raise TypeError(f"check a function {ex.signature}, got {fn!r}")
    warnings: list[str] = []

    def warn(message: str) -> None:
        if message not in warnings:
            warnings.append(message)

    student = [_trace(fn, ex, p, warn) for p in ex.probes]
    reference = [_trace(ex.reference, ex, p) for p in ex.probes]
    float32 = any(v.dtype == np.float32 for tr in student for s in tr.steps for v in s.values())
    rtol = RTOL[np.dtype(np.float32 if float32 else np.float64)]
    failed = next((tr for tr in student if tr.error is not None), None)
    difference = _first_difference(student, reference, ex, rtol)
    if failed is not None and difference is None:
        probe = ex.probes[student.index(failed)]
        return Report(ex.name, False, None, f"At step t = {failed.error_t} of the '{probe.name}' probe "
                      f"({probe.what}), {failed.error}.", None, warnings, ex.signature, ex, fn)  # fmt: skip
    if difference is None:
        return Report(ex.name, True, None, "", None, warnings, ex.signature, ex, fn)
    diagnosis = None
    for mistake in ex.mistakes.values():
        if _matches(student, [_trace(mistake.step, ex, p) for p in ex.probes], rtol, ex.order):
            diagnosis = mistake
            break
    if diagnosis is not None and diagnosis.passes:
        # The same iterates in another convention: θ must agree everywhere.
        theta_difference = _first_difference(student, reference, ex, rtol, ("theta",))
        passed = theta_difference is None
        note = (
            f"Correct, in another convention: your function {diagnosis.summary}. {diagnosis.story}"
        )
        return Report(
            ex.name, passed, diagnosis.key, note, difference, warnings, ex.signature, ex, fn
        )
    explanation = _explain(ex, diagnosis, difference, student, reference)
    key = None if diagnosis is None else diagnosis.key
    return Report(ex.name, False, key, explanation, difference, warnings, ex.signature, ex, fn)


def _explain(ex: Exercise, mistake: _mistakes.Mistake | None, d: Difference, student: list[Trace],
             reference: list[Trace]) -> str:  # fmt: skip
    """The explanation: the mistake and its story, or where an uncatalogued bug first shows."""
    consequence = _consequence(ex, student, reference)
    if mistake is not None:
        return (
            f"Your function {mistake.summary}. {mistake.story} {consequence} The line of the algorithm to look "
            f"at: {mistake.line}."
        )
    probe = next(p for p in ex.probes if p.name == d.probe)
    return (
        f"This is none of the catalogued mistakes. The first output that differs is {d.field} at step t = {d.t} "
        f"of the '{d.probe}' probe ({probe.what}); every output before it (in the algorithm's order "
        f"{', '.join(ex.order)}) was right. It comes from the line {ex.lines[d.field]}. {consequence}"
    )


def _consequence(ex: Exercise, student: list[Trace], reference: list[Trace]) -> str:
    """What the mistake does to the first step (the first probe), in numbers."""
    mine, ref = student[0], reference[0]
    if mine.error is not None and not mine.steps:
        return f"On the first step {mine.error}."
    theta0 = ex.probes[0].theta0
    step_mine = mine.steps[0]["theta"] - theta0
    step_ref = ref.steps[0]["theta"] - theta0
    if not np.all(np.isfinite(step_mine)):
        return "Your first step from a zero state is not a number (NaN or inf)."
    moved = step_ref != 0
    if not moved.any():
        return ""
    ratios = step_mine[moved] / step_ref[moved]
    ratio = float(ratios[np.argmax(np.abs(ratios - 1))])  # the coordinate where it is most wrong
    if abs(ratio - 1) <= 1e-6:
        return "Your first step from a zero state is right; the difference appears in later steps."
    digits = ".4g" if abs(ratio - 1) < 0.01 else ".3g"
    if ratio < 0:
        return f"Your first step from a zero state goes the opposite way, {abs(ratio):{digits}} times as long."
    if ratio > 1:
        return f"Your first step from a zero state is {ratio:{digits}} times too large."
    return f"Your first step from a zero state is only {ratio:{digits}} of its right length."


def check_sgd_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, lr) -> theta`` against θ ← θ − αg."""
    return _check(fn, "sgd")


def check_momentum_step(fn: Callable, nesterov: bool = False) -> Report:
    """Check ``fn(theta, g, b, lr, momentum) -> (theta, b)`` against the heavy ball b ← μb + g, θ ← θ − αb
    (with ``nesterov=True``: θ ← θ − α(g + μb))."""
    return _check(fn, "nesterov" if nesterov else "momentum")


def check_adagrad_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, G, lr, eps) -> (theta, G)`` against AdaGrad (ε outside the root)."""
    return _check(fn, "adagrad")


def check_rmsprop_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, v, lr, rho, eps) -> (theta, v)`` against RMSProp (ε outside the root)."""
    return _check(fn, "rmsprop")


def check_adam_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v)`` against Algorithm 1; ``t`` is the
    1-based index of this step."""
    return _check(fn, "adam")


def check_adamax_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, m, u, t, lr, beta1, beta2) -> (theta, m, u)`` against Algorithm 2 (a coordinate with
    u = 0 takes a zero step)."""
    return _check(fn, "adamax")


def check_adamw_step(fn: Callable) -> Report:
    """Check ``fn(theta, g, m, v, t, lr, beta1, beta2, eps, weight_decay) -> (theta, m, v)`` against AdamW
    (θ ← θ(1 − αλ), then the Adam step)."""
    return _check(fn, "adamw")


def check_optimizer(obj: Any, reference: Any) -> Report:
    """Check an optimizer object of your own (``init(params)``, ``step(params, grad, state) -> (params,
    state)``) against an adamlab optimizer with the hyperparameters you mean, e.g. ``check_optimizer(MyAdam(
    lr=0.1), adamlab.Adam(lr=0.1))``. Your state is compared through θ, and through its fields that have the
    reference state's names (``state.m``, ``state.v``, ...)."""
    from adamlab.trajectory import resolve_optimizer

    resolve_optimizer(obj)
    resolve_optimizer(reference)
    key = {Momentum: "momentum", SGD: "sgd", AdaGrad: "adagrad", RMSProp: "rmsprop", Adam: "adam",
           AdaMax: "adamax", AdamW: "adamw"}.get(type(reference))  # fmt: skip
    if key == "momentum" and reference.nesterov:
        key = "nesterov"
    ex = EXERCISES[key] if key else EXERCISES["adam"]
    hyper = {k: v for k, v in reference.hyperparameters().items() if isinstance(v, float)}
    probes = [dataclasses.replace(p, hyper={**p.hyper, **hyper}) for p in ex.probes]
    fields = tuple(f for f in reference.State._fields[1:])
    warnings: list[str] = []

    def run_object(o: Any) -> list[Trace]:
        traces = []
        for p in probes:
            steps = []
            error = None
            try:
                theta, state = p.theta0.copy(), o.init(p.theta0.copy())
                for g in p.grads:
                    with np.errstate(all="ignore"):
                        theta, state = o.step(theta, g.copy(), state)
                    theta = np.asarray(theta, dtype=float)
                    out = {"theta": theta}
                    for f in fields:
                        if hasattr(state, f):
                            out[f] = np.asarray(getattr(state, f), dtype=float)
                    steps.append(out)
            except NotImplementedError:
                error = "not implemented yet (it raised NotImplementedError)"
            except Exception as exc:  # noqa: BLE001 - reported
                error = f"it raised {type(exc).__name__}: {exc}"
            traces.append(Trace(steps, error, len(steps) + 1))
        return traces

    student, ref = run_object(obj), run_object(reference)
    named = tuple(f for f in fields if student[0].steps and f in student[0].steps[0])
    if not named:
        warnings.append(
            "your state has none of the reference state's field names, so only θ is compared"
        )
    ex_view = dataclasses.replace(ex, probes=probes, fields=named)
    failed = next((tr for tr in student if tr.error is not None), None)
    difference = _first_difference(student, ref, ex_view, RTOL[np.dtype(np.float64)])
    if failed is not None and difference is None:
        return Report(
            type(obj).__name__, False, None, f"Your optimizer {failed.error}.", None, warnings
        )
    if difference is None:
        return Report(type(obj).__name__, True, None, "", None, warnings)
    diagnosis = None
    if key:
        rtol = RTOL[np.dtype(np.float64)]
        for mistake in ex.mistakes.values():
            traces = [_trace(mistake.step, ex, p) for p in probes]
            if _matches(student, traces, rtol, ("theta", *named)):
                diagnosis = mistake
                break
    explanation = _explain(ex_view, diagnosis, difference, student, ref)
    return Report(type(obj).__name__, False, diagnosis.key if diagnosis else None, explanation, difference,
                  warnings)  # fmt: skip
