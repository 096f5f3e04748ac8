"""The file format of checkpoints and saved trajectories: one ``.npz`` of arrays plus a JSON header (the array
``meta``), written atomically and read back without pickles, every part checked as it is read.

- :func:`write` writes to a temporary file in the target's directory and renames it into place, so a save that
  fails midway (a full disk, an interrupt, an array that cannot be stored) leaves the previous file as it was.
- :func:`reading` opens a file with ``allow_pickle=False``; its :class:`Reader` hands out the header's entries
  and the arrays checked for type, kind and shape, and turns every problem into one ValueError that names the
  file and the problem, never a KeyError, a BadZipFile or a RecursionError from deep inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["write", "reading", "Reader"]

#: How deeply a header may nest (a parameter tree of dicts and lists is a few levels deep).
MAX_DEPTH = 64


def write(path: str | os.PathLike, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` and the JSON ``meta`` to ``path`` (exactly that name) atomically."""
    path = os.fspath(path)
    text = json.dumps(meta)
    tmp = os.path.join(
        os.path.dirname(os.path.abspath(path)),
        f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp",
    )
    try:
        with open(tmp, "xb") as fh:
            np.savez(fh, allow_pickle=False, meta=np.array(text), **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: What reading a damaged archive can raise (truncated, corrupted or not a zip file at all).
_DAMAGED = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error)


@contextlib.contextmanager
def reading(path: str | os.PathLike, what: str) -> Iterator[Reader]:
    """Open ``path`` as a ``what`` (e.g. "adamlab checkpoint"); FileNotFoundError if there is no file."""
    name = os.fspath(path)
    if not os.path.exists(name):
        raise FileNotFoundError(f"no {what} at {name!r}")
    reader = Reader(name, what)
    try:
        z = np.load(name, allow_pickle=False)
    except _DAMAGED as exc:
        raise reader.error(f"it is not an .npz archive ({type(exc).__name__}: {exc})") from None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise reader.error("it is a single .npy array, not an .npz archive")
    with z:
        reader.open(z)
        yield reader


class Reader:
    """An opened file: ``meta`` (the header, a dict) and checked access to entries and arrays."""

    def __init__(self, path: str, what: str) -> None:
        self.path, self.what = path, what
        self.meta: dict[str, Any] = {}
        self._z: Any = None

    def error(self, problem: str) -> ValueError:
        return ValueError(f"{self.path!r} is not a readable {self.what}: {problem}")

    def open(self, z: Any) -> None:
        self._z = z
        if "meta" not in z.files:
            raise self.error("it has no adamlab header (no 'meta' entry)")
        text = self.array("meta", kinds="U", ndim=0)
        try:
            meta = json.loads(str(text))
        except RecursionError:
            raise self.error(f"its header is nested more than {MAX_DEPTH} levels deep") from None
        except ValueError as exc:
            raise self.error(f"its header is not JSON ({exc})") from None
        if not isinstance(meta, dict):
            raise self.error(f"its header must be a JSON object, got {_short(meta)}")
        if _depth(meta) > MAX_DEPTH:
            raise self.error(f"its header is nested more than {MAX_DEPTH} levels deep")
        self.meta = meta

    # ---- the header ------------------------------------------------------------------------------------

    def entry(self, where: str, obj: Any, key: str, *kinds: str, default: Any = ...) -> Any:
        """``obj[key]`` (``where`` names ``obj`` in errors), which must be one of ``kinds``: "int", "number",
        "bool", "str", "dict", "list" or "null". A missing key is an error unless a ``default`` is given."""
        if not isinstance(obj, dict):
            raise self.error(f"{where} must be a JSON object, got {_short(obj)}")
        if key not in obj:
            if default is not ...:
                return default
            raise self.error(f"{where} has no {key!r}")
        value = obj[key]
        if not any(_is(value, kind) for kind in kinds):
            wanted = " or ".join(_KIND_NAMES[k] for k in kinds)
            raise self.error(f"{where}[{key!r}] must be {wanted}, got {_short(value)}")
        return value

    # ---- the arrays ------------------------------------------------------------------------------------

    def array(
        self,
        key: str,
        *,
        kinds: str = "f",
        ndim: int | None = None,
        shape: tuple[int, ...] | None = None,
        dtypes: tuple[Any, ...] | None = None,
    ) -> np.ndarray:
        """The stored array ``key``, checked to have a dtype kind in ``kinds`` ("f" float, "i" integer, "b"
        bool, "U" text), and ``ndim``/``shape``/``dtypes`` if given."""
        if key not in self._z.files:
            raise self.error(f"the array {key!r} is missing")
        try:
            a = self._z[key]
        except _DAMAGED as exc:
            raise self.error(
                f"the array {key!r} cannot be read ({type(exc).__name__}: {exc})"
            ) from None
        kind = "i" if a.dtype.kind == "u" else a.dtype.kind
        if kind not in kinds:
            wanted = " or ".join(_DTYPE_NAMES[k] for k in kinds)
            raise self.error(f"the array {key!r} must be {wanted}, got dtype {a.dtype}")
        if dtypes is not None and a.dtype not in dtypes:
            names = " or ".join(str(np.dtype(d)) for d in dtypes)
            raise self.error(f"the array {key!r} must be {names}, got dtype {a.dtype}")
        if ndim is not None and a.ndim != ndim:
            raise self.error(f"the array {key!r} must have {ndim} dimensions, got shape {a.shape}")
        if shape is not None and a.shape != tuple(shape):
            raise self.error(f"the array {key!r} must have shape {tuple(shape)}, got {a.shape}")
        return a


_KIND_NAMES = {
    "int": "an integer",
    "number": "a finite number",
    "bool": "true or false",
    "str": "a string",
    "dict": "an object",
    "list": "a list",
    "null": "null",
}
_DTYPE_NAMES = {"f": "real floats", "i": "integers", "b": "booleans", "U": "text"}


def _is(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and np.isfinite(float(value))
        )
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    return value is None


def _short(value: Any) -> str:
    text = json.dumps(value) if _depth(value) <= 3 else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (iteratively: a hostile header cannot exhaust the stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        v, d = todo.pop()
        deepest = max(deepest, d)
        if d > MAX_DEPTH:
            return d
        if isinstance(v, dict):
            todo.extend((c, d + 1) for c in v.values())
        elif isinstance(v, list):
            todo.extend((c, d + 1) for c in v)
    return deepest
