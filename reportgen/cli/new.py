"""`reportgen new incident|actor`: write a blank record file for a curator to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from reportgen.cli.options import project_dir
from reportgen.model.vocabulary import ActorKind
from reportgen.scaffold.records import new_actor, new_incident


@click.group("new")
def command() -> None:
    """Write a blank incident or actor file in the right folder.

    The file has a valid id, the schema line for editors and the required fields left empty:
    `reportgen check` fails, naming each empty field, until you have filled them in. New
    incidents are drafts until you set `status: published`. Nothing is opened or overwritten.

    \b
    Examples:
      reportgen new incident --date 2024-02-07 --title "US drone strike in Baghdad"
      reportgen new actor "Kata'ib Sayyid al-Shuhada" --kind militia
    """


@command.command("incident")
@project_dir
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date of the event, YYYY-MM-DD (default: today).")
@click.option("--title", help="One-line title; the id is the date plus its words.")
@click.option("--id", "record_id", help="Use this id instead of one made from date and title.")
def incident(root: Path, day: dt.datetime | None, title: str | None, record_id: str | None) -> None:
    """Write incidents/YEAR/DATE-TITLE-WORDS.yaml.

    \b
    Example:
      reportgen new incident --date 2024-02-07 --title "US drone strike in Baghdad"
      -> incidents/2024/2024-02-07-us-drone-strike-in-baghdad.yaml
    """
    path = new_incident(root, (day.date() if day else dt.date.today()), title, record_id)
    click.echo(f"wrote {path.relative_to(root).as_posix()} (fill in the empty fields)")


@command.command("actor")
@project_dir
@click.argument("name")
@click.option("--kind", type=click.Choice(ActorKind.__args__),
              help="What kind of actor; left empty for you to fill in when not given.")
@click.option("--id", "record_id", help="Use this id instead of one made from the name.")
def actor(root: Path, name: str, kind: str | None, record_id: str | None) -> None:
    """Write actors/ID.yaml for the actor NAME (accents become plain letters in the ID).

    \b
    Example:
      reportgen new actor "Kata'ib Sayyid al-Shuhada" --kind militia
      -> actors/kataib-sayyid-al-shuhada.yaml
    """
    path = new_actor(root, name, kind, record_id)
    click.echo(f"wrote {path.relative_to(root).as_posix()}")
