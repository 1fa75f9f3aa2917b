"""Manifests: what each briefing was built from, read back only in the shape written."""

from __future__ import annotations

import json

import pytest

from reportgen.write.manifests import read_manifests


@pytest.mark.parametrize("manifest", [
    [], "x", 1, None, {"incidents": []}, {"incidents": {"a": []}}, {"incidents": {"a": "x"}},
    {"report": "r", "issue": 1, "date": "2024-01-01", "incidents": {"a": {"digest": 1, "title": "t",
                                                                          "date": "2024-01-01"}}},
    {"report": "r", "issue": 1e999, "date": "2024-01-01", "incidents": {}},
    {"report": "r", "issue": 1, "date": 20240101, "incidents": {}},
    {"report": "r", "issue": 1, "date": "2024-01-01", "incidents": {"\ud800": {}}},
])
def test_read_manifests_refuses_any_other_shape_without_raising(tmp_path, manifest):
    folder = tmp_path / "brief" / "issues"
    folder.mkdir(parents=True)
    (folder / "1.json").write_text(json.dumps(manifest))
    (folder / "2.json").mkdir()  # a folder named like a manifest
    assert read_manifests(tmp_path, "brief") == []
