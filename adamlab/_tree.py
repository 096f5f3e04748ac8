"""Parameter trees: one array, or a dict, list or tuple of arrays (a model's weights).

The optimizers work leaf by leaf. This module turns ``params`` (and ``grad`` and every state field, which share
its structure) into a flat list of float arrays and back, and says clearly what is wrong when two trees do not
match.

- A leaf is an array (or a number). A list or tuple of plain numbers is one array (``[1.0, 2.0]`` is a point);
  a list or tuple is a container when it holds an array, a dict or another container, or nothing at all.
- Dicts are matched by key, not by insertion order (as optax and JAX do): hand-written backpropagation may build
  ``grad`` in its own order.
- ``params`` must hold at least one array; every leaf is computed in float64 (integers too) or float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# A tree's structure: None for a leaf; ("dict", keys, children) or ("list"/"tuple", None, children).
TreeDef = Any

#: The dtypes the optimizers compute in. float16 is refused: its ε of 1e-8 is 0 and its range ends at 65504.
COMPUTE_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def is_container(x: Any) -> bool:
    if isinstance(x, dict):
        return True
    if isinstance(x, (list, tuple)):
        return len(x) == 0 or any(isinstance(e, (np.ndarray, dict)) or is_container(e) for e in x)
    return False


def as_array(x: Any, name: str) -> np.ndarray:
    """``x`` as a real NumPy array, or a TypeError/ValueError that names ``name``."""
    try:
        a = np.asarray(x)
    except ValueError as exc:  # NumPy's "inhomogeneous shape" for [[1, 2], [3]]
        raise ValueError(
            f"{name} is ragged ({exc}); give each part as its own array in a dict, list or tuple, "
            f"e.g. [np.array([1, 2]), np.array([3])]"
        ) from None
    if a.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real (float or integer) array, got dtype {a.dtype} ({type(x).__name__})"
        )
    return a


def as_float_array(x: Any, name: str) -> np.ndarray:
    """``x`` as an array to compute in: integers become float64, float32 and float64 stay; others TypeError."""
    a = as_array(x, name)
    if a.dtype.kind in "iu":
        return a.astype(np.float64)
    if a.dtype not in COMPUTE_DTYPES:
        raise TypeError(
            f"{name} has dtype {a.dtype}; adamlab computes in float64 or float32 "
            f"(cast with .astype(np.float32): in {a.dtype} ε = 1e-8 is 0 and steps underflow)"
        )
    return a


def flatten(tree: Any, name: str) -> tuple[list[np.ndarray], TreeDef]:
    """Leaves of ``tree`` as float arrays, and its structure; ValueError if it holds no arrays."""
    if not is_container(tree):
        return [as_float_array(tree, name)], None
    leaves: list[np.ndarray] = []
    treedef = _flatten_into(tree, name, leaves)
    if not leaves:
        raise ValueError(f"{name} holds no arrays: got {tree!r}")
    return leaves, treedef


def _flatten_into(tree: Any, name: str, leaves: list[np.ndarray]) -> TreeDef:
    if isinstance(tree, dict):
        keys = tuple(tree)
        children = [_flatten_into(tree[k], f"{name}[{k!r}]", leaves) for k in keys]
        return ("dict", keys, children)
    if is_container(tree):
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


def _keys(keys: Any) -> str:
    return "[" + ", ".join(sorted(map(repr, keys))) + "]"


def _structure(tree: Any) -> str:
    """A text picture of any object's tree structure (for errors about a tree that does not match)."""
    try:
        leaves, treedef = flatten(tree, "")
    except (TypeError, ValueError):
        return type(tree).__name__
    return describe(treedef, leaves)


def leaves_like(
    tree: Any, treedef: TreeDef, like: list[np.ndarray], name: str, like_name: str = "params"
) -> list[Any]:
    """The leaves of ``tree`` as they are, in ``treedef``'s order (dicts matched by key); ValueError naming the
    difference if ``tree`` does not have ``treedef``'s structure."""
    leaves: list[Any] = []

    def mismatch() -> ValueError:
        return ValueError(
            f"{name} has structure {_structure(tree)} but {like_name} has "
            f"{describe(treedef, like)}; they must match"
        )

    def go(sub: Any, d: TreeDef, path: str) -> None:
        if d is None:
            if is_container(sub):
                raise mismatch()
            leaves.append(sub)
            return
        kind, keys, children = d
        if kind == "dict":
            if not isinstance(sub, dict):
                raise mismatch()
            if set(sub) != set(keys):
                raise ValueError(
                    f"{path} has keys {_keys(sub)} but {like_name} has {_keys(keys)}; they must match"
                )
            for k, c in zip(keys, children):
                go(sub[k], c, f"{path}[{k!r}]")
            return
        if not isinstance(sub, (list, tuple)) or not is_container(sub) or len(sub) != len(children):
            raise mismatch()
        for i, (e, c) in enumerate(zip(sub, children)):
            go(e, c, f"{path}[{i}]")

    go(tree, treedef, name)
    return leaves


def flatten_like(
    tree: Any, treedef: TreeDef, like: list[np.ndarray], name: str, like_name: str = "params"
) -> list[np.ndarray]:
    """Leaves of ``tree`` in ``treedef``'s order (dicts matched by key), checked to have ``like``'s shapes, and
    cast to its dtypes."""
    raw = leaves_like(tree, treedef, like, name, like_name)
    leaves = []
    for i, (x, b) in enumerate(zip(raw, like)):
        where = "" if treedef is None else f" (leaf {i})"
        a = as_array(x, name + where)
        if a.shape != b.shape:
            raise ValueError(
                f"{name} has shape {a.shape} but {like_name} has shape {b.shape}{where}; "
                "they must match"
            )
        leaves.append(a if a.dtype == b.dtype else a.astype(b.dtype))
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


#: How deeply a stored tree may nest (a model's parameters nest a few levels; a file claiming thousands is wrong).
MAX_DEPTH = 64


def from_json(obj: Any, depth: int = 0) -> TreeDef:
    """The tree structure stored by :func:`to_json`; ValueError (never a RecursionError) if it is malformed."""
    if obj is None:
        return None
    if depth >= MAX_DEPTH:
        raise ValueError(f"the tree is nested deeper than {MAX_DEPTH} levels")
    if not isinstance(obj, dict):
        raise ValueError(f"a tree node must be null or a JSON object, got {obj!r:.60}")
    if set(obj) == {"dict", "children"}:
        keys, children = obj["dict"], obj["children"]
        if not (
            isinstance(keys, list) and isinstance(children, list) and len(keys) == len(children)
        ):
            raise ValueError("a dict node needs equally long lists of keys and children")
        if not all(isinstance(k, str) for k in keys) or len(set(keys)) != len(keys):
            raise ValueError("a dict node's keys must be distinct strings")
        return ("dict", tuple(keys), [from_json(c, depth + 1) for c in children])
    if len(obj) == 1 and next(iter(obj)) in ("list", "tuple"):
        kind, children = next(iter(obj.items()))
        if not isinstance(children, list):
            raise ValueError(f"a {kind} node needs a list of children")
        return (kind, None, [from_json(c, depth + 1) for c in children])
    raise ValueError(f"unknown tree node {obj!r:.60}")


def count_leaves(treedef: TreeDef) -> int:
    if treedef is None:
        return 1
    return sum(count_leaves(c) for c in treedef[2])
