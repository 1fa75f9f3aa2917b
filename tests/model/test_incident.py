"""Behaviour that belongs to an incident: its UTC moment, its one order, its acting party."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.analyse import analyse_report
from reportgen.model import Actor, Incident, ProjectConfig
from reportgen.model.project import Project
from reportgen.select import select

DAY = "2021-03-04"


def incident(ident: str, **fields) -> Incident:
    actors = fields.pop("actors", [{"actor": "invented-front", "role": "perpetrator"}])
    return Incident(id=f"{DAY}-{ident}", title=f"Invented {ident}", date=DAY, type="Armed clash",
                    location={"place": "Invented town", "country": "IQ"}, actors=actors,
                    sources=[{"outlet": "invented-wire", "date": DAY, "grade": "B2"}], **fields)


def test_utc_moment_from_the_local_time_else_the_reported_utc_time():
    assert incident("a", time="21:30", timezone="Asia/Baghdad").utc_moment == dt.datetime(
        2021, 3, 4, 18, 30, tzinfo=dt.UTC)
    assert incident("b", time_utc="05:00").utc_moment == dt.datetime(2021, 3, 4, 5, 0, tzinfo=dt.UTC)
    assert incident("c", time="05:00").utc_moment is None  # a local time without a zone says no moment


def test_the_chronology_and_the_analysis_order_a_day_alike():
    """One order everywhere: on a day, what is known only to the day first, then by UTC moment."""
    records = [incident("late", time="23:00", timezone="Asia/Baghdad"), incident("untimed"),
               incident("early", time_utc="05:00")]
    config = ProjectConfig.model_validate({
        "project": {"title": "Invented", "desk": "Invented Desk"},
        "reports": [{"id": "invented-brief", "title": "Invented", "period": {"from": DAY, "to": DAY}}]})
    front = Actor(id="invented-front", name="Invented Front", kind="militia")
    project = Project(Path("."), config, incidents={i.id: i for i in records}, actors={front.id: front})
    selection = select(project, config.reports[0])
    chronology = [i.id for i in selection.incidents]
    analysis = [i.id for i in analyse_report(selection).incidents]
    assert chronology == analysis == [f"{DAY}-untimed", f"{DAY}-early", f"{DAY}-late"]


def test_the_acting_party_is_the_most_direct_role_recorded():
    claimed = incident("a", actors=[{"actor": "x", "role": "attributed-to"},
                                    {"actor": "y", "role": "claimed-by"},
                                    {"actor": "z", "role": "victim"}, {"actor": "w", "role": "target"}])
    assert claimed.acting_actor_ids() == ["y"]
    assert claimed.target_actor_ids() == ["w", "z"]
    both = incident("b", actors=[{"actor": "x", "role": "attributed-to"},
                                 {"actor": "y", "role": "perpetrator"}])
    assert both.acting_actor_ids() == ["y"]
