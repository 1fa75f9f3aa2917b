"""`reportgen serve [REPORT]`: a live preview of a briefing's HTML while you edit the corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console

from reportgen.cli.options import project_dir
from reportgen.cli.output import print_text
from reportgen.preview import serve
from reportgen.problems import Problem


@click.command("serve", short_help="Preview a report's HTML briefing, rebuilt as you edit.")
@click.argument("report_id", metavar="[REPORT]", required=False)
@project_dir
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
def command(report_id: str | None, root: Path, port: int) -> None:
    """Serve REPORT's HTML briefing (default: the first report) on 127.0.0.1 and rebuild it
    whenever a file in the project changes; the page reloads by itself. While the project has
    errors the page lists them, with file and line. No output is written (charts kept in build/
    by a build are reused, and kept).

    \b
    Example:
      reportgen serve escalation-brief --port 8000   # then open http://127.0.0.1:8000/
    """
    console = Console(highlight=False)

    def ready(url: str, problems: list[Problem]) -> None:
        _show(console, problems)
        click.echo(f"serving {url} (Ctrl-C to stop)")

    def rebuilt(problems: list[Problem]) -> None:
        _show(console, problems)

    try:
        serve(root, report_id, port, ready=ready, rebuilt=rebuilt)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        click.echo("stopped")


def _show(console: Console, problems: list[Problem]) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    if problems:
        print_text(problems, f"{stamp} {len(problems)} problem(s), shown in the page", console)
    else:
        console.print(f"{stamp} rebuilt", highlight=False)
