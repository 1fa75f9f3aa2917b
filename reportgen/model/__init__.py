"""The domain model: one source of truth for the schema (JSON Schema is generated from it)."""

from reportgen.model.actor import Actor, Affiliation, Designation, Leader
from reportgen.model.common import DatePrecision, Marking, Period, Status
from reportgen.model.config import DistributionList, Indicator, KeyJudgment, ProjectConfig, Report, Rung
from reportgen.model.incident import CasualtyReport, Claim, FigureRange, Incident, Location, SourceRef
from reportgen.model.outlet import Outlet, SourcesRegistry

__all__ = [
    "Actor",
    "Affiliation",
    "CasualtyReport",
    "Claim",
    "DatePrecision",
    "Designation",
    "DistributionList",
    "FigureRange",
    "Incident",
    "Indicator",
    "KeyJudgment",
    "Leader",
    "Location",
    "Marking",
    "Outlet",
    "Period",
    "ProjectConfig",
    "Report",
    "Rung",
    "SourceRef",
    "SourcesRegistry",
    "Status",
]
