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

import os
from typing import Any, NamedTuple

import numpy as np

from adamlab import _files, _tree
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
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an adamlab optimizer, got {optimizer!r}")
    if OPTIMIZERS.get(type(optimizer).__name__) is not type(optimizer):
        raise TypeError(
            f"save_checkpoint keeps adamlab's own optimizers ({', '.join(OPTIMIZERS)}), whose class it can find "
            f"again by name when loading; {type(optimizer).__name__} is a class of your own: keep its "
            "hyperparameters and state yourself (e.g. with numpy.savez)"
        )
    arrays: dict[str, np.ndarray] = {}
    hyper = {
        name: _hyper_to_json(name, value, prefix + name, arrays)
        for name, value in optimizer.hyperparameters().items()
    }
    return {"optimizer": type(optimizer).__name__, "hyperparameters": hyper}, arrays


def optimizer_from_json(config: dict[str, Any], arrays: Any) -> Optimizer:
    """The optimizer described by :func:`optimizer_to_json`; ``arrays`` maps the stored keys to arrays (an
    opened ``.npz`` works). ValueError for an unknown optimizer class or hyperparameters it does not take."""
    name = config.get("optimizer") if isinstance(config, dict) else None
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}")
    hyper = config.get("hyperparameters")
    if not isinstance(hyper, dict):
        raise ValueError(f"the hyperparameters must be a JSON object, got {hyper!r:.60}")
    if name == "Adam":
        _refuse_old_adam(hyper)
    values = {k: _hyper_from_json(k, v, arrays) for k, v in hyper.items()}
    try:
        return OPTIMIZERS[name](**values)
    except TypeError as exc:  # an unknown keyword
        raise ValueError(f"{name} does not take these hyperparameters ({exc})") from None


#: Options of the flagged Adam of adamlab 0.1 and the class that replaces each.
_OLD_ADAM = {
    "amsgrad": "AMSGrad",
    "decoupled_weight_decay": "AdamW",
    "weight_decay": "Adam on adamlab.objectives.l2(objective, weight_decay) (L2), or AdamW (decoupled decay)",
    "eps_hat": "AdamEpsHat",
    "beta1_decay": "Adam(beta1=adamlab.schedules.Beta1Decay(beta1, lam))",
}


def _refuse_old_adam(hyper: dict[str, Any]) -> None:
    used = [k for k in _OLD_ADAM if k in hyper and hyper[k] not in (False, 0, 0.0, 1.0)]
    if hyper.get("decoupled_weight_decay") is True:
        used = [k for k in used if k != "weight_decay"]
    old = [k for k in _OLD_ADAM if k in hyper]
    if old:
        instead = "; ".join(f"{k} -> {_OLD_ADAM[k]}" for k in (used or old))
        raise ValueError(
            f"it was written by adamlab 0.1's Adam with the options {', '.join(old)}, which are classes of "
            f"their own now: {instead}. Rebuild the optimizer with the new class (the state's m and v carry "
            "over: AdamState(t, m, v))"
        )


def save_checkpoint(
    path: str | os.PathLike, optimizer: Optimizer, state: Any, params: Any = None
) -> None:
    """Write ``optimizer`` (class and hyperparameters), ``state`` and optionally ``params`` to ``path`` (.npz).

    The file is written to a temporary file next to ``path`` and renamed into place when complete, so a failed
    save leaves any previous file at ``path`` as it was.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an adamlab optimizer.
    ValueError
        If ``state`` is not a state of ``optimizer``, or a hyperparameter is a plain callable.
    """
    config, arrays = optimizer_to_json(optimizer)
    optimizer._check_state(state)
    fields: dict[str, int] = {}
    scalars: dict[str, Any] = {}
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
    _files.write(path, meta, arrays)


def _hyper_from_json(name: str, value: Any, data: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"array"}:
        key = value["array"]
        if not isinstance(key, str) or key not in data:
            raise ValueError(f"the array of hyperparameter {name!r} is missing")
        return data[key]
    if isinstance(value, dict) and "schedule" in value:
        return Schedule.from_config(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"hyperparameter {name!r} has an unreadable value {value!r:.60}")


def load_checkpoint(path: str | os.PathLike, expected: type[Optimizer] | None = None) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Everything read is checked (the metadata, the optimizer and its hyperparameters, ``t``, the tree, every
    array's dtype and shape); a file that is not a complete, consistent checkpoint raises one ValueError naming
    the file and the problem. Nothing is unpickled.

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
        The file is not a complete adamlab checkpoint (truncated, another format or version, inconsistent), or
        it holds another optimizer than ``expected``.
    """
    f = _files.read(path, _FORMAT, "adamlab checkpoint")
    meta = f.meta
    if meta.get("version") != _VERSION:
        raise f.error(f"version {meta.get('version')!r} is not {_VERSION}")
    name = f.field("optimizer", str)
    if name not in OPTIMIZERS:
        raise f.error(f"unknown optimizer {name!r}")
    cls = OPTIMIZERS[name]
    if expected is not None and cls is not expected:
        raise ValueError(f"{f.path!r} holds a {name} checkpoint, not a {expected.__name__} one")
    try:
        optimizer = optimizer_from_json(meta, f.arrays)
    except (ValueError, TypeError) as exc:
        raise f.error(str(exc)) from None
    t = f.count("t")
    try:
        treedef = _tree.from_json(meta.get("tree"))
    except ValueError as exc:
        raise f.error(f"its tree is malformed: {exc}") from None
    n_leaves = _tree.count_leaves(treedef)
    fields, scalars = f.field("fields", dict), f.field("scalars", dict)
    values: dict[str, Any] = {}
    shapes = None
    for field in cls.State._fields[1:]:
        if field not in _array_fields(cls.State):
            value = f.field(field, (int, float, dict), scalars)
            if isinstance(value, dict):
                value = f.array(f.field("array", str, value))
            elif not np.isfinite(value):
                raise f.error(f"the state field {field!r} is not finite")
            values[field] = value
            continue
        if f.count(field, fields) != n_leaves:
            raise f.error(
                f"the state field {field!r} has {fields[field]} arrays, its tree {n_leaves}"
            )
        leaves = [f.array(f"state/{field}/{i}") for i in range(n_leaves)]
        leaf_shapes = [(a.shape, a.dtype) for a in leaves]
        if shapes is not None and leaf_shapes != shapes:
            raise f.error(f"the state field {field!r} has other shapes or dtypes than the others")
        shapes = leaf_shapes
        values[field] = _tree.unflatten(treedef, leaves)
    state = cls.State(t=t, **values)
    params = None
    if meta.get("params") is not None:
        stored = f.field("params", dict)
        try:
            params_def = _tree.from_json(stored.get("tree"))
        except ValueError as exc:
            raise f.error(f"the params tree is malformed: {exc}") from None
        n = f.count("n", stored)
        if n != _tree.count_leaves(params_def):
            raise f.error(f"params has {n} arrays, its tree {_tree.count_leaves(params_def)}")
        leaves = [f.array(f"params/{i}") for i in range(n)]
        if (
            shapes is not None
            and params_def == treedef
            and [(a.shape, a.dtype) for a in leaves] != shapes
        ):
            raise f.error("params and the state have different shapes or dtypes")
        params = _tree.unflatten(params_def, leaves)
    return Checkpoint(optimizer, state, params)
