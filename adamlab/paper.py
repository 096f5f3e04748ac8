r"""The paper's experiments (Kingma & Ba 2015, §6), rerun in NumPy on a laptop.

Each section trains the paper's model with the paper's optimizers on small real data (or MNIST when you ask for
it), over a grid of step sizes, from the same initialisation and the same seeded minibatches for every run; it
records the full-training-set objective after every epoch, picks each optimizer's step size by a stated rule, and
draws every run of the grid faintly behind the chosen ones.

================  =====================================================  ============================================
section           model and data                                         optimizers
================  =====================================================  ============================================
``6.1``           multinomial logistic regression, L2 1e-4, digits       AdaGrad, SGD-Nesterov (α/√t), Adam (α/√t)
                  (or ``data="mnist"``)
``6.1-sparse``    binary logistic regression on a Zipfian bag of words   AdaGrad, RMSProp, SGD-Nesterov (α/√t),
                  (the IMDB stand-in), optional dropout on the features  Adam (α/√t)
``6.2``           MLP with ReLU and dropout (64-256-256-10 on digits,    AdaGrad, RMSProp, SGD-Nesterov, Adam
                  the paper's 784-1000-1000-10 on MNIST); and §6.3's
                  lesson: Adam's per-layer step sizes
``6.4``           VAE (softplus hidden layer of 100, 50-d latent) on     Adam with and without bias correction over
                  digits                                                 β1 × β2 × α
================  =====================================================  ============================================

``quick=True`` (the default, used by the tests, CI and notebook 12) runs a slice that takes seconds; ``quick=False``
runs the paper's grid and length and may take minutes, with a progress bar.

>>> from adamlab import paper
>>> result = paper.reproduce("6.1", epochs=3, alphas=[0.1])
>>> sorted(run["optimizer"] for run in result["runs"]), result["epochs"]
(['AdaGrad', 'Adam', 'SGD-Nesterov'], [1, 2, 3])
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import pathlib
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from adamlab import datasets, models
from adamlab._checks import check_choice, check_count
from adamlab.optimizers import AdaGrad, Adam, Momentum, RMSProp
from adamlab.schedules import InverseSqrt

__all__ = [
    "SECTIONS",
    "SELECTION",
    "reproduce",
    "train",
    "ordering",
    "select",
    "figure",
    "write",
    "layer_step_sizes",
    "layer_figure",
]

SECTIONS = ("6.1", "6.1-sparse", "6.2", "6.4")

SELECTION = (
    "for each optimizer, the step size α whose training curve has the smallest area (the mean of the training "
    "loss over the epochs); the final value alone would favour settings that oscillate. When the chosen α is at "
    "an edge of the grid, the grid is extended by half a decade on that side (at most four times), so that a "
    "chosen α is a minimum of the grid, not its edge"
)

#: The optimizers of Figures 1 and 2, as functions of the step size α. For logistic regression the paper decays
#: α as α/√t (t the iteration) "to match §4"; AdaGrad decays by itself and keeps a constant α.
_DECAYED = {
    "AdaGrad": lambda a: AdaGrad(lr=a),
    "RMSProp": lambda a: RMSProp(lr=InverseSqrt(a)),
    "SGD-Nesterov": lambda a: Momentum(lr=InverseSqrt(a), momentum=0.9, nesterov=True),
    "Adam": lambda a: Adam(lr=InverseSqrt(a)),
}
_CONSTANT = {
    "AdaGrad": lambda a: AdaGrad(lr=a),
    "RMSProp": lambda a: RMSProp(lr=a),
    "SGD-Nesterov": lambda a: Momentum(lr=a, momentum=0.9, nesterov=True),
    "Adam": lambda a: Adam(lr=a),
}
_MAX_EXTENSIONS = 4


def _half_decade(alpha: float, direction: int) -> float:
    """The next value of the 1, 3, 10, 30, ... grid above (direction +1) or below (-1) ``alpha``."""
    exponent = math.floor(math.log10(alpha) + 1e-9)
    mantissa = alpha / 10.0**exponent
    steps = [1.0, 3.0, 10.0]
    if direction > 0:
        nxt = next((m for m in steps if m > mantissa * (1 + 1e-9)), 10.0)
    else:
        nxt = next((m for m in reversed([0.3, *steps]) if m < mantissa * (1 - 1e-9)), 0.3)
    return float(f"{nxt * 10.0**exponent:.6g}")


def _describe(optimizer: Any) -> dict[str, Any]:
    """The hyperparameters of an optimizer as JSON (a schedule as its text, e.g. "InverseSqrt(lr=0.1)")."""
    out = {}
    for key, value in optimizer.hyperparameters().items():
        out[key] = value if isinstance(value, (bool, int, float, str)) else repr(value)
    return out


# ------------------------------------------------------------------------------------------------------------
# Training.


def train(
    model: Any,
    optimizer: Any,
    X: Any,
    y: Any,
    epochs: int,
    *,
    batch_size: int = 128,
    seed: int = 0,
    init_seed: int = 0,
    on_epoch: Callable[[int, Any, Any], None] | None = None,
) -> np.ndarray:
    """Train ``model`` with ``optimizer`` on minibatches of ``batch_size`` for ``epochs`` passes over (X, y) and
    return the full-training-set objective after each epoch (without dropout noise). The initialisation
    (``init_seed``) and the minibatch order and noise (``seed``) are the same for every optimizer. A run that
    diverges records inf from then on."""
    from threadpoolctl import threadpool_limits

    # The matrices here are small (a minibatch of 128 by at most 1,000): one BLAS thread is as fast as two on an
    # idle machine and ten times faster on a busy one, where OpenBLAS's threads wait on each other.
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(model, optimizer, X, y, epochs, batch_size, seed, init_seed, on_epoch)


def _train(model: Any, optimizer: Any, X: Any, y: Any, epochs: int, batch_size: int, seed: int,
           init_seed: int, on_epoch: Callable[[int, Any, Any], None] | None) -> np.ndarray:  # fmt: skip
    params = model.init(init_seed)
    state = optimizer.init(params)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    losses = np.full(epochs, np.inf)
    rows = (
        (lambda idx: X.rows(np.sort(idx))) if isinstance(X, datasets.CSR) else (lambda idx: X[idx])
    )
    for epoch in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            batch_y = None if y is None else y[np.sort(idx) if isinstance(X, datasets.CSR) else idx]
            with np.errstate(all="ignore"):
                _, grads = model.loss_and_grad(params, rows(idx), batch_y, rng)
                params, state = optimizer.step(params, grads, state)
        with np.errstate(all="ignore"):
            loss = model.loss_and_grad(params, X, y, None, grad=False)[0]
        if not math.isfinite(loss):
            break
        losses[epoch] = loss
        if on_epoch is not None:
            on_epoch(epoch + 1, params, state)
    return losses


def _area(losses: np.ndarray) -> float:
    return float(np.mean(losses)) if np.all(np.isfinite(losses)) else math.inf


# ------------------------------------------------------------------------------------------------------------
# The sections.


@dataclasses.dataclass
class _Grid:
    """One section's grid of runs, before it is run."""

    section: str
    data: str
    model: Any
    X: Any
    y: Any
    epochs: int
    runs: list[tuple[str, dict[str, Any], Any]]  # (optimizer label, extra JSON fields, optimizer)
    select: bool = True
    batch_size: int = 128
    #: How to make each optimizer for a step size α, when the grid may be extended past its edges (the default
    #: grids; a grid you give with ``alphas`` is run as given).
    makers: dict[str, Callable[[float], Any]] | None = None


def _data(name: Any, sparse_options: dict[str, Any], quick: bool, seed: int) -> datasets.Split:
    if isinstance(name, datasets.Split):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"data must be a name or a datasets.Split, got {type(name).__name__} {name!r}"
        )
    if name == "digits":
        return datasets.digits(seed=seed)
    if name == "mnist":
        return datasets.mnist()
    if name == "fashion-mnist":
        return datasets.fashion_mnist()
    if name == "bag-of-words":
        size = {"n_docs": 10_000} if quick else {}
        return datasets.bag_of_words(**size, seed=seed)
    raise ValueError(
        f"unknown data {name!r}: digits, mnist, fashion-mnist, bag-of-words or a datasets.Split"
    )


def _name(data: Any, default: str) -> str:
    if isinstance(data, datasets.Split):
        return f"your data ({len(data.y_train)} training examples)"
    return data or default


def _grid(section: str, quick: bool, seed: int, data: Any, epochs: int | None,
          alphas: list[float] | None, dropout: float) -> _Grid:  # fmt: skip
    if section == "6.1":
        split = _data(data or "digits", {}, quick, seed)
        name = _name(data, "digits")
        model = models.SoftmaxRegression(split.X_train.shape[1], 10, l2=1e-4)
        grid = alphas or (
            [0.03, 0.1, 0.3, 1.0, 3.0]
            if quick
            else [1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 3.0, 10.0]
        )
        runs = [
            (opt, {}, make(a)) for opt, make in _DECAYED.items() if opt != "RMSProp" for a in grid
        ]
        # The paper's minibatch of 128 makes 469 updates an epoch on MNIST; on the 1,348 training digits it would
        # make 11, too few for a per-epoch curve to say much. Minibatches of 32 make 43. The same rule for any
        # training set under 10,000 examples.
        batch = 128 if len(split.y_train) >= 10_000 else 32
        makers = None if alphas else {k: v for k, v in _DECAYED.items() if k != "RMSProp"}
        return _Grid(
            section,
            name,
            model,
            split.X_train,
            split.y_train,
            epochs or 45,
            runs,
            True,
            batch,
            makers,
        )
    if section == "6.1-sparse":
        split = _data(data or "bag-of-words", {}, quick, seed)
        name = _name(data, "bag-of-words")
        model = models.SparseLogistic(split.X_train.shape[1], l2=1e-5, dropout=dropout)
        quick_grid = {
            "AdaGrad": [0.1, 0.3, 1.0],
            "RMSProp": [0.01, 0.03, 0.1],
            "SGD-Nesterov": [1.0, 3.0, 10.0],
            "Adam": [0.1, 0.3, 1.0],
        }
        full_grid = [1e-2, 3e-2, 1e-1, 3e-1, 1.0, 3.0, 10.0]
        runs = [
            (opt, {}, make(a))
            for opt, make in _DECAYED.items()
            for a in (alphas or (quick_grid[opt] if quick else full_grid))
        ]
        return _Grid(
            section,
            name,
            model,
            split.X_train,
            split.y_train,
            epochs or (8 if quick else 30),
            runs,
            makers=None if alphas else _DECAYED,
        )
    if section == "6.2":
        split = _data(data or "digits", {}, quick, seed)
        name = _name(data, "digits")
        d = split.X_train.shape[1]
        sizes = (d, 1000, 1000, 10) if d == 784 else (d, 256, 256, 10)
        model = models.MLP(sizes, dropout_input=0.2, dropout_hidden=0.5)
        default = {
            "AdaGrad": [1e-2, 3e-2, 1e-1],
            "RMSProp": [3e-4, 1e-3, 3e-3],
            "SGD-Nesterov": [3e-2, 1e-1, 3e-1],
            "Adam": [3e-4, 1e-3, 3e-3],
        }
        if not quick:
            default = {
                k: sorted({v * f for v in vs for f in (1 / 3, 1, 3)}) for k, vs in default.items()
            }
        runs = [
            (opt, {}, make(a)) for opt, make in _CONSTANT.items() for a in (alphas or default[opt])
        ]
        return _Grid(
            section,
            name,
            model,
            split.X_train,
            split.y_train,
            epochs or (15 if quick else 100),
            runs,
            makers=None if alphas else _CONSTANT,
        )
    if section == "6.4":
        split = _data(data or "digits", {}, quick, seed)
        name = _name(data, "digits")
        model = models.VAE(split.X_train.shape[1], hidden=100, latent=50)
        beta1s = [0.9] if quick else [0.0, 0.9]
        grid = alphas or ([1e-3, 1e-2, 1e-1] if quick else [1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
        runs = []
        for b1 in beta1s:
            for b2 in (0.99, 0.999, 0.9999):
                for a in grid:
                    for correction in ("both", "none"):
                        opt = Adam(lr=a, beta1=b1, beta2=b2, bias_correction=correction)
                        label = "Adam" if correction == "both" else "Adam without bias correction"
                        runs.append((label, {}, opt))
        return _Grid(
            section, name, model, split.X_train, None, epochs or (10 if quick else 100), runs, False
        )
    raise ValueError(f"unknown section {section!r}: one of {', '.join(SECTIONS)}")


def reproduce(
    section: str,
    *,
    quick: bool = True,
    seed: int = 0,
    data: str | datasets.Split | None = None,
    epochs: int | None = None,
    alphas: list[float] | None = None,
    dropout: float = 0.0,
    workers: int | None = 1,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Run one section's experiment and return its results as a JSON-able dict::

        {"section": "6.1", "data": "digits", "seed": 0, "epochs": [1, 2, ...], "selection": "<the rule>",
         "runs": [{"optimizer": "Adam", "hyperparameters": {...}, "train_loss": [...], "chosen": true}, ...],
         "ordering": {...}, "seconds": ...}

    ``train_loss`` is the full-training-set objective after each epoch (null after a run diverged); ``chosen``
    marks the run :data:`SELECTION` picks for each optimizer (§6.4 shows every run, so every run is chosen).
    ``ordering`` counts the epochs in which the paper's claim held (:func:`ordering`). ``epochs`` and ``alphas``
    override the grid (for a quick look); ``dropout`` is the feature-dropout rate of §6.1-sparse. ``data`` is a
    name (``"digits"``, ``"mnist"``, ``"fashion-mnist"``, ``"bag-of-words"``) or a :class:`datasets.Split` of your
    own, e.g. ``datasets.bag_of_words(informative_from=0)`` to put the label's signal in the frequent words.

    The runs are independent, so ``workers`` processes can run them side by side (``workers=2`` on two cores
    halves the time; ``None``: one per core, at most 4); the default runs them here, one after another. The results
    do not depend on ``workers``.
    The processes are started fresh (``spawn``), so a script that calls this with ``workers > 1`` needs the usual
    ``if __name__ == "__main__":`` guard; notebooks and the ``adamlab paper`` command do not.
    """
    section = check_choice("reproduce", "section", section, SECTIONS)
    seed = check_count("reproduce", "seed", seed)
    workers = (
        min(os.cpu_count() or 1, 4)
        if workers is None
        else check_count("reproduce", "workers", workers, 1)
    )
    start = time.perf_counter()
    grid = _grid(section, quick, seed, data, epochs, alphas, dropout)
    bar = None
    if progress is not False:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(
                total=len(grid.runs), desc=f"§{section}", unit="run", delay=0 if progress else 2.0
            )
        except ImportError:
            bar = None
    job = {"model": grid.model, "X": grid.X, "y": grid.y, "epochs": grid.epochs,
           "batch_size": grid.batch_size, "seed": seed}  # fmt: skip
    with contextlib.ExitStack() as stack:
        stack.callback(_JOB.clear)  # the data leaves this process's memory however the runs end
        pool = None
        if workers > 1 and len(grid.runs) > 1:
            import concurrent.futures
            import multiprocessing

            # spawn, not fork: a notebook's kernel has threads, and fork with threads can deadlock.
            pool = stack.enter_context(
                concurrent.futures.ProcessPoolExecutor(
                    min(workers, len(grid.runs)),
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_set_job,
                    initargs=(job,),
                )
            )
        else:
            _set_job(job)

        def run_all(items: list[tuple[str, dict[str, Any], Any]]) -> list[dict[str, Any]]:
            optimizers = [opt for _, _, opt in items]
            curves = (
                pool.map(_run_job, optimizers) if pool is not None else map(_run_job, optimizers)
            )
            out = []
            for (label, extra, opt), losses in zip(items, curves):
                if bar is not None:
                    bar.update()
                out.append({
                    "optimizer": label,
                    "hyperparameters": _describe(opt),
                    "alpha": _alpha(opt),
                    "train_loss": [float(v) if math.isfinite(v) else None for v in losses],
                    "chosen": not grid.select,
                    **extra,
                })  # fmt: skip
            return out

        runs = run_all(grid.runs)
        # A chosen α at the edge of its optimizer's grid extends that grid, every optimizer at once, a round at a
        # time; each optimizer's choice depends on its own runs only.
        for _ in range(_MAX_EXTENSIONS if grid.select and grid.makers else 0):
            wanted = []
            for name in dict.fromkeys(r["optimizer"] for r in runs):
                alpha = _extension([r for r in runs if r["optimizer"] == name])
                if alpha is not None:
                    wanted.append((name, {"grid_extension": True}, grid.makers[name](alpha)))
            if not wanted:
                break
            if bar is not None:
                bar.total += len(wanted)
                bar.refresh()
            runs += run_all(wanted)
    if grid.select:
        for name in dict.fromkeys(r["optimizer"] for r in runs):
            min((r for r in runs if r["optimizer"] == name), key=lambda r: _area(_losses(r)))[
                "chosen"
            ] = True
    if bar is not None:
        bar.close()
    result = {
        "section": section,
        "data": grid.data,
        "seed": seed,
        "quick": quick,
        "epochs": list(range(1, grid.epochs + 1)),
        "selection": SELECTION if grid.select else "none: every run is a point of the figure",
        "batch_size": grid.batch_size,
        "runs": runs,
    }
    if section == "6.1-sparse":
        result["dropout"] = dropout
    result["ordering"] = ordering(result)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


#: The data and model of the section being run, set once per worker process (or here, for workers=1).
_JOB: dict[str, Any] = {}


def _set_job(job: dict[str, Any]) -> None:
    _JOB.clear()
    _JOB.update(job)


def _run_job(optimizer: Any) -> np.ndarray:
    j = _JOB
    return train(j["model"], optimizer, j["X"], j["y"], j["epochs"], batch_size=j["batch_size"],
                 seed=j["seed"], init_seed=j["seed"])  # fmt: skip


def _extension(mine: list[dict[str, Any]]) -> float | None:
    """The next α for an optimizer whose chosen run is at an edge of its grid, or None."""
    best = min(mine, key=lambda r: _area(_losses(r)))
    alphas = sorted(r["alpha"] for r in mine)
    if not math.isfinite(_area(_losses(best))) or len(alphas) < 2:
        return None
    if best["alpha"] == alphas[0]:
        return _half_decade(alphas[0], -1)
    if best["alpha"] == alphas[-1]:
        return _half_decade(alphas[-1], +1)
    return None


def _alpha(opt: Any) -> float:
    lr = opt.lr
    return float(lr.lr) if isinstance(lr, InverseSqrt) else float(lr)


def _losses(run: dict[str, Any]) -> np.ndarray:
    return np.array([np.inf if v is None else v for v in run["train_loss"]])


def select(
    result: dict[str, Any], *, by: str = "area", runs: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Each optimizer's run under a selection rule, to see what the rule changes: ``by="area"`` is
    :data:`SELECTION` (the smallest mean training loss over the epochs), ``by="final"`` the smallest loss after the
    last epoch. ``runs`` restricts the choice (e.g. to the runs of the grid before it was extended). Returns
    ``{optimizer: run}``; pass it to :func:`ordering` as ``chosen``."""
    by = check_choice("select", "by", by, ("area", "final"))
    score = _area if by == "area" else (lambda losses: float(losses[-1]))
    out: dict[str, dict[str, Any]] = {}
    for r in result["runs"] if runs is None else runs:
        name = r["optimizer"]
        if name not in out or score(_losses(r)) < score(_losses(out[name])):
            out[name] = r
    return out


def ordering(
    result: dict[str, Any], chosen: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """In how many epochs the paper's claim held for the chosen runs (those marked ``chosen``, or ``chosen`` as
    :func:`select` returns it), and what the claim is.

    - §6.1: AdaGrad is behind both Adam and SGD-Nesterov (and Adam ≈ SGD-Nesterov: within 5%);
    - §6.1-sparse: SGD-Nesterov is behind both AdaGrad and Adam;
    - §6.2: Adam has the lowest training loss;
    - §6.4: with bias correction the loss is lower than without it, per (β1, β2, α) cell, after the last epoch.
    """
    section = result["section"]
    if section == "6.4":
        cells = {}
        for r in result["runs"]:
            h = r["hyperparameters"]
            key = (h["beta1"], h["beta2"], h["lr"])
            cells.setdefault(key, {})[h["bias_correction"]] = _losses(r)[-1]
        better = sum(1 for c in cells.values() if c["both"] <= c["none"])
        return {
            "claim": "bias correction gives an equal or lower loss after the last epoch, cell by cell",
            "held": better,
            "of": len(cells),
        }
    if chosen is None:
        chosen = {r["optimizer"]: r for r in result["runs"] if r["chosen"]}
    c = {name: _losses(r) for name, r in chosen.items()}
    epochs = len(result["epochs"])
    if section == "6.1":
        held = int(np.sum(c["AdaGrad"] > np.maximum(c["Adam"], c["SGD-Nesterov"])))
        close = int(np.sum(np.abs(c["Adam"] - c["SGD-Nesterov"]) <= 0.05 * c["SGD-Nesterov"]))
        return {
            "claim": "AdaGrad behind Adam and SGD-Nesterov",
            "held": held,
            "of": epochs,
            "adam_within_5_percent_of_nesterov": close,
        }
    if section == "6.1-sparse":
        held = int(np.sum(c["SGD-Nesterov"] > np.maximum(c["Adam"], c["AdaGrad"])))
        return {"claim": "SGD-Nesterov behind AdaGrad and Adam", "held": held, "of": epochs}
    stacked = np.vstack([c[k] for k in c])
    names = list(c)
    held = int(np.sum(np.argmin(stacked, axis=0) == names.index("Adam")))
    return {"claim": "Adam has the lowest training loss", "held": held, "of": epochs}


# ------------------------------------------------------------------------------------------------------------
# §6.3's lesson on the MLP: Adam's per-layer step sizes.


def layer_step_sizes(
    *, epochs: int = 10, alpha: float = 1e-3, seed: int = 0, data: str = "digits"
) -> dict[str, Any]:
    """Train §6.2's MLP with Adam and record, after each epoch, the median effective step size α/(√v̂ + ε) of each
    layer's weights, as ``Adam.step_with_info`` reports it on one minibatch: §6.3's observation that Adam "adapts
    learning rate scale for different layers" and that v̂ can fall to the scale of ε (``fraction_below_eps``: the
    share of each layer's weights with √v̂ < ε, e.g. the weights of input pixels that are always 0)."""
    split = _data(data, {}, True, seed)
    d = split.X_train.shape[1]
    model = models.MLP((d, 1000, 1000, 10) if d == 784 else (d, 256, 256, 10))
    opt = Adam(lr=alpha)
    record: dict[str, list[float]] = {}
    rng = np.random.default_rng(seed + 1)

    def on_epoch(epoch: int, params: Any, state: Any) -> None:
        idx = rng.choice(len(split.y_train), 128, replace=False)
        _, grads = model.loss_and_grad(params, split.X_train[idx], split.y_train[idx], None)
        _, _, info = opt.step_with_info(params, grads, state)
        for name, value in info.step_size.items():
            if name.startswith("W"):
                record.setdefault(name, []).append(float(np.median(value)))
                small = np.sqrt(info.v_hat[name]) < opt.eps
                below.setdefault(name, []).append(float(np.mean(small)))

    below: dict[str, list[float]] = {}
    train(
        model,
        opt,
        split.X_train,
        split.y_train,
        epochs,
        seed=seed,
        init_seed=seed,
        on_epoch=on_epoch,
    )
    return {
        "alpha": alpha,
        "epochs": list(range(1, epochs + 1)),
        "median_step_size": record,
        "fraction_below_eps": below,  # the share of the layer's weights whose √v̂ is below ε: ε dominates there
    }


# ------------------------------------------------------------------------------------------------------------
# Figures and files.


def _colour(label: str) -> str:
    """The course's colour for an optimizer (SGD-Nesterov is Momentum's blue; Adam without bias correction takes
    the first variant colour, as in every other picture of the ablation)."""
    from adamlab.plot import colors

    if label == "Adam without bias correction":
        return colors.variants[0]
    return colors(label.replace("SGD-Nesterov", "Momentum"))


_MARKERS = {"AdaGrad": "o", "RMSProp": "s", "SGD-Nesterov": "^", "Adam": "D"}
_TITLES = {
    "6.1": "§6.1 logistic regression (Fig. 1, left)",
    "6.1-sparse": "§6.1 sparse logistic regression (Fig. 1, right)",
    "6.2": "§6.2 multilayer network with dropout (Fig. 2a)",
    "6.4": "§6.4 bias correction on a VAE (Fig. 4)",
}


def figure(result: dict[str, Any], ax: Any = None) -> Any:
    """The section's figure in the paper's layout: training loss against epochs with every grid run drawn faintly
    behind the chosen ones (§6.1, §6.2), or, for §6.4, the loss after the last epoch against log₁₀ α, one panel
    per (β1, β2), with and without bias correction (the paper draws them red and green; here they take the
    course's colours: Adam's vermillion, and sky blue without the correction). Returns the Figure."""
    import matplotlib.pyplot as plt

    if result["section"] == "6.4":
        return _figure_64(result)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 4.8), layout="constrained")
    else:
        fig = ax.figure
    epochs = result["epochs"]
    every = max(1, len(epochs) // 9)  # markers tell the bold lines apart where colours are close
    for r in result["runs"]:
        colour = _colour(r["optimizer"])
        y = np.array([np.nan if v is None else v for v in r["train_loss"]])
        if r["chosen"]:
            ax.plot(
                epochs,
                y,
                color=colour,
                lw=2.2,
                marker=_MARKERS.get(r["optimizer"], "o"),
                markevery=every,
                ms=6,
                label=f"{r['optimizer']} (α = {r['alpha']:g})",
                zorder=3,
            )
        else:
            ax.plot(epochs, y, color=colour, lw=0.8, alpha=0.25, zorder=2)
    ax.set_yscale("log")
    ax.set_xlabel("epochs (passes over the training set)")
    ax.set_ylabel("training loss (full training set)")
    dropout = f", feature dropout {result['dropout']:g}" if result.get("dropout") else ""
    ax.set_title(f"{_TITLES[result['section']]}: {result['data']}{dropout}")
    ax.legend(title="chosen α (faint: the rest\nof the grid)", fontsize=9, title_fontsize=9, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))  # fmt: skip
    ax.grid(alpha=0.3)
    return fig


def _figure_64(result: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt

    runs = result["runs"]
    beta1s = sorted({r["hyperparameters"]["beta1"] for r in runs})
    beta2s = sorted({r["hyperparameters"]["beta2"] for r in runs})
    finals = [r["train_loss"][-1] for r in runs if r["train_loss"][-1] is not None]
    low, cap = (
        0.9 * min(finals),
        1e3,
    )  # one scale for every panel; larger losses (and divergence) sit on top
    fig, axes = plt.subplots(len(beta1s), len(beta2s), figsize=(3.6 * len(beta2s), 3.0 * len(beta1s) + 0.6),
                             layout="constrained", sharex=True, sharey=True, squeeze=False)  # fmt: skip
    for i, b1 in enumerate(beta1s):
        for j, b2 in enumerate(beta2s):
            ax = axes[i, j]
            for correction, colour, label in (("both", _colour("Adam"), "with bias correction"),
                                              ("none", _colour("Adam without bias correction"), "without")):  # fmt: skip
                cell = [r for r in runs if r["hyperparameters"]["beta1"] == b1 and r["hyperparameters"]["beta2"] == b2
                        and r["hyperparameters"]["bias_correction"] == correction]  # fmt: skip
                cell.sort(key=lambda r: r["alpha"])
                x = np.log10([r["alpha"] for r in cell])
                y = np.array(
                    [np.inf if r["train_loss"][-1] is None else r["train_loss"][-1] for r in cell]
                )
                off = y > cap
                ax.plot(x, np.minimum(y, cap), "-", color=colour, label=label)
                ax.plot(x[~off], y[~off], "o", color=colour)
                ax.plot(x[off], np.full(off.sum(), cap), "^", color=colour, ms=9)
                for xi, yi in zip(x[off], y[off]):
                    text = "diverged" if not np.isfinite(yi) else f"{yi:.0e}"
                    ax.annotate(text, (xi, cap), textcoords="offset points", xytext=(-4, -14), ha="right",
                                fontsize=8, color=colour)  # fmt: skip
            ax.set_yscale("log")
            ax.set_ylim(low, cap * 1.5)
            ax.set_title(f"β1 = {b1:g}, β2 = {b2:g}", fontsize=10)
            ax.grid(alpha=0.3)
            if i == len(beta1s) - 1:
                ax.set_xlabel("log₁₀ α")
            if j == 0:
                ax.set_ylabel(f"loss after {len(result['epochs'])} epochs")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.suptitle(
        f"{_TITLES['6.4']}: {result['data']}, {len(result['epochs'])} epochs (▲: above 1000)"
    )
    return fig


def layer_figure(record: dict[str, Any], ax: Any = None) -> Any:
    """§6.3's lesson: the median effective step size α/(√v̂ + ε) of each layer's weights against epochs (from
    :func:`layer_step_sizes`). Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.0), layout="constrained")
    # One optimizer (Adam) throughout, so the layers take shades of Adam's colour, not other optimizers' colours.
    shades = ["#7F2704", "#D55E00", "#FDAE6B", "#FDD0A2"]
    for k, (name, values) in enumerate(record["median_step_size"].items()):
        ax.plot(record["epochs"], values, marker="os^Dv"[k % 5], color=shades[k % len(shades)],
                label=f"layer {name[1:]} ({name})")  # fmt: skip
    ax.axhline(record["alpha"], color="0.6", ls=":", lw=1)  # α itself
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("median α/(√v̂ + ε) of the layer's weights")
    ax.set_title(
        f"§6.3's lesson on §6.2's MLP: Adam's step size per layer (α = {record['alpha']:g}, dotted)"
    )
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def write(result: dict[str, Any], out: str | os.PathLike) -> tuple[pathlib.Path, pathlib.Path]:
    """Write ``out/SECTION.json`` and ``out/SECTION.png``; returns both paths."""
    import matplotlib.pyplot as plt

    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{result['section']}.json"
    path.write_text(json.dumps(result, indent=1))
    fig = figure(result)
    png = out / f"{result['section']}.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)
    return path, png
