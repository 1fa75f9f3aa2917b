"""What changed since the last issue: manifests written by one build, compared by the next."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from reportgen.analyse.changes import changes_since, incident_digest
from reportgen.model.common import Marking
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.select import Selection
from reportgen.write.manifests import manifest_path, read_manifests, write_issue_manifest
from tests.support.analysis_corpus import PERIOD, corpus


def selection(report: Report, shown, records, hidden=frozenset()) -> Selection:
    """What a report's selection holds for the changes: its incidents and its view's records."""
    view = Project(root=Path("."), config=None, incidents=dict(records))
    return Selection(view, report, list(shown), {}, hidden=frozenset(hidden))


def issues(folder: Path):
    return read_manifests(folder, "fake-brief")


def report(issue: int, cutoff: dt.date, previous: dt.date | None = None,
           marking: Marking = Marking.CLEAR) -> Report:
    return Report(id="fake-brief", title="Fake brief", issue=issue, period=PERIOD, cutoff=cutoff,
                  previous_issue=previous, marking=marking)


def test_digest_ignores_written_out_defaults_but_sees_content():
    original = corpus()["i1"]
    explicit = original.model_copy(update={"status": "published", "tags": []})
    assert incident_digest(explicit) == incident_digest(original)
    edited = original.model_copy(update={"title": "Fake incident i1, corrected"})
    assert incident_digest(edited) != incident_digest(original)


def test_manifest_records_each_incident(tmp_path):
    records = corpus()
    first = report(1, dt.date(2001, 1, 14))
    path = write_issue_manifest(tmp_path, selection(first, records.values(), records))
    assert path == tmp_path / "fake-brief" / "issues" / "1.json"
    data = json.loads(path.read_text())
    assert (data["issue"], data["date"]) == (1, "2001-01-14")
    assert data["incidents"]["i3"] == {"digest": incident_digest(records["i3"]),
                                      "title": "Fake incident i3", "date": "2001-01-10",
                                      "marking": "TLP:CLEAR"}
    assert list(tmp_path.glob("fake-brief/issues/*")) == [path]  # no temporary file left


def test_added_amended_retracted_against_the_right_issue(tmp_path):
    records = corpus()
    first = [records[k] for k in ("i1", "i2")]
    second = [records[k] for k in ("i1", "i2", "i3", "i4", "i5")]
    write_issue_manifest(tmp_path, selection(report(1, dt.date(2001, 1, 7)), first, records))
    write_issue_manifest(tmp_path, selection(report(2, dt.date(2001, 1, 14)), second, records))
    # Since issue 2: i2 amended, i4 retracted, i5 deleted from the corpus, i3 made a draft,
    # i6..i9 added.
    records["i2"] = records["i2"].model_copy(update={"summary": "Fake correction."})
    records["i4"] = records["i4"].model_copy(update={"status": "retracted"})
    records["i3"] = records["i3"].model_copy(update={"status": "draft"})
    del records["i5"]
    current = [r for r in records.values() if r.status == "published"]
    third = report(3, dt.date(2001, 2, 4), previous=dt.date(2001, 1, 14))

    changes = changes_since(issues(tmp_path), selection(third, current, records), third.previous_issue)
    assert changes.baseline.issue == 2
    assert changes.added == ("i6", "i7", "i8", "i9")
    assert changes.amended == ("i2",)
    assert [(r.incident_id, r.reason) for r in changes.retracted] == [
        ("i3", "no longer selected (status draft, or outside the report's filters)"),
        ("i4", "retracted"),
        ("i5", "deleted from the corpus"),
    ]
    assert changes.retracted[2].title == "Fake incident i5"

    # Asked about an earlier date, the comparison is with issue 1 (dated 7 January).
    earlier = changes_since(issues(tmp_path), selection(third, current, records), dt.date(2001, 1, 10))
    assert earlier.baseline.issue == 1
    assert earlier.added == ("i6", "i7", "i8", "i9")  # i3 is a draft now, so not added
    assert earlier.amended == ("i2",)
    assert earlier.retracted == ()


def test_no_earlier_issue_or_damaged_manifest(tmp_path):
    records = corpus()
    this = report(2, dt.date(2001, 2, 4))
    now = selection(this, records.values(), records)
    assert not changes_since(issues(tmp_path), now, dt.date(2001, 1, 14)).available
    # The issue being built is never its own baseline, and a damaged manifest is skipped.
    write_issue_manifest(tmp_path, selection(report(2, dt.date(2001, 1, 10)), records.values(), records))
    manifest_path(tmp_path, "fake-brief", 1).write_text("{not json")
    assert issues(tmp_path)[0].issue == 2
    assert not changes_since(issues(tmp_path), now, dt.date(2001, 1, 14)).available


def test_nothing_is_said_of_an_entry_marked_above_this_issue(tmp_path):
    """Issue 1 went out at TLP:AMBER; issue 2, at TLP:GREEN, must not list what it carried and
    has since gone (its title would leak), nor an entry whose record is now withheld, nor an
    entry of an old manifest that recorded no marking."""
    records = corpus()
    amber = {k: r.model_copy(update={"marking": Marking.AMBER}) for k, r in records.items()}
    first = report(1, dt.date(2001, 1, 14), marking=Marking.AMBER)
    write_issue_manifest(tmp_path, selection(first, [amber["i1"], records["i2"], records["i3"]], records))
    legacy = json.loads(manifest_path(tmp_path, "fake-brief", 1).read_text())
    del legacy["incidents"]["i3"]["marking"]  # as a version 1 manifest wrote it
    manifest_path(tmp_path, "fake-brief", 1).write_text(json.dumps(legacy))
    del records["i1"], records["i3"]  # deleted from the corpus
    second = report(2, dt.date(2001, 2, 4), previous=dt.date(2001, 1, 14), marking=Marking.GREEN)
    hidden = selection(second, [], records, hidden={("incident", "i2")})
    changes = changes_since(issues(tmp_path), hidden, second.previous_issue)
    assert changes.available and changes.retracted == ()
    shown_again = changes_since(issues(tmp_path), selection(second, [], records), second.previous_issue)
    assert [r.incident_id for r in shown_again.retracted] == ["i2"]
