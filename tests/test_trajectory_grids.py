"""adamlab.basins and adamlab.sweep: one vectorised run each, equal to the individual runs."""

from __future__ import annotations

import numpy as np
import pytest

import adamlab
from adamlab import SGD, Adam, Momentum, RMSProp
from adamlab.sweeps import basins, sweep
from adamlab.trajectory import run


@pytest.fixture(scope="module")
def himmelblau():
    return adamlab.functions.get("himmelblau")


@pytest.fixture(scope="module")
def adam_map(himmelblau):
    return basins(Adam(lr=0.1), himmelblau, resolution=(15, 12), steps=300)


def test_basin_grid_layout(adam_map, himmelblau):
    bm = adam_map
    assert bm.xs.shape == (15,) and bm.ys.shape == (12,)
    assert bm.starts.shape == bm.final.shape == (12, 15, 2)
    assert bm.label.shape == bm.distance.shape == (12, 15)
    np.testing.assert_array_equal(bm.xs[[0, -1]], himmelblau.domain[0])
    np.testing.assert_array_equal(bm.ys[[0, -1]], himmelblau.domain[1])
    np.testing.assert_array_equal(bm.starts[3, 7], [bm.xs[7], bm.ys[3]])  # rows follow ys
    np.testing.assert_array_equal(bm.minima, himmelblau.minima)
    assert bm.trajectory.steps.tolist() == [0, 300]  # only the ends recorded
    assert "BasinMap(Adam(lr=0.1) on himmelblau" in repr(bm)


def test_basin_labels_match_the_minima_actually_reached(adam_map, himmelblau):
    bm = adam_map
    dist = np.linalg.norm(bm.final[:, :, None, :] - himmelblau.minima, axis=-1)  # (ny, nx, 4)
    expected = np.where(dist.min(axis=-1) <= bm.tol, dist.argmin(axis=-1), -1)
    np.testing.assert_array_equal(bm.label, expected)
    np.testing.assert_allclose(bm.distance, dist.min(axis=-1))
    assert set(np.unique(bm.label)) == {0, 1, 2, 3}  # Himmelblau's four minima all have a basin
    assert sum(bm.fractions().values()) == pytest.approx(1.0)


def test_basin_map_equals_individual_runs(adam_map, himmelblau):
    for i, j in [(0, 0), (5, 9), (11, 14), (6, 3)]:
        solo = run(Adam(lr=0.1), himmelblau, adam_map.starts[i, j], 300)
        np.testing.assert_array_equal(solo.final, adam_map.final[i, j])


def test_basin_map_marks_divergence():
    bm = basins(Momentum(lr=0.02, momentum=0.9), "himmelblau", resolution=10, steps=200)
    traj = bm.trajectory
    assert traj.diverged.any()
    np.testing.assert_array_equal(bm.label == -2, traj.diverged)
    assert np.all(bm.label[~traj.diverged] >= -1)


def test_basin_tolerance_and_domain():
    loose = basins(RMSProp(lr=0.05), "himmelblau", resolution=8, steps=300)
    strict = basins(RMSProp(lr=0.05), "himmelblau", resolution=8, steps=300, tol=1e-6)
    # constant-step RMSProp circles the minima at ~lr: reached with the default tolerance, not with 1e-6
    assert np.all(loose.label >= 0) and np.mean(strict.label == -1) > 0.8
    np.testing.assert_array_equal(strict.label == -1, strict.distance > 1e-6)
    assert loose.tol == pytest.approx(0.01 * np.hypot(10, 10))
    small = basins(SGD(lr=0.01), "himmelblau", resolution=4, steps=50, domain=[[2, 4], [1, 3]])
    np.testing.assert_array_equal(small.xs, np.linspace(2, 4, 4))
    assert np.all(small.label == 0)  # all near (3, 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"objective": "rosenbrock", "resolution": 1}, "resolution"),
        ({"objective": "himmelblau", "domain": [[1, 0], [0, 1]]}, "domain"),
        ({"objective": "himmelblau", "resolution": (3, 4, 5)}, "resolution"),
    ],
)
def test_basins_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        basins(Adam(), kwargs.pop("objective"), steps=2, **kwargs)


# ---- sweeps ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lr_beta1():
    lrs = np.logspace(-3, 0, 6)
    beta1s = np.linspace(0.0, 0.95, 5)
    res = sweep(Adam(), "rosenbrock", [-1.5, 2.0], 500, lr=lrs, beta1=beta1s, value_tol=1e-2)
    return lrs, beta1s, res


def test_sweep_shapes_and_metadata(lr_beta1):
    lrs, beta1s, res = lr_beta1
    assert res.names == ("lr", "beta1")
    np.testing.assert_array_equal(res.values[0], lrs)
    np.testing.assert_array_equal(res.values[1], beta1s)
    for a in (res.final_value, res.final_distance, res.steps_to_tol, res.diverged):
        assert a.shape == (6, 5)
    assert res.steps == 500 and res.seed == 0 and res.value_tol == 1e-2
    assert res.trajectory.steps.tolist() == [0, 500]
    assert repr(res).startswith("SweepResult(Adam() on rosenbrock")  # lr is swept: not shown


def test_sweep_equals_individual_runs(lr_beta1):
    lrs, beta1s, res = lr_beta1
    for i, j in [(0, 0), (2, 3), (4, 4), (5, 3)]:
        opt = Adam(lr=lrs[i], beta1=beta1s[j])
        assert res.optimizer_at(i, j) == opt
        solo = run(opt, "rosenbrock", [-1.5, 2.0], 500)
        assert res.final_value[i, j] == solo.final_value
        assert res.final_distance[i, j] == solo.distance_to_minimum()[-1]
        assert res.diverged[i, j] == solo.diverged
        assert res.steps_to_tol[i, j] == solo.steps_to(value_tol=1e-2)
    assert (res.steps_to_tol > 0).any() and (res.steps_to_tol == -1).any()


def test_one_dimensional_sweep_and_divergence():
    lrs = np.array([1e-4, 1e-3, 5e-3, 1e-2])
    res = sweep(SGD(), "rosenbrock", [-1.5, 2.0], 200, lr=lrs)
    assert res.names == ("lr",) and res.final_value.shape == (4,)
    np.testing.assert_array_equal(res.diverged, [False, False, True, True])
    for k, lr in enumerate(lrs):
        assert res.final_value[k] == run(SGD(lr=lr), "rosenbrock", [-1.5, 2.0], 200).final_value
    assert np.all(res.steps_to_tol == -1)  # no value_tol given


def test_sweep_momentum_of_rmsprop_uses_the_base_optimizer():
    res = sweep(RMSProp(rho=0.99), "beale", [1.0, 1.5], 50, lr=[0.01, 0.1], momentum=[0.0, 0.9])
    assert res.optimizer_at(1, 1) == RMSProp(lr=0.1, rho=0.99, momentum=0.9)
    solo = run(RMSProp(lr=0.1, rho=0.99, momentum=0.9), "beale", [1.0, 1.5], 50)
    assert res.final_value[1, 1] == solo.final_value


def test_sweep_stochastic_cells_share_the_seed():
    class Noisy:
        stochastic = True
        dim = 1
        minima = np.zeros((1, 1))
        min_value = 0.0

        def __call__(self, x):
            return 0.5 * (np.asarray(x) ** 2).sum(-1)

        def grad(self, x):
            return np.asarray(x, dtype=float)

        def sample_grad(self, x, t, rng):
            return np.asarray(x) + rng.standard_normal(np.shape(x))

    res = sweep(SGD(), Noisy(), [1.0], 30, seed=3, lr=[0.05, 0.1])
    again = sweep(SGD(), Noisy(), [1.0], 30, seed=3, lr=[0.05, 0.1])
    np.testing.assert_array_equal(res.final_value, again.final_value)
    assert res.seed == 3


@pytest.mark.parametrize(
    ("grid", "error", "match"),
    [
        ({}, ValueError, "one or two"),
        ({"lr": [0.1], "beta1": [0.9], "beta2": [0.99]}, ValueError, "one or two"),
        ({"lr": [0.1], "momentum": [0.9]}, ValueError, "no hyperparameter 'momentum'.*beta1"),
        ({"lr": []}, ValueError, "at least one"),
        ({"lr": ["a"]}, TypeError, "lr"),
        ({"beta1": [0.5, 1.0]}, ValueError, "beta1"),
    ],
)
def test_sweep_errors(grid, error, match):
    with pytest.raises(error, match=match):
        sweep(Adam(), "rosenbrock", [-1.5, 2.0], 5, **grid)
