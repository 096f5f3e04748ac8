"""The machinery behind every optimizer, so that ``optimizers.py`` holds only the algorithms.

An algorithm is a class with hyperparameter fields, a ``State`` NamedTuple in the paper's symbols and an
``update(theta, g, state, **hyperparameters)`` written for one array. This module gives it everything else:

- the public ``init(params)``, ``step(params, grad, state, *, out=None)`` and ``step_with_info``, for one array
  or a dict/list/tuple of arrays (``_tree``), in float64 or float32;
- hyperparameters declared once per field (``hyperparameter(0.9, "[0, 1)")``), checked elementwise when they are
  arrays (a sweep in one call) and at every step when they are schedules (callables of the 1-based step ``t``);
- value semantics: frozen, ``repr`` showing what differs from the defaults, ``==`` and ``hash``;
- the state checks, the ``Info`` NamedTuple of ``step_with_info`` (the update's named intermediates and Δθ);
- speed for large arrays: the update replayed block by block into preallocated outputs (``_kernel``), and an
  in-place step with ``out=``.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import inspect
from typing import Any, ClassVar

import numpy as np

from adamlab import _kernel, _tree
from adamlab._checks import (
    Interval,
    check_choice,
    check_flag,
    format_value,
    hash_key,
    same_value,
)

__all__ = ["Optimizer", "OPTIMIZERS", "hyperparameter", "flag", "option", "nonzero", "Array"]

#: The annotation of a state field that holds one array per leaf (``m``, ``v``, ...). Fields annotated ``int``
#: or ``float`` (``t``, NAdam's μ product) are one number for the whole tree.
Array = np.ndarray

#: adamlab's optimizer classes by name, in the order they are taught (the order of ``optimizers.py``).
OPTIMIZERS: dict[str, type] = {}

#: Leaves smaller than this are updated directly; larger ones through a block program.
_KERNEL_MIN = _kernel.BLOCK


# ------------------------------------------------------------------------------------------------------------
# Declaring hyperparameters.


def hyperparameter(default: float, interval: str, *, schedule: bool = True) -> Any:
    """A numeric hyperparameter: a number, an array (checked elementwise; a sweep) or, unless ``schedule`` is
    False, a schedule (a callable of the 1-based step ``t``, checked when it is called), whose values must lie in
    ``interval`` (e.g. ``"[0, 1)"``).
    """
    metadata = {"interval": Interval(interval), "schedule": schedule}
    return dataclasses.field(default=default, metadata=metadata)


def flag(default: bool) -> Any:
    """An on/off option, True or False."""
    return dataclasses.field(default=default, metadata={"flag": True})


def option(default: str, *choices: str) -> Any:
    """One of a few named variants."""
    return dataclasses.field(default=default, metadata={"choices": (default, *choices)})


def nonzero(den: Any) -> Any:
    """``den`` with its zeros replaced by 1, for a denominator that is 0 only where its numerator is 0 too.

    With ε = 0 (or an ε that is 0 in float32), a coordinate whose gradient has always been 0 has an accumulator
    of 0: the formula's step there is 0/0. Dividing by 1 instead keeps the coordinate where it is, and leaves
    every other coordinate bit for bit unchanged. (A block program skips the guard where the denominator is
    known to be positive, such as √v̂ + ε with ε > 0: adding 0 would not change it.)
    """
    if isinstance(den, _kernel.Tracer) and den.positive:
        return den
    return den + (den == 0)


class Sweep(np.ndarray):
    """An array of hyperparameter values (a sweep), as an update sees it: powers are taken element by element
    with Python's ``float.__pow__``, as for a single number.

    Every other operation on floats (+, −, ×, ÷, √) is correctly rounded, so NumPy and Python agree on it bit for
    bit; ``**`` is not, and NumPy's array power (fast paths such as ``x**2 → x*x``, SIMD loops) can differ from
    Python's by an ulp. Taking powers one way makes each cell of a float64 sweep bit-identical to the same
    setting run alone. Sweeps are small (one value per run), so the Python loop costs nothing that matters.
    """

    def __pow__(self, other: Any) -> Any:
        return _python_power(self, other)

    def __rpow__(self, other: Any) -> Any:
        return _python_power(other, self)


_PYTHON_POWER = np.frompyfunc(lambda a, b: float(a) ** b, 2, 1)


def _python_power(base: Any, exponent: Any) -> Sweep:
    dtype = np.result_type(*(x for x in (base, exponent) if isinstance(x, np.ndarray)))
    if isinstance(exponent, np.ndarray):
        exponent = np.asarray(exponent, dtype=np.float64).astype(
            object
        )  # float(a) ** float(b), elementwise
    return np.asarray(
        _PYTHON_POWER(np.asarray(base, dtype=np.float64), exponent), dtype=dtype
    ).view(Sweep)


# ------------------------------------------------------------------------------------------------------------
# The base class.


class Optimizer:
    """The base class of every optimizer: pure ``init`` and ``step`` on arrays and trees of arrays.

    A subclass declares its hyperparameters as fields (``lr: Any = hyperparameter(1e-3, "[0, inf)")``), a nested
    ``State`` NamedTuple whose first field is ``t`` (the number of completed steps), and

    - ``update(self, theta, g, state, **hyperparameters) -> (theta, state, info)`` for one array: the algorithm,
      given every hyperparameter by name as its value at this step; ``info`` is a dict of the intermediate
      quantities a picture needs (e.g. ``m_hat``, ``v_hat``, ``step_size``);
    - optionally ``init_leaf(self, theta) -> State`` (the default starts every array field at 0).

    Subclasses become frozen dataclasses automatically. Every update must be elementwise (a batch of K starts is
    K independent runs); one written with ufuncs and arithmetic only is also run as a fast block program.
    """

    State: ClassVar[type]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True, repr=False, eq=False)(cls)
        state = cls.__dict__.get("State")
        if state is not None and state.__qualname__ == f"{cls.__qualname__}.State":
            state.__name__ = state.__qualname__ = (
                f"{cls.__name__}State"  # "AdamState(t=1, m=..., v=...)"
            )
        if cls.__module__ == "adamlab.optimizers":
            OPTIMIZERS[cls.__name__] = cls

    # ---- hyperparameters ---------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if "interval" in f.metadata:
                if not (f.metadata["schedule"] and _is_schedule(value)):
                    value = f.metadata["interval"].check(owner, f.name, value)
                    _check_normal(owner, f.name, value, np.dtype(np.float64))
            elif "flag" in f.metadata:
                value = check_flag(owner, f.name, value)
            elif "choices" in f.metadata:
                value = check_choice(owner, f.name, value, f.metadata["choices"])
            object.__setattr__(self, f.name, value)

    def hyperparameters(self) -> dict[str, Any]:
        """The hyperparameters as a dict (the constructor's keywords)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @functools.cached_property
    def _plan(self) -> tuple[dict[str, Any], list[tuple[str, Any, Any]], dict[Any, dict[str, Any]]]:
        """What ``update`` is given: the fixed values, the schedules (name, schedule, interval), and a cache of
        the fixed values converted for each dtype."""
        named = _parameters(type(self).update)
        fixed, scheduled = {}, []
        for f in dataclasses.fields(self):
            if named is not None and f.name not in named:
                continue
            value = getattr(self, f.name)
            if "interval" in f.metadata and _is_schedule(value):
                scheduled.append((f.name, value, f.metadata["interval"]))
            else:
                fixed[f.name] = value
        return fixed, scheduled, {}

    def _at(self, t: int) -> dict[str, Any]:
        """The scheduled hyperparameters' values at step ``t``, each checked against its range."""
        values = {}
        for name, schedule, interval in self._plan[1]:
            try:
                values[name] = interval.check(type(self).__name__, name, schedule(t))
            except (ValueError, TypeError) as exc:
                raise ValueError(
                    f"the {name} schedule {schedule!r} gave an invalid value at t={t}: {exc}"
                ) from None
        return values

    def _for_leaf(self, scheduled: dict[str, Any], theta: np.ndarray, t: int = 1) -> dict[str, Any]:
        """The hyperparameters ``update`` names, as it computes with them on ``theta``: numbers as Python floats
        (in float32 arithmetic they adopt float32, after 1 − β2ᵗ is computed in double precision, as PyTorch
        does), arrays cast to ``theta``'s dtype as ``Sweep`` arrays."""
        fixed, _, converted = self._plan
        values = converted.get(theta.dtype)
        if values is None:
            values = converted[theta.dtype] = {
                name: self._convert(name, value, theta) for name, value in fixed.items()
            }
        if not scheduled and not self._array_values:
            return values
        values = dict(values)
        for name, value in self._array_values.items():
            self._check_broadcast(name, value, theta)
        for name, value in scheduled.items():
            if isinstance(value, np.ndarray):
                self._check_broadcast(name, value, theta, schedule=True)
            try:
                values[name] = self._convert(name, value, theta)
            except ValueError as exc:
                schedule = getattr(self, name)
                raise ValueError(
                    f"the {name} schedule {schedule!r} gave an invalid value at t={t}: {exc}"
                ) from None
        return values

    @functools.cached_property
    def _array_values(self) -> dict[str, np.ndarray]:
        return {k: v for k, v in self._plan[0].items() if isinstance(v, np.ndarray)}

    def _check_broadcast(
        self, name: str, value: np.ndarray, theta: np.ndarray, schedule: bool = False
    ) -> None:
        try:
            shape = np.broadcast_shapes(value.shape, theta.shape)
        except ValueError:
            shape = None
        if shape != theta.shape:
            what = f"the {name} schedule gave a value that" if schedule else name
            raise ValueError(
                f"{type(self).__name__}: {what} has shape {value.shape}, which does not broadcast to params "
                f"of shape {theta.shape} (e.g. use shape (K, 1) for params (K, d))"
            )

    def _convert(self, name: str, value: Any, theta: np.ndarray) -> Any:
        if isinstance(value, (float, np.ndarray)):
            _check_normal(type(self).__name__, name, value, theta.dtype)
        if isinstance(value, np.ndarray):
            return value.astype(theta.dtype).view(Sweep)
        return value

    # ---- value semantics ---------------------------------------------------------------------------------

    def __repr__(self) -> str:
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            default = (
                not isinstance(value, np.ndarray)
                and not callable(value)
                and isinstance(f.default, (bool, str)) == isinstance(value, (bool, str))
                and value == f.default
            )
            if (
                f.name == "lr" or not default
            ):  # lr is always shown: a label should say how big the steps are
                shown.append(f"{f.name}={format_value(value)}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            same_value(getattr(self, f.name), getattr(other, f.name))
            for f in dataclasses.fields(self)
        )

    def __hash__(self) -> int:
        keys = (hash_key(getattr(self, f.name)) for f in dataclasses.fields(self))
        return hash((type(self).__name__, *keys))

    # ---- what an algorithm writes ------------------------------------------------------------------------

    def init_leaf(self, theta: np.ndarray) -> Any:
        """The state of one array before the first step: ``t = 0``, every array field 0, every other field its
        default in ``State``."""
        fields = _array_fields(self.State)
        defaults = {name: np.zeros_like(theta) for name in fields}
        return self.State(t=0, **defaults)

    def update(self, theta: np.ndarray, g: np.ndarray, state: Any, **hyper: Any) -> tuple:
        raise NotImplementedError  # pragma: no cover - every algorithm defines it

    # ---- the public API ----------------------------------------------------------------------------------

    def init(self, params: Any) -> Any:
        """The state before the first step (``t = 0``, accumulators at their start values)."""
        leaves, treedef = _tree.flatten(params, "params")
        states = []
        for theta in leaves:
            self._for_leaf(
                {}, theta
            )  # arrays must broadcast to every leaf, numbers be normal in its dtype
            states.append(self.init_leaf(theta))
        return _merge(self.State, treedef, states, _array_fields(self.State))

    def step(self, params: Any, grad: Any, state: Any, *, out: Any = None) -> tuple[Any, Any]:
        """One step: ``(new_params, new_state)``.

        Pure by default: the arguments are never modified. With ``out=(params_out, state_out)`` the new values
        are written into those arrays instead of new ones, and ``(params_out, new_state)`` is returned, where
        ``new_state`` holds ``state_out``'s arrays. ``out=(params, state)`` updates in place (for large models:
        no new arrays at all); separate preallocated trees give double buffering. Each output array must have
        the shape and dtype of its input, be C-contiguous and writeable, and be either that very input array or
        overlap none of the inputs.
        """
        return self._step(params, grad, state, want_info=False, out=out)[:2]

    def step_with_info(self, params: Any, grad: Any, state: Any) -> tuple[Any, Any, Any]:
        """One step, and what it did: ``(new_params, new_state, info)``.

        ``info`` is a NamedTuple of the update's intermediate quantities (e.g. ``AdamInfo(m_hat, v_hat,
        step_size, delta)``), each shaped like ``params``; ``delta`` is Δθ, the new params minus the old.
        """
        return self._step(params, grad, state, want_info=True, out=None)

    # ---- the machinery -----------------------------------------------------------------------------------

    def _check_state(self, state: Any) -> int:
        name = type(self).__name__
        if type(state) is not self.State:
            raise ValueError(
                f"{name}.step needs a {self.State.__name__} from {name}.init, "
                f"got a {type(state).__name__}"
            )
        t = state.t
        if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"state.t must be an integer >= 0, got {t!r}")
        return int(t)  # a Python int: never wraps, unlike a NumPy integer at its maximum

    def _step(self, params: Any, grad: Any, state: Any, want_info: bool, out: Any) -> tuple:
        t_done = self._check_state(state)
        fields = _array_fields(self.State)
        if (
            type(params) is np.ndarray and params.dtype in _tree.COMPUTE_DTYPES
        ):  # one array: the common case
            leaves, treedef = [params], None
            grads = [_tree.leaf_like(grad, params, "grad")]
            columns = [[_tree.leaf_like(getattr(state, f), params, f"state.{f}")] for f in fields]
        else:
            leaves, treedef = _tree.flatten(params, "params")
            grads = _tree.flatten_like(grad, treedef, leaves, "grad")
            columns = [
                _tree.flatten_like(getattr(state, f), treedef, leaves, f"state.{f}") for f in fields
            ]
        targets = None
        if out is not None:
            targets = self._check_out(out, [leaves, grads, *columns], treedef, fields)
        scalars = state._asdict()
        scalars["t"] = t_done
        scheduled = self._at(t_done + 1)
        results = []
        for i, (theta, g) in enumerate(zip(leaves, grads)):
            for f, column in zip(fields, columns):
                scalars[f] = column[i]
            target = None if targets is None else [column[i] for column in targets]
            hyper = self._for_leaf(scheduled, theta, t_done + 1)
            results.append(
                self._leaf_step(theta, g, self.State(**scalars), hyper, want_info, target)
            )
        new_state = _merge(self.State, treedef, [r[1] for r in results], fields)
        if out is not None:
            return out[0], new_state, None
        new_params = (
            results[0][0] if treedef is None else _tree.unflatten(treedef, [r[0] for r in results])
        )
        info = None
        if want_info:
            info_type = _info_type(type(self), tuple(results[0][2]))
            info = info_type(
                *(_tree.unflatten(treedef, [r[2][k] for r in results]) for k in info_type._fields)
            )
        return new_params, new_state, info

    def _leaf_step(
        self,
        theta: np.ndarray,
        g: np.ndarray,
        state: Any,
        hyper: dict[str, Any],
        want_info: bool,
        target: list[np.ndarray] | None,
    ) -> tuple[np.ndarray, Any, dict[str, np.ndarray]]:
        """One leaf: the update run directly, or as a block program for large arrays."""
        fields = _array_fields(self.State)
        if theta.size >= _KERNEL_MIN and not any(
            isinstance(v, np.ndarray) and v.ndim for v in hyper.values()
        ):
            try:
                return self._leaf_kernel(theta, g, state, hyper, want_info, target)
            except _kernel.Untraceable:
                pass
        new_theta, new_state, info = self.update(theta, g, state, **hyper)
        new_theta = _as_leaf(new_theta, theta)
        arrays = {name: _as_leaf(getattr(new_state, name), theta) for name in fields}
        if want_info:
            info = {name: _as_leaf(value, theta) for name, value in info.items()}
            info["delta"] = _as_leaf(np.subtract(new_theta, theta), theta)
        if target is not None:
            np.copyto(target[0], new_theta)
            for out, name in zip(target[1:], fields):
                np.copyto(out, arrays[name])
            new_theta, arrays = target[0], dict(zip(fields, target[1:]))
        return new_theta, new_state._replace(**arrays), info

    def _leaf_kernel(
        self,
        theta: np.ndarray,
        g: np.ndarray,
        state: Any,
        hyper: dict[str, Any],
        want_info: bool,
        target: list[np.ndarray] | None,
    ) -> tuple[np.ndarray, Any, dict[str, np.ndarray]]:
        fields = _array_fields(self.State)
        program = _kernel.Program([theta.dtype] * (2 + len(fields)))
        tracers = program.inputs()
        traced_state = state._replace(**dict(zip(fields, tracers[2:])))
        new_theta, new_state, info = self.update(tracers[0], tracers[1], traced_state, **hyper)
        refs = [program.ref(new_theta)] + [program.ref(getattr(new_state, f)) for f in fields]
        if want_info:
            info = dict(info)
            if not isinstance(new_theta, _kernel.Tracer):
                raise _kernel.Untraceable("new params that are not traced")
            info["delta"] = new_theta - tracers[0]
            info_refs = {name: program.ref(value) for name, value in info.items()}
        if target is None:
            target = [np.empty(theta.shape, theta.dtype) for _ in refs]
        flat = [np.ravel(a) for a in (theta, g, *(getattr(state, f) for f in fields))]
        outputs = [(ref, out.reshape(-1)) for ref, out in zip(refs, target)]
        info_arrays = {}
        if want_info:
            for name, ref in info_refs.items():
                info_arrays[name] = np.empty(theta.shape, theta.dtype)
                outputs.append((ref, info_arrays[name].reshape(-1)))
        _kernel.run(program, flat, outputs)
        scalars = {f: _scalar(getattr(new_state, f)) for f in new_state._fields if f not in fields}
        return target[0], self.State(**scalars, **dict(zip(fields, target[1:]))), info_arrays

    def _check_out(
        self,
        out: Any,
        inputs: list[list[np.ndarray]],
        treedef: Any,
        fields: tuple[str, ...],
    ) -> list[list[np.ndarray]]:
        """``out=(params_out, state_out)`` as one column of leaves per output (params, then each array field of
        the state), checked against the input columns (params, grad, then the state's fields)."""
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(
                f"out must be a tuple (params_out, state_out), got {type(out).__name__}"
            )
        params_out, state_out = out
        if type(state_out) is not self.State:
            raise TypeError(
                f"out[1] must be a {self.State.__name__}, got a {type(state_out).__name__}"
            )
        like = inputs[0]
        trees = [("out[0]", params_out)]
        trees += [(f"out[1].{name}", getattr(state_out, name)) for name in fields]
        columns = []
        for name, tree in trees:
            column = _tree.leaves_like(tree, treedef, like, name)
            for i, (a, ref) in enumerate(zip(column, like)):
                where = name if treedef is None else f"{name} (leaf {i})"
                if type(a) is not np.ndarray or a.dtype != ref.dtype or a.shape != ref.shape:
                    got = f"{a.dtype} {a.shape}" if isinstance(a, np.ndarray) else type(a).__name__
                    raise TypeError(
                        f"{where} must be a {ref.dtype} array of shape {ref.shape} like the params, "
                        f"got {got}"
                    )
                if not (a.flags.c_contiguous and a.flags.writeable):
                    raise ValueError(f"{where} must be a C-contiguous, writeable array")
            columns.append(column)
        # Each output is the very input it replaces, or overlaps no input and no other output.
        entries = [
            (("in", k, i), x) for k, column in enumerate(inputs) for i, x in enumerate(column)
        ]
        entries += [
            (("out", k, i), x) for k, column in enumerate(columns) for i, x in enumerate(column)
        ]
        for k, ((name, _), column) in enumerate(zip(trees, columns)):
            mine = ("in", 0 if k == 0 else k + 1)
            for i, a in enumerate(column):
                for key, other in entries:
                    if key == ("out", k, i) or (key == (*mine, i) and other is a):
                        continue
                    if np.may_share_memory(a, other):
                        where = name if treedef is None else f"{name} (leaf {i})"
                        raise ValueError(
                            f"{where} overlaps another input or output array: each out array must be "
                            "the input array it replaces, or share memory with none of them"
                        )
        return columns


@functools.cache
def _tiny(dtype: np.dtype) -> float:
    return float(np.finfo(dtype).tiny)


def _check_normal(owner: str, name: str, value: Any, dtype: np.dtype) -> None:
    """A hyperparameter is 0 or at least the smallest normal number of the dtype it is computed in: below it, a
    value such as ε = 1e-46 in float32 underflows to 0 or loses its digits, and α/ε overflows."""
    tiny = _tiny(np.dtype(dtype))
    if isinstance(value, float) and (value == 0.0 or abs(value) >= tiny):
        return  # the common case, a Python float, without building an array
    a = np.abs(np.asarray(value, dtype=np.float64))
    if np.any((a > 0) & (a < tiny)):
        shown = value if a.ndim == 0 else float(a[(a > 0) & (a < tiny)][0])
        raise ValueError(
            f"{owner}: {name} = {shown!r} is below the smallest normal {dtype} number ({tiny:.3g}), so it "
            f"underflows in {dtype} arithmetic; use 0 or a value of at least {tiny:.3g}"
        )


def _is_schedule(value: Any) -> bool:
    return callable(value) and not isinstance(value, np.ndarray)


@functools.cache
def _parameters(function: Any) -> frozenset[str] | None:
    """The keyword names of an ``update`` (None if it takes ``**kwargs``: it gets every hyperparameter)."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return frozenset(p.name for p in parameters)


def _as_leaf(value: Any, theta: np.ndarray) -> np.ndarray:
    """An update's output as an array shaped and typed like ``theta`` (a 0-d result stays an array)."""
    a = np.asarray(value)
    if a.shape != theta.shape:
        a = np.broadcast_to(a, theta.shape)
        return a.astype(theta.dtype)  # a copy: a writeable array of its own
    return a.astype(theta.dtype, copy=False)


def _scalar(value: Any) -> Any:
    """A per-tree state field (``t``, NAdam's μ product): a Python number unless a sweep made it an array."""
    if isinstance(value, _kernel.Tracer):
        raise _kernel.Untraceable("a per-tree (scalar) state field computed from arrays")
    return (
        value.item()
        if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0
        else value
    )


@functools.cache
def _array_fields(state_type: type) -> tuple[str, ...]:
    """The fields after ``t`` that hold an array per leaf (not annotated ``int`` or ``float``)."""
    annotations = getattr(state_type, "__annotations__", {})

    def is_scalar(name: str) -> bool:
        a = annotations.get(name)
        a = getattr(a, "__forward_arg__", a)  # NamedTuple turns string annotations into ForwardRefs
        return a in ("int", "float", int, float)

    return tuple(name for name in state_type._fields if not is_scalar(name))


def _merge(state_type: type, treedef: Any, per_leaf: list[Any], fields: tuple[str, ...]) -> Any:
    """One state for the tree from the per-leaf states: array fields as trees, the rest (``t``, ...) from the
    first leaf."""
    values = per_leaf[0]._asdict()
    for name in values:
        if name in fields:
            if treedef is not None:
                values[name] = _tree.unflatten(treedef, [getattr(s, name) for s in per_leaf])
        else:
            values[name] = _scalar(values[name])
    return state_type(**values)


@functools.cache
def _info_type(cls: type, names: tuple[str, ...]) -> type:
    """The NamedTuple of ``cls.step_with_info``: the update's intermediate quantities, then ``delta``."""
    fields = [name for name in names if name != "delta"] + ["delta"]
    info = collections.namedtuple(f"{cls.__name__}Info", fields)
    info.__doc__ = (
        f"What one step of {cls.__name__} did: {', '.join(fields)}, each shaped like params."
    )
    return info
