"""Save an optimizer, its state (and optionally the parameters) to one ``.npz`` file, and load them back.

Continuing from a loaded checkpoint gives bit-identical results to never having stopped: the arrays are stored
exactly, ``t`` as an integer and the hyperparameters as exact floats. A save goes to a temporary file that is
renamed into place, so a failed save leaves the previous checkpoint intact. Files are read with
``allow_pickle=False``, so a checkpoint never runs code, and everything read is checked: a damaged or foreign
file gives one ValueError that names the file and the problem.

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

from adamlab import _npz, _tree
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
    opened ``.npz`` works). ValueError for an unknown optimizer class, or one that adamlab no longer has (the
    message names the class to use instead), or hyperparameters it does not accept."""
    name = config["optimizer"]
    hyper = config["hyperparameters"]
    cls = _optimizer_class(name, hyper)
    old = (
        _OLD_ADAM_FLAGS if cls is OPTIMIZERS["Adam"] else {}
    )  # an old Adam file with every option off
    values = {k: _hyper_from_json(v, arrays) for k, v in hyper.items() if k not in old}
    try:
        return cls(**values)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the stored hyperparameters do not make a {name}: {exc}") from None


#: The options of the flagged Adam of adamlab 0.1 (each is a class of its own now), with their "off" values.
_OLD_ADAM_FLAGS = {
    "amsgrad": False,
    "weight_decay": 0.0,
    "decoupled_weight_decay": False,
    "eps_hat": False,
    "beta1_decay": 1.0,
}


def _optimizer_class(name: Any, hyper: dict[str, Any]) -> type:
    """The class ``name``. A file of the old flagged ``Adam`` loads as ``Adam`` when every option is off, and
    otherwise gives an error naming the class that now computes it."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; adamlab has {', '.join(OPTIMIZERS)}")
    if name != "Adam" or not any(k in hyper for k in _OLD_ADAM_FLAGS):
        return OPTIMIZERS[name]
    on = {k: hyper[k] for k, off in _OLD_ADAM_FLAGS.items() if k in hyper and hyper[k] != off}
    if not on:
        return OPTIMIZERS["Adam"]
    decay = on.get("weight_decay")
    beta1 = hyper.get("beta1", 0.9)
    uses = []
    if "amsgrad" in on:
        uses.append("adamlab.AMSGrad for amsgrad=True")
    if decay is not None and hyper.get("decoupled_weight_decay"):
        uses.append(f"adamlab.AdamW(weight_decay={decay!r}) for decoupled weight decay")
    elif decay is not None:
        uses.append(
            f"Adam on adamlab.objectives.l2(objective, {decay!r}) for L2 weight decay "
            "(it is part of the objective now)"
        )
    if "eps_hat" in on:
        uses.append("adamlab.AdamEpsHat for eps_hat=True")
    if "beta1_decay" in on:
        uses.append(
            f"Adam(beta1=adamlab.schedules.Beta1Decay({beta1!r}, {on['beta1_decay']!r})) for beta1_decay"
        )
    if not uses:  # decoupled_weight_decay=True with no decay: nothing to decay
        return OPTIMIZERS["Adam"]
    flags = ", ".join(f"{k}={v!r}" for k, v in on.items())
    raise ValueError(
        f"it was written by the old Adam with {flags}, options adamlab's Adam no longer has; "
        f"use {'; '.join(uses)}"
    )


def save_checkpoint(
    path: str | os.PathLike, optimizer: Optimizer, state: Any, params: Any = None
) -> None:
    """Write ``optimizer`` (class and hyperparameters), ``state`` and optionally ``params`` to ``path`` (.npz).

    The file is written to a temporary file in the same directory and renamed into place: if the save fails,
    a previous file at ``path`` is left as it was.

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
    _npz.write(path, meta, arrays)


def _hyper_from_json(value: Any, data: Any) -> Any:
    if isinstance(value, dict) and "array" in value:
        return data[value["array"]]
    if isinstance(value, dict) and "schedule" in value:
        return Schedule.from_config(value)
    return value


def load_checkpoint(path: str | os.PathLike, expected: type[Optimizer] | None = None) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Everything is checked as it is read: the header's entries and their types, the optimizer and its
    hyperparameters, ``t`` (an integer >= 0), the tree structure and its number of leaves, and every array
    (real floats, float32 or float64, the same shape and dtype across the state's fields and the parameters).

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
        The file is not a complete, consistent adamlab checkpoint (truncated, another format or version, a
        missing or malformed entry; the message names the file and the problem), it was written by the old
        flagged ``Adam`` with an option that is now a class of its own (the message names the class), or it
        holds another optimizer than ``expected``.
    """
    with _npz.reading(path, "adamlab checkpoint") as f:
        meta = f.meta
        fmt = f.entry("the header", meta, "format", "str", "null", default=None)
        version = f.entry("the header", meta, "version", "int", "null", default=None)
        if fmt != _FORMAT or version != _VERSION:
            raise f.error(f"unknown format {fmt!r} version {version!r}")
        name = f.entry("the header", meta, "optimizer", "str")
        hyper = f.entry("the header", meta, "hyperparameters", "dict")
        try:
            cls = _optimizer_class(name, hyper)
        except ValueError as exc:
            raise f.error(str(exc)) from None
        if expected is not None and cls is not expected:
            raise ValueError(
                f"{os.fspath(path)!r} holds a {name} checkpoint, not a {expected.__name__} one"
            )
        optimizer = _read_optimizer(f, cls, hyper)
        t = f.entry("the header", meta, "t", "int")
        if t < 0:
            raise f.error(f"t must be an integer >= 0, got {t}")
        params = None
        params_leaves = None
        if f.entry("the header", meta, "params", "dict", "null") is not None:
            params_def, params_leaves = _read_tree(f, meta["params"], "params", "params")
            params = _tree.unflatten(params_def, params_leaves)
        f.entry("the header", meta, "tree", "dict", "null")
        state = _read_state(f, cls, t, params_leaves)
    try:
        optimizer._check_state(state)
        if params is not None:
            optimizer.init(params)  # array hyperparameters must broadcast to every leaf
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{os.fspath(path)!r} is not a usable {name} checkpoint: {exc}") from None
    return Checkpoint(optimizer, state, params)


def read_optimizer(
    f: _npz.Reader, config: Any, where: str, *, unknown_ok: bool = False
) -> Optimizer | None:
    """The optimizer stored as ``config`` (see :func:`optimizer_to_json`) in the file ``f`` is reading, every
    part checked; ValueError naming the file and the problem. With ``unknown_ok``, a class adamlab does not have
    (any more) gives None instead."""
    name = f.entry(where, config, "optimizer", "str")
    hyper = f.entry(where, config, "hyperparameters", "dict")
    try:
        cls = _optimizer_class(name, hyper)
    except ValueError as exc:
        if unknown_ok:
            return None
        raise f.error(str(exc)) from None
    return _read_optimizer(f, cls, hyper)


def _read_optimizer(f: _npz.Reader, cls: type, hyper: dict[str, Any]) -> Optimizer:
    values = {}
    for key, value in hyper.items():
        if key in _OLD_ADAM_FLAGS and cls is OPTIMIZERS["Adam"]:
            continue  # an old Adam file with every option off
        where = f"hyperparameters[{key!r}]"
        if isinstance(value, dict) and "array" in value:
            values[key] = f.array(f.entry(where, value, "array", "str"), kinds="fi")
        elif isinstance(value, dict):
            f.entry(where, value, "schedule", "str")
            f.entry(where, value, "args", "dict")
            try:
                values[key] = Schedule.from_config(value)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise f.error(f"{where} is not a valid schedule ({exc})") from None
        else:
            values[key] = f.entry("hyperparameters", hyper, key, "number", "bool", "str", "null")
    try:
        return cls(**values)
    except (ValueError, TypeError) as exc:
        raise f.error(f"its hyperparameters do not make a {cls.__name__}: {exc}") from None


def _read_tree(f: _npz.Reader, entry: dict[str, Any], where: str, prefix: str) -> tuple[Any, list]:
    """A stored tree: its structure (checked) and its leaves ``prefix/0``, ``prefix/1``, ..."""
    tree = f.entry(where, entry, "tree", "dict", "null")
    n = f.entry(where, entry, "n", "int")
    count = _count_leaves(f, tree, f"{where}.tree")
    if count != n or n == 0:
        raise f.error(f"{where} declares {n} arrays but its tree holds {count}")
    leaves = [f.array(f"{prefix}/{i}", dtypes=_tree.COMPUTE_DTYPES) for i in range(n)]
    return _tree.from_json(tree), leaves


def _count_leaves(f: _npz.Reader, tree: Any, where: str) -> int:
    """The number of leaves of a stored tree structure, checking its form (the header's depth is bounded)."""
    if tree is None:
        return 1
    if not isinstance(tree, dict):
        raise f.error(f"{where} must be null or an object, got {_npz._short(tree)}")
    if "dict" in tree:
        keys = f.entry(where, tree, "dict", "list")
        children = f.entry(where, tree, "children", "list")
        if len(keys) != len(children) or not all(isinstance(k, str) for k in keys):
            raise f.error(f"{where} must list one string key per child")
        if len(set(keys)) != len(keys):
            raise f.error(f"{where} repeats a key")
        return sum(_count_leaves(f, c, f"{where}[{k!r}]") for k, c in zip(keys, children))
    kind = "tuple" if "tuple" in tree else "list"
    children = f.entry(where, tree, kind, "list")
    return sum(_count_leaves(f, c, f"{where}[{i}]") for i, c in enumerate(children))


def _read_state(f: _npz.Reader, cls: type, t: int, params: list | None) -> Any:
    meta = f.meta
    array_fields = _array_fields(cls.State)
    fields = f.entry("the header", meta, "fields", "dict")
    scalars = f.entry("the header", meta, "scalars", "dict", default={})
    values = {}
    like = params
    for field in cls.State._fields[1:]:
        if (
            field not in array_fields
        ):  # one number (NAdam's μ product), or an array of them in a sweep
            value = f.entry("scalars", scalars, field, "number", "dict")
            if isinstance(value, dict):
                value = f.array(f.entry(f"scalars[{field!r}]", value, "array", "str"))
            values[field] = value
            continue
        n = f.entry("fields", fields, field, "int")
        treedef, leaves = _read_tree(
            f, {"tree": meta.get("tree"), "n": n}, "the state", f"state/{field}"
        )
        if like is None:
            like = leaves
        elif len(leaves) != len(like):
            raise f.error(
                f"state.{field} has {len(leaves)} arrays but the parameters have {len(like)}"
            )
        for i, (a, b) in enumerate(zip(leaves, like)):
            if a.shape != b.shape or a.dtype != b.dtype:
                what = "the parameters" if like is params else "the other state fields"
                raise f.error(
                    f"the array 'state/{field}/{i}' has shape {a.shape} and dtype {a.dtype}, but "
                    f"{what} have {b.shape} and {b.dtype}"
                )
        values[field] = _tree.unflatten(treedef, leaves)
    return cls.State(t=t, **values)
