"""Save an optimizer, its state (and optionally the parameters) to one ``.npz`` file, and load them back.

Continuing from a loaded checkpoint gives bit-identical results to never having stopped: the arrays are stored
exactly, ``t`` as an integer and the hyperparameters as exact floats. Files are read with
``allow_pickle=False``, so a checkpoint never runs code.

>>> import numpy as np, tempfile, os, adamlab
>>> opt = adamlab.Adam(lr=0.1)
>>> x, s = opt.step(np.ones(2), np.ones(2), opt.init(np.ones(2)))
>>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
>>> adamlab.save_checkpoint(path, opt, s, params=x)
>>> ck = adamlab.load_checkpoint(path, expected=adamlab.Adam)
>>> ck.optimizer, ck.state.t, ck.params
(Adam(lr=0.1), 1, array([0.9, 0.9]))
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import Any, NamedTuple

import numpy as np

from adamlab import _tree
from adamlab._engine import _array_fields
from adamlab.optimizers import OPTIMIZERS, Optimizer
from adamlab.schedules import Schedule

__all__ = [
    "Checkpoint",
    "save_checkpoint",
    "load_checkpoint",
    "optimizer_to_json",
    "optimizer_from_json",
]

_FORMAT = "adamlab-checkpoint"
_VERSION = 1


class Checkpoint(NamedTuple):
    """What ``load_checkpoint`` returns: the optimizer, its state, and the parameters (or None)."""

    optimizer: Optimizer
    state: Any
    params: Any


def _hyper_to_json(name: str, value: Any, key: str, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, np.ndarray):
        arrays[key] = value
        return {"array": key}
    if isinstance(value, Schedule):
        return value.config()
    if callable(value):
        raise ValueError(
            f"cannot save {name}={value!r}: only numbers, arrays and adamlab.schedules objects can be "
            "saved in a checkpoint"
        )
    return value


def optimizer_to_json(
    optimizer: Optimizer, prefix: str = "hyper/"
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """An optimizer as JSON, ``{"optimizer": class name, "hyperparameters": {...}}``, and its array
    hyperparameters, stored by the caller under the keys ``prefix + name`` that the JSON refers to.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an adamlab optimizer.
    ValueError
        If a hyperparameter is a plain callable (only adamlab.schedules objects can be described).
    """
    if not isinstance(optimizer, Optimizer) or type(optimizer).__name__ not in OPTIMIZERS:
        raise TypeError(f"optimizer must be an adamlab optimizer, got {optimizer!r}")
    arrays: dict[str, np.ndarray] = {}
    hyper = {
        name: _hyper_to_json(name, value, prefix + name, arrays)
        for name, value in optimizer.hyperparameters().items()
    }
    return {"optimizer": type(optimizer).__name__, "hyperparameters": hyper}, arrays


def optimizer_from_json(config: dict[str, Any], arrays: Any) -> Optimizer:
    """The optimizer described by :func:`optimizer_to_json`; ``arrays`` maps the stored keys to arrays (an
    opened ``.npz`` works). ValueError for an unknown optimizer class."""
    name = config["optimizer"]
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}")
    hyper = {k: _hyper_from_json(v, arrays) for k, v in config["hyperparameters"].items()}
    return OPTIMIZERS[name](**hyper)


def save_checkpoint(
    path: str | os.PathLike, optimizer: Optimizer, state: Any, params: Any = None
) -> None:
    """Write ``optimizer`` (class and hyperparameters), ``state`` and optionally ``params`` to ``path`` (.npz).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an adamlab optimizer.
    ValueError
        If ``state`` is not a state of ``optimizer``, or a hyperparameter is a plain callable.
    """
    config, arrays = optimizer_to_json(optimizer)
    optimizer._check_state(state)
    fields = {}
    scalars = {}
    treedef = None
    array_fields = _array_fields(optimizer.State)
    for name in optimizer.State._fields[1:]:
        value = getattr(state, name)
        if (
            name not in array_fields
        ):  # one number for the whole tree (NAdam's μ product); an array in a sweep
            if isinstance(value, np.ndarray):
                arrays[f"scalar/{name}"] = value
                scalars[name] = {"array": f"scalar/{name}"}
            else:
                scalars[name] = float(value)
            continue
        leaves, treedef = _tree.flatten(value, f"state.{name}")
        fields[name] = len(leaves)
        for i, leaf in enumerate(leaves):
            arrays[f"state/{name}/{i}"] = leaf
    params_tree = None
    if params is not None:
        leaves, params_def = _tree.flatten(params, "params")
        params_tree = {"tree": _tree.to_json(params_def), "n": len(leaves)}
        for i, leaf in enumerate(leaves):
            arrays[f"params/{i}"] = leaf
    meta = {
        "format": _FORMAT,
        "version": _VERSION,
        **config,
        "t": int(state.t),
        "fields": fields,
        "scalars": scalars,
        "tree": _tree.to_json(treedef),
        "params": params_tree,
    }
    arrays["meta"] = np.array(json.dumps(meta))
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def _hyper_from_json(value: Any, data: Any) -> Any:
    if isinstance(value, dict) and "array" in value:
        return data[value["array"]]
    if isinstance(value, dict) and "schedule" in value:
        return Schedule.from_config(value)
    return value


def load_checkpoint(path: str | os.PathLike, expected: type[Optimizer] | None = None) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Parameters
    ----------
    path : str or path-like
    expected : optimizer class, optional
        If given, a checkpoint of another optimizer raises ValueError.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is not a complete adamlab checkpoint (truncated, another format, another version), or it holds
        another optimizer than ``expected``.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {os.fspath(path)!r}")
    try:
        with np.load(path, allow_pickle=False) as data:
            if "meta" not in data.files:
                raise ValueError("it has no adamlab metadata")
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != _FORMAT or meta.get("version") != _VERSION:
                raise ValueError(f"unknown format {meta.get('format')!r} {meta.get('version')!r}")
            name = meta["optimizer"]
            if name not in OPTIMIZERS:
                raise ValueError(f"unknown optimizer {name!r}")
            cls = OPTIMIZERS[name]
            if expected is not None and cls is not expected:
                raise _WrongOptimizer(
                    f"{os.fspath(path)!r} holds a {name} checkpoint, not a {expected.__name__} one"
                )
            optimizer = optimizer_from_json(meta, data)
            treedef = _tree.from_json(meta["tree"])
            values = {}
            for field in cls.State._fields[1:]:
                if field not in _array_fields(cls.State):
                    value = meta["scalars"][field]
                    values[field] = data[value["array"]] if isinstance(value, dict) else value
                    continue
                n = meta["fields"][field]
                leaves = [data[f"state/{field}/{i}"] for i in range(n)]
                values[field] = _tree.unflatten(treedef, leaves)
            state = cls.State(t=int(meta["t"]), **values)
            params = None
            if meta["params"] is not None:
                leaves = [data[f"params/{i}"] for i in range(meta["params"]["n"])]
                params = _tree.unflatten(_tree.from_json(meta["params"]["tree"]), leaves)
    except _WrongOptimizer as exc:
        raise ValueError(str(exc)) from None
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(
            f"{os.fspath(path)!r} is not a readable adamlab checkpoint ({type(exc).__name__}: {exc})"
        ) from exc
    optimizer._check_state(state)
    return Checkpoint(optimizer, state, params)


class _WrongOptimizer(Exception):
    pass
