"""Parameter trees: one array, or a dict, list or tuple of arrays (a model's weights).

The optimizers work leaf by leaf. This module turns ``params`` (and ``grad`` and every state field, which share
its structure) into a flat list of float arrays and back, and says clearly what is wrong when two trees do not
match. A list or tuple of plain numbers is one array (``[1.0, 2.0]`` is a point), not a tree of scalars.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# A tree's structure: None for a leaf; ("dict", keys, children) or ("list"/"tuple", None, children).
TreeDef = Any


def _is_container(x: Any) -> bool:
    if isinstance(x, dict):
        return True
    if isinstance(x, (list, tuple)):
        return any(isinstance(e, (np.ndarray, dict)) or _is_container(e) for e in x)
    return False


def as_float_array(x: Any, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """``x`` as a float array: ints become float64, float32 stays float32; complex, str, object -> TypeError."""
    a = np.asarray(x)
    kind = a.dtype.kind
    if kind in "iu":
        a = a.astype(np.float64)
    elif kind != "f":
        raise TypeError(
            f"{name} must be a real (float or integer) array, got dtype {a.dtype} "
            f"({type(x).__name__})"
        )
    if dtype is not None and a.dtype != dtype:
        a = a.astype(dtype)
    return a


def flatten(tree: Any, name: str) -> tuple[list[np.ndarray], TreeDef]:
    """Leaves of ``tree`` as float arrays, and its structure."""
    if not _is_container(tree):
        return [as_float_array(tree, name)], None
    leaves: list[np.ndarray] = []
    treedef = _flatten_into(tree, name, leaves)
    return leaves, treedef


def _flatten_into(tree: Any, name: str, leaves: list[np.ndarray]) -> TreeDef:
    if isinstance(tree, dict):
        keys = tuple(tree)
        children = [_flatten_into(tree[k], f"{name}[{k!r}]", leaves) for k in keys]
        return ("dict", keys, children)
    if _is_container(tree):
        kind = "tuple" if isinstance(tree, tuple) else "list"
        children = [_flatten_into(e, f"{name}[{i}]", leaves) for i, e in enumerate(tree)]
        return (kind, None, children)
    leaves.append(as_float_array(tree, name))
    return None


def describe(treedef: TreeDef, leaves: list[np.ndarray] | None = None) -> str:
    """A short text picture of a tree's structure and shapes, for error messages."""
    it = iter(leaves) if leaves is not None else None

    def go(d: TreeDef) -> str:
        if d is None:
            return f"array{next(it).shape}" if it is not None else "array"
        kind, keys, children = d
        if kind == "dict":
            return "{" + ", ".join(f"{k!r}: {go(c)}" for k, c in zip(keys, children)) + "}"
        inner = ", ".join(go(c) for c in children)
        return f"[{inner}]" if kind == "list" else f"({inner})"

    return go(treedef)


def flatten_like(
    tree: Any, treedef: TreeDef, like: list[np.ndarray], name: str, like_name: str = "params"
) -> list[np.ndarray]:
    """Leaves of ``tree``, checked to have ``treedef``'s structure and ``like``'s shapes and cast to its dtypes."""
    try:
        leaves, own = flatten(tree, name)
    except TypeError:
        raise
    if own != treedef:
        raise ValueError(
            f"{name} has structure {describe(own, leaves)} but {like_name} has "
            f"{describe(treedef, like)}; they must match"
        )
    for i, (a, b) in enumerate(zip(leaves, like)):
        if a.shape != b.shape:
            where = "" if treedef is None else f" (leaf {i})"
            raise ValueError(
                f"{name} has shape {a.shape} but {like_name} has shape {b.shape}{where}; "
                "they must match"
            )
        if a.dtype != b.dtype:
            leaves[i] = a.astype(b.dtype)
    return leaves


def leaf_like(x: Any, like: np.ndarray, name: str, like_name: str = "params") -> np.ndarray:
    """``x`` as one array shaped and typed like ``like`` (the fast path of ``flatten_like`` for one array)."""
    if type(x) is np.ndarray and x.shape == like.shape:
        if x.dtype == like.dtype:
            return x
        if x.dtype.kind in "fiu":
            return x.astype(like.dtype)
    return flatten_like(x, None, [like], name, like_name)[0]


def unflatten(treedef: TreeDef, leaves: list[Any]) -> Any:
    """Rebuild a tree with ``treedef``'s structure from ``leaves``."""
    if treedef is None:
        return leaves[0]
    it = iter(leaves)

    def go(d: TreeDef) -> Any:
        if d is None:
            return next(it)
        kind, keys, children = d
        if kind == "dict":
            return {k: go(c) for k, c in zip(keys, children)}
        seq = [go(c) for c in children]
        return tuple(seq) if kind == "tuple" else seq

    return go(treedef)


def to_json(treedef: TreeDef) -> Any:
    """A JSON-able form of ``treedef`` (dict keys must be strings)."""
    if treedef is None:
        return None
    kind, keys, children = treedef
    if kind == "dict":
        bad = [k for k in keys if not isinstance(k, str)]
        if bad:
            raise ValueError(f"a checkpoint needs string dict keys, got {bad[0]!r}")
        return {"dict": list(keys), "children": [to_json(c) for c in children]}
    return {kind: [to_json(c) for c in children]}


def from_json(obj: Any) -> TreeDef:
    if obj is None:
        return None
    if "dict" in obj:
        return ("dict", tuple(obj["dict"]), [from_json(c) for c in obj["children"]])
    kind = "tuple" if "tuple" in obj else "list"
    return (kind, None, [from_json(c) for c in obj[kind]])
