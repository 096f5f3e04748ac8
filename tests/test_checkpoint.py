"""Checkpoints: one .npz file, bit-identical continuation, clear errors for bad files."""

from __future__ import annotations

import numpy as np
import pytest

import adamlab
from adamlab import (
    SGD,
    AdaGrad,
    Adam,
    AdaMax,
    AdamEpsHat,
    AdamW,
    AMSGrad,
    Momentum,
    NAdam,
    RMSProp,
    schedules,
)

OPTIMIZERS = [
    SGD(lr=0.05),
    Momentum(lr=0.05, nesterov=True),
    AdaGrad(lr=0.3, initial_accumulator=0.1),
    RMSProp(lr=0.01, momentum=0.5),
    AMSGrad(lr=0.01),
    AdamW(lr=0.01, weight_decay=0.01),
    Adam(lr=schedules.LinearWarmup(schedules.Cosine(0.1, total_steps=50), warmup_steps=5)),
    Adam(lr=np.array([[0.1], [0.01]]), bias_correction="v", beta1=schedules.Beta1Decay(0.9, 0.99)),
    AdamEpsHat(lr=np.array([[0.1], [0.01]])),
    NAdam(lr=0.01),
    NAdam(beta1=np.array([[0.9], [0.5]])),
    AdaMax(lr=0.002, eps=1e-8),
]


def gradients(n, shape, seed=3):
    return np.random.default_rng(seed).normal(size=(n, *shape))


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_round_trip_is_bit_identical(opt, tmp_path):
    grads = gradients(40, (2, 3))
    x, s = np.ones((2, 3)), opt.init(np.ones((2, 3)))
    for g in grads[:20]:
        x, s = opt.step(x, g, s)
    path = tmp_path / "ck.npz"
    adamlab.save_checkpoint(path, opt, s, params=x)
    ck = adamlab.load_checkpoint(path, expected=type(opt))
    assert ck.optimizer == opt and repr(ck.optimizer) == repr(opt)
    y, r = ck.params, ck.state
    assert r.t == 20
    for g in grads[20:]:
        x, s = opt.step(x, g, s)
        y, r = ck.optimizer.step(y, g, r)
    np.testing.assert_array_equal(x, y)
    for a, b in zip(s[1:], r[1:]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)


def test_trees_and_float32(tmp_path):
    opt = Adam(lr=0.1)
    params = {"w": np.ones((2, 2), dtype=np.float32), "b": [np.zeros(3, dtype=np.float32)]}
    s = opt.init(params)
    params, s = opt.step(params, {"w": np.ones((2, 2)), "b": [np.ones(3)]}, s)
    adamlab.save_checkpoint(tmp_path / "t.npz", opt, s, params=params)
    ck = adamlab.load_checkpoint(tmp_path / "t.npz")
    assert ck.state.m["w"].dtype == np.float32 and isinstance(ck.params["b"], list)
    np.testing.assert_array_equal(ck.params["w"], params["w"])


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no adamlab checkpoint at"):
        adamlab.load_checkpoint(tmp_path / "nope.npz")


def test_truncated_file(tmp_path):
    opt = Adam()
    path = tmp_path / "ck.npz"
    adamlab.save_checkpoint(path, opt, opt.init(np.zeros(100)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="is not a readable adamlab checkpoint"):
        adamlab.load_checkpoint(path)


def test_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(ValueError, match="not a readable adamlab checkpoint: it has no adamlab header"):
        adamlab.load_checkpoint(path)
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a readable adamlab checkpoint"):
        adamlab.load_checkpoint(tmp_path / "text.npz")


def test_checkpoint_of_another_optimizer(tmp_path):
    opt = RMSProp()
    adamlab.save_checkpoint(tmp_path / "r.npz", opt, opt.init(np.zeros(2)))
    with pytest.raises(ValueError, match="holds a RMSProp checkpoint, not a Adam one"):
        adamlab.load_checkpoint(tmp_path / "r.npz", expected=Adam)


def test_cannot_save_plain_callable_or_foreign_state(tmp_path):
    opt = SGD(lr=lambda t: 0.1)
    with pytest.raises(ValueError, match="only numbers, arrays and adamlab.schedules"):
        adamlab.save_checkpoint(tmp_path / "x.npz", opt, opt.init(np.zeros(1)))
    with pytest.raises(ValueError, match="needs a AdamState"):
        adamlab.save_checkpoint(tmp_path / "x.npz", Adam(), SGD().init(np.zeros(1)))
