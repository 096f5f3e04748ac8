"""Benchmarks of adamlab.run, basins and sweep, each with a reference measured in the same run.

    python benchmarks/bench_trajectory.py

1. A 200 x 200 grid of starts x 500 Adam steps on Himmelblau, recording only the ends (``adamlab.basins``):
   target <= 2 s, and >= 100x faster per start than running single starts one at a time (the reference: a
   handful of single-start runs with the same settings, timed here).
2. A 30 x 30 lr x beta1 sweep of 1000 Adam steps on Rosenbrock (``adamlab.sweep``): target <= 1 s; the reference
   is the extrapolated time of 900 single runs.
3. ``import adamlab`` (and ``adamlab.run``) must not import matplotlib (checked in a fresh interpreter).
4. What ``run`` adds to the steps it drives: µs per step of ``run`` (recording everything, recording only the
   ends) against a hand-written loop ``p, s = opt.step(p, f.grad(p), s)`` and the bare ``opt.step`` alone, on
   one Rosenbrock start; target: recording everything costs <= 1.5x the hand-written loop.

Each timing is the best of a few repeats (the machine may be shared). Exits with status 1 if a target is missed.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

import adamlab
from adamlab import Adam
from adamlab.sweeps import basins, sweep
from adamlab.trajectory import run

REPEATS = 3


def best_of(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def report(name, seconds, target, reference=None, ref_name="", min_ratio=None):
    ok = seconds <= target
    line = f"{name}: {seconds:.3f} s (target <= {target:g} s, {seconds / target:.0%} of it)"
    if reference is not None:
        ratio = reference / seconds
        line += f"; {ref_name} {reference:.3f} s -> {ratio:.0f}x faster"
        if min_ratio is not None:
            line += f" (target >= {min_ratio:g}x)"
            ok = ok and ratio >= min_ratio
    print(("PASS  " if ok else "FAIL  ") + line, flush=True)
    return ok


def bench_basins():
    f = adamlab.functions.get("himmelblau")
    opt = Adam(lr=0.1)
    basins(opt, f, resolution=20, steps=20)  # warm up
    grid = best_of(lambda: basins(opt, f, resolution=200, steps=500))
    starts = np.random.default_rng(0).uniform(-5, 5, size=(8, 2))

    def singles():
        for x0 in starts:
            run(opt, f, x0, 500, every=None, record_info=False)

    per_start_single = best_of(singles) / len(starts)
    per_start_grid = grid / 40_000
    print(
        f"      basins: {per_start_grid * 1e6:.1f} us per start in the grid, "
        f"{per_start_single * 1e3:.1f} ms per start alone"
    )
    return report(
        "basins 200x200 starts x 500 Adam steps (Himmelblau)",
        grid,
        2.0,
        reference=per_start_single * 40_000,
        ref_name="40,000 single-start runs (extrapolated from 8)",
        min_ratio=100,
    )


def bench_sweep():
    lrs = np.logspace(-3, 0, 30)
    beta1s = np.linspace(0.0, 0.99, 30)

    def grid():
        sweep(Adam(), "rosenbrock", [-1.5, 2.0], 1000, lr=lrs, beta1=beta1s, value_tol=1e-6)

    seconds = best_of(grid)
    cells = [(lrs[i], beta1s[j]) for i, j in [(0, 0), (10, 20), (29, 29), (15, 5)]]

    def singles():
        for lr, b1 in cells:
            run(
                Adam(lr=lr, beta1=b1),
                "rosenbrock",
                [-1.5, 2.0],
                1000,
                every=None,
                record_info=False,
            )

    per_run = best_of(singles) / len(cells)
    return report(
        "sweep 30x30 lr x beta1, 1000 Adam steps (Rosenbrock)",
        seconds,
        1.0,
        reference=per_run * 900,
        ref_name="900 single runs (extrapolated from 4)",
    )


def bench_run_overhead(steps=2000, repeats=9):
    f = adamlab.functions.get("rosenbrock")
    opt = Adam(lr=0.01)
    x0 = np.array([-1.5, 2.0])

    def bare_step():
        p, s, g = x0, opt.init(x0), f.grad(x0)
        for _ in range(steps):
            p, s = opt.step(p, g, s)

    def hand_loop():
        p, s = x0, opt.init(x0)
        for _ in range(steps):
            p, s = opt.step(p, f.grad(p), s)

    cases = {
        "opt.step alone": bare_step,
        "hand-written loop (step + grad)": hand_loop,
        "run, every step recorded": lambda: run(opt, f, x0, steps, progress=False),
        "run, info not recorded": lambda: run(opt, f, x0, steps, record_info=False, progress=False),
        "run, ends only": lambda: run(
            opt, f, x0, steps, every=None, record_info=False, progress=False
        ),
    }
    times = {name: [] for name in cases}
    for _ in range(
        repeats
    ):  # interleaved, so that a busy moment of a shared machine hits every case
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) / steps * 1e6)
    median = {name: float(np.median(t)) for name, t in times.items()}
    loop = median["hand-written loop (step + grad)"]
    for name, us in median.items():
        print(f"      {name:<32} {us:7.1f} us/step  {us / loop:5.2f}x the hand-written loop")
    ratio = median["run, every step recorded"] / loop
    ok = ratio <= 1.5
    print(
        ("PASS  " if ok else "FAIL  ")
        + f"run recording every step: {ratio:.2f}x a hand-written loop (target <= 1.5x; medians of {repeats})",
        flush=True,
    )
    return ok


CHECK_IMPORT = """
import sys, time
t0 = time.perf_counter()
import adamlab
t1 = time.perf_counter()
assert "matplotlib" not in sys.modules, "import adamlab imported matplotlib"
adamlab.run, adamlab.basins, adamlab.sweep, adamlab.Trajectory
import adamlab.cli
assert "matplotlib" not in sys.modules, "adamlab.run / adamlab.cli imported matplotlib"
print(t1 - t0)
"""


def bench_import():
    proc = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORT], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        print("FAIL  import adamlab: " + proc.stderr.strip().splitlines()[-1])
        return False
    seconds = float(proc.stdout)
    numpy_only = subprocess.run(
        [sys.executable, "-c", "import time; t0 = time.perf_counter(); import numpy; "
         "print(time.perf_counter() - t0)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    reference = float(numpy_only.stdout)
    print(
        f"PASS  import adamlab: {seconds:.3f} s without matplotlib "
        f"(import numpy alone {reference:.3f} s -> {seconds / reference:.1f}x that)"
    )
    return True


def main():
    print(f"adamlab {adamlab.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    results = [bench_basins(), bench_sweep(), bench_import(), bench_run_overhead()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
