"""Optimizer core speed and memory, each figure next to torch.optim's for the same work, measured in this run.

    python benchmarks/bench_optimizers.py [--quick]

Targets (issues 2 and 8), all against torch.optim's foreach implementation measured in the same run:

- a 2-vector Adam step takes at most half of torch.optim.Adam's time (its default implementation);
- on 10^7 float32 parameters and on the paper's 784-1000-1000-10 MLP (1.8 M float32 parameters in 6 arrays), the
  in-place step (``out=(params, state)``) takes at most 1x torch's time and the pure step at most 2x;
- the peak temporary memory of a step is at most 0.1x the parameter array.

torch is timed with one thread and with two (its default here); the ratio is to the two-thread time. Machines here
are noisy: both sides are timed alternately, the median of several repeats is kept, and the load average is
printed beside the figures. Compare ratios, not absolute times. A missed target is reported, not raised: this is a
report, not a test. torch is optional (skipped when it is not installed).

Where the time goes on 10^7 float32: the readable update (about 15 NumPy passes) is replayed block by block into
preallocated outputs (``adamlab/_kernel.py``), so it streams params, grad and state once; a pure step also writes
three new 40 MB arrays (fresh pages the kernel must zero), which is most of the gap between pure and in-place.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
import tracemalloc

import numpy as np

import adamlab

try:  # torch is only a yardstick, never a dependency
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

OURS = {
    "SGD": adamlab.SGD(lr=0.01),
    "Momentum": adamlab.Momentum(lr=0.01, momentum=0.9),
    "AdaGrad": adamlab.AdaGrad(lr=0.01),
    "RMSProp": adamlab.RMSProp(lr=0.01, rho=0.9),
    "Adam": adamlab.Adam(lr=1e-3),
    "AdaMax": adamlab.AdaMax(lr=2e-3, eps=1e-8),
    "NAdam": adamlab.NAdam(lr=2e-3),
}

MLP_SHAPES = [(784, 1000), (1000,), (1000, 1000), (1000,), (1000, 10), (10,)]


def torch_optimizer(name, params, foreach):
    o = torch.optim
    kw = {"foreach": foreach}
    return {
        "SGD": lambda: o.SGD(params, lr=0.01, **kw),
        "Momentum": lambda: o.SGD(params, lr=0.01, momentum=0.9, **kw),
        "AdaGrad": lambda: o.Adagrad(params, lr=0.01, **kw),
        "RMSProp": lambda: o.RMSprop(params, lr=0.01, alpha=0.9, **kw),
        "Adam": lambda: o.Adam(params, lr=1e-3, **kw),
        "AdaMax": lambda: o.Adamax(params, lr=2e-3, **kw),
        "NAdam": lambda: o.NAdam(params, lr=2e-3, **kw),
    }[name]()


def seconds(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def interleaved(fns, number, repeat):
    """Time several functions alternately (noise hits all of them alike); the median per function."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            times[i].append(seconds(fn, number))
    return [statistics.median(t) for t in times]


def problem(shapes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s).astype(dtype) for s in shapes]
    grads = [rng.normal(size=s).astype(dtype) for s in shapes]
    return params, grads


def ours_pure(opt, shapes, dtype):
    params, grads = problem(shapes, dtype)
    p, g = (params[0], grads[0]) if len(shapes) == 1 else (params, grads)
    state = opt.step(p, g, opt.init(p))[1]
    return lambda: opt.step(p, g, state)


def ours_in_place(opt, shapes, dtype):
    params, grads = problem(shapes, dtype)
    p, g = (params[0], grads[0]) if len(shapes) == 1 else (params, grads)
    box = [opt.init(p)]

    def step():
        box[0] = opt.step(p, g, box[0], out=(p, box[0]))[1]

    step()
    return step


def torch_step(name, shapes, dtype, foreach, threads):
    params, grads = problem(shapes, dtype)
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    for p, g in zip(ps, grads):
        p.grad = torch.tensor(g)
    opt = torch_optimizer(name, ps, foreach)
    opt.step()

    def step():
        torch.set_num_threads(threads)
        opt.step()

    return step


def peak_temporary(opt, shapes, dtype, in_place):
    """Peak memory allocated during one step beyond what it returns, in units of the parameter arrays."""
    params, grads = problem(shapes, dtype)
    p, g = (params[0], grads[0]) if len(shapes) == 1 else (params, grads)
    state = opt.init(p)
    for _ in range(2):  # warm up (the block program keeps its scratch buffers between steps)
        state = opt.step(p, g, state, out=(p, state) if in_place else None)[1]
    gc.collect()
    tracemalloc.start()
    result = opt.step(p, g, state, out=(p, state) if in_place else None)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    nbytes = sum(a.nbytes for a in params)
    return (peak - kept) / nbytes


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and no 10^7 run")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7
    print(load())
    results = {}

    print("\n2-vector, float64, microseconds per step (torch.optim's default implementation)")
    for name, opt in OURS.items():
        fns = [ours_pure(opt, [(2,)], np.float64)]
        if torch is not None:
            fns.append(torch_step(name, [(2,)], np.float64, foreach=False, threads=1))
        times = interleaved(fns, number=2000 if not args.quick else 500, repeat=repeat)
        results[("2", name)] = times
        theirs = f"torch {times[1] * 1e6:8.1f}   ratio {times[0] / times[1]:5.2f}" if torch else ""
        print(f"  {name:<9} {times[0] * 1e6:8.1f}   {theirs}")

    problems = {"10^6 float32": [(10**6,)]}
    if not args.quick:
        problems["10^7 float32"] = [(10**7,)]
    problems["MLP 784-1000-1000-10"] = MLP_SHAPES
    names = ["Adam"] if args.quick else ["SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "NAdam"]
    for label, shapes in problems.items():
        n = sum(int(np.prod(s)) for s in shapes)
        print(
            f"\n{label} ({n:,} parameters in {len(shapes)} arrays), milliseconds per step, medians"
        )
        header = "  optimizer   pure  in-place" + (
            "   torch-1t  torch-2t   pure/t2  in-place/t2" if torch else ""
        )
        print(header)
        for name in names:
            opt = OURS[name]
            fns = [ours_pure(opt, shapes, np.float32), ours_in_place(opt, shapes, np.float32)]
            if torch is not None:
                fns.append(torch_step(name, shapes, np.float32, foreach=True, threads=1))
                fns.append(torch_step(name, shapes, np.float32, foreach=True, threads=2))
            number = 1 if n >= 10**7 else 3
            times = interleaved(fns, number=number, repeat=repeat)
            results[(label, name)] = times
            row = f"  {name:<9} {times[0] * 1e3:7.1f} {times[1] * 1e3:9.1f}"
            if torch is not None:
                row += f" {times[2] * 1e3:10.1f} {times[3] * 1e3:9.1f} {times[0] / times[3]:9.2f} {times[1] / times[3]:12.2f}"
            print(row)
            fns.clear()
            gc.collect()
    if torch is not None:
        torch.set_num_threads(2)

    memory = {
        (label, mode): peak_temporary(OURS["Adam"], shapes, np.float32, mode == "in place")
        for label, shapes in problems.items()
        for mode in ("pure", "in place")
    }
    print(
        "\nAdam, peak temporary memory during a step (beyond what it returns), x the parameter arrays"
    )
    for (label, mode), value in memory.items():
        print(f"  {label:<22} {mode:<9} {value:.4f}")

    print(f"\n{load()}")
    print("\nTargets")
    checks = []
    if torch is not None:
        r = results[("2", "Adam")]
        checks.append(("2-vector Adam <= 0.5x torch.optim.Adam", r[0] / r[1], 0.5))
        for label in problems:
            if label == "10^6 float32":
                continue
            r = results[(label, "Adam")]
            checks.append((f"{label} Adam in place <= 1x torch foreach", r[1] / r[3], 1.0))
            checks.append((f"{label} Adam pure <= 2x torch foreach", r[0] / r[3], 2.0))
    for (label, mode), value in memory.items():
        checks.append((f"{label} Adam {mode}: peak temporaries <= 0.1x params", value, 0.1))
    missed = 0
    for text, value, target in checks:
        ok = value <= target
        missed += not ok
        print(f"  {text}: {value:.3f}  {'met' if ok else 'MISSED'}")
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
