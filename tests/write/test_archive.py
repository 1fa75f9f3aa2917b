"""The archive of issues: every issue built kept in build/<report>/archive/<issue>/, listed in
build/<report>/archive/index.html; the weekly round trip of build, next, build."""

from __future__ import annotations

import datetime as dt
import json
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen.cli import main
from tests.support.synthetic import INCIDENT_SCHEMA, incident_record, write_corpus

REPORT = "synthetic-report-0"


def run(root: Path, *args: str):
    result = CliRunner().invoke(main, [*args, "-C", str(root)])
    assert result.exit_code == 0, result.output
    return result


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


class Rows(HTMLParser):
    """The index's table rows: the text of each cell, and the links of the row."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append({"cells": [], "links": {}})
        elif tag == "td":
            self.cell = []
        elif tag == "a" and self.rows:
            self.rows[-1]["links"][len(self.rows[-1]["links"])] = dict(attrs)["href"]

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1]["cells"].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def index_rows(archive: Path) -> list[dict]:
    parser = Rows()
    parser.feed((archive / "index.html").read_text(encoding="utf-8"))
    return [row for row in parser.rows if row["cells"]]  # the header row has none


def add_incident(root: Path, day: dt.date, title: str) -> None:
    record = incident_record(101, 3, random.Random(1))  # not a multiple of 5: no responds_to
    record.update(id=f"{day}-new-this-week", title=title, date=day.isoformat(),
                  sources=[{**record["sources"][0], "date": day.isoformat()}])
    path = root / "incidents" / str(day.year) / f"{record['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(INCIDENT_SCHEMA + yaml.safe_dump(record, sort_keys=False), encoding="utf-8")


def edit_config(root: Path, old: str, new: str) -> None:
    path = root / "reportgen.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build_next_build_keeps_both_issues_and_lists_them(tmp_path):
    root = write_corpus(tmp_path / "project", incidents=6, actors=3)
    edit_config(root, "title: Synthetic report 0",
                "title: Synthetic <report> & co\n  bottom_line: A synthetic bottom line.")
    run(root, "build")
    archive = root / "build" / REPORT / "archive"
    first = files_under(archive / "1")
    assert {"synthetic-report-0.md", "synthetic-report-0.html", "issue.json"} <= set(first)
    assert first["synthetic-report-0.md"] == (root / "build" / REPORT / f"{REPORT}.md").read_bytes()
    first_cutoff = yaml.safe_load((root / "reportgen.yaml").read_text())["reports"][0]["period"]["to"]

    run(root, "next")
    warned = run(root, "check").output
    assert "reportgen.yaml:" in warned and "bottom line carried over unchanged" in warned
    edit_config(root, "  title: Synthetic <report> & co\n",
                "  title: Synthetic <report> & co\n  marking: TLP:GREEN\n")
    new_day = dt.date.fromisoformat(first_cutoff) + dt.timedelta(days=2)
    add_incident(root, new_day, "Synthetic incident new this week")
    run(root, "build")

    assert files_under(archive / "1") == first  # an earlier issue is never touched
    second = files_under(archive / "2")
    assert second[f"{REPORT}.md"] == (root / "build" / REPORT / f"{REPORT}.md").read_bytes()
    markdown = second[f"{REPORT}.md"].decode()
    changes = markdown[markdown.index("since the last issue"):]
    assert "Synthetic incident new this week" in changes
    assert "1 incident added" in changes and "0 retracted" in changes  # the old period is not "gone"
    assert b"TLP:CLEAR" in first[f"{REPORT}.html"] and b"TLP:GREEN" in second[f"{REPORT}.html"]

    rows = index_rows(archive)
    assert [row["cells"][0] for row in rows] == ["2", "1"]
    assert [row["cells"][3] for row in rows] == ["TLP:GREEN", "TLP:CLEAR"]  # as each was built
    assert rows[1]["cells"][2] == dt.date.fromisoformat(first_cutoff).strftime("%-d %b %Y")
    for row in rows:
        assert sorted(row["links"].values()) == [f"{row['cells'][0]}/{REPORT}.html",
                                                 f"{row['cells'][0]}/{REPORT}.md"]
        assert all((archive / link).is_file() for link in row["links"].values())
    page = (archive / "index.html").read_text(encoding="utf-8")
    assert "Synthetic &lt;report&gt; &amp; co" in page and "<report>" not in page
    assert "<link" not in page and "<script" not in page and "src=" not in page  # self-contained
    assert 'class="tlp-green"' in page  # marked as the most restrictive issue it lists

    add_incident(root, new_day, "Synthetic incident amended")  # the same file, changed
    run(root, "build")
    assert files_under(archive / "1") == first
    assert b"Synthetic incident amended" in (archive / "2" / f"{REPORT}.md").read_bytes()
    assert len(index_rows(archive)) == 2  # rebuilding an issue replaces its copy


def test_clean_keeps_the_archive_unless_asked(tmp_path):
    root = write_corpus(tmp_path / "project", incidents=4, actors=3)
    run(root, "build")
    archive = root / "build" / REPORT / "archive"
    kept = files_under(archive)
    assert "index.html" in kept and "1/issue.json" in kept
    leftover = archive / "1" / "charts" / ".tempo.svg.k3j2x9.tmp"  # of a killed build
    leftover.write_text("half a chart")
    run(root, "clean")
    assert not leftover.exists()
    assert not (root / "build" / REPORT / f"{REPORT}.md").exists()
    assert files_under(archive) == kept
    removed = run(root, "clean", "--archive").output
    assert f"build/{REPORT}/archive/index.html" in removed
    assert not archive.exists()
    assert (root / "build" / REPORT / "issues" / "1.json").is_file()  # the manifests stay


def test_an_archive_reached_through_a_link_is_never_written(tmp_path):
    root = write_corpus(tmp_path / "project", incidents=4, actors=3)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "build" / REPORT).mkdir(parents=True)
    (root / "build" / REPORT / "archive").symlink_to(elsewhere)
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 1
    assert "symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []
    assert not (root / "build" / REPORT / f"{REPORT}.md").exists()  # refused before writing


def set_marking(root: Path, marking: str) -> None:
    path = root / "reportgen.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["reports"][0]["marking"] = marking
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("first, then, rebuilt", [
    ("TLP:AMBER", "TLP:CLEAR", ("md",)),
    pytest.param("TLP:AMBER", "TLP:CLEAR", ("html",), marks=pytest.mark.slow),
    pytest.param("TLP:CLEAR", "TLP:AMBER", ("md",), marks=pytest.mark.slow),
    pytest.param("TLP:GREEN", "TLP:GREEN", ("md",), marks=pytest.mark.slow)])
def test_an_archived_issue_holds_files_of_the_marking_it_states_only(tmp_path, first, then, rebuilt):
    """An issue built at one marking and built again at another in fewer formats: a file of the
    first marking that was not made again leaves the archive, so the index never says a marking
    a file it links does not have."""
    root = write_corpus(tmp_path / "project", incidents=6, actors=3)
    set_marking(root, first)
    run(root, "build")
    set_marking(root, then)
    run(root, "build", "--format", rebuilt[0])
    archive = root / "build" / REPORT / "archive"
    record = json.loads((archive / "1" / "issue.json").read_text(encoding="utf-8"))
    held = sorted(p.suffix.lstrip(".") for p in (archive / "1").glob(f"{REPORT}.*"))
    expected = sorted({"md", "html"} if first == then else set(rebuilt))
    assert held == expected and record["marking"] == then
    assert set(record["markings"]) - {"charts"} == set(expected)
    assert set(record["markings"].values()) == {then}
    [row] = index_rows(archive)
    assert then in row["cells"] and len(row["links"]) == len(expected)
    if list((archive / "1" / "charts").glob("*.svg")):  # charts only of this marking, too
        assert record["markings"]["charts"] == then
