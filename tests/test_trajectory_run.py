"""What run costs beyond the steps it drives, and what it still guarantees: the values are computed once over
the records (not at every step), a non-finite value still cuts a start, an objective written for one point
still gets its values, and a progress bar counts every step without being redrawn at every step."""

from __future__ import annotations

import numpy as np
import pytest

import adamlab
from adamlab import SGD, Adam
from adamlab.trajectory import run


class Counting:
    """Rosenbrock, counting how often its value is asked for."""

    dim = 2

    def __init__(self):
        self.f = adamlab.functions.get("rosenbrock")
        self.calls = 0
        self.domain, self.minima, self.min_value = self.f.domain, self.f.minima, self.f.min_value

    def __call__(self, x):
        self.calls += 1
        return self.f(x)

    def grad(self, x):
        return self.f.grad(x)


def test_values_are_computed_once_over_the_records():
    f = Counting()
    traj = run(Adam(lr=0.01), f, [-1.5, 2.0], 300)
    assert f.calls <= 3  # the start, all 301 records at once, one record to check that f broadcasts
    np.testing.assert_array_equal(traj.values, f.f(traj.params))
    f.calls = 0
    run(Adam(lr=0.01), f, [[-1.5, 2.0], [0.5, 0.5]], 300, every=None)
    assert f.calls <= 3


class Cliff:
    """f(x) = -x on x <= 5.5 and +inf beyond, with gradient -1 everywhere: SGD(lr=1) walks x_t = t into the
    wall, and only the value says so (the parameters stay finite and inside the box)."""

    dim = 1

    def __call__(self, x):
        x = np.asarray(x, dtype=float)[..., 0]
        return np.where(x <= 5.5, -x, np.inf)

    def grad(self, x):
        return -np.ones_like(np.asarray(x, dtype=float))


def test_a_non_finite_value_cuts_the_start_at_its_previous_record():
    every_step = run(SGD(lr=1.0), Cliff(), [0.0], 10)
    assert every_step.diverged and every_step.diverged_at == 6
    np.testing.assert_array_equal(every_step.params[:, 0], [0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5])
    assert np.all(np.isfinite(every_step.values)) and np.all(np.isnan(every_step.grads[6:]))
    # recording every 4th step: the value is first seen non-finite at t = 8, and the start is frozen at the
    # previous record, t = 4
    sparse = run(SGD(lr=1.0), Cliff(), [0.0], 10, every=4)
    assert sparse.diverged_at == 8
    np.testing.assert_array_equal(sparse.steps, [0, 4, 8, 10])
    np.testing.assert_array_equal(sparse.params[:, 0], [0, 4, 4, 4])
    # in a batch the cut is per start
    batch = run(SGD(lr=1.0), Cliff(), [[0.0], [-20.0]], 10)
    np.testing.assert_array_equal(batch.diverged_at, [6, -1])
    np.testing.assert_array_equal(batch.final[:, 0], [5.0, -10.0])


class OnePoint:
    """An objective written for a single point (x[0], x[1]), not for (..., d)."""

    dim = 2

    def __call__(self, x):
        return x[0] ** 2 + 10 * x[1] ** 2

    def grad(self, x):
        return np.array([2 * x[0], 20 * x[1]])


@pytest.mark.parametrize("every", [1, None])
def test_an_objective_written_for_one_point_still_gets_its_values(every):
    traj = run(SGD(lr=0.01), OnePoint(), [1.0, 1.0], 30, every=every)
    expected = [OnePoint()(p) for p in traj.params]
    np.testing.assert_array_equal(traj.values, expected)


class FakeBar:
    made: list = []

    def __init__(self, total, **kwargs):
        self.total, self.n, self.updates = total, 0, 0
        FakeBar.made.append(self)

    def update(self, k=1):
        self.n += k
        self.updates += 1

    def close(self):
        self.closed = True


def test_progress_bar_counts_every_step_and_is_not_redrawn_every_step(monkeypatch):
    tqdm_auto = pytest.importorskip("tqdm.auto")
    monkeypatch.setattr(tqdm_auto, "tqdm", FakeBar)
    FakeBar.made.clear()
    run(Adam(), "sphere", [1.0, 1.0], 1000, progress=True)
    # x_t = 0.8^t x_0 and |g| = 2|x|: the first t with 2 * 0.8^t <= 1e-3 is 35, where the run stops
    stopped = run(SGD(lr=0.1), "sphere", [1.0, 0.0], 1000, grad_tol=1e-3, progress=True)
    full, early = FakeBar.made
    assert full.n == 1000 and full.updates <= 201 and full.closed
    assert early.n == stopped.steps[-1] == 35 and early.closed


class Named(SGD):
    """SGD with a repr of our choosing (a user's optimizer may print anything)."""

    def __init__(self, text, lr=0.1):
        super().__init__(lr=lr)
        object.__setattr__(self, "text", text)

    def __repr__(self):
        return self.text


def test_compare_never_loses_a_run_even_when_a_numbered_label_is_taken():
    opts = [Named("A", 0.1), Named("A", 0.2), Named("A #2", 0.3)]
    runs = adamlab.compare(opts, "sphere", [1.0, 1.0], 3)
    assert len(runs) == 3
    assert sorted(r.optimizer.lr for r in runs.values()) == [0.1, 0.2, 0.3]
    assert runs["A #2"].optimizer.lr == 0.3  # a label given is kept; the repeat is numbered past it
