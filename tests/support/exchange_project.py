"""A small hand-written project for the export tests: invented names, every marking case.

- `2023-03-01-test-strike` (CLEAR, IQ, coordinates; killed per source: 2, 3-4, "a few") and
  `2023-03-05-test-rocket-attack` (CLEAR, IQ, no coordinates; names the AMBER actor
  `test-secret-cell`) are published;
- `2023-04-01-test-amber-raid` is TLP:AMBER (SY; "at least 1" killed), `2023-05-01-test-draft`
  is a draft.
- Reports: `clear-brief` (TLP:CLEAR, no filters) and `umbrella-brief` (TLP:AMBER, actor filter
  `test-umbrella`, whose members are `test-brigade` and `test-secret-cell`).
"""

from __future__ import annotations

from pathlib import Path

FILES = {
    "reportgen.yaml": """
project:
  title: Fictional exchange test
  desk: Test Desk (fictional)
reports:
  - id: clear-brief
    title: Fictional clear brief
    period: {from: 2023-01-01, to: 2023-12-31}
    cutoff: 2023-12-31
    marking: TLP:CLEAR
  - id: umbrella-brief
    title: Fictional umbrella brief
    period: {from: 2023-01-01, to: 2023-06-30}
    cutoff: 2023-06-30
    marking: TLP:AMBER
    filters: {actors: [Test Umbrella Front]}
""",
    "sources.yaml": """
outlets:
  - {id: test-wire, name: Test Wire (fictional), kind: wire agency, reliability: B,
     rationale: Invented for tests., internal_notes: "Curators only, an outlet's remark."}
  - {id: test-channel, name: Test Channel (fictional), kind: militia channel, reliability: E,
     rationale: Invented for tests.}
""",
    "actors/test-force.yaml": """
id: test-force
name: Test Force
aliases: [TF]
kind: state-force
profile: An invented state force.
internal_notes: Curators only, an actor's remark.
""",
    "actors/test-umbrella.yaml": """
id: test-umbrella
name: Test Umbrella Front
kind: umbrella-group
""",
    "actors/test-brigade.yaml": """
id: test-brigade
name: Test Brigade
native_name: كتائب الاختبار
aliases: [Kata'ib al-Ikhtibar]
kind: militia
affiliations:
  - {actor: test-umbrella, relation: member-of, since: 2020-01-01}
  - {actor: TF, relation: rival-of}
""",
    "actors/test-secret-cell.yaml": """
id: test-secret-cell
name: Test Secret Cell
kind: militia
marking: TLP:AMBER
affiliations:
  - {actor: test-umbrella, relation: part-of}
""",
    "incidents/2023/2023-03-01-test-strike.yaml": """
id: 2023-03-01-test-strike
title: Test Force drone strike on a Test Brigade depot
date: 2023-03-01
location: {place: Testville 1, country: IQ, lat: 33.1, lon: 44.2, precision: exact}
type: Air/drone strike
actors:
  - {actor: TF, role: perpetrator}
  - {actor: test-brigade, role: target}
casualties:
  - {according_to: Test Wire, source: test-wire, killed: 2}
  - {according_to: Test Channel, source: test-channel, killed: {min: 3, max: 4}}
  - {according_to: Another reporter, killed: a few}
sources:
  - {outlet: test-wire, date: 2023-03-01, grade: B2, url: "https://example.org/test-strike"}
  - {outlet: test-channel, date: 2023-03-02, grade: E5}
marking: TLP:CLEAR
summary: An invented strike.
internal_notes: Curators only, kept in the JSON export.
""",
    "incidents/2023/2023-03-05-test-rocket-attack.yaml": """
id: 2023-03-05-test-rocket-attack
title: Rockets fired at a Test Force base
date: 2023-03-05
date_precision: week
location: {place: Testbase 2, country: IQ, precision: near}
type: Shelling/artillery/missile attack
actors:
  - {actor: Kata'ib al-Ikhtibar, role: claimed-by}
  - {actor: test-secret-cell, role: attributed-to}
  - {actor: test-force, role: target}
sources:
  - {outlet: test-channel, date: 2023-03-05, grade: E3}
responds_to: [2023-03-01-test-strike]
tags: [rockets]
""",
    "incidents/2023/2023-04-01-test-amber-raid.yaml": """
id: 2023-04-01-test-amber-raid
title: Restricted raid in Testtown
date: 2023-04-01
location: {place: Testtown, country: SY, lat: 35.5, lon: 38.25}
type: Armed clash
actors:
  - {actor: test-secret-cell, role: perpetrator}
casualties:
  - {according_to: Test Wire, source: test-wire, killed: {min: 1}}
sources:
  - {outlet: test-wire, date: 2023-04-02, grade: B3}
marking: TLP:AMBER
""",
    "incidents/2023/2023-05-01-test-draft.yaml": """
id: 2023-05-01-test-draft
title: Unreviewed draft
date: 2023-05-01
status: draft
location: {place: Testville 3, country: IQ, lat: 33.3, lon: 44.4}
type: Other
actors:
  - {actor: test-force, role: perpetrator}
sources:
  - {outlet: test-wire, date: 2023-05-01, grade: B2}
""",
}


def write_exchange_project(root: Path) -> Path:
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip(), encoding="utf-8")
    return root
