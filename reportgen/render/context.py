"""What every briefing template sees: the report, its selection, and the sections to show."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..corpus import Selection
from ..model.common import CREDIBILITY, RELIABILITY
from ..model.config import Report
from ..model.project import Project

SECTION_TITLES = {
    "cover": "Cover",
    "bottom-line": "Bottom line up front",
    "key-judgments": "Key judgments",
    "escalation": "Escalation overview",
    "changes": "What changed since the last issue",
    "chronology": "Chronology",
    "actors": "Actor profiles",
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


def analysis_part(analysis: Any, name: str) -> Any:
    """`analysis.escalation` or `analysis["escalation"]`; None when there is no such data."""
    if analysis is None:
        return None
    if isinstance(analysis, dict):
        return analysis.get(name)
    return getattr(analysis, name, None)


def shown_sections(report: Report, selection: Selection, analysis: Any) -> list[str]:
    """The report's sections in its order, less those with nothing to show."""
    has_content = {
        "bottom-line": bool(report.bottom_line.strip()),
        "key-judgments": bool(report.key_judgments),
        "escalation": bool(analysis_part(analysis, "escalation")),
        "changes": bool(analysis_part(analysis, "changes")),
        "actors": bool(selection.actors),
        "actor-index": bool(selection.actors),
    }
    return [s for s in report.sections if has_content.get(s, True)]


def escalation_rungs(project: Project, selection: Selection, analysis: Any) -> dict[str, dict]:
    """Incident id -> {rung, name, rationale}: the curator's override, else the analysis' rung."""
    names = {rung.rung: rung.name for rung in project.config.escalation_ladder}
    computed = analysis_part(analysis, "rungs") or {}
    rungs = {}
    for incident in selection.incidents:
        if incident.escalation:
            rung, rationale = incident.escalation.rung, incident.escalation.rationale
        elif incident.id in computed:
            rung, rationale = computed[incident.id], None
        else:
            continue
        rungs[incident.id] = {"rung": rung, "name": names.get(rung), "rationale": rationale}
    return rungs


def briefing_context(project: Project, report: Report, selection: Selection,
                     analysis: Any = None, medium: str = "screen") -> dict[str, Any]:
    """Everything the templates read. `analysis` (issue 4) may carry `escalation`, `changes`
    and `rungs` (incident id -> rung); without it those parts are left out. `medium` is
    "print" when the HTML is made into a PDF (print stylesheet, running header, charts as
    images)."""
    sections = shown_sections(report, selection, analysis)
    return {
        "report": report,
        "info": project.config.project,
        "selection": selection,
        "sections": sections,
        "toc": [(name, SECTION_TITLES[name]) for name in sections if name != "cover"],
        "titles": SECTION_TITLES,
        "cutoff": report.cutoff or report.period.to,
        "analysis": analysis,
        "rungs": escalation_rungs(project, selection, analysis),
        "role_labels": ROLE_LABELS,
        "claim_labels": CLAIM_LABELS,
        "kind_labels": KIND_LABELS,
        "reliability": RELIABILITY,
        "credibility": CREDIBILITY,
        "version": __version__,
        "medium": medium,
    }
