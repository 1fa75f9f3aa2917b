"""`reportgen build`: outputs written atomically, errors stop it, withheld records reported."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from tests.support.briefings import FIXTURE


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_build_writes_every_report(project_dir):
    result = run("build", "-C", str(project_dir))
    assert result.exit_code == 0, result.output
    for report_id in ("fixture-brief", "fixture-front"):
        for fmt in ("md", "html"):
            path = project_dir / "build" / report_id / f"{report_id}.{fmt}"
            assert path.is_file()
            assert f"wrote build/{report_id}/{report_id}.{fmt}" in result.output
    assert ("fixture-brief: withheld 2 records marked above TLP:GREEN: incident "
            "2021-04-20-amber-meeting (TLP:AMBER), actor grey-unit (TLP:RED)") in result.output


def test_build_ends_with_the_absolute_paths_of_the_briefings(project_dir):
    """Whether it wrote them or found them up to date: the last lines say where they are."""
    for attempt in ("built", "nothing to do"):
        lines = run("build", "-C", str(project_dir)).output.splitlines()
        paths = [project_dir.resolve() / "build" / r / f"{r}.{fmt}"
                 for r in ("fixture-brief", "fixture-front") for fmt in ("md", "html")]
        assert lines[-5:] == ["briefings:", *(f"  {path}" for path in paths)], (attempt, lines)
        assert lines[-6].startswith(attempt) and all(path.is_file() for path in paths)


STRICT_ERRORS = [
    "incidents/2021/2021-04-20-amber-meeting.yaml:4:1: error: incident 2021-04-20-amber-meeting is "
    "marked TLP:AMBER, above fixture-brief's TLP:GREEN: --strict refuses to build a briefing that "
    "withholds it",
    "actors/grey-unit.yaml:4:1: error: actor grey-unit is marked TLP:RED, above fixture-brief's "
    "TLP:GREEN",
]


def test_strict_makes_withholding_an_error_and_writes_nothing(project_dir):
    result = run("build", "--strict", "-C", str(project_dir))
    assert result.exit_code == 1, result.output
    for expected in STRICT_ERRORS:
        assert expected in result.output
    assert "nothing was written" in result.output
    assert not (project_dir / "build" / "fixture-brief").exists()
    assert not (project_dir / "build" / "fixture-front").exists()


def test_strict_refuses_even_when_everything_is_up_to_date(project_dir):
    assert run("build", "-C", str(project_dir)).exit_code == 0
    built = project_dir / "build" / "fixture-brief" / "fixture-brief.html"
    before = (built.read_bytes(), built.stat().st_mtime_ns)
    result = run("build", "--strict", "-C", str(project_dir))
    assert result.exit_code == 1, result.output
    assert STRICT_ERRORS[0] in result.output
    assert (built.read_bytes(), built.stat().st_mtime_ns) == before


def test_strict_passes_once_the_report_may_show_every_record(project_dir):
    config = project_dir / "reportgen.yaml"
    text = config.read_text()
    assert text.count("marking: TLP:GREEN") == 1, "the fixture's brief is the one TLP:GREEN report"
    config.write_text(text.replace("marking: TLP:GREEN", "marking: TLP:RED"))
    result = run("build", "--strict", "fixture-brief", "-C", str(project_dir))
    assert result.exit_code == 0, result.output
    assert "withheld" not in result.output


def test_build_one_report(project_dir):
    result = run("build", "fixture-front", "-C", str(project_dir))
    assert result.exit_code == 0, result.output
    assert (project_dir / "build" / "fixture-front" / "fixture-front.html").is_file()
    assert not (project_dir / "build" / "fixture-brief").exists()


def test_unknown_report_is_a_usage_error(project_dir):
    result = run("build", "no-such-report", "-C", str(project_dir))
    assert result.exit_code == 2
    assert "no target 'no-such-report' (reports: fixture-brief, fixture-front;" in result.output


def test_validation_errors_stop_the_build_and_keep_old_outputs(project_dir):
    assert run("build", "-C", str(project_dir)).exit_code == 0
    built = project_dir / "build" / "fixture-brief" / "fixture-brief.html"
    before = built.read_bytes()
    incident = project_dir / "incidents" / "2021" / "2021-03-12-checkpoint-clash.yaml"
    incident.write_text(incident.read_text().replace("southern-brigade, role: attributed-to",
                                                     "southern-brigad, role: attributed-to"))
    result = run("build", "-C", str(project_dir))
    assert result.exit_code == 1
    assert ("incidents/2021/2021-03-12-checkpoint-clash.yaml:7:6: error: unknown actor "
            "'southern-brigad'") in result.output
    assert "build stopped" in result.output
    assert built.read_bytes() == before


@pytest.mark.parametrize(("template", "expected"), [
    ("{% if %}", "templates/partials/bottom-line.html.j2:1:1: error: template error:"),
    ("line one\n{{ no_such_variable }}", "templates/partials/bottom-line.html.j2:2:1: error: "
                                         "template error: 'no_such_variable' is undefined"),
])
def test_a_broken_project_template_is_a_located_error(project_dir, template, expected):
    (project_dir / "templates" / "partials").mkdir(parents=True)
    (project_dir / "templates" / "partials" / "bottom-line.html.j2").write_text(template)
    result = run("build", "fixture-brief", "-C", str(project_dir))
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (project_dir / "build" / "fixture-brief" / "fixture-brief.html").exists()


def test_open_shows_the_first_html_briefing_in_the_browser(project_dir, tmp_path, monkeypatch):
    """$BROWSER is what Python's webbrowser runs: a script that writes down what it was given."""
    seen = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {seen}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    result = run("build", "fixture-front", "--open", "-C", str(project_dir))
    assert result.exit_code == 0, result.output
    for _ in range(100):  # webbrowser starts the script in the background
        if seen.is_file() and seen.read_text().strip():
            break
        time.sleep(0.05)
    opened = (project_dir / "build" / "fixture-front" / "fixture-front.html").resolve().as_uri()
    assert seen.read_text().strip() == opened


def test_a_draft_with_errors_leaves_the_build_green_and_strict_stops_on_it(project_dir):
    draft = project_dir / "incidents" / "2021" / "2021-05-20-half-filled-draft.yaml"
    draft.write_text("id: 2021-05-20-half-filled-draft\ntitle: Half-filled (fictional)\n"
                     "date: 2021-05-20\nstatus: draft\n", encoding="utf-8")
    result = run("build", "-C", str(project_dir))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "half-filled-draft" in line]
    assert lines and all(": warning:" in line for line in lines), result.output
    strict = run("build", "--strict", "-C", str(project_dir))
    assert strict.exit_code == 1
    assert any(": error:" in line for line in strict.output.splitlines() if "half-filled-draft" in line)
    draft.write_text(draft.read_text().replace("status: draft\n", ""), encoding="utf-8")
    published = run("build", "-C", str(project_dir))
    assert published.exit_code == 1 and "build stopped" in published.output


def test_a_briefing_that_cannot_say_what_changed_tells_the_editor_and_not_the_reader(project_dir):
    """The briefing says only that it cannot compare; what to do about it is the editor's, and
    the build says it (no command line reaches a reader)."""
    result = run("build", "-C", str(project_dir), "fixture-brief", "--format", "md",
                 "--since", "2021-03-01")
    assert result.exit_code == 0, result.output
    assert ("fixture-brief: no issue dated on or before 2021-03-01 is recorded, so the briefing "
            "cannot say what changed since the last issue (build the earlier issue first, or "
            "give another date with --since)") in result.output
    briefing = (project_dir / "build" / "fixture-brief" / "fixture-brief.md").read_text(encoding="utf-8")
    assert "No record of that issue's contents was kept" in briefing and "--since" not in briefing
