"""Render problems for people (text, coloured on a terminal) or for tools (JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

from reportgen.problems import Problem, ReportgenError, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def print_text(problems: list[Problem], summary: str, console: Console) -> None:
    for problem in problems:
        location = problem.location
        severity = f"[{_STYLE[problem.severity]}]{problem.severity}[/]"
        hint = f" [dim]({escape(problem.hint)})[/]" if problem.hint else ""
        console.print(f"{escape(location)}: {severity}: {escape(problem.message)}{hint}",
                      soft_wrap=True, highlight=False)
    console.print(escape(summary), soft_wrap=True, highlight=False)


def print_stop(exc: ReportgenError) -> None:
    """A command stopped on bad input: its located problems and what that means, on stderr."""
    print_text(exc.problems, exc.summary, Console(stderr=True, highlight=False))


@contextmanager
def stopping(summary: str) -> Iterator[None]:
    """Say what a stop inside the block means for this command ("nothing was sent")."""
    try:
        yield
    except ReportgenError as exc:
        raise ReportgenError(exc.problems, summary, exc.exit_code) from None


def to_json(problems: list[Problem], summary: str) -> str:
    return json.dumps({"summary": summary, "problems": [p.as_dict() for p in problems]},
                      indent=2, ensure_ascii=False)
