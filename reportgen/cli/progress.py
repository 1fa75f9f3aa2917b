"""Show a build as it goes: a rich progress bar on a terminal (targets done / total, what is
being rendered), plain lines otherwise (logs, CI, pipes). `quiet` shows only failures;
`verbose` adds each target's reasons and timings.

rich is imported only once there is something to show, so a no-op build stays fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from reportgen.make.result import Reporter
from reportgen.make.stale import Stale
from reportgen.make.targets import Failure, Target
from reportgen.model.text import counted
from reportgen.problems import Problem

if TYPE_CHECKING:
    from reportgen.make.jobs import Outcome

MAX_REASONS = 3


def reasons_text(stale: Stale, limit: int | None = MAX_REASONS) -> str:
    """`a changed; b changed; c now selected (and 4 more)`."""
    shown = stale.reasons if limit is None else stale.reasons[:limit]
    more = len(stale.reasons) - len(shown)
    return "; ".join(map(str, shown)) + (f" (and {more} more)" if more else "")


class ConsoleReporter(Reporter):
    def __init__(self, *, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stdout
        self.interactive = self.stream.isatty() and not quiet
        self.live = self.interactive  # the bar moves as each output is rendered
        self.console = None
        self.progress = None
        self.task = None
        self.running: list[Target] = []
        self.counted: set[Target] = set()
        """Targets the bar has moved for already (as they were rendered)."""

    def _console(self):
        if self.console is None:
            from rich.console import Console

            self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        return self.console

    def say(self, text: str) -> None:
        from rich.markup import escape

        console = self.progress.console if self.progress else self._console()
        console.print(escape(text))

    def waiting(self, holder: str) -> None:
        print(f"waiting for another build of this project to finish ({holder})...",
              file=sys.stderr, flush=True)

    def checked(self, problems: list[Problem], summary: str) -> None:
        """Problems as `reportgen check` prints them; warnings not when quiet."""
        from reportgen.cli.output import print_text

        shown = problems if not self.quiet else [p for p in problems if p.severity == "error"]
        if shown:
            print_text(shown, summary, self._console())

    def set_aside(self, problems: list[Problem]) -> None:
        """Warnings, as `checked` prints them (not when quiet)."""
        from reportgen.cli.output import print_text

        if not self.quiet:
            count = len(problems)
            print_text(problems, f"{counted(count, 'damaged file')} of an earlier build",
                       self._console())

    def removed(self, path: str) -> None:
        if not self.quiet:
            self.say(f"removed {path} (no longer in reportgen.yaml)")

    def planned(self, stale: list[Stale], requested: int) -> None:
        if self.verbose:
            for item in stale:
                self.say(f"{item.target.path}: {reasons_text(item, None)}")
        if self.interactive and stale:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(SpinnerColumn(), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("{task.description}"),
                                     console=self._console(), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("", total=len(stale))

    def started(self, targets: list[Target]) -> None:
        self.running += targets
        self._describe()

    def made(self, report: str, fmt: str) -> None:
        """One output rendered: the bar moves one step and names what is still being made."""
        target = next((t for t in self.running if t.report == report and t.format == fmt), None)
        if target is None or target in self.counted:
            return
        self.counted.add(target)
        self.running.remove(target)
        if self.progress is not None:
            self.progress.advance(self.task, 1)
            self._describe()

    def finished(self, outcome: Outcome) -> None:
        done = {*(w.target for w in outcome.written), *(f.target for f in outcome.failed)}
        self.running = [t for t in self.running if t not in done]
        if self.progress is not None:
            self.progress.advance(self.task, len(done - self.counted))
            self._describe()
        if outcome.warnings and not self.quiet:
            from reportgen.cli.output import print_text

            count = len(outcome.warnings)
            print_text(outcome.warnings, f"{outcome.report}: {counted(count, 'warning')}",
                       self.progress.console if self.progress else self._console())
        if not self.quiet:
            took = f" ({outcome.seconds:.2f} s)" if self.verbose else ""
            for written in outcome.written:
                self.say(f"wrote {written.target.path}{took}")
                if written.extras:
                    folder = written.extras[0].rpartition("/")[0]
                    count = len(written.extras)
                    self.say(f"wrote {counted(count, 'chart')} into {folder}/")
            if outcome.withheld and outcome.written:
                count = len(outcome.withheld)
                self.say(f"{outcome.report}: withheld {count} record{'s' * (count != 1)} marked "
                         f"above {outcome.marking}: " + ", ".join(outcome.withheld))
        for failure in outcome.failed:
            self.failed(failure)

    def failed(self, failure: Failure) -> None:
        """Problems as `reportgen check` prints them, then which output was not built."""
        from rich.markup import escape

        from reportgen.cli.output import print_text

        console = self.progress.console if self.progress else self._console()
        if failure.problems:
            print_text(list(failure.problems), f"{failure.target.path}: not built", console)
        else:
            console.print(f"[bold red]error[/]: {escape(failure.target.path)}: {escape(failure.message)}")

    def _describe(self) -> None:
        """What is being made: 'escalation-brief: pdf, md, html; weekly: pdf'."""
        if self.progress is not None:
            reports: dict[str, list[str]] = {}
            for target in self.running:
                reports.setdefault(target.report, []).append(target.format)
            self.progress.update(self.task, description="; ".join(
                f"{report}: {', '.join(formats)}" for report, formats in reports.items()))

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
