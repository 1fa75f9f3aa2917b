"""The normalised corpus as JSON: every record as the models hold it, actor names resolved.

Reading the file back with the models (`Incident.model_validate`) gives the same records.
"""

from __future__ import annotations

import json

from reportgen.exchange.selection import Selection

FORMAT = "reportgen-corpus"
VERSION = 1


def export_json(selection: Selection) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "title": selection.title,
        "as_of": selection.as_of.isoformat(),
        "report": _dump(selection.report) if selection.report else None,
        "incidents": [_dump(i) for i in selection.incidents],
        "actors": [_dump(a) for a in selection.actors],
        "outlets": [_dump(o) for o in selection.outlets],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _dump(record) -> dict:
    return record.model_dump(mode="json", by_alias=True)
