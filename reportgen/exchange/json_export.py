"""The normalised corpus as JSON: every record as the models hold it, actor names resolved.

Reading the file back with the models (`Incident.model_validate`) gives the same records.
"""

from __future__ import annotations

import json

from reportgen.exchange.content import Export

FORMAT = "reportgen-corpus"
VERSION = 1


def export_json(content: Export) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "title": content.title,
        "as_of": content.as_of.isoformat(),
        "report": _dump(content.report) if content.report else None,
        "incidents": [_dump(i) for i in content.incidents],
        "actors": [_dump(a) for a in content.actors],
        "outlets": [_dump(o) for o in content.outlets],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _dump(record) -> dict:
    return record.model_dump(mode="json", by_alias=True)
