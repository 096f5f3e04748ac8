"""The explorer takes what the rest of adamlab takes: any function name functions.get accepts, your own
function, any adamlab optimizer by name in any case, an optimizer object with its own hyperparameters, and your
own optimizer class."""

from __future__ import annotations

import numpy as np
import pytest

import adamlab
from adamlab import plot

pytest.importorskip("ipywidgets")
pytestmark = pytest.mark.usefixtures("plot_hygiene")


def test_any_name_functions_get_accepts():
    box = plot.explorer("Rosenbrock", "adam", steps=5)
    assert box.controls["function"].value == "rosenbrock"
    assert box.controls["optimizer"].value == "Adam"
    assert box.trajectory.objective.name == "rosenbrock"
    box = plot.explorer("Six-Hump Camel", "rmsprop", steps=5)
    assert box.trajectory.objective.name == "six_hump_camel"
    assert type(box.trajectory.optimizer).__name__ == "RMSProp"


def test_every_adamlab_optimizer_is_offered():
    box = plot.explorer("himmelblau", "NAdam", steps=5)
    assert list(box.controls["optimizer"].options) == list(adamlab.OPTIMIZERS)
    assert type(box.trajectory.optimizer).__name__ == "NAdam"


def test_a_zoo_function_with_parameters_and_your_own_function():
    q = adamlab.functions.get("quadratic", kappa=100)
    box = plot.explorer(q, "Adam", steps=5)
    assert box.controls["function"].value == "quadratic(kappa=100, angle=0)"
    assert box.trajectory.objective is q
    mine = adamlab.functions.from_callables(
        lambda x: (x[..., 0] - 1) ** 2 + 3 * x[..., 1] ** 2,
        lambda x: np.stack([2 * (x[..., 0] - 1), 6 * x[..., 1]], -1),
        dim=2,
        domain=[[-2, 3], [-1, 1]],
        name="bowl",
        vectorized=True,
    )
    box = plot.explorer(mine, "SGD", steps=5)
    assert box.controls["function"].value == "bowl()"
    assert box.trajectory.objective is mine
    assert (box.controls["x"].min, box.controls["x"].max) == (-2.0, 3.0)
    box.controls["function"].value = "himmelblau"  # the zoo is still on the menu
    assert box.trajectory.objective.name == "himmelblau"


def test_an_optimizer_object_keeps_its_own_hyperparameters():
    box = plot.explorer("himmelblau", adamlab.AdamW(lr=0.02, weight_decay=0.1), steps=5)
    opt = box.trajectory.optimizer
    assert opt == adamlab.AdamW(lr=0.02, weight_decay=0.1)  # no slider for weight_decay: kept
    assert box.controls["lr"].value == pytest.approx(0.02)
    box.controls["beta1"].value = 0.5
    assert box.trajectory.optimizer == adamlab.AdamW(lr=0.02, beta1=0.5, weight_decay=0.1)
    sched = adamlab.Adam(lr=adamlab.schedules.InverseSqrt(0.1))
    box = plot.explorer("himmelblau", sched, steps=5)
    assert box.controls["lr"].disabled and box.trajectory.optimizer.lr == sched.lr


class HalfStep:
    """A user's optimizer: θ ← θ − lr·g/2 (init and step, nothing else)."""

    def __init__(self, lr=0.1):
        self.lr = lr

    def init(self, params):
        return 0

    def step(self, params, grad, state):
        return params - self.lr * np.asarray(grad) / 2, state + 1

    def __repr__(self):
        return f"HalfStep(lr={self.lr:g})"


def test_your_own_optimizer_class():
    box = plot.explorer("sphere", HalfStep, steps=3, lr=0.5)
    assert box.controls["optimizer"].value == "HalfStep"
    assert not box.controls["lr"].disabled and box.controls["beta1"].disabled
    traj = box.trajectory
    x0 = traj.params[0]
    np.testing.assert_allclose(traj.params[1], x0 - 0.5 * (2 * x0) / 2)  # sphere: g = 2x


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"objective": "rosenbrok"}, ValueError, "did you mean 'rosenbrock'"),
        ({"objective": adamlab.functions.get("sphere", dim=3)}, ValueError, "two variables"),
        ({"optimizer": "adamm"}, ValueError, "did you mean 'Adam'"),
        ({"optimizer": "Adam", "weight_decay": 0.1}, TypeError, "no slider for weight_decay"),
        ({"optimizer": object()}, TypeError, "init and step"),
    ],
)
def test_mistakes_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot.explorer(**kwargs)


def test_your_own_function_needs_a_domain():
    class Bowl:
        dim = 2

        def __call__(self, x):
            return (np.asarray(x) ** 2).sum(-1)

        def grad(self, x):
            return 2 * np.asarray(x)

    with pytest.raises(ValueError, match="needs a plotting domain"):
        plot.explorer(Bowl())
