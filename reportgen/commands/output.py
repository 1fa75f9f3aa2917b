"""Stopping a command on bad input: located problems on stderr, exit status 1, no traceback."""

from __future__ import annotations

from rich.console import Console

from reportgen.errors import ReportgenError
from reportgen.report_problems import print_text


def stop(exc: ReportgenError, summary: str = "nothing was written") -> None:
    print_text(exc.problems, summary, Console(stderr=True, highlight=False))
    raise SystemExit(1)
