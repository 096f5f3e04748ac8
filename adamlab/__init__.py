"""adamlab: first-order optimizers exactly as published, on NumPy, for learning how they work.

The core (``optimizers``, ``schedules``, ``checkpoint``) needs only NumPy. Everything else is imported when first
used, so ``import adamlab`` stays fast and never imports matplotlib.

>>> import numpy as np, adamlab
>>> opt = adamlab.Adam(lr=0.1)
>>> x, state = np.array([1.0, -1.0]), opt.init(np.zeros(2))
>>> x, state = opt.step(x, 2 * x, state)     # the gradient of |x|^2
>>> x.round(6)
array([ 0.9, -0.9])
"""

from __future__ import annotations

import importlib
from typing import Any

from adamlab import schedules
from adamlab.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from adamlab.optimizers import OPTIMIZERS, Optimizer, hyperparameter

globals().update(
    OPTIMIZERS
)  # adamlab.SGD, ..., adamlab.NAdam: every class of adamlab/optimizers.py

__version__ = "0.1.0"

__all__ = [
    *OPTIMIZERS,
    "Optimizer",
    "hyperparameter",
    "OPTIMIZERS",
    "schedules",
    "save_checkpoint",
    "load_checkpoint",
    "Checkpoint",
    "functions",
    "objectives",
    "averaging",
    "check_grad",
    "run",
    "compare",
    "basins",
    "sweep",
    "Trajectory",
    "BasinMap",
    "SweepResult",
    "plot",
]

# Names served lazily: attribute -> (module, attribute or None for the module itself).
_LAZY = {
    "functions": ("adamlab.functions", None),
    "objectives": ("adamlab.objectives", None),
    "averaging": ("adamlab.averaging", None),
    "sweeps": ("adamlab.sweeps", None),
    "exercises": ("adamlab.exercises", None),
    "datasets": ("adamlab.datasets", None),
    "models": ("adamlab.models", None),
    "paper": ("adamlab.paper", None),
    "trajectory": ("adamlab.trajectory", None),
    "plot": ("adamlab.plot", None),
    "check_grad": ("adamlab.gradcheck", "check_grad"),
    "run": ("adamlab.trajectory", "run"),
    "compare": ("adamlab.trajectory", "compare"),
    "basins": ("adamlab.sweeps", "basins"),
    "sweep": ("adamlab.sweeps", "sweep"),
    "Trajectory": ("adamlab.trajectory", "Trajectory"),
    "BasinMap": ("adamlab.sweeps", "BasinMap"),
    "SweepResult": ("adamlab.sweeps", "SweepResult"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'adamlab' has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
