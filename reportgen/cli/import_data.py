"""`reportgen import acled|ucdp FILE`: a user's own dataset export as draft incident files."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from reportgen.cli.options import project_dir
from reportgen.cli.output import print_text
from reportgen.exchange.acled_import import ACLED
from reportgen.exchange.importing import Dataset, ImportResult, import_csv
from reportgen.exchange.ucdp_import import UCDP
from reportgen.model.text import counted
from reportgen.problems import Severity

csv_file = click.argument("csv_path", metavar="FILE.csv",
                          type=click.Path(exists=True, dir_okay=False, path_type=Path))
dry_run = click.option("-n", "--dry-run", is_flag=True, help="Say what would be written; write nothing.")


@click.group("import")
def command() -> None:
    """Turn your own ACLED or UCDP GED export (CSV) into draft incidents.

    Each new row becomes incidents/YEAR/ID.yaml with status draft; rows imported before
    (their ACLED/UCDP id is kept in `external_ids`) are skipped, so re-running is safe.
    Actors are matched by id, name or alias; unknown ones are listed and named in the notes.
    Outlets not in sources.yaml are added to it with reliability F (cannot be judged).

    \b
    Examples:
      reportgen import acled acled-iraq-2024.csv
      reportgen import ucdp --dry-run ged-iraq.csv
    """


@command.command("acled")
@project_dir
@dry_run
@csv_file
def acled(root: Path, dry_run: bool, csv_path: Path) -> None:
    """Import an ACLED export (columns event_id_cnty, event_date, ..., fatalities).

    \b
    Example:
      reportgen import acled acled-iraq-2024.csv
    """
    _run(root, csv_path, ACLED, dry_run)


@command.command("ucdp")
@project_dir
@dry_run
@csv_file
def ucdp(root: Path, dry_run: bool, csv_path: Path) -> None:
    """Import a UCDP GED export (columns id, date_start, ..., source_article).

    \b
    Example:
      reportgen import ucdp ged-iraq.csv
    """
    _run(root, csv_path, UCDP, dry_run)


def _run(root: Path, csv_path: Path, dataset: Dataset, dry_run: bool) -> None:
    result = import_csv(root, csv_path, dataset, dry_run=dry_run)
    _report(root, result, dry_run)
    raise SystemExit(1 if any(p.severity is Severity.ERROR for p in result.problems) else 0)


def _report(root: Path, result: ImportResult, dry_run: bool) -> None:
    verb = "would write" if dry_run else "wrote"
    for path in result.written:
        click.echo(f"{verb} {path.relative_to(root).as_posix()}")
    for outlet in result.outlets_added:
        click.echo(f"{'would add' if dry_run else 'added'} outlet '{outlet.id}' ({outlet.name}) "
                   "to sources.yaml with reliability F")
    for name, rows in sorted(result.unmatched.items()):
        click.echo(f"unmatched actor '{name}' in {counted(rows, 'row')} "
                   "(add it or an alias under actors/)")
    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    summary = (f"{counted(len(result.written), 'new draft')}, "
               f"{len(result.already)} already imported, "
               f"{counted(errors, 'row')} with errors")
    print_text(result.problems, summary, Console(highlight=False))
