"""Generate clearly fake corpora for tests and benchmarks (never mixed with the example corpus).

Every name is invented ("Synthetic Brigade 7", "Testville 3") and every source is the fictional
outlet `synthetic-wire`, so generated data can never be mistaken for reporting.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

from reportgen.model.vocabulary import ACLED_SUB_EVENTS

COUNTRIES = ["IQ", "SY", "JO"]
ORIGINS = {"IQ": (33.0, 44.0), "SY": (35.0, 38.5), "JO": (31.0, 36.0)}
"""A corner inside each country: generated coordinates lie up to 1 degree north and 0.7 east of it."""
START = dt.date(2021, 1, 1)
MAX_SPAN_DAYS = 1800
"""Large corpora put several incidents on a day rather than run into the future."""
INCIDENT_SCHEMA = "# yaml-language-server: $schema=../../schemas/incident.schema.json\n"


def actor_record(index: int) -> dict:
    kind = "state-force" if index % 4 == 0 else "militia"
    return {
        "id": f"synthetic-actor-{index}",
        "name": f"Synthetic {'Force' if kind == 'state-force' else 'Brigade'} {index}",
        "aliases": [f"SB{index}"],
        "kind": kind,
        "side": "blue" if kind == "state-force" else "red",
        "marking": "TLP:CLEAR",
        "profile": f"A fictional actor generated for testing (number {index}).",
    }


def incident_record(index: int, actors: int, rng: random.Random, step: float = 0.75) -> dict:
    day = START + dt.timedelta(days=int(index * step))
    perpetrator, target = rng.sample(range(actors), 2) if actors > 1 else (0, 0)
    country = COUNTRIES[index % 3]
    lat, lon = ORIGINS[country]
    record = {
        "id": f"{day.isoformat()}-synthetic-{index}",
        "title": f"Synthetic incident {index} at Testville {index % 50}",
        "date": day.isoformat(),
        "location": {"place": f"Testville {index % 50}", "country": country,
                     "lat": lat + (index % 100) / 100, "lon": lon + (index % 70) / 100},
        "type": rng.choice(list(ACLED_SUB_EVENTS)),
        "actors": [{"actor": f"synthetic-actor-{perpetrator}", "role": "perpetrator"},
                   {"actor": f"synthetic-actor-{target}", "role": "target"}],
        "casualties": [{"according_to": "Synthetic Wire", "source": "synthetic-wire",
                        "killed": rng.randint(0, 5), "injured": {"min": rng.randint(0, 3)}}],
        "sources": [{"outlet": "synthetic-wire", "date": day.isoformat(), "grade": "C3"}],
        "tags": ["synthetic"],
        "marking": "TLP:CLEAR",
        "summary": f"Fictional event number {index}, generated for testing. *Not real.*",
    }
    if index > 0 and index % 5 == 0:
        previous = START + dt.timedelta(days=int((index - 1) * step))
        record["responds_to"] = [f"{previous.isoformat()}-synthetic-{index - 1}"]
    return record


def config_record(reports: int, last_day: dt.date, similar: bool = False,
                  formats: tuple[str, ...] = ("md", "html")) -> dict:
    """Report 0 selects everything and the others one country each; with `similar`, every
    report selects one country, so reports are of about the same size."""
    return {
        "project": {"title": "Synthetic test project", "desk": "Synthetic Desk"},
        "sides": {"blue": {"label": "Synthetic blue side"}, "red": {"label": "Synthetic red side"}},
        "reports": [
            {"id": f"synthetic-report-{r}", "title": f"Synthetic report {r}",
             "period": {"from": START.isoformat(), "to": last_day.isoformat()},
             "filters": {"countries": [COUNTRIES[r % 3]]} if r or similar else {},
             "formats": list(formats)}
            for r in range(reports)
        ],
    }


SOURCES = {"outlets": [{"id": "synthetic-wire", "name": "Synthetic Wire (fictional)",
                        "kind": "fictional wire agency", "reliability": "C",
                        "rationale": "Invented outlet for generated test data."}]}


def write_corpus(root: Path, incidents: int, actors: int = 12, reports: int = 1,
                 seed: int = 7, similar_reports: bool = False,
                 formats: tuple[str, ...] = ("md", "html")) -> Path:
    """Write a complete, valid project of generated records under `root`."""
    rng = random.Random(seed)
    step = min(0.75, MAX_SPAN_DAYS / max(incidents, 1))
    (root / "actors").mkdir(parents=True, exist_ok=True)
    for a in range(actors):
        _dump(root / "actors" / f"synthetic-actor-{a}.yaml", actor_record(a))
    last_day = START
    for i in range(incidents):
        record = incident_record(i, actors, rng, step)
        day = dt.date.fromisoformat(record["date"])
        last_day = max(last_day, day)
        _dump(root / "incidents" / str(day.year) / f"{record['id']}.yaml", record, INCIDENT_SCHEMA)
    _dump(root / "sources.yaml", SOURCES)
    _dump(root / "reportgen.yaml", config_record(reports, last_day, similar_reports, formats))
    return root


def _dump(path: Path, record: dict, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(record, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    path.write_text(header + text, encoding="utf-8")
