"""Shared test settings: a deterministic hypothesis profile for CI, the Agg backend for any figure."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# CI must not find a new counterexample by chance on the day of a merge: derandomize there. Locally the
# default profile explores fresh examples on every run.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def plot_hygiene(monkeypatch):
    """For plot tests: plt.show() must never be called, global rcParams must not change, figures are closed."""
    import matplotlib
    import matplotlib.pyplot as plt

    def no_show(*args, **kwargs):
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    before = dict(matplotlib.rcParams)
    yield
    plt.close("all")
    assert dict(matplotlib.rcParams) == before
