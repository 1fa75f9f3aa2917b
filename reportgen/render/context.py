"""What every briefing template sees: the report, its selection, and the sections to show."""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from string import ascii_uppercase
from typing import TYPE_CHECKING, Any

from reportgen import __version__
from reportgen.layout import CHARTS_DIR
from reportgen.method import RULES
from reportgen.model.common import CREDIBILITY, RELIABILITY
from reportgen.model.config import FRONT_PAGE, Report
from reportgen.select import Selection

if TYPE_CHECKING:  # the analysis and its charts are made by the pipeline, not imported here
    from reportgen.analyse import EscalationAnalysis
    from reportgen.briefing import Briefing
    from reportgen.render.charts import Chart

SECTION_TITLES = {
    "cover": "Cover",
    "bottom-line": "Bottom line up front",
    "key-judgments": "Key judgments",
    "since-last-issue": "Since the last issue",
    "at-a-glance": "The period at a glance",
    "map": "Where it happened",
    "escalation": "Escalation overview",
    "incidents": "Incidents at a glance",
    "chronology": "Chronology",
    "actors": "Actor profiles",
    "outlook": "Outlook: what to watch",
    "basis": "What the judgments rest on",
    "evidence": "Evidence by incident",
    "ladder": "The escalation ladder",
    "responses": "Action and reaction",
    "weekly": "Tempo in detail",
    "changes": "What changed since the last issue",
    "sources": "Sources and method",
    "actor-index": "Index of actors",
}

ROLE_LABELS = {
    "perpetrator": "By",
    "claimed-by": "Claimed by",
    "attributed-to": "Attributed to",
    "denied-by": "Denied by",
    "target": "Target",
    "victim": "Victims",
    "intercepted-by": "Intercepted by",
    "mediator": "Mediator",
    "mentioned": "Also named",
}
CLAIM_LABELS = {
    "statement": "statement",
    "responsibility": "claim of responsibility",
    "denial": "denial",
    "attribution": "attribution",
    "threat": "threat",
    "report": "report",
}
KIND_LABELS = {
    "state-force": "State force",
    "military-command": "Military command",
    "government": "Government",
    "militia": "Militia",
    "umbrella-group": "Umbrella group",
    "political-party": "Political party",
    "rebel-group": "Rebel group",
    "civilians": "Civilians",
    "international-organisation": "International organisation",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class ChartView:
    """A chart as the templates use it: inline for HTML, a relative file link for Markdown."""

    title: str
    alt: str
    key: str
    """How to read its marks (`Chart.key`)."""
    src: str
    """`data:` URI of the SVG, so the HTML stays one self-contained file."""
    path: str
    """Relative to the briefing: `charts/<name>.svg`."""


def chart_views(charts: Iterable[Chart]) -> dict[str, ChartView]:
    return {chart.name: ChartView(chart.title, chart.alt, chart.key,
                                  "data:image/svg+xml;base64," + b64encode(chart.svg).decode("ascii"),
                                  f"{CHARTS_DIR}/{chart.name}.svg")
            for chart in charts}


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each shown section goes: page 1 (the front page), the main text, the annexes
    (lettered in their order: at most the 16 sections there are)."""

    front: list[str]
    main: list[str]
    annexes: list[str]
    chapters: bool = False
    """A long report: in print each section of the main text and each month of the chronology
    begins a page, as chapters do (and a long PDF can be laid out in parts cut there)."""

    def letter(self, name: str) -> str:
        """How the text refers to an annex: "Annex A"."""
        return f"Annex {ascii_uppercase[self.annexes.index(name)]}"

    @property
    def titles(self) -> dict[str, str]:
        """Each section's heading; an annex's with its letter."""
        return SECTION_TITLES | {name: f"{self.letter(name)}: {SECTION_TITLES[name]}"
                                 for name in self.annexes}

    @property
    def toc(self) -> list[tuple[str, str]]:
        """The contents: the main text and the annexes (the front page is above them)."""
        titles = self.titles
        return [(name, titles[name]) for name in (*self.main, *self.annexes)]


def layout(report: Report, selection: Selection, analysis: EscalationAnalysis) -> Layout:
    """The report's sections in its order, less those with nothing to show; the front-page
    sections first, the annexes lettered."""
    has_content = {
        "bottom-line": bool(report.bottom_line.strip()),
        "key-judgments": bool(report.key_judgments),
        "since-last-issue": analysis.changes is not None,
        "at-a-glance": bool(analysis.incidents),
        "map": any(i.location.map_points for i in analysis.incidents),
        "incidents": bool(selection.incidents),
        "evidence": bool(selection.incidents),
        "basis": any(kj.indicators or kj.alternative for kj in report.key_judgments),
        "ladder": bool(analysis.ladder),
        "weekly": any(bucket.incidents for bucket in analysis.tempo.buckets),
        "changes": analysis.changes is not None and analysis.changes.available,
        "actors": bool(selection.actors),
        "outlook": bool(report.outlook),
        "actor-index": bool(selection.actors),
    }

    def shown(names: Iterable[str]) -> list[str]:
        return [name for name in names if has_content.get(name, True)]

    main = shown(report.sections)
    return Layout(front=[name for name in main if name in FRONT_PAGE],
                  main=[name for name in main if name not in FRONT_PAGE],
                  annexes=shown(report.annexes),
                  chapters=selection.compendium)


def escalation_rungs(analysis: EscalationAnalysis) -> dict[str, dict]:
    """Incident id -> {rung, name, rationale, rule, reasons, computed}: the analysis'
    assessment (a ladder rule and why it holds, or the analyst's override with its rationale)."""
    return {key: {"rung": a.rung, "name": a.name, "rationale": a.rationale, "rule": a.rule,
                  "reasons": "; ".join(a.reasons), "computed": a.computed}
            for key, a in analysis.rungs.items() if a.rung is not None}


def briefing_context(briefing: Briefing, medium: str = "screen") -> dict[str, Any]:
    """Everything the templates read. `medium` is "print" when the HTML is made into a PDF
    (print stylesheet, running header), "word" when the Markdown is made into a Word document
    (charts embedded, Word's own contents field)."""
    report, selection, analysis = briefing.report, briefing.selection, briefing.analysis
    sections = layout(report, selection, analysis)
    return {
        "report": report,
        "info": briefing.project.config.project,
        "selection": selection,
        "layout": sections,
        "sections": [*sections.front, *sections.main, *sections.annexes],
        "toc": sections.toc,
        "titles": sections.titles,
        "cutoff": report.issue_date,
        "analysis": analysis,
        "charts": chart_views(briefing.charts),
        "map_keys": analysis.map_keys,
        "rungs": escalation_rungs(analysis),
        "role_labels": ROLE_LABELS,
        "claim_labels": CLAIM_LABELS,
        "kind_labels": KIND_LABELS,
        "method": RULES,
        "reliability": RELIABILITY,
        "credibility": CREDIBILITY,
        "version": __version__,
        "medium": medium,
    }
