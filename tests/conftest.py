"""Shared test settings: a deterministic hypothesis profile for CI, the Agg backend for any figure."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI must not find a new counterexample by chance on the day of a merge: derandomize there. Locally the
# default profile explores fresh examples on every run.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

os.environ.setdefault("MPLBACKEND", "Agg")
