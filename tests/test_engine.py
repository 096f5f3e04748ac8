"""The machinery behind every optimizer (adamlab/_engine.py, _kernel.py, _tree.py): trees, dtypes, sweeps,
the block program and the in-place step. Every optimizer of tests/cases.py goes through each test."""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np
import pytest

import adamlab
from adamlab import SGD, Adam, AdaMax, AdamEpsHat, Momentum, NAdam, _engine, schedules
from adamlab._engine import Array, Optimizer, hyperparameter
from tests.cases import CASES

NAMES = sorted(CASES)


def opt_of(name):
    return CASES[name].optimizer


def arrays_of(state):
    return [getattr(state, f) for f in state._fields if isinstance(getattr(state, f), np.ndarray)]


# ------------------------------------------------------------------------------------------------------------
# Trees (issue 8, items 1, 2 and 7; dict keys matched by name).


@pytest.mark.parametrize("empty", [{}, {"a": {}}, [], (), [[], {}], {"a": []}])
def test_a_tree_without_arrays_is_refused(empty):
    with pytest.raises(ValueError, match="params holds no arrays"):
        Adam().init(empty)


def test_empty_containers_beside_arrays_keep_their_place():
    params = {"w": np.ones(2), "frozen": {}, "extra": []}
    opt = Adam(lr=0.1)
    x, s = opt.step(params, {"w": np.ones(2), "frozen": {}, "extra": []}, opt.init(params))
    assert x["frozen"] == {} and x["extra"] == [] and s.m["frozen"] == {}
    np.testing.assert_allclose(x["w"], 0.9)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "params",
    [
        (np.array(1.0), np.array(-2.0)),
        [np.array(1.0), np.array(-2.0)],
        {"a": np.array(1.0), "b": np.array(-2.0)},
        np.array(1.0),
    ],
    ids=["tuple", "list", "dict", "0-d"],
)
def test_leaves_keep_their_type_and_shape_across_steps(name, params):
    """0-d leaves stay 0-d arrays (not NumPy scalars), so the structure does not drift between steps."""
    opt = opt_of(name)
    state = opt.init(params)
    x = params
    for _ in range(3):
        x, state = opt.step(x, params, state)
    if isinstance(params, np.ndarray):
        assert type(x) is np.ndarray and x.shape == ()
    else:
        assert type(x) is type(params)
        leaves = list(x.values()) if isinstance(x, dict) else list(x)
        assert all(type(leaf) is np.ndarray and leaf.shape == () for leaf in leaves)
    for field in arrays_of(state) if isinstance(params, np.ndarray) else ():
        assert type(field) is np.ndarray and field.shape == ()


def test_sgd_on_a_0d_array_returns_a_0d_array():
    x, _ = SGD().step(np.array(1.0), np.array(1.0), SGD().init(np.array(1.0)))
    assert type(x) is np.ndarray and x.shape == () and x == 0.99


def test_dicts_are_matched_by_key_not_order():
    opt = Adam(lr=0.1)
    params = {"w": np.ones(2), "b": np.zeros(1)}
    grad = {"b": np.ones(1), "w": np.full(2, -1.0)}  # built in another order, as backprop does
    x, s = opt.step(params, grad, opt.init(params))
    assert list(x) == ["w", "b"]
    np.testing.assert_allclose(x["w"], 1.1)
    np.testing.assert_allclose(x["b"], -0.1)


def test_ragged_params_are_named():
    with pytest.raises(ValueError, match=r"params is ragged .* own array"):
        Adam().init([[1, 2], [3]])


# ------------------------------------------------------------------------------------------------------------
# dtypes and finite arithmetic (issue 8, item 3).


def test_an_eps_that_underflows_in_the_dtype_is_refused():
    """A subnormal ε loses its digits and makes α/ε overflow: 0 is allowed (with a zero step where 0/0 would
    be), anything between 0 and the smallest normal number of the dtype is refused, at the earliest point."""
    with pytest.raises(
        ValueError, match=r"Adam: eps = 5e-324 is below the smallest normal float64"
    ):
        Adam(eps=5e-324)
    opt = Adam(eps=1e-46)  # fine in float64 ...
    opt.init(np.zeros(2))
    with pytest.raises(
        ValueError, match=r"eps = 1e-46 is below the smallest normal float32 .*1\.18e-38"
    ):
        opt.init(np.zeros(2, np.float32))  # ... but 0 in float32
    with pytest.raises(ValueError, match=r"the eps schedule .* at t=1"):
        s = Adam(eps=lambda t: 1e-320)
        s.step(np.zeros(1), np.ones(1), s.init(np.zeros(1)))


def test_float16_is_refused_with_advice():
    with pytest.raises(TypeError, match=r"params has dtype float16; .*float64 or float32.*astype"):
        Adam().init(np.zeros(2, np.float16))
    # a float16 gradient for float32 params is only cast
    x, _ = Adam().step(
        np.zeros(2, np.float32), np.ones(2, np.float16), Adam().init(np.zeros(2, np.float32))
    )
    assert x.dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("eps", [0.0, 2.3e-308, 1.2e-38, 1e-8])
@pytest.mark.parametrize("name", NAMES)
def test_finite_input_never_gives_nan_or_inf(name, eps, dtype):
    """Zero gradients (0/0 territory), tiny ones, and ε of 0 or the smallest allowed value in each dtype."""
    opt = opt_of(name)
    fields = {f.name for f in dataclasses.fields(opt)}
    if "eps" in fields:
        if dtype == np.float32 and 0 < eps < 1.2e-38:
            eps = 0.0
        opt = dataclasses.replace(opt, eps=eps)
    grads = np.array([[0.0, 1e-4, 1.0], [0.0, -1e-4, 0.0], [0.0, 1e-30, -3.0]] * 4, dtype=dtype)
    x = np.ones(3, dtype)
    s = opt.init(x)
    for g in grads:
        x, s = opt.step(x, g, s)
        assert x.dtype == dtype
        assert np.all(np.isfinite(x)), (x, s)
        for a in arrays_of(s):
            assert np.all(np.isfinite(a)), s
    assert (
        x[0] == 1.0 or "AdamW" in name
    )  # a coordinate that never saw a gradient stays (AdamW decays it)


# ------------------------------------------------------------------------------------------------------------
# Sweeps: one cell is bit for bit the setting run alone (issue 8, item 4).


def sweep_vs_alone(cls, name, values, start=(0.01, -0.02), steps=50, **fixed):
    f = adamlab.functions.get("sphere")
    K = len(values)
    opt = cls(**fixed, **{name: np.asarray(values, dtype=float)[:, None]})
    x = np.tile(start, (K, 1))
    s = opt.init(x)
    for _ in range(steps):
        x, s = opt.step(x, f.grad(x), s)
    for k, value in enumerate(values):
        alone = cls(**fixed, **{name: float(value)})
        y = np.array(start)
        r = alone.init(y)
        for _ in range(steps):
            y, r = alone.step(y, f.grad(y), r)
        np.testing.assert_array_equal(x[k], y, err_msg=f"{cls.__name__} {name}={value}")


def test_sweep_cells_are_bit_identical_to_single_runs():
    """On sphere from (0.01, −0.02) an ulp in β^t shows: NumPy's and Python's powers differ there (1 − 0.99²)."""
    sweep_vs_alone(Adam, "beta1", np.linspace(0.5, 0.99, 40), lr=0.01)
    sweep_vs_alone(Adam, "beta2", np.linspace(0.9, 0.9999, 40), lr=0.01)
    sweep_vs_alone(Adam, "lr", np.logspace(-4, -1, 20))
    sweep_vs_alone(AdamEpsHat, "beta2", np.linspace(0.9, 0.9999, 20), lr=0.01, eps=1e-3)
    sweep_vs_alone(NAdam, "momentum_decay", np.linspace(0, 0.1, 20), lr=0.01)
    sweep_vs_alone(NAdam, "beta1", np.linspace(0.5, 0.99, 20), lr=0.01)
    sweep_vs_alone(AdaMax, "beta1", np.linspace(0.5, 0.99, 20), lr=0.01)
    sweep_vs_alone(Momentum, "momentum", np.linspace(0, 0.99, 20), lr=0.01)


def test_a_sweep_takes_powers_as_a_run_alone_does():
    """Where NumPy's array power and Python's differ by an ulp, m̂ = m/(1 − β1ᵗ) of a sweep cell is still the
    single run's, bit for bit: the sweep's powers are Python's."""
    b = np.linspace(0.5, 0.999, 4000)
    numpy_powers = np.stack(
        [b**k for k in range(1, 11)], axis=1
    )  # an array to a Python int, as β1**t
    python_powers = np.array([[x**k for k in range(1, 11)] for x in b.tolist()])
    betas = b[np.any(numpy_powers != python_powers, axis=1)][:8]
    assert len(betas) == 8  # such β exist, so the comparison below can fail
    g = np.tile([0.3, -0.7], (len(betas), 1))
    sweep = Adam(lr=0.01, beta1=betas[:, None])
    x, s = np.zeros_like(g), sweep.init(np.zeros_like(g))
    for _ in range(10):
        x, s, info = sweep.step_with_info(x, g, s)
        for k, beta in enumerate(betas.tolist()):
            alone = Adam(lr=0.01, beta1=beta)
            y, r = np.zeros(2), alone.init(np.zeros(2))
            for _ in range(int(s.t)):
                y, r, single = alone.step_with_info(y, g[k], r)
            np.testing.assert_array_equal(
                info.m_hat[k], single.m_hat, err_msg=f"β1 = {beta}, t = {s.t}"
            )


def test_numpy_and_python_powers_do_differ():
    """Why the test above needs care: for some β, NumPy's array power and Python's pow disagree by an ulp."""
    b = np.linspace(0.5, 0.999, 4000)
    assert np.any(b**2 != np.array([x**2 for x in b.tolist()]))


# ------------------------------------------------------------------------------------------------------------
# Hyperparameters: values, equality (issue 8, item 5), schedules (item 7).


def test_hyperparameter_mistakes():
    with pytest.raises(ValueError, match=r"SGD: lr must be finite, got 1000+"):
        SGD(lr=10**400)
    with pytest.raises(ValueError, match=r"Adam: lr must not be an empty array, got shape \(0,\)"):
        Adam(lr=np.array([]))
    with pytest.raises(TypeError, match=r"AdaGrad: initial_accumulator must be a number"):
        adamlab.AdaGrad(initial_accumulator=lambda t: 0.1)  # a start value cannot be a schedule


def test_equal_optimizers_hash_alike():
    pairs = [
        (Adam(lr=0.0), Adam(lr=-0.0)),
        (Adam(lr=np.array([0.0, 1.0])), Adam(lr=np.array([-0.0, 1.0]))),
        (Adam(lr=schedules.Constant(0.0)), Adam(lr=schedules.Constant(-0.0))),
    ]
    for a, b in pairs:
        assert a == b and hash(a) == hash(b)
        assert len({a, b}) == 1


def test_step_count_never_wraps():
    opt = Adam()
    s = opt.init(np.zeros(2))._replace(t=np.int64(np.iinfo(np.int64).max))
    x, s = opt.step(np.zeros(2), np.ones(2), s)
    assert s.t == 2**63 and type(s.t) is int and np.all(np.isfinite(x))


def test_schedule_of_the_wrong_shape_names_the_hyperparameter():
    opt = Adam(lr=lambda t: np.full(3, 0.1))
    with pytest.raises(
        ValueError, match=r"Adam: the lr schedule gave a value that has shape \(3,\).*\(2,\)"
    ):
        opt.step(np.zeros(2), np.ones(2), opt.init(np.zeros(2)))


def test_any_numeric_hyperparameter_may_be_a_schedule():
    seen = []

    def beta1(t):
        seen.append(t)
        return 0.9

    opt = Adam(lr=0.1, beta1=beta1)
    params = {"a": np.zeros(2), "b": np.zeros(3)}
    x, s = params, opt.init(params)
    for _ in range(3):
        x, s = opt.step(x, {"a": np.ones(2), "b": np.ones(3)}, s)
    assert seen == [1, 2, 3]  # once per step, not once per leaf
    ref = Adam(lr=0.1)
    y, r = np.zeros(2), ref.init(np.zeros(2))
    for _ in range(3):
        y, r = ref.step(y, np.ones(2), r)
    np.testing.assert_array_equal(x["a"], y)
    with pytest.raises(
        ValueError, match=r"beta1 schedule .* at t=1: .*beta1 must be finite and in \[0, 1\)"
    ):
        Adam(beta1=lambda t: 1.0).step(np.zeros(1), np.ones(1), Adam().init(np.zeros(1)))


def test_theorem_4_1_correction_is_close_to_the_proofs():
    """With β1,t = β1λ^(t−1) the update divides by 1 − β1,tᵗ; the paper's proof keeps 1 − β1ᵗ. For its
    λ = 1 − 10⁻⁸ the two paths agree to better than 10⁻⁶ relative over 3000 steps."""
    grads = np.random.default_rng(1).normal(size=(3000, 3))
    opt = Adam(lr=schedules.InverseSqrt(0.01), beta1=schedules.Beta1Decay(0.9, 1 - 1e-8))
    x, s = np.ones(3), opt.init(np.ones(3))
    # The proof's variant: β1,t in the m line only.
    y, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        x, s = opt.step(x, g, s)
        b1t = 0.9 * (1 - 1e-8) ** (t - 1)
        m = b1t * m + (1 - b1t) * g
        v = 0.999 * v + 0.001 * g * g
        y = y - 0.01 / math.sqrt(t) * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(x, y, rtol=1e-6)


# ------------------------------------------------------------------------------------------------------------
# The block program: bit-identical to the readable update, for every optimizer and dtype.


@pytest.fixture
def direct(monkeypatch):
    """Run every update directly, whatever the array size."""
    monkeypatch.setattr(_engine, "_KERNEL_MIN", 1 << 62)


def three_steps(opt, x, grads, info):
    s = opt.init(x)
    outs = []
    for g in grads:
        if info:
            x, s, i = opt.step_with_info(x, g, s)
            outs.append((x, *arrays_of(s), *i))
        else:
            x, s = opt.step(x, g, s)
            outs.append((x, *arrays_of(s)))
    return outs


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
def test_block_program_is_bit_identical(name, dtype, monkeypatch):
    n = 3 * (1 << 16) + 123  # several blocks and a partial one
    rng = np.random.default_rng(5)
    x = rng.normal(size=n).astype(dtype)
    grads = rng.normal(size=(3, n)).astype(dtype)
    grads[:, :100] = 0.0
    grads[1, 100:200] = 1e-30
    opt = opt_of(name)
    for info in (False, True):
        fast = three_steps(opt, x, grads, info)
        monkeypatch.setattr(_engine, "_KERNEL_MIN", 1 << 62)
        slow = three_steps(opt, x, grads, info)
        monkeypatch.undo()
        for a, b in zip(fast, slow):
            for u, w in zip(a, b):
                assert u.dtype == w.dtype == dtype
                np.testing.assert_array_equal(u, w)


def test_block_program_on_two_threads_is_bit_identical(monkeypatch):
    n = (1 << 20) + 7
    rng = np.random.default_rng(6)
    x, g = rng.normal(size=n), rng.normal(size=n)
    opt = Adam(lr=0.1)
    fast = opt.step(x, g, opt.init(x))
    monkeypatch.setattr(_engine, "_KERNEL_MIN", 1 << 62)
    slow = opt.step(x, g, opt.init(x))
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1].v, slow[1].v)


class Clipped(Optimizer):
    """A user's optimizer whose update cannot be traced (np.where): it still runs, directly."""

    lr: float = hyperparameter(0.1, "[0, inf)")

    class State(NamedTuple):
        t: int
        m: Array

    def update(self, theta, g, state, *, lr):
        g = np.where(np.abs(g) > 1, np.sign(g), g)
        return theta - lr * g, self.State(state.t + 1, g), {"clipped": g}


def test_a_users_optimizer_works_untraced_and_is_not_registered():
    n = 1 << 17
    opt = Clipped()
    x, s, info = opt.step_with_info(np.zeros(n), np.full(n, 3.0), opt.init(np.zeros(n)))
    np.testing.assert_allclose(x, -0.1)
    assert info._fields == ("clipped", "delta") and s.t == 1 and repr(opt) == "Clipped(lr=0.1)"
    assert "Clipped" not in adamlab.OPTIMIZERS
    with pytest.raises(
        ValueError, match=r"Clipped: lr must be finite and in \[0, inf\), got -1\.0"
    ):
        Clipped(lr=-1.0)


# ------------------------------------------------------------------------------------------------------------
# The in-place step, out=.


@pytest.mark.parametrize("n", [5, 3 * (1 << 16) + 1])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
def test_in_place_step_equals_the_pure_step(name, dtype, n):
    opt = opt_of(name)
    rng = np.random.default_rng(8)
    x0 = rng.normal(size=n).astype(dtype)
    grads = rng.normal(size=(3, n)).astype(dtype)
    x, s = x0.copy(), opt.init(x0)
    y = x0.copy()
    r = opt.init(y)
    ids = [id(y), *map(id, arrays_of(r))]
    for g in grads:
        x, s = opt.step(x, g, s)
        y2, r = opt.step(y, g, r, out=(y, r))
        assert y2 is y and [id(y), *map(id, arrays_of(r))] == ids  # the same arrays, updated
        np.testing.assert_array_equal(y, x)
        for a, b in zip(arrays_of(r), arrays_of(s)):
            np.testing.assert_array_equal(a, b)
    assert r.t == s.t == 3


def test_double_buffering_and_trees():
    opt = Adam(lr=0.1)
    params = {"w": np.ones((3, 2)), "b": np.zeros(2)}
    grad = {"w": np.full((3, 2), 2.0), "b": np.ones(2)}
    pure, ps = opt.step(params, grad, opt.init(params))
    spare = {"w": np.empty((3, 2)), "b": np.empty(2)}
    spare_state = opt.init(params)
    state = opt.init(params)
    new, new_state = opt.step(params, grad, state, out=(spare, spare_state))
    assert new is spare and new_state.m["w"] is spare_state.m["w"]
    np.testing.assert_array_equal(new["w"], pure["w"])
    np.testing.assert_array_equal(params["w"], 1.0)  # the inputs are untouched
    np.testing.assert_array_equal(state.m["w"], 0.0)


def test_out_is_checked():
    opt = Adam()
    x = np.zeros(4)
    s = opt.init(x)
    with pytest.raises(TypeError, match=r"out must be a tuple \(params_out, state_out\)"):
        opt.step(x, x, s, out=x)
    with pytest.raises(TypeError, match=r"out\[1\] must be a AdamState"):
        opt.step(x, x, s, out=(x, SGD().init(x)))
    with pytest.raises(
        TypeError, match=r"out\[0\] must be a float64 array of shape \(4,\).*float32"
    ):
        opt.step(x, x, s, out=(np.zeros(4, np.float32), s))
    with pytest.raises(ValueError, match=r"out\[0\] must be a C-contiguous, writeable array"):
        opt.step(x, x, s, out=(np.zeros(8)[::2], s))
    with pytest.raises(ValueError, match=r"out\[1\]\.m overlaps another input or output"):
        opt.step(x, np.ones(4), s, out=(x, s._replace(m=s.v)))
    big = np.zeros(8)
    with pytest.raises(ValueError, match=r"out\[0\] overlaps"):
        opt.step(big[:4], np.ones(4), opt.init(big[:4]), out=(big[2:6], opt.init(big[:4])))


def test_the_zero_guard_is_skipped_only_where_the_denominator_is_positive():
    """With ε > 0, √v̂ + ε is never 0, so the block program leaves out nonzero()'s two passes; with ε = 0 it keeps
    them (and AdaMax's u = max(β2·u, |g| + ε) likewise)."""
    from adamlab import _kernel

    def ops(opt):
        x = np.zeros(4)
        program = _kernel.Program([x.dtype] * (2 + len(_engine._array_fields(opt.State))))
        tracers = program.inputs()
        state = opt.init(x)
        fields = _engine._array_fields(opt.State)
        opt.update(tracers[0], tracers[1], state._replace(**dict(zip(fields, tracers[2:]))),
                   **opt._for_leaf({}, x))  # fmt: skip
        return [ufunc.__name__ for ufunc, _ in program.ops]

    assert "equal" not in ops(Adam(eps=1e-8)) and ops(Adam(eps=0.0)).count("equal") == 2
    assert "equal" not in ops(AdaMax(eps=1e-8)) and "equal" in ops(AdaMax(eps=0.0))
