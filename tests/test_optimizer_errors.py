"""Bad input gets a clear error naming the parameter and the value, at the earliest point."""

from __future__ import annotations

import numpy as np
import pytest

from adamlab import SGD, AdaGrad, Adam, AdaMax, AdamW, AMSGrad, Momentum, NAdam, RMSProp


@pytest.mark.parametrize(
    ("cls", "name", "value"),
    [
        (SGD, "lr", -0.1),
        (SGD, "lr", float("inf")),
        (SGD, "lr", float("nan")),
        (Adam, "lr", -1e-3),
        (Momentum, "momentum", 1.0),
        (Momentum, "momentum", -0.1),
        (RMSProp, "rho", 1.0),
        (RMSProp, "rho", -0.5),
        (RMSProp, "momentum", 1.5),
        (RMSProp, "eps", -1e-8),
        (AdaGrad, "eps", -1.0),
        (AdaGrad, "initial_accumulator", -0.1),
        (Adam, "beta1", 1.0),
        (Adam, "beta1", -0.1),
        (Adam, "beta2", 1.0),
        (Adam, "beta2", 2.0),
        (Adam, "eps", -1e-8),
        (AdamW, "weight_decay", -0.01),
        (NAdam, "momentum_decay", -1.0),
        (AMSGrad, "beta2", 1.0),
        (AdaMax, "beta1", 1.0),
        (AdaMax, "beta2", 1.0),
        (AdaMax, "eps", -1.0),
    ],
)
def test_out_of_range_hyperparameter(cls, name, value):
    with pytest.raises(ValueError, match=rf"{name} must be finite and in .*got {value!r}"):
        cls(**{name: value})


def test_array_hyperparameter_checked_elementwise():
    with pytest.raises(ValueError, match=r"beta1 .* elementwise, got 1\.0 at index \(2, 0\)"):
        Adam(beta1=np.array([[0.5], [0.9], [1.0]]))
    with pytest.raises(ValueError, match=r"lr .* got -1\.0 at index \(1,\)"):
        Adam(lr=np.array([0.1, -1.0]))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": "0.1"}, "lr must be a number"),
        ({"beta1": None}, "beta1 must be a number"),
        ({"lr": [[0.1], [0.2, 0.3]]}, "lr must be a number or an array"),
        ({"beta1": np.array([0.5 + 1j])}, "beta1 must be real"),
    ],
)
def test_wrong_hyperparameter_type(kwargs, match):
    with pytest.raises(TypeError, match=match):
        Adam(**kwargs)


def test_bad_bias_correction_option():
    with pytest.raises(ValueError, match="bias_correction must be one of .* got 'mv'"):
        Adam(bias_correction="mv")


def test_bad_schedule_value_named_with_its_step():
    opt = SGD(lr=lambda t: 0.1 if t < 3 else -0.1)
    x, s = np.zeros(1), opt.init(np.zeros(1))
    x, s = opt.step(x, np.ones(1), s)
    x, s = opt.step(x, np.ones(1), s)
    with pytest.raises(
        ValueError, match=r"schedule .* at t=3: .*lr must be finite and in \[0, inf\), got -0\.1"
    ):
        opt.step(x, np.ones(1), s)


def test_grad_shape_mismatch_names_both_shapes():
    opt = Adam()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but params has shape \(2,\)"):
        opt.step(np.zeros(2), np.zeros(3), opt.init(np.zeros(2)))


def test_grad_structure_mismatch():
    opt = Adam()
    params = {"w": np.zeros(2), "b": np.zeros(1)}
    with pytest.raises(ValueError, match=r"grad has keys \['w'\] but params has \['b', 'w'\]"):
        opt.step(params, {"w": np.zeros(2)}, opt.init(params))
    with pytest.raises(ValueError, match=r"grad has structure \[array\(2,\)\] but params has"):
        opt.step(params, [np.zeros(2)], opt.init(params))


def test_state_shape_mismatch():
    opt = Adam()
    with pytest.raises(ValueError, match=r"state\.m has shape \(3,\) but params has shape \(2,\)"):
        opt.step(np.zeros(2), np.zeros(2), opt.init(np.zeros(3)))


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1 + 2j, 0j]),
        np.array(["a", "b"]),
        np.array([object(), object()]),
        np.array([True, False]),
    ],
)
def test_non_real_arrays_are_type_errors(bad):
    opt = Adam()
    with pytest.raises(TypeError, match="params must be a real"):
        opt.init(bad)
    with pytest.raises(TypeError, match="grad must be a real"):
        opt.step(np.zeros(2), bad, opt.init(np.zeros(2)))


def test_state_from_another_optimizer():
    with pytest.raises(
        ValueError, match="Adam.step needs a AdamState from Adam.init, got a RMSPropState"
    ):
        Adam().step(np.zeros(2), np.zeros(2), RMSProp().init(np.zeros(2)))


def test_state_of_adam_is_not_amsgrads():
    with pytest.raises(ValueError, match="AMSGrad.step needs a AMSGradState .* got a AdamState"):
        AMSGrad().step(np.zeros(2), np.zeros(2), Adam().init(np.zeros(2)))


def test_non_finite_gradients_propagate_without_raising():
    """Documented: NaN/inf gradients are not hidden; they reach the parameters."""
    for opt in (SGD(), Momentum(), AdaGrad(), RMSProp(), Adam(), AdaMax()):
        x, s = opt.step(np.zeros(2), np.array([np.nan, 1.0]), opt.init(np.zeros(2)))
        assert np.isnan(x[0]) and np.isfinite(x[1]), opt
