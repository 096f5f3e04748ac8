"""Block programs: an optimizer's readable update, replayed over cache-sized blocks into preallocated outputs.

An optimizer's ``update`` is written for whole arrays, one NumPy expression per line of the paper. On a large
array every expression allocates a full-size temporary and streams it through memory. Here the update is run
once on *tracers*: stand-ins that record each ufunc call (``np.add``, ``np.sqrt``, ``**``, ...) and its
constants instead of computing it. The recorded program is then replayed block by block (``BLOCK`` elements),
each ufunc writing with ``out=`` into a small scratch buffer that stays in the CPU cache, or straight into an
output array. It is the same ufuncs on the same operands in the same order, so the numbers are bit-identical to the
readable update (tested for every optimizer, option and dtype); only the memory traffic changes. The blocks of a
large array are split over two threads: NumPy releases the GIL inside each ufunc call.

An update that does something a tracer cannot record (a Python ``if`` on array values, ``np.where``, an array
constant) raises ``Untraceable``, and the engine runs it directly instead.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from typing import Any

import numpy as np

#: Elements per block: a block's working set (a few inputs, outputs and scratch buffers) fits in a 1-2 MiB L2
#: cache, and each ufunc call does enough work (about 20 µs) that Python's overhead and the GIL hand-offs
#: between threads stay small.
BLOCK = 1 << 16

#: Arrays at least this large are split over two threads.
THREADED = 1 << 20


class Untraceable(Exception):
    """The update did something a block program cannot record."""


def _binary(ufunc: np.ufunc) -> Any:
    return lambda a, b: ufunc(a, b)


def _reflected(ufunc: np.ufunc) -> Any:
    return lambda a, b: ufunc(b, a)


class Tracer:
    """A stand-in for one array in a traced update: every ufunc applied to it is recorded, not computed."""

    __slots__ = ("program", "index")
    __array_priority__ = 1e6

    def __init__(self, program: Program, index: int) -> None:
        self.program, self.index = program, index

    @property
    def positive(self) -> bool:
        """Whether every element is known to be > 0 (or NaN), whatever the inputs: e.g. √v + ε with ε > 0."""
        return self.program.sign[self.index] == "+"

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Tracer:
        if method != "__call__" or kwargs or ufunc.nout != 1:
            raise Untraceable(f"{ufunc.__name__}.{method} with {sorted(kwargs)}")
        return self.program.record(ufunc, inputs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        raise Untraceable(f"np.{func.__name__}")

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise Untraceable("conversion to an array")

    def __bool__(self) -> bool:
        raise Untraceable("the truth value of an array")

    __hash__ = object.__hash__
    __add__, __radd__ = _binary(np.add), _reflected(np.add)
    __sub__, __rsub__ = _binary(np.subtract), _reflected(np.subtract)
    __mul__, __rmul__ = _binary(np.multiply), _reflected(np.multiply)
    __truediv__, __rtruediv__ = _binary(np.true_divide), _reflected(np.true_divide)
    __pow__, __rpow__ = _binary(np.power), _reflected(np.power)
    __eq__, __ne__ = _binary(np.equal), _binary(np.not_equal)
    __lt__, __le__ = _binary(np.less), _binary(np.less_equal)
    __gt__, __ge__ = _binary(np.greater), _binary(np.greater_equal)

    def __neg__(self) -> Tracer:
        return np.negative(self)

    def __pos__(self) -> Tracer:
        return np.positive(self)

    def __abs__(self) -> Tracer:
        return np.absolute(self)


class Program:
    """The recorded ufunc calls of one update: variables 0..n_inputs-1 are its array inputs, then one per op."""

    def __init__(self, dtypes: list[np.dtype]) -> None:
        self.n_inputs = len(dtypes)
        # A one-element array per variable: computing each op on these gives its result dtype exactly.
        self.probes = [np.ones(1, dtype) for dtype in dtypes]
        # What is known of each variable's sign: "+" (> 0 or NaN), "0+" (>= 0 or NaN) or "" (nothing).
        self.sign = [""] * len(dtypes)
        self.ops: list[tuple[np.ufunc, tuple[tuple[str, Any], ...]]] = []

    def inputs(self) -> list[Tracer]:
        return [Tracer(self, i) for i in range(self.n_inputs)]

    def record(self, ufunc: np.ufunc, inputs: tuple[Any, ...]) -> Tracer:
        args, probes = [], []
        for x in inputs:
            if isinstance(x, Tracer):
                if x.program is not self:
                    raise Untraceable("a tracer of another program")
                args.append(("v", x.index))
                probes.append(self.probes[x.index])
            elif isinstance(x, np.ndarray) and x.ndim > 0:
                raise Untraceable("an array constant")
            else:
                args.append(("c", x))
                probes.append(x)
        with np.errstate(all="ignore"):
            probe = np.asarray(ufunc(*probes))
        self.ops.append((ufunc, tuple(args)))
        self.probes.append(probe.reshape(1))
        self.sign.append(self._sign(ufunc, args))
        return Tracer(self, len(self.probes) - 1)

    def _sign(self, ufunc: np.ufunc, args: list[tuple[str, Any]]) -> str:
        """The sign of an op's result, from its inputs' (enough to see that √v̂ + ε is never 0 when ε > 0)."""

        def of(arg: tuple[str, Any]) -> str:
            kind, x = arg
            if kind == "v":
                return self.sign[x]
            if isinstance(x, (bool, np.bool_)) or np.ndim(x) or not np.isreal(x):
                return ""
            return "+" if x > 0 else "0+" if x == 0 else ""

        signs = [of(a) for a in args]
        if ufunc in (np.sqrt, np.absolute, np.square):
            return "0+"
        if ufunc is np.add and all(signs) and "+" in signs:
            return "+"
        if ufunc in (np.add, np.multiply) and all(
            signs
        ):  # a product of positives can underflow to 0
            return "0+"
        if ufunc is np.maximum and "+" in signs:
            return "+"
        if ufunc is np.maximum and all(signs):
            return "0+"
        return ""

    def ref(self, value: Any) -> tuple[str, Any]:
        """How an output is made: ("v", variable) or ("c", a scalar constant)."""
        if isinstance(value, Tracer):
            if value.program is not self:
                raise Untraceable("a tracer of another program")
            if value.index < self.n_inputs:  # an input passed through: copy it, as an op
                value = np.positive(value)
            return ("v", value.index)
        if isinstance(value, np.ndarray) and value.ndim > 0:
            raise Untraceable("an array output that is not traced")
        return ("c", value)


_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_LOCAL = threading.local()


def _scratch(dtypes: list[np.dtype], size: int) -> list[np.ndarray]:
    """Block-sized scratch buffers, kept per thread between steps (fresh pages would be zeroed every step)."""
    cache = getattr(_LOCAL, "buffers", None)
    if cache is None:
        cache = _LOCAL.buffers = {}
    out, used = [], {}
    for dtype in dtypes:
        k = used.get(dtype, 0)
        used[dtype] = k + 1
        pool = cache.setdefault(dtype, [])
        if len(pool) <= k or pool[k].size < size:
            if len(pool) <= k:
                pool.append(np.empty(size, dtype))
            else:
                pool[k] = np.empty(size, dtype)
        out.append(pool[k][:size])
    return out


def _threads() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return min(2, cores)


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="adamlab")
    return _POOL


def run(
    program: Program, inputs: list[np.ndarray], outputs: list[tuple[tuple[str, Any], np.ndarray]]
) -> None:
    """Replay ``program`` on the flat ``inputs`` (1-D, equal length), writing each output ``(ref, target)``
    into its flat ``target``. A target may be one of the inputs itself (an in-place step): the plan writes into
    it only after the last read of that input, block by block, so the result is the same as with fresh outputs.
    """
    n = inputs[0].size
    ops = program.ops
    n_in = program.n_inputs
    # Which ops are needed, and when each variable is last read.
    needed = [False] * len(program.probes)
    for ref, _ in outputs:
        if ref[0] == "v":
            needed[ref[1]] = True
    for k in range(len(ops) - 1, -1, -1):
        if needed[n_in + k]:
            for kind, j in ops[k][1]:
                if kind == "v":
                    needed[j] = True
    live = [k for k in range(len(ops)) if needed[n_in + k]]
    last_read: dict[int, int] = {}
    for k in live:
        for kind, j in ops[k][1]:
            if kind == "v":
                last_read[j] = k
    # Where each op writes: straight into a target when that is safe, otherwise a scratch buffer.
    direct: dict[int, np.ndarray] = {}
    at_end: list[tuple[tuple[str, Any], np.ndarray]] = []
    for ref, target in outputs:
        if ref[0] == "v" and ref[1] not in direct:
            producer = ref[1] - n_in
            aliased = [i for i in range(n_in) if np.may_share_memory(target, inputs[i])]
            if all(last_read.get(i, -1) <= producer for i in aliased):
                direct[ref[1]] = target
                continue
        at_end.append((ref, target))
    kept = {ref[1] for ref, _ in at_end if ref[0] == "v"}
    buffer_of: dict[int, int] = {}
    buffer_dtypes: list[np.dtype] = []
    free: list[int] = []
    for k in live:
        for kind, j in ops[k][
            1
        ]:  # inputs read for the last time here can be overwritten by this op
            if (
                kind == "v"
                and j >= n_in
                and last_read.get(j) == k
                and j in buffer_of
                and j not in kept
            ):
                if buffer_of[j] not in free:
                    free.append(buffer_of[j])
        v = n_in + k
        if v in direct:
            continue
        dtype = program.probes[v].dtype
        reuse = next((b for b in free if buffer_dtypes[b] == dtype), None)
        if reuse is None:
            buffer_dtypes.append(dtype)
            reuse = len(buffer_dtypes) - 1
        else:
            free.remove(reuse)
        buffer_of[v] = reuse

    def work(first: int, last: int) -> None:
        scratch = _scratch(buffer_dtypes, min(BLOCK, n))
        values: list[Any] = [None] * len(program.probes)
        for start in range(first, last, BLOCK):
            stop = min(start + BLOCK, last)
            size = stop - start
            for i in range(n_in):
                values[i] = inputs[i][start:stop]
            for k in live:
                ufunc, args = ops[k]
                v = n_in + k
                out = direct[v][start:stop] if v in direct else scratch[buffer_of[v]][:size]
                ufunc(*[values[j] if kind == "v" else j for kind, j in args], out=out)
                values[v] = out
            for (kind, j), target in at_end:
                target[start:stop] = values[j] if kind == "v" else j

    blocks = -(-n // BLOCK)
    if n >= THREADED and _threads() > 1:
        middle = (blocks // 2) * BLOCK
        other = _pool().submit(work, middle, n)
        work(0, middle)
        other.result()
    else:
        work(0, n)
