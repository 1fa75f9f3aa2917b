"""The make-style build at scale, each figure next to its bare baseline measured in the same run.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000 10000] [--reports 10]

For each size it generates two synthetic corpora (fake names): one with `--reports` reports
(report 0 selects everything, the others one country each) and one with 4 reports of similar
size (one country each). Builds run as separate processes (`python -c` calling
`reportgen.make.build`, which reports its phases); the memory figure is the peak of the summed
proportional set sizes (PSS) of the build's whole process tree (the build, the forkserver and
the workers), sampled every 20 ms from /proc in builds of their own. The forced -j1 and -j2 builds
of the 4 reports alternate five times, unsampled (sampling takes CPU the two workers need), and
the best of each is compared, since the parallel capacity of this virtual machine varies from
minute to minute (the bare 2-process speed-up is printed with them).

Baselines: bare `yaml.load` (CSafeLoader) of every input file for loading; a bare `os.stat` walk of
the input folders for the no-op build; making and rendering the briefings alone (select, analyse,
draw the charts, render; in this process, nothing written, one report after another) for rendering.

The no-op target (at most 5% of load+validate) is checked like with like, three ways: the
`build()` call against the `open_project()` call in a warm process; the build inside its process
(imports included) against a process loading the project, less interpreter start; and the whole
`reportgen build` process against the whole loading process. reportgen's modules are byte-compiled
first, as pip does on install: with PYTHONDONTWRITEBYTECODE set (this machine sets it) every
process would otherwise compile them again, a cost no installed copy pays.
"""

from __future__ import annotations

import argparse
import compileall
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

import reportgen
from reportgen.layout import record_files
from reportgen.make.tuning import collect_less
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.text import render

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the corpus generator is a test helper
from tests.support.synthetic import write_corpus  # noqa: E402

ROUNDS = 5
"""-j1 and -j2 builds alternate this many times; the best of each is compared."""

RUNNER = """
import json, sys, time
start = time.perf_counter()
from reportgen.make import build
from reportgen.make.tuning import collect_less
collect_less()  # as the command line does
called = time.perf_counter()
result = build(sys.argv[1], jobs=int(sys.argv[2]), force=sys.argv[3] == "force")
print(json.dumps({"wall": time.perf_counter() - start, "call": time.perf_counter() - called,
                  "seconds": result.seconds, "loaded": result.loaded, "ok": result.ok,
                  "built": sorted(t.path for t in result.built)}))
"""


def run_build(root: Path, jobs: int, force: bool = False, memory: bool = True) -> dict:
    """One build in a fresh process: its own report, the wall time seen from outside, and (with
    `memory`) the peak memory of its process tree. Sampling reads /proc/PID/smaps_rollup of each
    process every 20 ms, which costs CPU: builds timed against each other run without it."""
    command = [sys.executable, "-c", RUNNER, str(root), str(jobs), "force" if force else ""]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    peak = TreePeak(process.pid) if memory else None
    out, _ = process.communicate()
    report = json.loads(out)
    assert report["ok"], report
    report["outside"] = time.perf_counter() - started
    if peak is not None:
        peak.stop()
        report["peak_mb"], report["peak_rss_mb"] = peak.mb, peak.rss / 1e6
    return report


PATH = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
"""The environment with this interpreter's scripts (`reportgen`) first on the path."""


def run_command(command: list[str], env: dict | None = None) -> float:
    """Wall time of a command, nothing sampled (a sampler would take CPU and, joined at the end,
    up to one sampling period of a 0.1 s process)."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started


def command_peak(command: list[str]) -> float:
    """Peak tree memory of a command, in MB."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    peak = TreePeak(process.pid)
    process.wait()
    peak.stop()
    return peak.mb


class TreePeak:
    """Samples the memory of every process in a process group (a build, its forkserver and its
    workers): the sum of their proportional set sizes (PSS: a page shared by n processes, as the
    forked workers share the server's, counts 1/n in each), and of their resident sizes."""

    def __init__(self, group: int):
        self.group, self.pss, self.rss, self.running = group, 0, 0, True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            pss = rss = 0
            for pid in os.listdir("/proc"):
                if pid.isdigit() and self._in_group(pid):
                    pss_kb, rss_kb = _memory_kb(pid)
                    pss, rss = pss + pss_kb * 1024, rss + rss_kb * 1024
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            time.sleep(0.02)

    def _in_group(self, pid: str) -> bool:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return False
        return int(fields[2]) == self.group  # pgrp

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    @property
    def mb(self) -> float:
        return self.pss / 1e6


def _memory_kb(pid: str) -> tuple[int, int]:
    """(Pss, Rss) of a process in kB, from /proc/PID/smaps_rollup."""
    values = {"Pss:": 0, "Rss:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(" ")
            if name in values:
                values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values["Pss:"], values["Rss:"]


def bare_yaml(root: Path) -> None:
    records = [path for folder in ("incidents", "actors") for path, _ in record_files(root, folder)[0]]
    files = [root / "reportgen.yaml", root / "sources.yaml", *(root / path for path in records)]
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def bare_stat_walk(root: Path) -> int:
    count = 0
    for folder in ("incidents", "actors", "templates"):
        for directory, _, names in os.walk(root / folder):
            for name in names:
                os.stat(os.path.join(directory, name))
                count += 1
    for name in ("reportgen.yaml", "sources.yaml"):
        os.stat(root / name)
    return count


def burn(rounds: int) -> int:
    total = 0
    for i in range(rounds):
        total += i * i
    return total


def bare_parallelism(rounds: int = 4_000_000) -> float:
    """How much faster two processes do two pieces of pure-Python work than one process does:
    the speed-up this machine offers right now (other load included), the ceiling for -j2. On
    this virtual machine it varies from run to run (1.3x to 1.9x seen within a minute), hence the
    rounds."""
    serial, _ = timed(lambda: [burn(rounds), burn(rounds)])
    with multiprocessing.get_context("forkserver").Pool(2) as pool:
        pool.map(burn, [1, 1])  # start the workers first
        parallel, _ = timed(pool.map, burn, [rounds, rounds])
    return serial / parallel


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def render_alone(root: Path, report_ids: list[str] | None = None) -> float:
    """Each report's briefing made and rendered (select, analyse, draw the charts, render the
    texts; nothing written), one after another, in this process: the work a build cannot avoid."""
    project = open_project(root)
    started = time.perf_counter()
    for report in project.config.reports:
        if report_ids is None or report.id in report_ids:
            briefing = make_briefing(project, report)
            for fmt in report.formats:
                render(briefing, fmt)
    return time.perf_counter() - started


def bench_size(folder: Path, incidents: int, reports: int, cores: int) -> None:
    root = write_corpus(folder / "many", incidents, actors=40, reports=reports)
    similar = write_corpus(folder / "four", incidents, actors=40, reports=4, similar_reports=True)
    print(f"\n## {incidents:,} incidents, 40 actors; {reports} reports (md + html)\n")
    bare_yaml(root)  # warm the page cache
    yaml_s, _ = timed(bare_yaml, root)
    load_s, project = timed(open_project, root)
    assert not project.errors
    render_s = render_alone(root)
    line("bare yaml.load of every input file", yaml_s)
    line("load + validate (open_project)", load_s, f"{load_s / yaml_s:.2f}x bare yaml.load")
    line("briefings made and rendered alone (analyse, chart, render), every report", render_s)

    cold = run_build(root, cores)
    line(f"cold full build, -j{cores}", cold["outside"],
         f"load {cold['seconds']['load']:.2f} s + render {cold['seconds']['render']:.2f} s; "
         f"vs load+validate + briefings alone {load_s + render_s:.2f} s")

    stat_s, count = timed(bare_stat_walk, root)
    noops = [run_build(root, cores, memory=False) for _ in range(5)]
    assert not any(n["loaded"] or n["built"] for n in noops)
    noop = min(run_command(["reportgen", "build", "-q", "-C", str(root)], PATH) for _ in range(5))
    python_s = min(run_command([sys.executable, "-c", "pass"]) for _ in range(3))
    loading = min(run_command([sys.executable, "-c", "from reportgen.make.tuning import collect_less; "
                               "collect_less(); from reportgen.pipeline import open_project; "
                               f"open_project({str(root)!r})"]) for _ in range(2))
    line(f"bare os.stat walk of the {count:,} input files", stat_s)
    line("bare `python -c pass` (interpreter start)", python_s)
    line("load + validate, whole process (`python -c` open_project)", loading)
    call, inside = min(n["call"] for n in noops), min(n["wall"] for n in noops)
    shares = {"call": call / load_s, "inside": inside / (loading - python_s), "whole": noop / loading}
    line("no-op `reportgen build` (whole process)", noop,
         f"{shares['whole']:.1%} of the loading process (< 1 s: {'met' if noop < 1 else 'NOT met'})")
    line("no-op build inside its process (import, scan, decide)", inside,
         f"{shares['inside']:.1%} of the loading process less interpreter start")
    line("no-op build() call (scan, decide)", call,
         f"{shares['call']:.1%} of the open_project() call, both in a warm process")
    worst = max(shares.values())
    line("no-op build, target <= 5% of load+validate (set for 10,000)", None,
         f"{'met all three ways' if worst <= 0.05 else 'NOT met'}: largest share {worst:.1%}")

    edited = next(root.glob("incidents/*/*-synthetic-1.yaml"))  # in Syria
    edited.write_text(edited.read_text().replace("title: Synthetic", "title: Edited synthetic"))
    edit = run_build(root, cores, memory=False)
    rebuilt_reports = sorted({p.split("/")[1] for p in edit["built"]})
    selecting = [r.id for r in project.config.reports
                 if not r.filters.countries or "SY" in r.filters.countries]
    assert rebuilt_reports == sorted(selecting), (rebuilt_reports, selecting)
    alone = render_alone(root, rebuilt_reports)
    line(f"one incident edited: rebuilt {len(rebuilt_reports)} of {reports} reports "
         f"(exactly those selecting it)", edit["outside"],
         f"load {edit['seconds']['load']:.2f} s + render {edit['seconds']['render']:.2f} s; "
         f"briefings alone of those reports {alone:.2f} s")

    run_build(similar, 1)  # first build, then forced rebuilds
    rounds = [(bare_parallelism(), run_build(similar, 1, force=True, memory=False),
               run_build(similar, 2, force=True, memory=False))
              for _ in range(ROUNDS)]  # alternated, so each pair sees the same machine
    ceiling = max(bare for bare, _, _ in rounds)
    one = min((j1 for _, j1, _ in rounds), key=lambda r: r["outside"])
    two = min((j2 for _, _, j2 in rounds), key=lambda r: r["outside"])
    ratios = [j1["outside"] / j2["outside"] for _, j1, j2 in rounds]
    each = ", ".join(f"{ratio:.2f}x" for ratio in ratios)
    line(f"4 similar reports, forced build -j1, best of {ROUNDS}", one["outside"],
         f"render {one['seconds']['render']:.2f} s")
    line(f"4 similar reports, forced build -j2, best of {ROUNDS}", two["outside"],
         f"render {two['seconds']['render']:.2f} s; speed-up {one['outside'] / two['outside']:.2f}x "
         f"whole build (each round: {each}; median {statistics.median(ratios):.2f}x), "
         f"{one['seconds']['render'] / two['seconds']['render']:.2f}x rendering "
         f"(target >= 1.6x: {'met' if one['outside'] >= 1.6 * two['outside'] else 'NOT met'}; "
         f"bare 2-process speed-up, best of {ROUNDS}: {ceiling:.2f}x)")

    yaml_peak = command_peak([sys.executable, "-c", "import sys; sys.path.insert(0, 'benchmarks');"
                              "from pathlib import Path; import bench_build as b; "
                              f"b.bare_yaml(Path({str(root)!r}))"])
    forced = run_build(root, cores, force=True)
    line(f"peak memory (PSS) of the build's process tree, forced -j{cores}", None,
         f"{forced['peak_mb']:.0f} MB (target < 500 MB; summed RSS {forced['peak_rss_mb']:.0f} MB); "
         f"cold build {cold['peak_mb']:.0f} MB; bare yaml.load process {yaml_peak:.0f} MB")


def line(label: str, seconds: float | None, note: str = "") -> None:
    shown = f"{seconds:8.3f} s" if seconds is not None else " " * 10
    print(f"{label:<62} {shown}   {note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--reports", type=int, default=10)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    collect_less()  # this process loads and renders as a reportgen process does
    compileall.compile_dir(Path(reportgen.__file__).parent, quiet=1)
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {cores} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, PyYAML {yaml.__version__}; "
          f"load average at start {load[0]:.2f}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as folder:
            bench_size(Path(folder), size, args.reports, cores)
    print(f"\nload average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
