"""adamlab's files: one ``.npz`` of arrays with a JSON ``meta`` entry, written atomically, read with checks.

Checkpoints and saved trajectories both use this. A write goes to a temporary file in the same directory, which is
renamed into place only when it is complete, so a failed save never destroys the previous file. A read never
unpickles (``allow_pickle=False``), loads every array, and turns whatever is wrong with the file into one
ValueError that names the file and the problem.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from typing import Any

import numpy as np


def write(path: str | os.PathLike, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write ``meta`` (JSON) and ``arrays`` to ``path`` atomically."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".adamlab-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Contents:
    """What :func:`read` found: ``meta`` (a dict) and the arrays, with checks that raise ``ValueError`` naming
    the file."""

    def __init__(self, path: str, what: str, meta: dict[str, Any], arrays: dict[str, np.ndarray]):
        self.path, self.what, self.meta, self.arrays = path, what, meta, arrays

    def error(self, problem: str) -> ValueError:
        return ValueError(f"{self.path!r} is not a valid {self.what}: {problem}")

    def field(
        self, key: str, kind: type | tuple[type, ...], where: dict[str, Any] | None = None
    ) -> Any:
        """``meta[key]`` (or ``where[key]``), which must be of type ``kind`` (bool is not an int here)."""
        source = self.meta if where is None else where
        if key not in source:
            raise self.error(f"its metadata has no {key!r}")
        value = source[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(f"{key!r} must be {_names(kinds)}, got {value!r}")
        if not isinstance(value, kinds):
            raise self.error(f"{key!r} must be {_names(kinds)}, got {value!r}")
        return value

    def count(self, key: str, where: dict[str, Any] | None = None) -> int:
        value = self.field(key, int, where)
        if value < 0:
            raise self.error(f"{key!r} must be an integer >= 0, got {value!r}")
        return value

    def array(self, key: str, kinds: str = "f", shape: tuple[int, ...] | None = None) -> np.ndarray:
        """The stored array ``key``, of a dtype kind in ``kinds`` ("f" float, "i" integer, "b" bool)."""
        if key not in self.arrays:
            raise self.error(f"the array {key!r} is missing")
        a = self.arrays[key]
        ok = a.dtype.kind in kinds and (a.dtype.kind != "f" or a.dtype in (np.float32, np.float64))
        if not ok:
            raise self.error(f"the array {key!r} has dtype {a.dtype}, not a {_kinds(kinds)} array")
        if shape is not None and a.shape != tuple(shape):
            raise self.error(f"the array {key!r} has shape {a.shape}, expected {tuple(shape)}")
        return a


def read(path: str | os.PathLike, fmt: str, what: str) -> Contents:
    """Open ``path`` and check that it is an adamlab file of format ``fmt`` (``what`` names it in errors)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no {what} at {path!r}")
    try:
        with np.load(path, allow_pickle=False) as data:
            if not hasattr(data, "files"):
                raise ValueError("it is a single .npy array, not an .npz file")
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise ValueError(
            f"{path!r} is not a readable {what} ({type(exc).__name__}: {exc})"
        ) from None
    raw = arrays.pop("meta", None)
    contents = Contents(path, what, {}, arrays)
    if raw is None or raw.dtype.kind != "U" or raw.ndim != 0:
        raise contents.error("it has no adamlab metadata")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise contents.error(f"its metadata is not JSON ({exc})") from None
    except RecursionError:
        raise contents.error("its metadata is nested too deeply to read") from None
    if not isinstance(meta, dict):
        raise contents.error(f"its metadata is a {type(meta).__name__}, not a JSON object")
    contents.meta = meta
    if meta.get("format") != fmt:
        raise contents.error(f"its format is {meta.get('format')!r}, not {fmt!r}")
    return contents


def _names(kinds: tuple[type, ...]) -> str:
    words = {
        int: "an integer",
        float: "a number",
        str: "a string",
        dict: "a JSON object",
        list: "a list",
    }
    return " or ".join(words.get(k, k.__name__) for k in kinds)


def _kinds(kinds: str) -> str:
    return " or ".join({"f": "float32/float64", "i": "integer", "b": "bool"}[k] for k in kinds)
