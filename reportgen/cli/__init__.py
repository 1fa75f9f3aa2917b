"""The command line: parse arguments, call the library, render problems. Nothing else."""

from __future__ import annotations

import errno
import importlib

import click

from reportgen import __version__
from reportgen.make.tuning import collect_less
from reportgen.problems import ReportgenError, os_problem

# command name -> module under reportgen.cli exposing `command`
COMMANDS = {
    "build": "build",
    "check": "check",
    "clean": "clean",
    "mail": "mail",
    "schema": "schema",
    "doctor": "doctor",
    "new": "new",
    "init": "init",
    "export": "export",
    "import": "import_data",
    "serve": "serve",
    "next": "next",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs, so `check` stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"reportgen.cli.{COMMANDS[name]}")
        return module.command

    def invoke(self, ctx: click.Context):
        """The one place where a command's stop is rendered: its located problems (bad input)
        or an error of the file system (a full or read-only disk, a folder where a file should
        be) become lines on stderr and exit status 1 (2 for a name that does not exist), never a
        traceback. (A closed pipe is left
        to click, which exits quietly.)"""
        try:
            return super().invoke(ctx)
        except ReportgenError as exc:
            from reportgen.cli.output import print_stop  # rich loads only when a command stops

            print_stop(exc)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            click.echo(str(os_problem(exc)), err=True)
            ctx.exit(1)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """Turn curated YAML incident files into analytical briefings."""
    collect_less()
