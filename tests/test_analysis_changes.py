"""What changed since the last issue: manifests written by one build, compared by the next."""

from __future__ import annotations

import datetime as dt
import json

from reportgen.analysis.changes import (
    changes_since,
    incident_digest,
    manifest_path,
    read_manifests,
    write_issue_manifest,
)
from reportgen.model.config import Report
from tests.analysis_corpus import PERIOD, corpus


def report(issue: int, cutoff: dt.date, previous: dt.date | None = None) -> Report:
    return Report(id="fake-brief", title="Fake brief", issue=issue, period=PERIOD, cutoff=cutoff,
                  previous_issue=previous)


def test_digest_ignores_written_out_defaults_but_sees_content():
    original = corpus()["i1"]
    explicit = original.model_copy(update={"status": "published", "tags": []})
    assert incident_digest(explicit) == incident_digest(original)
    edited = original.model_copy(update={"title": "Fake incident i1, corrected"})
    assert incident_digest(edited) != incident_digest(original)


def test_manifest_records_each_incident(tmp_path):
    records = corpus()
    path = write_issue_manifest(tmp_path, report(1, dt.date(2001, 1, 14)), records.values())
    assert path == tmp_path / "fake-brief" / "issues" / "1.json"
    data = json.loads(path.read_text())
    assert (data["issue"], data["date"]) == (1, "2001-01-14")
    assert data["incidents"]["i3"] == {"digest": incident_digest(records["i3"]),
                                      "title": "Fake incident i3", "date": "2001-01-10"}
    assert list(tmp_path.glob("fake-brief/issues/*")) == [path]  # no temporary file left


def test_added_amended_retracted_against_the_right_issue(tmp_path):
    records = corpus()
    first = [records[k] for k in ("i1", "i2")]
    second = [records[k] for k in ("i1", "i2", "i3", "i4", "i5")]
    write_issue_manifest(tmp_path, report(1, dt.date(2001, 1, 7)), first)
    write_issue_manifest(tmp_path, report(2, dt.date(2001, 1, 14)), second)
    # Since issue 2: i2 amended, i4 retracted, i5 deleted from the corpus, i3 made a draft,
    # i6..i9 added.
    records["i2"] = records["i2"].model_copy(update={"summary": "Fake correction."})
    records["i4"] = records["i4"].model_copy(update={"status": "retracted"})
    records["i3"] = records["i3"].model_copy(update={"status": "draft"})
    del records["i5"]
    current = [r for r in records.values() if r.status == "published"]
    third = report(3, dt.date(2001, 2, 4), previous=dt.date(2001, 1, 14))

    changes = changes_since(tmp_path, third, current, records, third.previous_issue)
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
    earlier = changes_since(tmp_path, third, current, records, dt.date(2001, 1, 10))
    assert earlier.baseline.issue == 1
    assert earlier.added == ("i6", "i7", "i8", "i9")  # i3 is a draft now, so not added
    assert earlier.amended == ("i2",)
    assert earlier.retracted == ()


def test_no_earlier_issue_or_damaged_manifest(tmp_path):
    records = corpus()
    this = report(2, dt.date(2001, 2, 4))
    assert not changes_since(tmp_path, this, records.values(), records, dt.date(2001, 1, 14)).available
    # The issue being built is never its own baseline, and a damaged manifest is skipped.
    write_issue_manifest(tmp_path, report(2, dt.date(2001, 1, 10)), records.values())
    manifest_path(tmp_path, "fake-brief", 1).write_text("{not json")
    assert read_manifests(tmp_path, "fake-brief")[0].issue == 2
    assert not changes_since(tmp_path, this, records.values(), records, dt.date(2001, 1, 14)).available
