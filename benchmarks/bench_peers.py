"""reportgen beside the peers a desk could pick instead: Pandoc + Typst for PDF, Pandoc for HTML.

    .venv/bin/python benchmarks/bench_peers.py [--rounds 3] [--sizes 2000] [--skip-large]

Every peer runs on reportgen's own Markdown of the same briefing (built once, first), so both
sides lay out the same text and charts: Pandoc's Typst writer with its default template (and the
Word writer's filter for the briefing's anchors, see ANCHORS), then
Typst (the `typst` Python package, a benchmark extra, never a runtime dependency) for PDF;
Pandoc's standalone HTML with the charts embedded for HTML. Each side runs as a process of its
own, cold: reportgen with its build folder removed (no kept parts, no kept charts) and
`--force`; one row builds again with the charts the last build kept (what a rebuild pays when
the charts' data did not change). Rounds alternate the two sides; the figures are medians, with
the load average beside each round (this is a shared virtual machine: read a ratio with its load).

Workloads: the example's one-week issue (2-8 February 2024), the full example briefing (PDF and
HTML), and a generated project of `--sizes` incidents (fake names) at -j1 and -j2, with an edit
(one incident's notes changed, then the PDF built again) against its cold build. Targets (issue
32): the week within 2x of Pandoc + Typst, the example's HTML no slower than Pandoc's, 2,000
incidents at -j2 within 1.5x, an edit at most 5 % of a cold build.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the corpus generator is a test helper
from tests.support.synthetic import write_corpus  # noqa: E402

ANCHORS = REPO / "reportgen" / "render" / "word" / "briefing.lua"
"""The Word writer's Pandoc filter: it turns the Markdown's `<a id>` anchors into targets, which
Typst needs for the briefing's internal links (headings then take no ids of their own: Typst
refuses a label twice)."""
REPORT = "escalation-brief"
PROJECT_FILES = ("incidents", "actors", "sources.yaml", "tallies.yaml", "reportgen.yaml")
"""The example project's own files (its theme is the package's default one)."""
WEEK = {"from": "2024-02-02", "to": "2024-02-08"}
TYPST = """
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000])
    parser.add_argument("--skip-large", action="store_true", help="only the example's workloads")
    args = parser.parse_args()
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, Pandoc {pypandoc.get_pandoc_version()}\n")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        example = project_copy(scratch / "example", period=None)
        week = project_copy(scratch / "week", period=WEEK)
        rows = [compare("one-week issue, PDF", week, REPORT, "pdf", 1, args.rounds),
                compare("full example, PDF", example, REPORT, "pdf", 1, args.rounds),
                compare("full example, HTML", example, REPORT, "html", 1, args.rounds),
                compare("full example, HTML, charts kept", example, REPORT, "html", 1, args.rounds,
                        keep=True)]
        if not args.skip_large:
            for size in args.sizes:
                large = write_corpus(scratch / f"large-{size}", size, formats=("md", "html", "pdf"))
                report = yaml.safe_load((large / "reportgen.yaml").read_text())["reports"][0]["id"]
                for jobs in (1, 2):
                    rows.append(compare(f"{size:,} incidents, PDF, -j{jobs}", large, report, "pdf",
                                        jobs, args.rounds))
                rows.append(edit_row(large, report, args.rounds))
    print("| work | reportgen | peer | ratio | load (1 min) |\n|---|---|---|---|---|")
    for row in rows:
        print(row)


def project_copy(target: Path, period: dict | None) -> Path:
    """The example project with only the escalation brief (in md, html and pdf), over `period`
    when given."""
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, target / name)
    config_path = target / "reportgen.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    report = next(r for r in config["reports"] if r["id"] == REPORT)
    report["formats"] = ["md", "html", "pdf"]
    if period:
        report["period"] = period
        report.pop("cutoff", None)
        report["previous_issue"] = "2024-02-01"
    config["reports"] = [report]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def reportgen(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportgen", *args, "-C", str(root)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold(root: Path, report: str, fmt: str, jobs: int, keep: bool = False) -> float:
    """A forced build; from nothing, or with what the last one kept (its charts) when `keep`."""
    if not keep:
        shutil.rmtree(root / "build", ignore_errors=True)
    return reportgen(root, "build", report, "--format", fmt, "--force", "-j", str(jobs))


def peer(markdown: Path, fmt: str) -> float:
    """Pandoc (+ Typst for PDF) on reportgen's Markdown, each a process of its own."""
    folder = markdown.parent
    pandoc = pypandoc.get_pandoc_path()
    start = time.perf_counter()
    if fmt == "pdf":
        typ = folder / "peer.typ"
        subprocess.run([pandoc, str(markdown), "-f", "gfm-gfm_auto_identifiers", "--lua-filter",
                        str(ANCHORS), "-s", "-t", "typst", "-o", str(typ)], check=True, cwd=folder,
                       stderr=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-c", TYPST, str(typ), str(folder / "peer.pdf"), str(folder)],
                       check=True, cwd=folder)
    else:
        subprocess.run([pandoc, str(markdown), "-s", "--embed-resources", "--metadata",
                        "title=briefing", "-o", str(folder / "peer.html")], check=True, cwd=folder,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(label: str, root: Path, report: str, fmt: str, jobs: int, rounds: int,
            keep: bool = False) -> str:
    reportgen(root, "build", report, "--format", "md")
    markdown = peer_copy(root, report)
    ours, theirs, loads = [], [], []
    for _ in range(rounds):
        ours.append(cold(root, report, fmt, jobs, keep))
        theirs.append(peer(markdown, fmt))
        loads.append(os.getloadavg()[0])
    mine, other = statistics.median(ours), statistics.median(theirs)
    return (f"| {label} | {mine:.2f} s | {other:.2f} s | {mine / other:.2f}x "
            f"| {', '.join(f'{load:.1f}' for load in loads)} |")


def peer_copy(root: Path, report: str) -> Path:
    """reportgen's Markdown and its charts, in a folder of the peer's own (cold builds remove
    build/)."""
    folder = root.parent / f"{root.name}-peer"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(root / "build" / report, folder, ignore=shutil.ignore_patterns("archive", "issues"))
    return folder / f"{report}.md"


def edit_row(root: Path, report: str, rounds: int) -> str:
    """A cold -j2 PDF build, then one incident's notes edited (words no chart shows) and the
    PDF built again."""
    incidents = sorted((root / "incidents").rglob("*.yaml"))
    edited = incidents[len(incidents) // 2]
    colds, edits = [], []
    for n in range(rounds):
        colds.append(cold(root, report, "pdf", 2))
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("notes: ", f"notes: Edited {n}. ", 1) if "notes: " in text
                          else text + f"notes: Edited {n}.\n", encoding="utf-8")
        edits.append(reportgen(root, "build", report, "--format", "pdf", "-j", "2"))
    cold_time, edit_time = statistics.median(colds), statistics.median(edits)
    return (f"| one incident's notes edited, {len(incidents):,} incidents, PDF, -j2 "
            f"| {edit_time:.2f} s | cold {cold_time:.2f} s | {edit_time / cold_time:.1%} of cold "
            f"| {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
