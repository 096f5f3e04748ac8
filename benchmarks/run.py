"""Run every benchmark in this folder, one after another, and say which targets were missed.

    python benchmarks/run.py            # what `make bench` runs

Each script prints its figures next to a reference measured in the same run, with the ratio.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCRIPTS = ["bench_optimizers.py", "bench_trajectory.py", "bench_cli.py"]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)]).returncode != 0:
            failed.append(name)
    print("\nall targets met" if not failed else f"\ntargets missed in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
