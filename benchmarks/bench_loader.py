"""Loader speed against a bare `yaml.load(..., CSafeLoader)` of the same files, side by side.

    .venv/bin/python benchmarks/bench_loader.py [--incidents 10000] [--rounds 3]

Generates a synthetic corpus (fake names) once, then alternates the two readers so that both
see the same page cache and machine load; prints the best time of each and the ratio.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import yaml

from reportgen.layout import record_files
from reportgen.load.yaml_loader import load_yaml
from reportgen.pipeline import open_project

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the corpus generator is a test helper
from tests.support.synthetic import write_corpus  # noqa: E402


def bare(files: list[Path]) -> None:
    for path in files:
        with path.open("rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)


def reportgen_loader(files: list[Path]) -> None:
    for path in files:
        document, problems = load_yaml(path)
        assert document is not None, problems


def best_of(rounds: int, function, *args) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = write_corpus(Path(folder), incidents=args.incidents, actors=40)
        files = [root / path for path, _ in record_files(root, "incidents")[0]]
        bare(files)  # warm the page cache
        timings = {"bare": [], "loader": []}
        for _ in range(args.rounds):
            timings["bare"].append(best_of(1, bare, files))
            timings["loader"].append(best_of(1, reportgen_loader, files))
        base, ours = min(timings["bare"]), min(timings["loader"])
        full = best_of(1, open_project, root)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__})")
    print(f"{len(files)} incident files")
    print(f"bare yaml.load(CSafeLoader):        {base:7.3f} s")
    print(f"reportgen loader (with positions):  {ours:7.3f} s   ratio {ours / base:.2f}x (target <= 1.5x)")
    print(f"load + validate whole project:      {full:7.3f} s   ratio {full / base:.2f}x (informational)")


if __name__ == "__main__":
    main()
