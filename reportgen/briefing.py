"""One issue of a report, made in memory: what the select and analyse stages hand to render,
write and mail. A module of its own, low in the package, so that every stage after analyse can
name it without importing the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.analyse import EscalationAnalysis
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.select import Selection

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from reportgen.write.cache import FolderCache


@dataclass(frozen=True)
class Briefing:
    """One issue of a report, made in memory: what it selects from its redacted view of the
    corpus, and the analysis of that. Rendering (text, PDF) and mail take a Briefing; its
    charts are drawn the first time a format asks for them (or read back from `chart_cache`,
    where what they show is unchanged)."""

    selection: Selection
    analysis: EscalationAnalysis
    chart_cache: FolderCache | None = None

    @property
    def report(self) -> Report:
        return self.selection.report

    @property
    def project(self) -> Project:
        """The report's redacted view of the corpus (see `reportgen.select`)."""
        return self.selection.project

    @property
    def charts(self) -> list:
        """The briefing's charts, drawn (or read back) the first time they are asked for."""
        return self.draw_charts()

    def draw_charts(self, pool: Executor | None = None) -> list:
        """The charts, drawn now unless they are already, the chart modules to draw in the
        processes of `pool` when given (as many at once as it has): what a compendium's PDF
        build does before it renders (its charts took 3 s at 2,000 incidents, the longest stage
        before its parts are laid out)."""
        if "_charts" not in self.__dict__:
            from reportgen.render.charts import briefing_charts  # matplotlib: only when drawn

            self.__dict__["_charts"] = briefing_charts(self.analysis, self.chart_cache, pool)
        return self.__dict__["_charts"]
