"""The make-style build: rebuild exactly what changed, say why, never damage an output.

Every test builds a small generated project for real (Jinja rendering, files written, the state
saved) and counts what the build says it rebuilt. Report 0 of the synthetic project selects every
incident; report 1 only those in Syria (SY): incident 1 is in Syria, incident 3 in Iraq, and no
other incident links to either.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from reportgen.cli.progress import ConsoleReporter
from reportgen.layout import package_templates
from reportgen.make import build
from reportgen.make.jobs import Outcome, Written
from reportgen.make.result import Reporter
from reportgen.make.stale import Stale
from reportgen.make.state import STATE_FILE
from reportgen.make.targets import Target
from tests.support.builds import (
    ALL,
    built_corpus,
    cli,
    edit,
    incident,
    outputs,
    reasons,
    rebuilt,
    syria_outlook,
)
from tests.support.synthetic import actor_record


def test_a_second_build_rebuilds_nothing_and_reads_no_record(built):
    again = build(built, jobs=1)
    assert rebuilt(again) == set()
    assert not again.loaded
    assert {t.path for t in again.requested} == outputs(*ALL)


NO_OP_CORNER = {"reportgen", "reportgen.layout", "reportgen.formats", "reportgen.problems", "reportgen.make",
                "reportgen.make.cleanup", "reportgen.make.result",
                "reportgen.write.damage", "reportgen.make.lock", "reportgen.make.scan",
                "reportgen.make.stale", "reportgen.make.state", "reportgen.make.targets",
                "reportgen.render", "reportgen.render.fonts", "reportgen.write", "reportgen.write.atomic"}
"""The only modules of reportgen a no-op build may import: each imports the standard library only."""


def test_the_no_op_build_imports_no_model_yaml_or_template_code(built):
    """Nor what only a build that does something needs: hashing (OpenSSL), pickling the jobs,
    temporary files; each would be a few per cent of a no-op build on 10,000 incidents."""
    for path in [*built.rglob("*.yaml")]:  # older than "just modified": not hashed again
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert rebuilt(build(built, jobs=1)) == set()
    script = ("import sys; from reportgen.make import build; r = build(sys.argv[1]); "
              "heavy = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic', 'jinja2',"
              " 'hashlib', 'pickle', 'tempfile', 'shutil', 'multiprocessing', 'matplotlib', 'weasyprint')"
              f" or m.startswith('reportgen') and m not in {sorted(NO_OP_CORNER)!r}]; "
              "print(len(r.built), r.loaded, heavy)")
    done = subprocess.run([sys.executable, "-c", script, str(built)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.split() == ["0", "False", "[]"], done.stderr


def test_an_incident_outside_a_reports_filter_rebuilds_only_the_reports_selecting_it(built):
    edit(incident(built, 3), "title: Synthetic incident 3 at", "title: Synthetic incident 3 near")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs("synthetic-report-0")
    assert reasons(result)["build/synthetic-report-0/synthetic-report-0.md"] == [
        f"{incident(built, 3).relative_to(built).as_posix()} changed"]


def test_an_incident_inside_both_filters_rebuilds_both_reports(built):
    edit(incident(built, 1), "killed: ", "killed: 1")
    assert rebuilt(build(built, jobs=2)) == outputs(*ALL)


def test_an_incident_an_outlook_names_outside_its_filters_rebuilds_that_report(built):
    """Incident 3 (Iraq) is outside the Syria report's filters; once its outlook names it, the
    briefing shows its title, and editing it rebuilds the briefing."""
    syria_outlook(built)
    assert rebuilt(build(built, jobs=1)) == outputs("synthetic-report-1")
    edit(incident(built, 3), "title: ", "title: Edited ")
    assert rebuilt(build(built, jobs=1)) == outputs(*ALL)
    text = (built / "build/synthetic-report-1/synthetic-report-1.md").read_text(encoding="utf-8")
    assert "Edited " in text


def test_an_incident_moved_out_of_a_filter_rebuilds_the_report_it_left(built):
    path = incident(built, 1)
    edit(path, "country: SY", "country: IQ")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs(*ALL)
    shown = path.relative_to(built).as_posix()
    assert f"{shown} no longer selected" in reasons(result)["build/synthetic-report-1/synthetic-report-1.md"]
    assert f"{shown} changed" in reasons(result)["build/synthetic-report-0/synthetic-report-0.html"]
    edit(path, "country: IQ", "country: SY")
    back = build(built, jobs=1)
    assert rebuilt(back) == outputs(*ALL)
    assert f"{shown} now selected" in reasons(back)["build/synthetic-report-1/synthetic-report-1.html"]


def test_an_actor_rebuilds_only_the_reports_that_name_it(built):
    actor = built / "actors" / "synthetic-actor-99.yaml"
    actor.write_text(yaml.safe_dump(actor_record(99), sort_keys=False), encoding="utf-8")
    assert rebuilt(build(built, jobs=1)) == set()  # nobody names it yet
    edit(incident(built, 3), "actor: synthetic-actor-0\n", "actor: synthetic-actor-99\n")
    assert rebuilt(build(built, jobs=1)) == outputs("synthetic-report-0")
    edit(actor, "name: Synthetic Brigade 99", "name: Synthetic Brigade Ninety-Nine")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs("synthetic-report-0")
    assert reasons(result)["build/synthetic-report-0/synthetic-report-0.md"] == [
        "actors/synthetic-actor-99.yaml changed"]


def test_an_included_template_rebuilds_only_the_outputs_that_load_it(built):
    override = built / "templates" / "partials" / "incident.md.j2"
    override.parent.mkdir(parents=True)
    shutil.copy(package_templates() / "partials" / "incident.md.j2", override)
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs(*ALL, formats=("md",))
    assert reasons(result)["build/synthetic-report-1/synthetic-report-1.md"] == [
        "template partials/incident.md.j2 now comes from templates/partials/incident.md.j2"]
    override.write_text(override.read_text() + "{# a comment #}\n")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs(*ALL, formats=("md",))
    assert reasons(result)["build/synthetic-report-0/synthetic-report-0.md"] == [
        "templates/partials/incident.md.j2 changed"]


def test_the_stylesheet_rebuilds_only_html(built):
    stylesheet = built / "templates" / "style.css"
    stylesheet.parent.mkdir()
    stylesheet.write_text((package_templates() / "style.css").read_text() + "\nh1 { color: #123; }\n")
    assert rebuilt(build(built, jobs=1)) == outputs(*ALL, formats=("html",))
    assert "#123" in (built / "build/synthetic-report-1/synthetic-report-1.html").read_text()


def test_one_reports_config_rebuilds_that_report_only(built):
    config = built / "reportgen.yaml"
    edit(config, "title: Synthetic report 1", "title: Synthetic report one")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs("synthetic-report-1")
    assert reasons(result)["build/synthetic-report-1/synthetic-report-1.html"] == [
        "config of report 'synthetic-report-1' changed"]
    config.write_text(config.read_text() + "smtp:\n  host: localhost\n  sender: desk@example.org\n")
    unrelated = build(built, jobs=1)
    assert unrelated.loaded and rebuilt(unrelated) == set()


@pytest.mark.slow  # a process of its own, every output built again: 3.5 s, in CI
def test_a_new_reportgen_version_rebuilds_everything(built):
    script = ("import sys, reportgen; reportgen.__version__ = '99.0'; from reportgen.make import build; "
              "r = build(sys.argv[1], jobs=1); print(sorted(t.path for t in r.built)); "
              "print([str(reason) for reason in r.stale[0].reasons]); print(r.stale[0].reasons[0].kind)")
    done = subprocess.run([sys.executable, "-c", script, str(built)], capture_output=True,
                          text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[0] == str(sorted(outputs(*ALL))), done.stderr
    assert lines[1:] == ["['reportgen version changed (0.1.0 -> 99.0)']", "version"]


def test_a_deleted_or_replaced_output_is_rebuilt(built):
    (built / "build/synthetic-report-1/synthetic-report-1.html").unlink()
    (built / "build/synthetic-report-0/synthetic-report-0.md").write_text("edited by hand")
    result = build(built, jobs=1)
    assert rebuilt(result) == {"build/synthetic-report-1/synthetic-report-1.html",
                               "build/synthetic-report-0/synthetic-report-0.md"}
    assert reasons(result)["build/synthetic-report-1/synthetic-report-1.html"] == [
        "build/synthetic-report-1/synthetic-report-1.html is missing"]


def test_a_deleted_chart_rebuilds_the_markdown_that_links_it(built):
    chart = sorted((built / "build/synthetic-report-1/charts").iterdir())[-1]
    chart.unlink()
    result = build(built, jobs=1)
    assert rebuilt(result) == {"build/synthetic-report-1/synthetic-report-1.md"}
    assert reasons(result)["build/synthetic-report-1/synthetic-report-1.md"] == [
        f"{chart.relative_to(built).as_posix()} is missing"]
    assert chart.is_file()


def test_dry_run_prints_each_target_with_its_reason_and_writes_nothing(built):
    edit(incident(built, 1), "killed: ", "killed: 2")
    state = (built / "build" / STATE_FILE).read_bytes()
    html = (built / "build/synthetic-report-1/synthetic-report-1.html").read_bytes()
    done = cli(built, "build", "-n")
    assert done.returncode == 0, done.stderr
    changed = incident(built, 1).relative_to(built).as_posix()
    assert sorted(done.stdout.splitlines()) == sorted(f"{path}: {changed} changed"
                                                      for path in outputs(*ALL))
    assert (built / "build" / STATE_FILE).read_bytes() == state
    assert (built / "build/synthetic-report-1/synthetic-report-1.html").read_bytes() == html
    assert rebuilt(build(built, jobs=1)) == outputs(*ALL)


def test_validation_errors_stop_the_build_and_damage_nothing(built):
    state = (built / "build" / STATE_FILE).read_bytes()
    edit(incident(built, 1), "actor: synthetic-actor-", "actor: no-such-actor-")
    done = cli(built, "build")
    assert done.returncode == 1
    assert "error: unknown actor 'no-such-actor-" in done.stdout
    assert "build stopped: fix the errors above first (nothing was written)" in done.stdout
    assert (built / "build" / STATE_FILE).read_bytes() == state


@pytest.mark.slow
def test_a_failing_template_is_located_and_keep_going_builds_the_rest(built):
    broken = built / "templates" / "partials" / "incident.html.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text("<p>{{ incident.title }}</p>\n<p>{{ no_such_variable.field }}</p>\n")
    edit(incident(built, 1), "killed: ", "killed: 3")
    done = cli(built, "build", "-k", "-j1")
    assert done.returncode == 1
    assert ("templates/partials/incident.html.j2:2:1: error: template error: 'no_such_variable' is "
            "undefined (fix the template, or remove it to use the default theme)\n"
            "build/synthetic-report-0/synthetic-report-0.html: not built") in done.stdout
    assert "wrote build/synthetic-report-1/synthetic-report-1.md" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    broken.unlink()
    assert rebuilt(build(built, jobs=1)) == outputs(*ALL, formats=("html",))


def test_without_keep_going_the_first_failure_stops_new_work(built):
    broken = built / "templates" / "briefing.md.j2"
    broken.parent.mkdir()
    broken.write_text("{% if %}\n")
    edit(incident(built, 1), "killed: ", "killed: 4")
    result = build(built, jobs=1)
    assert not result.ok
    assert str(result.failed[0].problems[0]).startswith(
        "templates/briefing.md.j2:1:1: error: template error: Expected an expression")
    assert len(result.built) + len(result.failed) < 4


@pytest.mark.slow
def test_the_example_project_builds_and_then_has_nothing_to_do(example_project):
    first = cli(example_project, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "wrote build/escalation-brief/escalation-brief.html" in first.stdout
    again = cli(example_project, "build")
    assert again.returncode == 0
    assert again.stdout.startswith("nothing to do:"), again.stdout


def test_a_since_date_rebuilds_and_a_plain_build_goes_back(built):
    result = build(built, ["synthetic-report-1"], jobs=1, since=__import__("datetime").date(2021, 1, 10))
    assert rebuilt(result) == outputs("synthetic-report-1")
    assert reasons(result)["build/synthetic-report-1/synthetic-report-1.md"] == [
        "--since changed (none -> 2021-01-10)"]
    plain = build(built, jobs=1)
    assert rebuilt(plain) == outputs("synthetic-report-1")
    assert rebuilt(build(built, jobs=1)) == set()


class Listening(Reporter):
    """A front end that wants each output as it is rendered, as a progress bar does."""

    live = True

    def __init__(self):
        self.heard: list[tuple] = []

    def made(self, report: str, fmt: str) -> None:
        self.heard.append(("made", report, fmt))

    def finished(self, outcome) -> None:
        self.heard.append(("finished", outcome.report))


@pytest.mark.parametrize("jobs", [1, 2], ids=["inline", "workers"])
def test_a_live_reporter_hears_each_output_before_its_report_finishes(built, jobs):
    """The news of each rendered output reaches the build, from a worker too, before the
    report's outcome: the bar moves format by format, not report by report."""
    listener = Listening()
    result = build(built, jobs=jobs, force=True, reporter=listener)
    assert len(result.built) == 4 and not result.failed
    for report in {target.report for target in result.built}:
        mine = [event for event in listener.heard if event[1] == report]
        assert sorted(mine[:-1]) == [("made", report, "html"), ("made", report, "md")]
        assert mine[-1] == ("finished", report)


def test_the_progress_bar_moves_as_each_output_is_rendered():
    shown = io.StringIO()
    shown.isatty = lambda: True  # a terminal
    reporter = ConsoleReporter(stream=shown)
    targets = [Target("fake-report", fmt) for fmt in ("pdf", "md", "html")]
    reporter.planned([Stale(t) for t in targets], 3)
    reporter.started(targets)
    task = reporter.progress.tasks[0]
    assert (task.completed, task.description) == (0, "fake-report: pdf, md, html")
    reporter.made("fake-report", "pdf")
    assert (task.completed, task.description) == (1, "fake-report: md, html")
    reporter.finished(Outcome("fake-report", written=[Written(t, [], (0, 0)) for t in targets]))
    assert task.completed == 3
    reporter.close()


@pytest.mark.slow  # three Word builds: 3.7 s, in CI
def test_word_rebuilds_for_its_house_template_and_the_markdown_templates_it_is_made_from(tmp_path):
    root = built_corpus(tmp_path, incidents=6, actors=2, formats=("md", "docx"))
    report = "synthetic-report-0"
    assert (root / f"build/{report}/{report}.docx").is_file()
    house = root / "templates" / "reference.docx"
    house.parent.mkdir()
    shutil.copy(package_templates() / "reference.docx", house)
    result = build(root, jobs=1)
    assert rebuilt(result) == outputs(report, formats=("docx",))
    assert reasons(result)[f"build/{report}/{report}.docx"] == [
        "template reference.docx now comes from templates/reference.docx"]
    header = root / "templates" / "docx" / "header.xml.j2"
    header.parent.mkdir()
    header.write_text((package_templates() / "docx" / "header.xml.j2").read_text() + "\n")
    assert rebuilt(build(root, jobs=1)) == outputs(report, formats=("docx",))
    partial = root / "templates" / "partials" / "incident.md.j2"
    partial.parent.mkdir()
    partial.write_text((package_templates() / "partials" / "incident.md.j2").read_text() + "\n")
    assert rebuilt(build(root, jobs=1)) == outputs(report, formats=("md", "docx"))
