"""A loaded and validated project: the corpus every later stage reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reportgen.load.yaml_loader import Document
from reportgen.model.actor import Actor
from reportgen.model.config import ProjectConfig
from reportgen.model.incident import Incident, chronological
from reportgen.model.outlet import Outlet
from reportgen.model.tally import Tally
from reportgen.model.text import counted
from reportgen.problems import Problem, Severity

DERIVED = ("responses", "affiliated")
"""What a project works out from its records when first asked (never pickled: a restricted
project works it out from its own)."""


@dataclass
class Project:
    root: Path
    config: ProjectConfig | None
    incidents: dict[str, Incident] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    outlets: dict[str, Outlet] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)
    """Official running counts from tallies.yaml, by id."""
    origins: dict[tuple[str, str], Document] = field(default_factory=dict)
    """(kind, id) -> the document a record came from, to locate later findings."""
    problems: list[Problem] = field(default_factory=list)

    def __getstate__(self) -> dict:
        """Pickled (a build hands each worker its records so) with every record as JSON text:
        pickle rebuilds a pydantic model one attribute at a time in Python, while pydantic's
        compiled core dumps and validates JSON several times faster (24,000 records: 0.4 s to
        pack, not 1.0 s), and gives equal records."""
        state = {key: value for key, value in self.__dict__.items() if key not in DERIVED}
        state["incidents"] = {i: r.model_dump_json(by_alias=True) for i, r in self.incidents.items()}
        state["actors"] = {i: r.model_dump_json(by_alias=True) for i, r in self.actors.items()}
        return state

    def __setstate__(self, state: dict) -> None:
        for name, model in (("incidents", Incident), ("actors", Actor)):
            texts = state[name]  # each text dropped once validated: never both whole in memory
            state[name] = {key: model.model_validate_json(texts.pop(key)) for key in list(texts)}
        self.__dict__.update(state)

    @cached_property
    def responses(self) -> dict[str, list[str]]:
        """Incident id -> the ids of the incidents that respond to it (its `responds_to`, or
        a claim presenting one as answering it), oldest first: the reverse links, found once."""
        found: dict[str, list[str]] = defaultdict(list)
        for incident in chronological(self.incidents.values()):
            for target in incident.response_ids():
                found[target].append(incident.id)
        return dict(found)

    @cached_property
    def affiliated(self) -> dict[str, list[str]]:
        """Actor id -> the ids of the actors that name it in their affiliations."""
        found: dict[str, list[str]] = defaultdict(list)
        for actor in self.actors.values():
            for affiliation in actor.affiliations:
                if actor.id not in found[affiliation.actor]:
                    found[affiliation.actor].append(actor.id)
        return dict(found)

    def add_problems(self, problems: list[Problem]) -> None:
        self.problems = sorted({*self.problems, *problems}, key=lambda p: p.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def summary(self) -> str:
        reports = len(self.config.reports) if self.config else 0
        errors, warnings = len(self.errors), len(self.warnings)
        return (f"{counted(len(self.incidents), 'incident')}, {counted(len(self.actors), 'actor')}, "
                f"{counted(reports, 'report')}: {counted(errors, 'error')}, "
                f"{counted(warnings, 'warning')}")
