"""`reportgen next`: the next issue of a report, written into reportgen.yaml in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.model.config import Cadence
from reportgen.pipeline import open_project
from tests.support.synthetic import write_corpus

CONFIG = """\
# yaml-language-server: $schema=schemas/config.schema.json
project:
  title: Synthetic test project   # a comment after a value
  desk: Synthetic Desk

sides:
  blue: {label: Synthetic blue side}
  red: {label: "Synthetic red side"}

# The weekly report; its editor keeps these notes.
reports:
  - id: weekly
    title: 'Weekly: synthetic'
    issue: 4          # bumped every week
    period: {from: 2024-01-01, to: 2024-01-07}
    cutoff: 2024-01-07
    previous_issue: 2023-12-31
    bottom_line: |
      Synthetic judgment, carried from week to week.
    key_judgments:
      - text: Synthetic key judgment.
        likelihood: likely
        confidence: moderate
    formats: [md, html]

  - id: monthly
    title: Monthly synthetic report
    cadence: monthly
    period:
      from: 2024-01-01
      to: 2024-01-31
    formats: [md]
"""


def project_with(tmp_path: Path, config: str = CONFIG, newline: str = "\n") -> Path:
    """A small valid corpus with this reportgen.yaml, written byte for byte."""
    root = write_corpus(tmp_path / "project", incidents=6, actors=3)
    (root / "reportgen.yaml").write_bytes(config.replace("\n", newline).encode("utf-8"))
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "-C", str(root)])


def config_of(root: Path) -> str:
    return (root / "reportgen.yaml").read_bytes().decode("utf-8")


def test_next_edits_only_the_values_it_rolls_and_keeps_every_other_byte(tmp_path):
    root = project_with(tmp_path)
    result = run(root, "next")
    assert result.exit_code == 0, result.output
    expected = CONFIG.replace(
        "    issue: 4          # bumped every week\n"
        "    period: {from: 2024-01-01, to: 2024-01-07}\n"
        "    cutoff: 2024-01-07\n"
        "    previous_issue: 2023-12-31\n",
        "    issue: 5          # bumped every week\n"
        "    period: {from: 2024-01-08, to: 2024-01-14}\n"
        "    cutoff: 2024-01-14\n"
        "    previous_issue: 2024-01-07\n"
        "    review: [bottom-line, key-judgments]\n")
    assert config_of(root) == expected
    assert "issue:          4 -> 5" in result.output
    assert "2024-01-01 to 2024-01-07 -> 2024-01-08 to 2024-01-14" in result.output
    assert "to review: bottom line, key judgments" in result.output


def test_next_inserts_what_a_report_leaves_out_at_the_report_s_indentation(tmp_path):
    root = project_with(tmp_path)
    result = run(root, "next", "monthly")
    assert result.exit_code == 0, result.output
    expected = CONFIG.replace(
        "    issue: 4 ", "    issue: 4 ").replace(  # the weekly report is not touched
        "    cadence: monthly\n    period:\n      from: 2024-01-01\n      to: 2024-01-31\n",
        "    cadence: monthly\n    period:\n      from: 2024-02-01\n      to: 2024-02-29\n"
        "    previous_issue: 2024-01-31\n").replace(
        "  - id: monthly\n", "  - id: monthly\n    issue: 2\n")
    assert config_of(root) == expected
    report = open_project(root, templates=False).config.report("monthly")
    assert (report.issue, report.previous_issue, report.review) == (2, dt.date(2024, 1, 31), [])


@pytest.mark.parametrize(("cadence", "end", "start", "last"), [
    ("weekly", "2024-12-28", "2024-12-29", "2025-01-04"),            # across the year's end
    ("weekly", "2024-02-22", "2024-02-23", "2024-02-29"),            # a leap day
    ("fortnightly", "2024-02-15", "2024-02-16", "2024-02-29"),
    ("fortnightly", "2023-02-15", "2023-02-16", "2023-03-01"),
    ("monthly", "2024-01-31", "2024-02-01", "2024-02-29"),           # a leap year's February
    ("monthly", "2023-01-31", "2023-02-01", "2023-02-28"),
    ("monthly", "2024-02-29", "2024-03-01", "2024-03-31"),           # month ends stay month ends
    ("monthly", "2024-12-31", "2025-01-01", "2025-01-31"),
    ("monthly", "2024-01-14", "2024-01-15", "2024-02-14"),           # mid-month to mid-month
    ("monthly", "2024-01-30", "2024-01-31", "2024-02-29"),           # a shorter next month
])
def test_each_cadence_rolls_the_period_from_the_day_after_it_ended(tmp_path, cadence, end, start, last):
    config = CONFIG.replace("    issue: 4 ", f"    cadence: {cadence}\n    issue: 4 ").replace(
        "to: 2024-01-07}\n    cutoff: 2024-01-07\n    previous_issue: 2023-12-31",
        f"to: {end}}}\n    cutoff: {end}\n    previous_issue: 2022-12-31").replace(
        "from: 2024-01-01, to:", "from: 2023-01-01, to:")
    root = project_with(tmp_path, config)
    assert run(root, "next", "weekly").exit_code == 0
    report = open_project(root, templates=False).config.report("weekly")
    assert report.cadence == Cadence(cadence)
    assert report.period.from_ == dt.date.fromisoformat(start)
    assert report.period.to == dt.date.fromisoformat(last)
    assert report.cutoff == report.period.to
    assert report.previous_issue == dt.date.fromisoformat(end)
    assert report.issue == 5


def test_check_warns_at_each_review_item_until_the_editor_removes_it(tmp_path):
    root = project_with(tmp_path)
    assert run(root, "next").exit_code == 0
    lines = config_of(root).splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.strip().startswith("review:"))
    column = lines[line - 1].index("key-judgments") + 1
    checked = run(root, "check", "--format", "json")
    assert checked.exit_code == 0, checked.output  # warnings: the build goes on
    warned = [p for p in _problems(checked.output) if p["path"] == "reportgen.yaml"]
    assert [(p["line"], p["severity"]) for p in warned] == [(line, "warning"), (line, "warning")]
    assert warned[1]["column"] == column
    assert "bottom line" in warned[0]["message"] and "key judgments" in warned[1]["message"]

    (root / "reportgen.yaml").write_text(config_of(root).replace("[bottom-line, key-judgments]",
                                                                 "[key-judgments]"), encoding="utf-8")
    still = [p for p in _problems(run(root, "check", "--format", "json").output)
             if p["path"] == "reportgen.yaml"]
    assert [p["message"] for p in still] == [warned[1]["message"]]

    confirmed = "\n".join(text for text in lines if not text.strip().startswith("review:")) + "\n"
    (root / "reportgen.yaml").write_text(confirmed, encoding="utf-8")
    assert not [p for p in _problems(run(root, "check", "--format", "json").output)
                if p["path"] == "reportgen.yaml"]


def test_the_next_issue_after_an_unreviewed_one_keeps_listing_what_awaits_review(tmp_path):
    """A block-style list left from last week is rewritten on the key's line."""
    root = project_with(tmp_path, CONFIG.replace(
        "    previous_issue: 2023-12-31\n",
        "    previous_issue: 2023-12-31\n    review:\n    - bottom-line\n    # still to read\n"))
    assert run(root, "next").exit_code == 0
    text = config_of(root)
    assert "    review: [bottom-line, key-judgments]\n    # still to read\n    bottom_line: |" in text
    assert open_project(root, templates=False).config.report("weekly").review == ["bottom-line",
                                                                                   "key-judgments"]


@pytest.mark.parametrize(("subtitle", "reviewed"), [
    ("Week 1, January 2024", True), ("Synthetic incidents of 2024", True),
    ("Escalation chronology, Jan to Feb", True), ("The weekly synthetic issue", False),
    ("Since 2019, weekly", False)])
def test_a_subtitle_naming_the_period_goes_on_review(tmp_path, subtitle, reviewed):
    """`next` cannot tell what a subtitle naming the period (a year or a month of it) should say
    next: it lists it for review, and check says what is wrong with it."""
    root = project_with(tmp_path, CONFIG.replace("    issue: 4 ", f"    subtitle: {subtitle}\n    issue: 4 "))
    assert run(root, "next").exit_code == 0
    review = open_project(root, templates=False).config.report("weekly").review
    assert review == (["subtitle"] if reviewed else []) + ["bottom-line", "key-judgments"]
    if reviewed:
        warned = [p["message"] for p in _problems(run(root, "check", "--format", "json").output)]
        assert "subtitle names the last issue's period: not yet reviewed" in warned


@pytest.mark.parametrize("broken", [
    ("    issue: 4 ", "    issue: four "),                       # not a number
    ("    formats: [md, html]\n", "    formats: [md, html]\n    distribution: [nobody]\n"),
    ("    cadence: monthly\n", "    cadence: daily\n"),
    ("    issue: 4 ", "    review: [outlook]\n    issue: 4 "),  # no outlook on this report
])
def test_a_config_with_errors_is_refused_and_left_as_it_was(tmp_path, broken):
    root = project_with(tmp_path, CONFIG.replace(*broken))
    before = (root / "reportgen.yaml").read_bytes()
    result = run(root, "next")
    assert result.exit_code == 1
    assert "reportgen.yaml:" in result.output and "nothing was written" in result.output
    assert (root / "reportgen.yaml").read_bytes() == before
    assert not [p for p in (root).iterdir() if p.name.startswith(".reportgen.yaml")]


def test_an_unknown_report_exits_2_listing_the_reports(tmp_path):
    root = project_with(tmp_path)
    result = run(root, "next", "weekley")
    assert result.exit_code == 2
    assert "weekly, monthly" in result.output and "did you mean 'weekly'" in result.output


def test_dry_run_prints_the_edit_and_writes_nothing(tmp_path):
    root = project_with(tmp_path)
    before = (root / "reportgen.yaml").read_bytes()
    result = run(root, "next", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "-    issue: 4          # bumped every week" in result.output
    assert "+    issue: 5          # bumped every week" in result.output
    assert "+    review: [bottom-line, key-judgments]" in result.output
    assert "nothing written" in result.output
    assert (root / "reportgen.yaml").read_bytes() == before


def test_windows_line_ends_and_a_byte_order_mark_are_kept(tmp_path):
    root = project_with(tmp_path, "\ufeff" + CONFIG, newline="\r\n")
    assert run(root, "next").exit_code == 0
    raw = (root / "reportgen.yaml").read_bytes()
    assert raw.startswith("\ufeff".encode())
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"    previous_issue: 2024-01-07\r\n    review: [bottom-line, key-judgments]\r\n" in raw


def test_a_report_written_on_one_line_is_refused_when_a_key_must_be_added(tmp_path):
    config = CONFIG.replace(
        "  - id: monthly\n    title: Monthly synthetic report\n    cadence: monthly\n"
        "    period:\n      from: 2024-01-01\n      to: 2024-01-31\n    formats: [md]\n",
        "  - {id: monthly, title: Monthly, period: {from: 2024-01-01, to: 2024-01-31}}\n")
    root = project_with(tmp_path, config)
    before = (root / "reportgen.yaml").read_bytes()
    result = run(root, "next", "monthly")
    assert result.exit_code == 1
    assert "one key per line" in result.output
    assert (root / "reportgen.yaml").read_bytes() == before


def _problems(output: str) -> list[dict]:
    import json

    return json.loads(output)["problems"]


@pytest.mark.parametrize("shared", ["period", "issue"])
def test_a_value_the_report_shares_with_another_is_refused_and_nothing_written(tmp_path, shared):
    """A YAML anchor in the weekly report, aliased by the monthly one: rolling it would roll
    both. The edit is refused with the reason; the file stays as it was."""
    config = CONFIG.replace("    issue: 4          # bumped every week\n",
                            "    issue: &number 4  # bumped every week\n").replace(
        "    period: {from: 2024-01-01, to: 2024-01-07}\n",
        "    period: &week {from: 2024-01-01, to: 2024-01-07}\n")
    alias = ("    period: *week\n" if shared == "period" else "    issue: *number\n    period:\n"
             "      from: 2024-01-01\n      to: 2024-01-31\n")
    config = config.replace("    cadence: monthly\n    period:\n      from: 2024-01-01\n"
                            "      to: 2024-01-31\n", "    cadence: monthly\n" + alias)
    root = project_with(tmp_path, config)
    assert not open_project(root).errors
    before = (root / "reportgen.yaml").read_bytes()
    result = run(root, "next", "weekly")
    assert result.exit_code == 1 and "shares a value with another part" in result.output
    assert (root / "reportgen.yaml").read_bytes() == before


def test_next_keeps_the_file_s_mode_and_writes_through_a_link(tmp_path):
    """reportgen.yaml holds the mail settings: a 0600 file stays 0600; a link to the desk's
    shared copy keeps pointing at it, and that copy is what is edited."""
    import os
    import stat

    root = project_with(tmp_path)
    real = tmp_path / "shared" / "desk-config.yaml"
    real.parent.mkdir()
    (root / "reportgen.yaml").rename(real)
    (root / "reportgen.yaml").symlink_to(real)
    os.chmod(real, 0o600)
    assert run(root, "next", "weekly").exit_code == 0
    assert (root / "reportgen.yaml").is_symlink() and (root / "reportgen.yaml").resolve() == real
    assert "issue: 5" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
