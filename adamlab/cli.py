"""The ``adamlab`` command: figures without a notebook.

::

    adamlab demo [--out DIR]                       six optimizers race on Beale: PNG + GIF + a table
    adamlab race FUNCTION --optimizer NAME[:key=value,...] ... [--steps N] [--start X,Y] [--out FILE]
    adamlab functions                              the function zoo: names, domains, minima
    adamlab bias [--beta1 B1] [--beta2 B2]         the bias-correction lab
    adamlab basins FUNCTION --optimizer ...        basin-of-attraction map over a grid of starts
    adamlab sweep FUNCTION --optimizer ... --lr A:B:N [--beta1 A:B:N | --beta2 | --momentum | --rho]

Every command has ``--help``. Mistakes in the command line (an unknown function, optimizer or hyperparameter, a
value out of range, a malformed start point or range, an output path that cannot be written) end with exit
status 2 and one line on stderr. Progress goes to stderr (``--quiet`` turns it off); results go to stdout.
Figures are drawn with matplotlib's Agg backend, so no display is needed.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from adamlab._checks import did_you_mean, lookup

__all__ = ["main"]


#: The demo's race: Beale from the zoo's start (1, 1.5), 500 steps, the six optimizers of the paper. Beale makes
#: the clearest picture: one minimum, a flat plateau and a curved valley that separate the methods, and all six
#: arrive within 500 steps (on Rosenbrock most do not). Each lr is the one with the lowest final value after 500
#: steps on the grid 1e-4, 3e-4, 1e-3, ..., 1, 3 (see any of them with ``adamlab sweep beale --optimizer NAME
#: --lr 1e-4:3:10 --log --steps 500``); the next value up diverges (SGD 0.1, Momentum 0.01), circles the
#: minimum (RMSProp 0.03: its step size never shrinks) or is no better (AdaGrad, Adam, AdaMax). The other
#: hyperparameters are the papers' defaults (momentum 0.9, β1 0.9, β2 0.999, ρ 0.9).
DEMO_FUNCTION = "beale"
DEMO_STEPS = 500
DEMO_VALUE_TOL = 1e-4
DEMO_OPTIMIZERS = {
    "SGD": ("SGD", {"lr": 0.03}),
    "Momentum": ("Momentum", {"lr": 0.003, "momentum": 0.9}),
    "AdaGrad": ("AdaGrad", {"lr": 1.0}),
    "RMSProp": ("RMSProp", {"lr": 0.01}),
    "Adam": ("Adam", {"lr": 0.3}),
    "AdaMax": ("AdaMax", {"lr": 1.0}),
}

STATIC_FORMATS = (".png", ".pdf", ".svg")
#: `adamlab sweep` without axes: learning rates from 1e-4 to 1 (log-spaced), and the optimizer's next main
#: hyperparameter over its useful range.
DEFAULT_LR = "1e-4:1:13"
DEFAULT_AXES = {"beta1": "0:0.99:12", "momentum": "0:0.99:12", "rho": "0.5:0.999:12"}
SWEEP_AXES = ("beta1", "beta2", "momentum", "rho")


class UsageError(Exception):
    """A mistake in the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see '{self.prog} --help')")


# --------------------------------------------------------------------------------------------------------------
# Progress (stderr, controlled by --quiet)


class Progress:
    """Stage messages on stderr, and progress bars (tqdm) for long runs; silent with ``enabled=False``."""

    def __init__(self, enabled: bool, stream: Any = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr

    def say(self, message: str) -> None:
        if self.enabled:
            print(message, file=self.stream, flush=True)

    @property
    def bars(self) -> bool | None:
        """``progress=`` for :func:`adamlab.run`: a tqdm bar on stderr for work longer than two seconds, or
        none with ``--quiet``."""
        return None if self.enabled else False

    def done(self, what: str, start: float) -> None:
        self.say(f"{what} ({time.perf_counter() - start:.1f} s)")


# --------------------------------------------------------------------------------------------------------------
# Parsing values


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number, got {text!r}")
    return value


def _flag(text: str, what: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise UsageError(f"{what} must be true or false, got {text!r}")


def _key_values(text: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if not text:
        return out
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"malformed {what} {item!r}: expected key=value")
        if key.strip() in out:
            raise UsageError(f"{key.strip()!r} is given twice in {text!r}")
        out[key.strip()] = value.strip()
    return out


def _optimizer_classes() -> dict[str, type]:
    from adamlab.optimizers import OPTIMIZERS

    return dict(OPTIMIZERS)


def parse_optimizer(spec: str) -> Any:
    """``"adam:lr=0.1,beta1=0.5"`` -> ``Adam(lr=0.1, beta1=0.5)``; names are case-insensitive."""
    name, _, rest = spec.partition(":")
    try:
        cls = lookup("optimizer", name, _optimizer_classes())
    except ValueError as exc:
        raise UsageError(f"{exc} (case-insensitive)") from None
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, text in _key_values(rest, f"hyperparameter in --optimizer {spec!r}").items():
        if key not in fields:
            raise UsageError(
                f"unknown hyperparameter {key!r} for {cls.__name__}{did_you_mean(key, fields)}; "
                f"valid: {', '.join(fields)}"
            )
        default = fields[key].default
        what = f"{cls.__name__} {key}"
        if isinstance(default, bool):
            kwargs[key] = _flag(text, what)
        elif isinstance(default, str):
            kwargs[key] = text
        else:
            kwargs[key] = _number(text, what)
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None


def parse_function(spec: str) -> Any:
    """``"rosenbrock"`` or ``"quadratic:kappa=100,angle=0.5"`` -> a zoo TestFunction."""
    from adamlab import functions

    name, _, rest = spec.partition(":")
    try:
        name = functions.get(name).name  # any case; an unknown name says which are valid
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{exc} (see 'adamlab functions')") from None
    params = {
        k: _number(v, f"{name} {k}")
        for k, v in _key_values(rest, f"function parameter in {spec!r}").items()
    }
    try:
        return functions.get(name, **params)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc) if name in str(exc) else f"{name}: {exc}") from None


def with_noise(objective: Any, sigma: float | None) -> Any:
    """``objective`` with Gaussian gradient noise of scale ``sigma`` (seeded by --seed), or unchanged."""
    if not sigma:
        return objective
    from adamlab import objectives

    try:
        return objectives.noisy(objective, sigma=sigma)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--noise: {exc}") from None


def parse_start(text: str | None, objective: Any) -> np.ndarray | None:
    if text is None:
        return None
    parts = text.split(",")
    try:
        point = np.array([float(p) for p in parts])
    except ValueError:
        point = None
    if point is None or len(parts) != objective.dim or not np.all(np.isfinite(point)):
        example = ",".join(["-1.5", "2", "0.5"][: objective.dim])
        raise UsageError(
            f"malformed start point {text!r}: expected {objective.dim} comma-separated numbers "
            f"for {objective.name}, e.g. --start={example}"
        )
    return point


def parse_range(text: str, what: str, log: bool = False) -> np.ndarray:
    """``"A:B:N"`` -> N values from A to B (log-spaced with ``log``)."""
    parts = text.split(":")
    if len(parts) != 3:
        raise UsageError(f"malformed range {what} {text!r}: expected A:B:N, e.g. {what} 1e-3:1:30")
    a = _number(parts[0], f"{what} start")
    b = _number(parts[1], f"{what} end")
    try:
        n = int(parts[2])
    except ValueError:
        raise UsageError(f"{what} count must be an integer, got {parts[2]!r}") from None
    if n < 1:
        raise UsageError(f"{what} count must be >= 1, got {n}")
    if log:
        if a <= 0 or b <= 0:
            raise UsageError(f"{what} with --log needs positive ends, got {text!r}")
        return np.geomspace(a, b, n)
    return np.linspace(a, b, n)


def _int_at_least(minimum: int, wanted: str) -> Callable[[str], int]:
    """An argparse type: an integer >= ``minimum``; ``wanted`` says what in the error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "a positive integer")
_nonneg_int = _int_at_least(0, "an integer >= 0")


def _nonneg_float(text: str) -> float:
    value = _float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


# --------------------------------------------------------------------------------------------------------------
# Output files


def check_output_file(path: str, formats: Sequence[str]) -> str:
    """Fail early (exit 2) if ``path`` has the wrong extension or cannot be written."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in formats:
        raise UsageError(f"cannot write {path!r}: the file name must end in {', '.join(formats)}")
    if os.path.isdir(path):
        raise UsageError(f"cannot write {path!r}: it is a directory")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {path!r}: directory {parent!r} does not exist")
    if not os.access(parent, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise UsageError(f"cannot write {path!r}: permission denied")
    return path


def check_output_dir(path: str) -> str:
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"cannot write to {path!r}: it is a file, not a directory")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create output directory {path!r}: {exc.strerror or exc}"
        ) from None
    if not os.access(path, os.W_OK):
        raise UsageError(f"cannot write to {path!r}: permission denied")
    return path


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise UsageError(
            "this command draws figures and needs matplotlib: pip install 'adamlab[plot]'"
        ) from None
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    return plt


def _save_figure(fig: Any, path: str, dpi: int = 120) -> None:
    plt = _pyplot()
    try:
        fig.savefig(path, dpi=dpi)
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)


def _save_animation(trajectories: Any, objective: Any, path: str, frames: int, fps: int) -> None:
    plt = _pyplot()
    from adamlab import plot

    # The GIF is written frame by frame, never "shown": matplotlib's warning about that is noise here.
    warnings.filterwarnings("ignore", message="Animation was deleted without rendering")
    try:
        anim = plot.animate(trajectories, objective, frames=frames, fps=fps, path=path)
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    fig = getattr(anim, "_fig", None)
    if fig is not None:
        plt.close(fig)


# --------------------------------------------------------------------------------------------------------------
# Tables


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "nan"
    return f"{x:.3g}" if 1e-3 <= abs(x) < 1e4 or x == 0 else f"{x:.2e}"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def hyperparameter_text(optimizer: Any) -> str:
    """The optimizer's own repr inside the brackets, with ``lr`` always shown: ``lr=0.01, rho=0.99``."""
    text = repr(optimizer)
    inner = text[text.find("(") + 1 : text.rfind(")")] if "(" in text else text
    if "lr=" not in inner and hasattr(optimizer, "lr"):
        inner = f"lr={optimizer.lr!r}" + (f", {inner}" if inner else "")
    return inner


def race_table(trajectories: dict[str, Any], value_tol: float) -> str:
    """One row per run, each column saying what it measures: the value at the end (or the step at which the run
    diverged), the best value and when it was recorded, and whether f − f* ≤ value_tol was reached and held to
    the end ("from step k"), reached and left again ("at step k, not at the end"), or never. Then a note on
    momentum's learning rate when momentum races another optimizer."""
    rows = []
    for name, traj in trajectories.items():
        best, best_step = (float(a) for a in traj.best())
        if bool(traj.diverged):
            final = f"diverged at step {int(traj.diverged_at)}"
        else:
            final = _fmt(float(traj.final_value))
        try:
            first, settled = (
                int(traj.steps_to(value_tol=value_tol)),
                int(traj.settled_at(value_tol)),
            )
        except ValueError:  # no known minimum value
            status = "f* unknown"
        else:
            if settled >= 0:
                status = f"from step {settled}"
            elif first >= 0:
                status = f"at step {first}, not at the end"
            else:
                status = "never"
        hps = hyperparameter_text(traj.optimizer) if traj.optimizer is not None else traj.label
        rows.append([name, hps, final, f"{_fmt(best)} (step {int(best_step)})", status])
    header = ["optimizer", "hyperparameters", "final f", "best f", f"f-f* <= {value_tol:g}"]
    return _table(rows, header) + momentum_note(trajectories)


def momentum_note(trajectories: dict[str, Any]) -> str:
    """Why momentum's lr is not SGD's: on a steady slope the buffer grows to g/(1 − μ), so the step is
    α/(1 − μ). Said whenever momentum runs beside another optimizer."""
    from adamlab import Momentum

    notes = []
    for name, traj in trajectories.items():
        opt = traj.optimizer
        if isinstance(opt, Momentum) and len(trajectories) > 1:
            lr, mu = opt.lr, opt.momentum
            if isinstance(lr, float) and isinstance(mu, float) and mu > 0:
                notes.append(
                    f"{name}: lr {lr:g} with momentum {mu:g} takes steps of lr/(1 - momentum) = "
                    f"{lr / (1 - mu):.3g} on a steady slope; compare that, not its lr, with SGD's lr."
                )
    return "".join("\n" + n for n in notes)


# --------------------------------------------------------------------------------------------------------------
# Commands


def _run_race(
    optimizers: dict[str, Any],
    objective: Any,
    x0: Any,
    steps: int,
    seed: int,
    progress: Progress,
) -> dict[str, Any]:
    from adamlab.trajectory import run

    start = time.perf_counter()
    progress.say(f"running {len(optimizers)} optimizers on {objective.name} for {steps} steps ...")
    runs = {
        label: run(opt, objective, x0, steps, seed=seed, progress=progress.bars)
        for label, opt in optimizers.items()
    }
    progress.done("ran", start)
    return runs


def _labels(optimizers: list[Any]) -> dict[str, Any]:
    """Unique labels: the class name, or the full repr when a class appears twice (numbered if that repeats)."""
    from adamlab.trajectory import unique_labels

    names = [type(o).__name__ for o in optimizers]
    labels = [name if names.count(name) == 1 else repr(o) for name, o in zip(names, optimizers)]
    return dict(zip(unique_labels(labels), optimizers))


def cmd_demo(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import functions, plot

    out_dir = check_output_dir(args.out)
    _pyplot()
    classes = _optimizer_classes()
    optimizers = {label: classes[cls](**hp) for label, (cls, hp) in DEMO_OPTIMIZERS.items()}
    objective = functions.get(DEMO_FUNCTION)
    runs = _run_race(optimizers, objective, objective.start, args.steps, 0, progress)
    png = os.path.join(out_dir, "adamlab-demo.png")
    gif = os.path.join(out_dir, "adamlab-demo.gif")
    start = time.perf_counter()
    progress.say(f"drawing {png} ...")
    _save_figure(plot.race_figure(runs, objective), png)
    progress.say(f"animating {gif} ({args.frames} frames) ...")
    _save_animation(runs, objective, gif, args.frames, args.fps)
    progress.done("drew", start)
    print(
        f"Six optimizers race on {objective!r} from {tuple(objective.start.tolist())}, {args.steps} steps"
    )
    print(race_table(runs, DEMO_VALUE_TOL))
    print(f"wrote {png}")
    print(f"wrote {gif}")
    return 0


def cmd_race(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import plot

    objective = parse_function(args.function)
    if args.optimizer:
        optimizers = _labels([parse_optimizer(s) for s in args.optimizer])
    else:  # the demo's six, each at the learning rate tuned for Beale
        classes = _optimizer_classes()
        optimizers = {label: classes[cls](**hp) for label, (cls, hp) in DEMO_OPTIMIZERS.items()}
    x0 = parse_start(args.start, objective)
    out = args.out or f"race-{objective.name}.png"
    objective = with_noise(objective, args.noise)
    check_output_file(out, (*STATIC_FORMATS, ".gif"))
    if objective.dim != 2:
        raise UsageError(f"race draws 2-D functions; {objective.name} has dim {objective.dim}")
    _pyplot()
    runs = _run_race(optimizers, objective, x0, args.steps, args.seed, progress)
    start = time.perf_counter()
    if out.lower().endswith(".gif"):
        progress.say(f"animating {out} ({args.frames} frames) ...")
        _save_animation(runs, objective, out, args.frames, args.fps)
    else:
        progress.say(f"drawing {out} ...")
        _save_figure(plot.race_figure(runs, objective), out)
    progress.done("drew", start)
    print(race_table(runs, args.value_tol))
    print(f"wrote {out}")
    return 0


def _point(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in p) + ")"


def cmd_functions(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import functions

    rows = []
    for name in functions.available():
        f = functions.get(name)
        domain = " x ".join(f"[{lo:g}, {hi:g}]" for lo, hi in f.domain)
        minima = np.asarray(f.minima)
        if len(minima) == 0:
            where = "none (unbounded below)"
        elif len(minima) <= 2 or args.all:
            where = ", ".join(_point(m) for m in minima)
        else:
            where = f"{_point(minima[0])} and {len(minima) - 1} more"
        value = "-" if f.min_value is None else f"{f.min_value:.10g}"
        rows.append([name, str(f.dim), domain, value, where])
    print(_table(rows, ["name", "d", "domain (plot window)", "f*", "global minima"]))
    return 0


def cmd_bias(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import Adam, plot
    from adamlab.trajectory import run

    try:
        Adam(beta1=args.beta1, beta2=args.beta2)  # the optimizer names a value out of range
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    out = check_output_file(args.out, STATIC_FORMATS)
    _pyplot()
    start = time.perf_counter()
    progress.say(f"drawing {out} ...")
    _save_figure(plot.bias_lab(beta1=args.beta1, beta2=args.beta2, steps=args.steps), out)
    progress.done("drew", start)

    class ConstantGradient:  # f(θ) = θ: the gradient is 1 at every step
        dim = 1

        def __call__(self, x: np.ndarray) -> np.ndarray:
            return np.asarray(x)[..., 0]

        def grad(self, x: np.ndarray) -> np.ndarray:
            return np.ones_like(x)

    ts = [t for t in (1, 10, 100, 1000, args.steps) if t <= args.steps]
    ts = sorted(set(ts))
    rows = []
    for mode in ("none", "m", "v", "both"):
        opt = Adam(lr=1.0, beta1=args.beta1, beta2=args.beta2, bias_correction=mode)
        traj = run(opt, ConstantGradient(), [0.0], args.steps, bound=np.inf)
        delta = np.abs(traj.info["delta"][:, 0])
        rows.append([mode, *(f"{delta[t]:.4g}" for t in ts)])
    print(
        f"|Δθ|/α of Adam(beta1={args.beta1:g}, beta2={args.beta2:g}) under a constant gradient, "
        "by bias correction:"
    )
    print(_table(rows, ["corrected", *(f"t={t}" for t in ts)]))
    print(f"wrote {out}")
    return 0


def cmd_basins(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import plot
    from adamlab.sweeps import basins

    objective = parse_function(args.function)
    if objective.dim != 2:
        raise UsageError(f"basins needs a 2-D function; {objective.name} has dim {objective.dim}")
    if len(objective.minima) == 0:
        raise UsageError(
            f"basins colours starts by the minimum reached; {objective.name} has no minima"
        )
    optimizers = _labels([parse_optimizer(s) for s in args.optimizer])
    if args.resolution < 2:
        raise UsageError(f"--resolution must be at least 2, got {args.resolution}")
    out = args.out or f"basins-{objective.name}.png"
    check_output_file(out, STATIC_FORMATS)
    plt = _pyplot()
    maps = {}
    for label, opt in optimizers.items():
        start = time.perf_counter()
        n = args.resolution
        progress.say(f"{label}: {n}x{n} starts x {args.steps} steps ...")
        maps[label] = basins(
            opt,
            objective,
            resolution=n,
            steps=args.steps,
            tol=args.tol,
            progress=progress.bars,
        )
        progress.done(f"{label} done", start)
    ncols = len(maps)
    fig, axes = plt.subplots(
        1, ncols, figsize=(8.0 * ncols, 5.6), layout="constrained", squeeze=False
    )
    for ax, bm in zip(axes[0], maps.values()):
        plot.basin_map(bm, ax=ax)
    _save_figure(fig, out)
    rows = []
    for label, bm in maps.items():
        fr = bm.fractions()
        cells = [f"{fr.get(k, 0.0):.1%}" for k in range(len(bm.minima))]
        rows.append(
            [
                label,
                hyperparameter_text(bm.optimizer),
                *cells,
                f"{fr.get(-1, 0.0):.1%}",
                f"{fr.get(-2, 0.0):.1%}",
            ]
        )
    minima = next(iter(maps.values())).minima
    header = ["optimizer", "hyperparameters", *(_point(m) for m in minima), "none", "diverged"]
    print(
        f"Share of starts reaching each minimum of {objective!r} ({args.resolution}x{args.resolution} grid):"
    )
    print(_table(rows, header))
    print(f"wrote {out}")
    return 0


def cmd_sweep(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import plot
    from adamlab.sweeps import sweep

    objective = parse_function(args.function)
    specs = args.optimizer or ["adam"]
    if len(specs) != 1:
        raise UsageError(
            "sweep takes exactly one --optimizer (the other hyperparameters come from it)"
        )
    optimizer = parse_optimizer(specs[0])
    lr_text, log = (args.lr, args.log) if args.lr is not None else (DEFAULT_LR, True)
    grid = {"lr": parse_range(lr_text, "--lr", log=log)}
    chosen = [name for name in SWEEP_AXES if getattr(args, name) is not None]
    if len(chosen) > 1:
        raise UsageError(
            f"give at most one of --{', --'.join(SWEEP_AXES)}, got --{' and --'.join(chosen)}"
        )
    for name in chosen:
        grid[name] = parse_range(getattr(args, name), f"--{name}")
    if (
        not chosen and args.lr is None
    ):  # no axes given: lr and the optimizer's other main hyperparameter
        name = next(
            (n for n in ("beta1", "rho", "momentum") if n in optimizer.hyperparameters()), None
        )
        if name is not None:
            grid[name] = parse_range(DEFAULT_AXES[name], f"--{name}")
    valid = list(optimizer.hyperparameters())
    for name in grid:
        if name not in valid:
            raise UsageError(
                f"{type(optimizer).__name__} has no hyperparameter {name!r} to sweep; valid: {', '.join(valid)}"
            )
    try:  # the optimizer names a value out of range (e.g. beta1 = 1)
        dataclasses.replace(optimizer, **grid)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    x0 = parse_start(args.start, objective)
    out = args.out or f"sweep-{objective.name}.png"
    check_output_file(out, STATIC_FORMATS)
    objective = with_noise(objective, args.noise)
    if args.metric == "steps_to_tol" and objective.min_value is None:
        raise UsageError(
            f"--metric steps_to_tol needs a known minimum value; {objective.name} has none"
        )
    value_tol = args.value_tol if objective.min_value is not None else None
    plt = _pyplot()
    cells = math.prod(len(v) for v in grid.values())
    start = time.perf_counter()
    progress.say(
        f"sweeping {' x '.join(f'{k}[{len(v)}]' for k, v in grid.items())} = {cells} runs x {args.steps} steps ..."
    )
    try:
        res = sweep(
            optimizer,
            objective,
            x0,
            args.steps,
            seed=args.seed,
            value_tol=value_tol,
            progress=progress.bars,
            **grid,
        )
    except (ValueError, TypeError) as exc:  # e.g. beta1 = 1 in the range: the optimizer names it
        raise UsageError(str(exc)) from None
    progress.done("swept", start)
    fig, ax = plt.subplots(figsize=(7.5, 6), layout="constrained")
    plot.sweep_heatmap(res, ax=ax, metric=args.metric)
    _save_figure(fig, out)
    n_div = int(res.diverged.sum())
    print(f"{res!r}")
    print(f"diverged: {n_div}/{cells} runs")
    if value_tol is not None:
        reached = int((res.steps_to_tol >= 0).sum())
        print(f"reached f - f* <= {value_tol:g}: {reached}/{cells} runs")
    finite = np.where(res.diverged, np.nan, res.final_value)
    if np.isfinite(finite).any():
        print(
            f"final f over the runs that did not diverge: {_fmt(np.nanmin(finite))} .. {_fmt(np.nanmax(finite))}"
        )
    print(f"wrote {out}")
    return 0


def cmd_paper(args: argparse.Namespace, progress: Progress) -> int:
    from adamlab import paper

    out = check_output_dir(args.out)
    _pyplot()
    start = time.perf_counter()
    mode = "full" if args.full else "quick"
    progress.say(f"reproducing §{args.section} ({mode}) ...")
    try:
        result = paper.reproduce(
            args.section,
            quick=not args.full,
            seed=args.seed,
            data=args.data,
            dropout=args.dropout,
            epochs=args.epochs,
            workers=args.workers,
            progress=progress.bars,
        )
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    except (ConnectionError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    json_path, png_path = paper.write(result, out)
    progress.done("done", start)
    rows = []
    for run in result["runs"]:
        if run["chosen"]:
            final = run["train_loss"][-1]
            hps = ", ".join(f"{k}={v}" for k, v in run["hyperparameters"].items() if k != "lr")
            rows.append(
                [
                    run["optimizer"],
                    f"{run['alpha']:g}",
                    hps,
                    "diverged" if final is None else _fmt(final),
                ]
            )
    title = f"§{result['section']} on {result['data']}, seed {result['seed']}, {len(result['epochs'])} epochs"
    print(
        title + (" (selection: " + result["selection"] + ")" if result["section"] != "6.4" else "")
    )
    print(_table(rows, ["optimizer", "α", "other hyperparameters", "final training loss"]))
    o = result["ordering"]
    print(f"the paper's claim ({o['claim']}): held in {o['held']} of {o['of']}")
    print(f"wrote {json_path}")
    print(f"wrote {png_path}")
    return 0


# --------------------------------------------------------------------------------------------------------------
# The parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="adamlab",
        description="Figures of first-order optimizers (SGD, Momentum, AdaGrad, RMSProp, Adam, AdaMax) on "
        "analytic test functions, without a notebook.",
        epilog="Optimizers are NAME[:key=value,...], e.g. adam:lr=0.1,beta1=0.5 or momentum:lr=0.01,nesterov=true. "
        "Negative numbers: --start=-1.5,2.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=description)
        p.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            default=argparse.SUPPRESS,
            help="no progress on stderr",
        )
        return p

    def optimizer_option(
        p: argparse.ArgumentParser, required: bool = True, default: str = ""
    ) -> None:
        more = f" (default: {default})" if default else ""
        p.add_argument(
            "--optimizer",
            "-o",
            action="extend",
            nargs="+",
            required=required,
            metavar="NAME[:key=value,...]",
            help=f"one or more optimizers, e.g. adam:lr=0.1 sgd:lr=0.01 (repeatable){more}",
        )

    p = add(
        "demo",
        "six optimizers race on Beale: a PNG, a GIF and a table",
        "Run SGD, Momentum, AdaGrad, RMSProp, Adam and AdaMax (each with a tuned learning rate) on the Beale "
        "function from (1, 1.5) and write adamlab-demo.png (contour with paths + loss curves) and "
        "adamlab-demo.gif (animation) to DIR.",
    )
    p.add_argument(
        "--out", default=".", metavar="DIR", help="output directory (default: the current one)"
    )
    p.add_argument(
        "--steps", type=_positive_int, default=DEMO_STEPS, help=f"steps (default {DEMO_STEPS})"
    )
    p.add_argument("--frames", type=_positive_int, default=60, help="GIF frames (default 60)")
    p.add_argument(
        "--fps", type=_positive_int, default=15, help="GIF frames per second (default 15)"
    )
    p.set_defaults(handler=cmd_demo)

    p = add(
        "race",
        "race optimizers on one function (PNG or GIF)",
        "Run each optimizer from the same start with the same seed and draw their paths and loss curves "
        "(.png/.pdf/.svg) or an animation (.gif).",
    )
    p.add_argument(
        "function",
        metavar="FUNCTION",
        help="a zoo function, e.g. rosenbrock or quadratic:kappa=100",
    )
    optimizer_option(p, required=False, default="the demo's six")
    p.add_argument("--steps", type=_nonneg_int, default=300, help="steps (default 300)")
    p.add_argument("--start", metavar="X,Y", help="start point (default: the function's own start)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="noise seed (default 0)")
    p.add_argument(
        "--noise",
        type=_float,
        default=None,
        metavar="SIGMA",
        help="add Gaussian gradient noise of scale SIGMA (the same draws for every optimizer)",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="output file, .png/.pdf/.svg or .gif (default race-FUNCTION.png)",
    )
    p.add_argument(
        "--value-tol",
        type=_nonneg_float,
        default=1e-4,
        help="tolerance on f - f* for the table (default 1e-4)",
    )
    p.add_argument("--frames", type=_positive_int, default=60, help="GIF frames (default 60)")
    p.add_argument(
        "--fps", type=_positive_int, default=15, help="GIF frames per second (default 15)"
    )
    p.set_defaults(handler=cmd_race)

    p = add(
        "functions",
        "list the test functions",
        "The function zoo: names, dimension, domain, f* and minima.",
    )
    p.add_argument("--all", action="store_true", help="list every minimum")
    p.set_defaults(handler=cmd_functions)

    p = add(
        "bias",
        "the bias-correction figure for given beta1, beta2",
        "Draw Adam's bias-correction lab (correction factors, moments, the none/m/v/both ablation) and print "
        "|Δθ|/α under a constant gradient.",
    )
    p.add_argument("--beta1", type=_float, default=0.9, help="β1 (default 0.9)")
    p.add_argument("--beta2", type=_float, default=0.999, help="β2 (default 0.999)")
    p.add_argument("--steps", type=_positive_int, default=1000, help="steps shown (default 1000)")
    p.add_argument(
        "--out", default="bias.png", metavar="FILE", help="output file (default bias.png)"
    )
    p.set_defaults(handler=cmd_bias)

    p = add(
        "basins",
        "basin-of-attraction map over a grid of starts",
        "Run each optimizer from every point of a grid over the function's domain (one vectorised run) and "
        "colour each start by the minimum it reaches.",
    )
    p.add_argument("function", metavar="FUNCTION", help="a 2-D zoo function, e.g. himmelblau")
    optimizer_option(p)
    p.add_argument(
        "--resolution", type=_positive_int, default=200, help="grid points per axis (default 200)"
    )
    p.add_argument("--steps", type=_nonneg_int, default=500, help="steps (default 500)")
    p.add_argument(
        "--tol",
        type=_nonneg_float,
        default=None,
        help="distance counted as reaching a minimum (default 1%% of the domain's diagonal)",
    )
    p.add_argument("--out", metavar="FILE", help="output file (default basins-FUNCTION.png)")
    p.set_defaults(handler=cmd_basins)

    p = add(
        "sweep",
        "heatmap of a learning-rate x (beta1 | beta2 | momentum | rho) sweep",
        "Run every combination (one vectorised run: same start, same steps, same seed) and draw the final "
        "value or the steps to reach a tolerance. Every run is shown; divergence is marked.",
    )
    p.add_argument("function", metavar="FUNCTION", help="a zoo function, e.g. rosenbrock")
    optimizer_option(p, required=False, default="adam")
    p.add_argument(
        "--lr",
        metavar="A:B:N",
        help=f"learning rates: N values from A to B (default {DEFAULT_LR}, log-spaced)",
    )
    for name in SWEEP_AXES:
        p.add_argument(f"--{name}", metavar="A:B:N", help=f"{name}: N values from A to B")
    p.add_argument("--log", action="store_true", help="log-spaced learning rates")
    p.add_argument("--steps", type=_nonneg_int, default=500, help="steps (default 500)")
    p.add_argument("--start", metavar="X,Y", help="start point (default: the function's own start)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="noise seed (default 0)")
    p.add_argument(
        "--noise",
        type=_float,
        default=None,
        metavar="SIGMA",
        help="add Gaussian gradient noise of scale SIGMA (the same draws for every optimizer)",
    )
    p.add_argument(
        "--metric",
        choices=("final_value", "steps_to_tol"),
        default="final_value",
        help="what the colour shows",
    )
    p.add_argument(
        "--value-tol", type=_nonneg_float, default=1e-4, help="tolerance on f - f* (default 1e-4)"
    )
    p.add_argument("--out", metavar="FILE", help="output file (default sweep-FUNCTION.png)")
    p.set_defaults(handler=cmd_sweep)

    p = add(
        "paper",
        "rerun one of the paper's experiments (§6.1, §6.1-sparse, §6.2, §6.4)",
        "Train the paper's model with its optimizers over a grid of step sizes, pick each optimizer's step size "
        "by the area under its training curve, draw the figure and write SECTION.json and SECTION.png to DIR.",
    )
    p.add_argument("section", choices=("6.1", "6.1-sparse", "6.2", "6.4"), metavar="SECTION",
                   help="6.1, 6.1-sparse, 6.2 or 6.4")  # fmt: skip
    speed = p.add_mutually_exclusive_group()
    speed.add_argument(
        "--quick", action="store_true", help="a slice that takes seconds (the default)"
    )
    speed.add_argument("--full", action="store_true", help="the paper's grid and length (minutes)")
    p.add_argument(
        "--seed", type=_nonneg_int, default=0, help="data split, initialisation and minibatches"
    )
    p.add_argument(
        "--data",
        choices=("digits", "mnist", "fashion-mnist", "bag-of-words"),
        default=None,
        help="digits (shipped) by default; mnist and fashion-mnist are downloaded once and cached",
    )
    p.add_argument(
        "--dropout", type=_nonneg_float, default=0.0, help="feature dropout for 6.1-sparse"
    )
    p.add_argument(
        "--epochs", type=_positive_int, default=None, help="fewer epochs for a quick look"
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="processes that run the grid side by side (default: one per core, at most 4)",
    )
    p.add_argument("--out", default="paper-output", metavar="DIR", help="output directory")
    p.set_defaults(handler=cmd_paper)
    return parser


_NUMERIC_OPTIONS = {
    "--start",
    "--lr",
    *(f"--{n}" for n in SWEEP_AXES),
    "--beta1",
    "--beta2",
    "--value-tol",
    "--tol",
}
_NEGATIVE = re.compile(r"^-[\d.]")


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--start -1.5,2`` -> ``--start=-1.5,2`` (argparse would read -1.5,2 as an option)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in _NUMERIC_OPTIONS and i + 1 < len(argv) and _NEGATIVE.match(argv[i + 1]):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``adamlab`` command; returns the exit status (0, or 2 for a mistake in the command line)."""
    argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        progress = Progress(enabled=not args.quiet)
        with np.errstate(all="ignore"):
            return args.handler(args, progress)
    except UsageError as exc:
        print(f"adamlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("adamlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
