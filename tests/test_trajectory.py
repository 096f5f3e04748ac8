"""adamlab.run / compare / Trajectory: the recorded numbers are the optimizer's own, batches and sweeps are
separate runs side by side, divergence is isolated, stop rules and files work."""

from __future__ import annotations

import dataclasses
import json
import re
import warnings

import numpy as np
import pytest

import adamlab
from adamlab import SGD, AdaGrad, Adam, AdaMax, AMSGrad, Momentum, RMSProp, schedules
from adamlab.trajectory import Trajectory, compare, run

OPTIMIZERS = [
    SGD(lr=1e-3),
    Momentum(lr=1e-3, momentum=0.9),
    Momentum(lr=1e-3, momentum=0.9, nesterov=True),
    AdaGrad(lr=0.5),
    RMSProp(lr=0.01),
    RMSProp(lr=0.01, momentum=0.5),
    Adam(lr=0.05),
    AMSGrad(lr=0.05, bias_correction="v"),
    AdaMax(lr=0.05),
]
IDS = [repr(o) for o in OPTIMIZERS]


@pytest.fixture(scope="module")
def rosenbrock():
    return adamlab.functions.get("rosenbrock")


def manual(opt, f, x0, steps):
    """The reference: a hand-written loop over opt.step_with_info, every step kept."""
    p, s = np.array(x0, dtype=float), opt.init(np.array(x0, dtype=float))
    params, infos, grads = [p], [], []
    for _ in range(steps):
        g = f.grad(p)
        p, s, info = opt.step_with_info(p, g, s)
        params.append(p)
        infos.append(info)
        grads.append(g)
    return np.array(params), infos, np.array(grads)


# ---- run equals a hand-written loop ----------------------------------------------------------------------


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=IDS)
def test_run_equals_manual_step_loop(opt, rosenbrock):
    x0 = [-1.5, 2.0]
    p, s = np.array(x0), opt.init(np.array(x0))
    expected = [p]
    for _ in range(40):
        p, s = opt.step(p, rosenbrock.grad(p), s)
        expected.append(p)
    traj = run(opt, rosenbrock, x0, 40)
    np.testing.assert_array_equal(traj.params, np.array(expected))
    np.testing.assert_array_equal(traj.steps, np.arange(41))
    np.testing.assert_array_equal(traj.values, rosenbrock(np.array(expected)))


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=IDS)
def test_info_and_grads_are_the_optimizers_own(opt, rosenbrock):
    params, infos, grads = manual(opt, rosenbrock, [-1.0, 1.0], 10)
    traj = run(opt, "rosenbrock", [-1.0, 1.0], 10)
    assert set(traj.info) == set(type(infos[0])._fields)
    assert np.all(np.isnan(traj.grads[0]))
    np.testing.assert_array_equal(traj.grads[1:], grads)
    for name in traj.info:
        assert np.all(np.isnan(traj.info[name][0]))
        np.testing.assert_array_equal(traj.info[name][1:], [getattr(i, name) for i in infos])
    # delta is the update actually applied
    np.testing.assert_allclose(traj.info["delta"][1:], np.diff(traj.params, axis=0), atol=1e-14)


def test_record_info_false_keeps_params(rosenbrock):
    a = run(Adam(lr=0.05), rosenbrock, [-1.0, 1.0], 30)
    b = run(Adam(lr=0.05), rosenbrock, [-1.0, 1.0], 30, record_info=False)
    assert b.info == {}
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.grads, b.grads)


def test_lr_schedule_runs_like_the_manual_loop(rosenbrock):
    opt = Adam(lr=schedules.InverseSqrt(0.1))
    params, _, _ = manual(opt, rosenbrock, [-1.0, 1.0], 25)
    np.testing.assert_array_equal(run(opt, rosenbrock, [-1.0, 1.0], 25).params, params)


# ---- batches and sweeps are separate runs side by side ------------------------------------------------------


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=IDS)
def test_batch_equals_separate_runs(opt):
    starts = np.array(
        [[[-1.5, 2.0], [0.0, 0.0], [4.0, -4.0]], [[1.0, 1.0], [-3.0, 3.0], [2.0, -1.0]]]
    )
    batch = run(opt, "himmelblau", starts, 30, every=7)
    assert batch.params.shape == (6, 2, 3, 2)
    assert batch.values.shape == (6, 2, 3)
    assert batch.diverged.shape == (2, 3)
    for idx in np.ndindex(2, 3):
        solo = run(opt, "himmelblau", starts[idx], 30, every=7)
        np.testing.assert_array_equal(batch.params[(slice(None), *idx)], solo.params)
        np.testing.assert_array_equal(batch.values[(slice(None), *idx)], solo.values)
        for name in solo.info:
            np.testing.assert_array_equal(batch.info[name][(slice(None), *idx)], solo.info[name])


def test_array_hyperparameters_equal_separate_runs(rosenbrock):
    lrs = np.array([1e-3, 1e-2, 1e-1])
    beta1s = np.array([0.0, 0.5, 0.9])
    swept = run(Adam(lr=lrs[:, None], beta1=beta1s[:, None]), rosenbrock, [-1.5, 2.0], 50)
    assert swept.params.shape == (51, 3, 2)  # x0 (2,) broadcast against the (3, 1) hyperparameters
    for k in range(3):
        solo = run(Adam(lr=lrs[k], beta1=beta1s[k]), rosenbrock, [-1.5, 2.0], 50)
        np.testing.assert_array_equal(swept.params[:, k], solo.params)
        np.testing.assert_array_equal(swept.values[:, k], solo.values)


# ---- divergence --------------------------------------------------------------------------------------------


def first_bad_step(opt, f, x0, steps, box):
    """Independent reference: step by hand until the parameters leave ``box`` or stop being finite."""
    p, s = np.array(x0, dtype=float), opt.init(np.array(x0, dtype=float))
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            new, s = opt.step(p, f.grad(p), s)
            if not (np.all(np.isfinite(new)) and np.all((new >= box[:, 0]) & (new <= box[:, 1]))):
                return t, p
            p = new
    return -1, p


def test_diverging_start_is_frozen_and_isolated(rosenbrock):
    opt = SGD(lr=5e-3)
    starts = np.array([[-1.5, 2.0], [0.5, 0.5], [2.0, 2.0], [-1.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may reach the user
        batch = run(opt, rosenbrock, starts, 60)
    np.testing.assert_array_equal(batch.diverged, [True, False, True, True])
    span = rosenbrock.domain[:, 1] - rosenbrock.domain[:, 0]
    centre = rosenbrock.domain.mean(axis=1)
    box = np.stack([centre - 1000 * span, centre + 1000 * span], axis=1)
    for k, x0 in enumerate(starts):
        t_bad, last_good = first_bad_step(opt, rosenbrock, x0, 60, box)
        assert batch.diverged_at[k] == t_bad
        np.testing.assert_array_equal(batch.final[k], last_good)
        assert np.all(np.isfinite(batch.params[:, k])) and np.all(np.isfinite(batch.values[:, k]))
        if t_bad > 0:  # frozen from the step it diverged; no step taken means NaN grads and info
            np.testing.assert_array_equal(
                batch.params[t_bad:, k], np.broadcast_to(last_good, (61 - t_bad, 2))
            )
            assert np.all(np.isnan(batch.grads[t_bad:, k]))
            assert np.all(np.isnan(batch.info["delta"][t_bad:, k]))
    # the start that converges is exactly its solo run
    solo = run(opt, rosenbrock, starts[1], 60)
    np.testing.assert_array_equal(batch.params[:, 1], solo.params)
    np.testing.assert_array_equal(batch.grads[:, 1], solo.grads)


def test_diverging_stateful_optimizer_does_not_disturb_others():
    # Momentum with a large step: one start runs away, its neighbours in the batch must not notice.
    opt = Momentum(lr=0.02, momentum=0.9)
    starts = np.array([[0.1, 0.1], [4.9, 4.9], [-3.0, 2.0]])
    batch = run(opt, "himmelblau", starts, 200)
    assert batch.diverged.any() and not batch.diverged.all()
    for k in np.flatnonzero(~batch.diverged):
        np.testing.assert_array_equal(
            batch.params[:, k], run(opt, "himmelblau", starts[k], 200).params
        )


def test_bound_inf_runs_until_overflow_and_float_bound():
    opt = SGD(lr=5e-3)
    unbounded = run(opt, "rosenbrock", [2.0, 2.0], 100, bound=np.inf)
    assert unbounded.diverged and unbounded.diverged_at > 3
    assert np.all(np.isfinite(unbounded.final)) and np.abs(unbounded.final).max() > 1e30
    boxed = run(opt, "rosenbrock", [2.0, 2.0], 100, bound=10.0)
    assert boxed.diverged and boxed.diverged_at < unbounded.diverged_at
    assert np.abs(boxed.final).max() <= 10.0


def test_start_outside_bound_is_not_an_error_but_never_moves():
    traj = run(Adam(lr=0.1), "sphere", [[1.0, 1.0], [5.0, 5.0]], 10, bound=3.0)
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert traj.diverged_at[1] == 1
    np.testing.assert_array_equal(traj.final[1], [5.0, 5.0])


def test_user_objective_without_domain_only_checks_finiteness():
    class Cubic:  # f = x^3 + y^3, unbounded below: every optimizer runs off to -inf
        dim = 2

        def __call__(self, x):
            return (np.asarray(x) ** 3).sum(-1)

        def grad(self, x):
            return 3 * np.asarray(x) ** 2

    traj = run(SGD(lr=0.1), Cubic(), [-1.0, -1.0], 100)
    assert traj.diverged and 0 < traj.diverged_at <= 100
    assert traj.objective_label.startswith("<") or "Cubic" in traj.objective_label
    assert np.all(np.isfinite(traj.final))


# ---- recording ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "every", "expected"),
    [
        (10, 3, [0, 3, 6, 9, 10]),
        (9, 3, [0, 3, 6, 9]),
        (10, 1, list(range(11))),
        (10, None, [0, 10]),
        (10, 50, [0, 10]),
        (0, 1, [0]),
    ],
)
def test_every_records_every_kth_step_plus_first_and_last(steps, every, expected, rosenbrock):
    full = run(Adam(lr=0.05), rosenbrock, [-1.5, 2.0], steps)
    sparse = run(Adam(lr=0.05), rosenbrock, [-1.5, 2.0], steps, every=every)
    np.testing.assert_array_equal(sparse.steps, expected)
    np.testing.assert_array_equal(sparse.params, full.params[expected])
    np.testing.assert_array_equal(sparse.values, full.values[expected])
    for name in full.info:
        np.testing.assert_array_equal(sparse.info[name], full.info[name][expected])


# ---- stop rules --------------------------------------------------------------------------------------------


def test_grad_tol_freezes_converged_starts_and_ends_early():
    f = adamlab.functions.get("sphere")
    opt = SGD(lr=0.1)  # x_t = 0.8^t x_0, |grad| = 2|x|
    traj = run(opt, f, [[1.0, 0.0], [100.0, 0.0]], 1000, grad_tol=1e-3)
    # by hand: first t with 2 * 0.8^t * |x0| <= 1e-3
    expected = [int(np.ceil(np.log(1e-3 / (2 * r)) / np.log(0.8))) for r in (1.0, 100.0)]
    np.testing.assert_array_equal(traj.converged_at, expected)
    assert traj.steps[-1] == max(expected)  # the run ended when both had stopped
    np.testing.assert_array_equal(
        traj.params[expected[0] :, 0],
        np.broadcast_to(traj.params[expected[0], 0], (max(expected) - expected[0] + 1, 2)),
    )
    assert not traj.diverged.any()


def test_value_tol_and_stop_on_tol_false():
    f = adamlab.functions.get("sphere")
    opt = SGD(lr=0.1)
    stop = run(opt, f, [1.0, 0.0], 1000, value_tol=1e-6)
    t_hit = int(stop.converged_at)
    assert f(stop.params[t_hit]) <= 1e-6 < f(stop.params[t_hit - 1])
    assert stop.steps[-1] == t_hit
    go_on = run(opt, f, [1.0, 0.0], 100, value_tol=1e-6, stop_on_tol=False)
    assert go_on.converged_at == t_hit and go_on.steps[-1] == 100
    assert go_on.steps_to(1e-6) == t_hit


def test_value_tol_needs_min_value():
    with pytest.raises(ValueError, match="min_value"):
        run(Adam(), "saddle", [1.0, 0.5], 10, value_tol=1e-3)


# ---- stochastic objectives and compare -------------------------------------------------------------------


class NoisyQuadratic:
    """f(x) = |x|^2 / 2 with gradient x + N(0, sigma^2) noise, projected onto [-1, 1]^d."""

    stochastic = True
    dim = 2
    name = "noisy_quadratic"
    domain = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    minima = np.zeros((1, 2))
    min_value = 0.0

    def __call__(self, x):
        return 0.5 * (np.asarray(x) ** 2).sum(-1)

    def grad(self, x):
        return np.asarray(x, dtype=float)

    def sample_grad(self, x, t, rng):
        return np.asarray(x) + 2.0 * rng.standard_normal(np.shape(x))

    def project(self, x):
        return np.clip(x, -1.0, 1.0)


def test_stochastic_runs_are_seeded_and_projected():
    obj = NoisyQuadratic()
    a = run(SGD(lr=0.3), obj, [0.9, -0.9], 50, seed=1)
    b = run(SGD(lr=0.3), obj, [0.9, -0.9], 50, seed=1)
    c = run(SGD(lr=0.3), obj, [0.9, -0.9], 50, seed=2)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)
    assert np.all(np.abs(a.params) <= 1.0) and np.any(
        np.abs(a.params) == 1.0
    )  # projection was used
    # the recorded gradient is the sampled one: the same draws as a seeded Generator gives
    rng = np.random.default_rng(1)
    np.testing.assert_array_equal(a.grads[1], np.array([0.9, -0.9]) + 2.0 * rng.standard_normal(2))
    # delta is before projection: params = clip(previous + delta)
    np.testing.assert_array_equal(a.params[1:], np.clip(a.params[:-1] + a.info["delta"][1:], -1, 1))


def test_compare_uses_the_same_seed_for_every_optimizer():
    obj = NoisyQuadratic()
    opts = {"SGD": SGD(lr=0.1), "Adam": Adam(lr=0.1), "RMSProp": RMSProp(lr=0.1)}
    runs = compare(opts, obj, [0.5, 0.5], 20, seed=7)
    assert list(runs) == ["SGD", "Adam", "RMSProp"]
    noise = {
        k: r.grads[1:] - r.params[:-1] for k, r in runs.items()
    }  # sampled grad minus exact grad
    np.testing.assert_allclose(noise["SGD"], noise["Adam"], atol=1e-12)
    np.testing.assert_allclose(noise["SGD"], noise["RMSProp"], atol=1e-12)
    for label, opt in opts.items():
        np.testing.assert_array_equal(
            runs[label].params, run(opt, obj, [0.5, 0.5], 20, seed=7).params
        )
        assert runs[label].label == repr(opt)


def test_reddi_counterexample_adam_goes_to_the_worst_point_amsgrad_does_not():
    # Reddi, Kale & Kumar (2018) section 3: f_t(x) = 3x if t mod 3 = 1 else -x on [-1, 1]; beta1 = 0,
    # beta2 = 1/(1 + C^2), no bias correction. Needs sample_grad(x, t, rng) with the right t and project().
    obj = adamlab.objectives.reddi(3.0)
    kwargs = {"beta1": 0.0, "beta2": 0.1, "bias_correction": "none"}
    runs = compare(
        {"Adam": Adam(lr=0.1, **kwargs), "AMSGrad": AMSGrad(lr=0.1, **kwargs)},
        obj,
        [0.0],
        600,
    )
    late = {
        k: r.params[-99:, 0] for k, r in runs.items()
    }  # the last 33 periods of the loss sequence
    assert late["Adam"].mean() > 0.9 and late["Adam"].max() == 1.0  # projected onto the worst point
    assert late["AMSGrad"].mean() < -0.9
    assert np.all(np.abs(runs["Adam"].params) <= 1.0)


def test_noisy_zoo_objective_is_reproducible():
    obj = adamlab.objectives.noisy("rosenbrock", sigma=5.0)
    a = compare([Adam(lr=0.05), SGD(lr=1e-3)], obj, [-1.5, 2.0], 100, seed=3)
    b = compare([Adam(lr=0.05), SGD(lr=1e-3)], obj, [-1.5, 2.0], 100, seed=3)
    for k in a:
        np.testing.assert_array_equal(a[k].params, b[k].params)
        assert a[k].seed == 3
    # the sampled gradients differ from the exact ones, with the same noise for both optimizers at t = 1
    np.testing.assert_array_equal(a["Adam(lr=0.05)"].grads[1], a["SGD(lr=0.001)"].grads[1])
    assert not np.allclose(a["Adam(lr=0.05)"].grads[1], obj.grad([-1.5, 2.0]))


def test_compare_accepts_a_list():
    runs = compare([SGD(lr=0.1), Adam(lr=0.1)], "sphere", [1.0, 1.0], 5)
    assert list(runs) == ["SGD(lr=0.1)", "Adam(lr=0.1)"]


# ---- questions about a trajectory ------------------------------------------------------------------------


def test_nearest_minimum_distance_and_steps_to():
    f = adamlab.functions.get("himmelblau")
    starts = np.array([[2.5, 2.5], [-2.0, 2.0], [-3.0, -3.0], [3.0, -2.0]])
    traj = run(Adam(lr=0.05), f, starts, 600)
    idx = traj.nearest_minimum(tol=1e-3)
    d_final = np.linalg.norm(traj.final[:, None, :] - f.minima[None], axis=-1)
    np.testing.assert_array_equal(idx, np.argmin(d_final, axis=1))
    assert np.all(d_final.min(axis=1) <= 1e-3)
    dist = traj.distance_to_minimum()
    assert dist.shape == (601, 4)
    np.testing.assert_allclose(dist[-1], d_final.min(axis=1))
    steps = traj.steps_to(value_tol=1e-4)
    for k in range(4):
        t = steps[k]
        assert f(traj.params[t, k]) <= 1e-4 and np.all(f(traj.params[:t, k]) > 1e-4)
    by_dist = traj.steps_to(dist_tol=0.01)
    assert np.all(dist[by_dist, np.arange(4)] <= 0.01)
    assert np.all(traj.nearest_minimum(tol=0.0) == -1)


def test_nothing_reached_and_no_minima():
    saddle = run(Adam(lr=0.1), "saddle", [1.0, 0.5], 20)
    assert saddle.nearest_minimum() == -1
    assert np.all(np.isnan(saddle.distance_to_minimum()))
    short = run(SGD(lr=1e-4), "rosenbrock", [-1.5, 2.0], 5)
    assert short.steps_to(value_tol=1e-6) == -1


def test_repr_is_readable():
    one = run(Adam(lr=0.1), "rosenbrock", [-1.5, 2.0], 20)
    text = repr(one)
    assert text.startswith("Trajectory(Adam(lr=0.1) on rosenbrock")
    assert "20 steps" in text and "1 start" in text and "final value" in text
    many = run(SGD(lr=5e-3), "rosenbrock", [[-1.5, 2.0], [0.5, 0.5]], 20)
    assert "2 starts" in repr(many) and "1 diverged" in repr(many)


# ---- files -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opt",
    [
        Adam(lr=0.05, beta2=0.99),
        AdaMax(lr=np.array([[0.01], [0.1]])),
        SGD(lr=schedules.InverseSqrt(0.01)),
        RMSProp(lr=0.01, momentum=0.5),
    ],
    ids=["adam", "array-lr", "schedule", "rmsprop"],
)
def test_save_load_round_trip(opt, tmp_path):
    traj = run(opt, "rosenbrock", [-1.5, 2.0], 12, every=5, grad_tol=1e-12)
    path = tmp_path / "run.npz"
    traj.save(path)
    back = Trajectory.load(path)
    for field in ("params", "values", "steps", "grads", "diverged", "diverged_at", "converged_at"):
        np.testing.assert_array_equal(getattr(back, field), getattr(traj, field))
    assert back.info.keys() == traj.info.keys()
    for name in traj.info:
        np.testing.assert_array_equal(back.info[name], traj.info[name])
    assert back.label == traj.label == repr(opt)
    assert back.optimizer == opt and repr(back.optimizer) == repr(opt)
    assert repr(back.objective) == repr(traj.objective)
    assert repr(back) == repr(traj)
    with np.load(path, allow_pickle=False) as z:  # no pickles inside
        assert all(z[k].dtype != object for k in z.files)


def test_save_load_user_objective_and_plain_callable_lr(tmp_path):
    class Bowl:
        dim = 2

        def __call__(self, x):
            return (np.asarray(x) ** 2).sum(-1)

        def grad(self, x):
            return 2 * np.asarray(x)

    opt = SGD(lr=lambda t: 0.1 / t)
    traj = run(opt, Bowl(), [1.0, 2.0], 5)
    traj.save(tmp_path / "bowl.npz")
    back = Trajectory.load(tmp_path / "bowl.npz")
    assert back.optimizer is None and back.objective is None  # not rebuildable, the text is kept
    assert back.label == repr(opt) and back.objective_label == traj.objective_label
    np.testing.assert_array_equal(back.params, traj.params)


def test_load_rejects_other_files(tmp_path):
    np.savez(tmp_path / "other.npz", meta=np.array('{"format": "x"}'))
    with pytest.raises(ValueError, match="is not a valid adamlab trajectory: its format is 'x'"):
        Trajectory.load(tmp_path / "other.npz")


def saved(tmp_path):
    traj = run(Adam(lr=0.1), "beale", [[1.0, 1.0], [2.0, 0.5]], 20)
    path = tmp_path / "t.npz"
    traj.save(path)
    return path


def rewrite(path, change):
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta")))
    change(meta, arrays)
    np.savez(path, meta=np.array(json.dumps(meta)), **arrays)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m, a: a.pop("values"), "the array 'values' is missing"),
        (
            lambda m, a: a.update(values=a["values"][:3]),
            "'values' has shape (3, 2), expected (21, 2)",
        ),
        (lambda m, a: a.update(steps=a["steps"].astype(float)), "'steps' has dtype float64"),
        (lambda m, a: a.update(grads=a["grads"].astype(complex)), "'grads' has dtype complex128"),
        (lambda m, a: m.update(info_fields="m_hat"), "'info_fields' must be a list"),
        (lambda m, a: m.update(info_fields=["nope"]), "the array 'info.nope' is missing"),
        (lambda m, a: m.update(seed="0"), "seed must be an integer or null"),
        (lambda m, a: m.pop("label"), "its metadata has no 'label'"),
        (lambda m, a: a.update(params=np.zeros(3)), "params has shape (3,)"),
    ],
)
def test_a_bad_trajectory_file_gives_one_clear_error(change, message, tmp_path):
    path = saved(tmp_path)
    rewrite(path, change)
    with pytest.raises(ValueError, match=re.escape(message)):
        Trajectory.load(path)


def test_a_trajectory_file_that_is_not_a_zip(tmp_path):
    (tmp_path / "t.npz").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ValueError, match="is not a readable adamlab trajectory"):
        Trajectory.load(tmp_path / "t.npz")
    with pytest.raises(FileNotFoundError, match="no adamlab trajectory at"):
        Trajectory.load(tmp_path / "none.npz")


def test_compare_never_loses_a_run_to_a_label_collision():
    runs = compare([SGD(lr=0.1), SGD(lr=0.1), Adam(lr=0.1)], "sphere", [1.0, 2.0], 5)
    assert list(runs) == ["SGD(lr=0.1)", "SGD(lr=0.1) #2", "Adam(lr=0.1)"]
    lrs = np.array([0.1, 0.2])
    twins = compare([Adam(lr=lrs[:, None]), Adam(lr=lrs[:, None] * 2)], "sphere", [1.0, 2.0], 5)
    assert len(twins) == 2  # same repr "<array (2, 1) ...>" is possible: numbered, not dropped


def test_the_class_instead_of_an_optimizer_is_named():
    for call in (
        lambda: run(Adam, "sphere", [1.0, 2.0], 5),
        lambda: compare([Adam], "sphere", [1.0, 2.0], 5),
        lambda: adamlab.sweep(Adam, "sphere", [1.0, 2.0], 5, lr=[0.1]),
        lambda: adamlab.basins(Adam, "himmelblau", resolution=3, steps=2),
    ):
        with pytest.raises(TypeError, match=r"got the class Adam: create one .* Adam\(\)"):
            call()


def test_objective_names_in_any_case():
    a = run(Adam(lr=0.1), "Rosenbrock", [0.0, 0.0], 3)
    b = run(Adam(lr=0.1), "rosenbrock", [0.0, 0.0], 3)
    np.testing.assert_array_equal(a.params, b.params)
    with pytest.raises(
        ValueError, match="unknown function 'rosenbrok' \\(did you mean 'rosenbrock'\\?\\)"
    ):
        run(Adam(), "rosenbrok", [0.0, 0.0], 3)


# ---- errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": -1}, ValueError, "steps"),
        ({"steps": 2.5}, TypeError, "steps"),
        ({"every": 0}, ValueError, "every"),
        ({"every": 1.5}, TypeError, "every"),
        ({"x0": [1.0, 2.0, 3.0]}, ValueError, r"x0 must have shape \(\.\.\., 2\)"),
        ({"x0": 3.0}, ValueError, "x0"),
        ({"x0": [np.nan, 1.0]}, ValueError, "finite"),
        ({"x0": ["a", "b"]}, TypeError, "x0"),
        ({"objective": "rosenbrok"}, ValueError, "did you mean 'rosenbrock'"),
        ({"objective": object()}, TypeError, "grad"),
        ({"optimizer": "adam"}, TypeError, "optimizer"),
        ({"grad_tol": -1.0}, ValueError, "grad_tol"),
        ({"bound": -2.0}, ValueError, "bound"),
        ({"optimizer": Adam(lr=np.ones(3))}, ValueError, "broadcast"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    args = {"optimizer": Adam(), "objective": "rosenbrock", "x0": [0.0, 0.0], "steps": 5}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        run(args.pop("optimizer"), args.pop("objective"), args.pop("x0"), args.pop("steps"), **args)


def test_x0_none_uses_the_objectives_start():
    f = adamlab.functions.get("rosenbrock")
    np.testing.assert_array_equal(run(Adam(), f, None, 1).x0, f.start)


def test_callback_sees_every_step():
    seen = []
    run(Adam(), "sphere", [1.0, 1.0], 7, callback=lambda t, n: seen.append((t, n)))
    assert seen == [(t, 7) for t in range(1, 8)]


def test_optimizer_is_not_mutated_and_inputs_are_copied():
    x0 = np.array([-1.5, 2.0])
    opt = Adam(lr=0.1)
    traj = run(opt, "rosenbrock", x0, 5)
    np.testing.assert_array_equal(x0, [-1.5, 2.0])
    assert traj.optimizer is opt and dataclasses.replace(opt) == opt


# ---- property: any batch is its starts run one by one ----------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=25, deadline=None)
@hypothesis.given(
    name=st.sampled_from(["himmelblau", "rosenbrock", "beale", "six_hump_camel", "monkey_saddle"]),
    opt=st.sampled_from(OPTIMIZERS + [SGD(lr=0.05), Momentum(lr=0.05), Adam(lr=1.0)]),
    seed=st.integers(0, 2**32 - 1),
    every=st.integers(1, 7),
)
def test_any_batch_equals_its_starts_one_by_one(name, opt, seed, every):
    f = adamlab.functions.get(name)
    low, high = f.domain[:, 0], f.domain[:, 1]
    starts = np.random.default_rng(seed).uniform(low, high, size=(3, 2))
    batch = run(opt, f, starts, 25, every=every)
    assert np.all(np.isfinite(batch.params)) and np.all(np.isfinite(batch.values))
    np.testing.assert_array_equal(batch.diverged, batch.diverged_at >= 0)
    for k in range(3):
        solo = run(opt, f, starts[k], 25, every=every)
        assert batch.diverged_at[k] == solo.diverged_at
        # a lone start that diverges ends its run there (the last record is that step); the batch goes on
        for i, t in enumerate(solo.steps):
            if t in batch.steps:
                np.testing.assert_array_equal(batch.params[batch.steps == t][0, k], solo.params[i])
        np.testing.assert_array_equal(batch.final[k], solo.final)


def test_refuses_to_record_more_than_memory_allows():
    huge = np.zeros((200_000, 2))
    with pytest.raises(ValueError, match="every=k"):
        run(Adam(), "sphere", huge, 2000)  # 2001 records x 400,000 numbers x 6 arrays: ~38 GB
    assert run(Adam(), "sphere", huge[:10], 2000, every=None).params.shape == (2, 10, 2)


def test_compare_refuses_a_shared_generator():
    with pytest.raises(TypeError, match="integer seed"):
        compare([SGD()], "sphere", [1.0, 1.0], 3, seed=np.random.default_rng(0))
