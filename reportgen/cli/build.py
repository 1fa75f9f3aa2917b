"""`reportgen build [TARGET...]`: bring the briefings up to date, make-style."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from reportgen.cli.options import project_dir
from reportgen.cli.progress import ConsoleReporter, reasons_text
from reportgen.layout import FORMATS
from reportgen.make import UnknownTarget, build

PHASES = ("scan", "load", "plan", "render")


@click.command("build")
@click.argument("names", nargs=-1, metavar="[TARGET]...")
@project_dir
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only outputs in this format (repeatable).")
@click.option("-n", "--dry-run", is_flag=True, help="Print what would be rebuilt and why; write nothing.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Render this many reports at once, in separate processes [default: cores].")
@click.option("--force", is_flag=True, help="Rebuild every target, up to date or not.")
@click.option("-k", "--keep-going", is_flag=True, help="Go on with other targets after a failure.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another build of this project runs.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the previous issue, for 'what changed' (default: the report's "
                   "previous_issue).")
@click.option("--strict", is_flag=True,
              help="Fail, building nothing, if a report's marking withholds any record it selects "
                   "or a draft has errors (by default a draft's errors are warnings).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print why each target is rebuilt, and timings.")
@click.option("--open", "open_result", is_flag=True,
              help="Open the first briefing asked for in the browser ($BROWSER) when done: its "
                   "HTML, else its PDF.")
def command(names: tuple[str, ...], root: Path, formats: tuple[str, ...], dry_run: bool,
            jobs: int | None, force: bool, keep_going: bool, no_wait: bool,
            since: dt.datetime | None, strict: bool, quiet: bool, verbose: bool,
            open_result: bool) -> None:
    """Rebuild the outputs whose inputs changed (all reports, or the TARGETs named).

    A TARGET is a report id (all its formats) or an output path such as
    build/weekly/weekly.pdf. Exit status: 0 done, 1 failed (or validation errors), 2 usage.

    \b
    Examples:
      reportgen build
      reportgen build -n                      # what would be rebuilt, and why
      reportgen build escalation-brief --format html -C my-desk
      reportgen build build/escalation-brief/escalation-brief.md -j 1
      reportgen build escalation-brief --since 2024-02-01
      reportgen build --strict                # withholding a record is an error
      reportgen build escalation-brief --open # then show it in the browser
    """
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    try:
        result = build(root, names, formats, jobs=jobs, force=force, keep_going=keep_going,
                       dry_run=dry_run, wait=not no_wait, since=since.date() if since else None,
                       strict=strict, reporter=reporter)
    except UnknownTarget as exc:
        raise click.UsageError(exc.message) from None
    finally:
        reporter.close()
    status = report(result, root.resolve(), dry_run=dry_run, quiet=quiet, verbose=verbose)
    if open_result and status == 0 and not dry_run:
        open_briefing(result, root.resolve())
    raise SystemExit(status)


def open_briefing(result, root: Path) -> None:
    """Show the first requested briefing that exists, preferring the HTML (a reader's view).
    webbrowser is imported here: it pulls in shutil and subprocess, which a no-op build never
    needs."""
    import webbrowser

    for suffix in (".html", ".pdf", ".md"):
        path = next((root / t.path for t in result.requested
                     if t.path.endswith(suffix) and (root / t.path).is_file()), None)
        if path is not None:
            webbrowser.open(path.as_uri())
            return
    click.echo("nothing to open: no briefing was built", err=True)


def report(result, root: Path, *, dry_run: bool, quiet: bool, verbose: bool) -> int:
    """Print the outcome; return the exit status."""
    if result.stopped:
        click.echo("build stopped: fix the errors above first (nothing was written)")
        return 1
    if dry_run:
        for item in result.stale:
            click.echo(f"{item.target.path}: {reasons_text(item, None if verbose else 3)}")
        for path in result.removed:
            click.echo(f"{path}: would be removed (no longer in reportgen.yaml)")
        if not result.stale and not result.removed:
            click.echo(f"nothing to do: {_targets(len(result.requested))} up to date")
        return 0
    if result.failed:
        click.echo(f"{len(result.failed)} of {_targets(len(result.stale))} failed"
                   + ("" if len(result.built) + len(result.failed) == len(result.stale)
                      else " (stopped; -k goes on after a failure)"), err=True)
        return 1
    if verbose:
        click.echo("time: " + ", ".join(f"{phase} {result.seconds[phase]:.2f} s"
                                        for phase in PHASES if phase in result.seconds))
    if not quiet:
        for note in result.notes:
            click.echo(str(note))
        fresh = len(result.requested) - len(result.built)
        if result.built:
            click.echo(f"built {_targets(len(result.built))}"
                       + (f", {fresh} up to date" if fresh else ""))
        else:
            click.echo(f"nothing to do: {_targets(len(result.requested))} up to date")
        outputs = [root / target.path for target in result.requested]
        shown = [path for path in outputs if path.is_file()]
        if shown:
            click.echo("briefings:")
            for path in shown:
                click.echo(f"  {path}")
    return 0


def _targets(count: int) -> str:
    return f"{count} target{'s' * (count != 1)}"
