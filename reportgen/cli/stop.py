"""Stopping a command on bad input: located problems on stderr, exit status 1, no traceback."""

from __future__ import annotations

from rich.console import Console

from reportgen.cli.output import print_text
from reportgen.problems import ReportgenError


def stop(exc: ReportgenError, summary: str = "nothing was written") -> None:
    print_text(exc.problems, summary, Console(stderr=True, highlight=False))
    raise SystemExit(1)
