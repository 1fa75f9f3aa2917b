"""Rules that need more than one field or more than one file. Each yields located Problems."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from reportgen.load.yaml_loader import Document
from reportgen.model.actor import Actor
from reportgen.model.common import ESTIMATIVE_TERMS, Period
from reportgen.model.config import ProjectConfig, ProjectInfo, Report
from reportgen.model.incident import CasualtyReport, Incident
from reportgen.model.names import ActorIndex, normalize
from reportgen.model.outlet import Outlet
from reportgen.model.project import Project
from reportgen.model.tally import Tally
from reportgen.model.vocabulary import PARTY_CATEGORIES
from reportgen.problems import Problem, error, warning
from reportgen.select import matches, may_link, members

RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                  *(f"lpt{i}" for i in range(10))}


_MAX_CASUALTIES = ProjectInfo.model_fields["max_plausible_casualties"].default


class Context:
    """What the rules read: the records, where each came from, how to resolve names, and what
    the config says records may hold (the ladder's rungs: None when the config is unreadable)."""

    def __init__(self, incidents: dict[str, Incident], actors: dict[str, Actor],
                 outlets: dict[str, Outlet], origins: dict[tuple[str, str], Document],
                 today: dt.date, config: ProjectConfig | None = None):
        self.incidents, self.actors, self.outlets = incidents, actors, outlets
        self.origins, self.today = origins, today
        self.names = ActorIndex(actors)
        self.rungs = sorted(r.rung for r in config.escalation_ladder) if config else None
        self.sides = sorted(config.sides) if config else None
        self.config = config
        self.max_casualties = config.project.max_plausible_casualties if config else _MAX_CASUALTIES

    def at(self, kind: str, record_id: str, loc: tuple, message: str, hint: str = "",
           *, warn: bool = False) -> Problem:
        document = self.origins[(kind, record_id)]
        line, column = document.locate(loc)
        make = warning if warn else error
        return make(document.path, line, column, message, hint)

    def incident_problem(self, incident_id: str) -> tuple[str, str] | None:
        """Why a reference names no incident (message, hint), or None when it does."""
        if incident_id in self.incidents:
            return None
        close = _closest(incident_id, self.incidents)
        return (f"unknown incident '{incident_id}'",
                f"did you mean '{close}'?" if close else "check the incident id")

    def reference_problem(self, reference: str) -> tuple[str, str] | None:
        """Why an actor reference names no actor (message, hint), or None when it does."""
        if self.names.resolve(reference) is not None:
            return None
        if not normalize(reference):
            return (f"actor reference '{reference}' has no letter or digit, so it names no actor",
                    "write the actor's id, name or alias")
        suggestion = self.names.suggest(reference)
        return (f"unknown actor '{reference}'",
                f"did you mean '{suggestion}'?" if suggestion else "add it under actors/")


def check_file_name(document: Document, record_id: str) -> Iterator[Problem]:
    stem = document.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    line, column = document.locate(("id",))
    if record_id != stem:
        yield error(document.path, line, column, f"id '{record_id}' does not match the file name",
                    f"rename the file to {record_id}.yaml or set id: {stem}")
    if record_id in RESERVED_NAMES:
        yield error(document.path, line, column, f"'{record_id}' is a reserved file name",
                    "choose another id")


def incident_rules(ctx: Context, incident: Incident) -> Iterator[Problem]:
    yield from _dates(ctx, incident)
    yield from _revisions(ctx, incident)
    yield from _times(ctx, incident)
    yield from _actor_refs(ctx, incident)
    yield from _source_refs(ctx, incident)
    yield from _links(ctx, incident)
    yield from _escalation(ctx, incident)


def _dates(ctx: Context, incident: Incident) -> Iterator[Problem]:
    yield from future_dates(incident, ctx.today, lambda loc, message, hint: ctx.at(
        "incident", incident.id, loc, message, hint))
    if incident.end and incident.end < incident.date:
        yield ctx.at("incident", incident.id, ("end",),
                     f"end {incident.end} is before the start {incident.date}",
                     "swap them or remove end")
    earliest = _earliest_day(incident) - dt.timedelta(days=1)  # a report dated by another clock
    for index, source in enumerate(incident.sources):
        if source.date < earliest:
            yield ctx.at("incident", incident.id, ("sources", index, "date"),
                         f"source date {source.date} is before the incident ({incident.date})",
                         "a report cannot come before what it reports: check both dates")


def _earliest_day(incident: Incident) -> dt.date:
    """The first day the incident may have happened on, as precisely as its date is known."""
    if incident.date_precision == "month":
        return incident.date.replace(day=1)
    if incident.date_precision == "week":
        return incident.date - dt.timedelta(days=incident.date.weekday())
    return incident.date


LIST_ITEMS = {"sources": "source", "source": "source", "claims": "claim", "casualties": "figure",
              "leaders": "leader", "affiliations": "affiliation", "designations": "designation",
              "counts": "count"}
"""How a date field reads in a message: by the list (or record) it belongs to."""


def dates_of(record: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, dt.date]]:
    """Every date a record holds, with where it is: every field, however deep, so that a date
    field added to a model is checked without a rule of its own."""
    for name in type(record).model_fields:
        yield from _dates_in(getattr(record, name), (*loc, name))


def _dates_in(value: object, loc: tuple) -> Iterator[tuple[tuple, dt.date]]:
    if isinstance(value, dt.date):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from dates_of(value, loc)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _dates_in(item, (*loc, index))


def future_dates(record: BaseModel, today: dt.date, at, base: tuple = ()) -> Iterator[Problem]:
    """A record states what happened: none of its dates may lie after today (an incident, a
    claim, a source, a leader's term, a designation, a count alike). `at(loc, message, hint)`
    locates the problem."""
    for loc, day in dates_of(record, base):
        if day > today:
            names = [part for part in loc if isinstance(part, str)]
            owner = LIST_ITEMS.get(names[-2], "") if len(names) > 1 else ""
            label = f"{owner} {names[-1]}".strip()
            yield at(loc, f"{label} {day} lies in the future", "check the year")


def _revisions(ctx: Context, incident: Incident) -> Iterator[Problem]:
    """A figure revises an earlier figure of the same incident, named by its id: so a revision
    can never revise itself, a later figure, or form a loop. It counts what the figure it
    revises counted: the same party, and killed or injured only where that one gave them (a
    revision that counted another party would make the first party's dead vanish)."""
    earlier: dict[str, CasualtyReport] = {}
    for index, report in enumerate(incident.casualties):
        revised = earlier.get(report.revises) if report.revises is not None else None
        if report.revises is not None and revised is None:
            yield ctx.at("incident", incident.id, ("casualties", index, "revises"),
                         f"'{report.revises}' is not the id of an earlier casualty figure",
                         f"give the figure it revises `id: {report.revises}` and list it first")
        elif revised is not None:
            yield from _revision_counts(ctx, incident, index, report, revised)
        if report.id is not None:
            if report.id in earlier:
                yield ctx.at("incident", incident.id, ("casualties", index, "id"),
                             f"two casualty figures share the id '{report.id}'", "give each its own id")
            earlier[report.id] = report


def _revision_counts(ctx: Context, incident: Incident, index: int, report: CasualtyReport,
                     revised: CasualtyReport) -> Iterator[Problem]:
    def party(figure: CasualtyReport) -> str:
        key = (ctx.names.resolve(figure.party) or figure.party) if figure.party else "unknown"
        return PARTY_CATEGORIES.get(key, key)

    if party(report) != party(revised):
        yield ctx.at("incident", incident.id, ("casualties", index, "party"),
                     f"this figure revises '{revised.id}', which counts {party(revised)}, but it "
                     f"counts {party(report)}",
                     "a revision counts the same party: give a figure of another party no revises")
    extra = [f for f in ("killed", "injured")
             if getattr(report, f) is not None and getattr(revised, f) is None]
    if extra:
        yield ctx.at("incident", incident.id, ("casualties", index, extra[0]),
                     f"this figure revises '{revised.id}', which gives no {extra[0]} figure",
                     f"a revision replaces what the earlier figure gave: give the {extra[0]} "
                     "figure apart, without revises")


def _times(ctx: Context, incident: Incident) -> Iterator[Problem]:
    if incident.timezone:
        try:
            zone = ZoneInfo(incident.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            yield ctx.at("incident", incident.id, ("timezone",),
                         f"unknown time zone '{incident.timezone}'",
                         "use an IANA name such as Asia/Baghdad")
            return
    if incident.time and not incident.timezone:
        yield ctx.at("incident", incident.id, ("time",), "local time given without a timezone",
                     "add timezone: Asia/Baghdad (or the IANA zone of the place)", warn=True)
        return
    if not (incident.time and incident.timezone):
        return
    local = f"local time {incident.time} {incident.timezone}"
    readings = utc_readings(dt.datetime.combine(incident.date, dt.time.fromisoformat(incident.time), zone))
    if not readings:
        yield ctx.at("incident", incident.id, ("time",),
                     f"{local} does not exist on {incident.date}: the clocks jumped past it "
                     "(a daylight saving or time zone change)",
                     "check the time and the zone; give time_utc if the source has it", warn=True)
    elif incident.time_utc and incident.time_utc not in readings:
        yield ctx.at("incident", incident.id, ("time_utc",),
                     f"{local} is {' or '.join(readings)} UTC, but time_utc says {incident.time_utc}",
                     "keep what the source said and explain in notes", warn=True)
    elif len(readings) > 1 and not incident.time_utc:
        yield ctx.at("incident", incident.id, ("time",),
                     f"{local} happened twice on {incident.date} (the clocks went back), "
                     f"so it is {' or '.join(readings)} UTC", "give time_utc to say which", warn=True)


def utc_readings(local: dt.datetime) -> list[str]:
    """The UTC clock times (HH:MM) a local time can mean: one; two when a change of offset
    repeats it (fold 0 is the earlier); none when a change skips it, since neither offset
    then gives it back."""
    readings = []
    for fold in (0, 1):
        utc = local.replace(fold=fold).astimezone(dt.UTC)
        if utc.astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None):
            readings.append(utc.strftime("%H:%M"))
    return list(dict.fromkeys(readings))


def _actor_refs(ctx: Context, incident: Incident) -> Iterator[Problem]:
    references = [(("actors", i, "actor"), ref.actor) for i, ref in enumerate(incident.actors)]
    references += [(("claims", i, "actor"), c.actor) for i, c in enumerate(incident.claims) if c.actor]
    references += [(("casualties", i, "party"), c.party_actor)
                   for i, c in enumerate(incident.casualties) if c.party_actor]
    for loc, reference in references:
        if found := ctx.reference_problem(reference):
            yield ctx.at("incident", incident.id, loc, *found)


def _escalation(ctx: Context, incident: Incident) -> Iterator[Problem]:
    """An override to a rung the ladder lacks would be shown with no name, counted nowhere."""
    if incident.escalation is None or ctx.rungs is None or incident.escalation.rung in ctx.rungs:
        return
    rungs = ", ".join(map(str, ctx.rungs))
    yield ctx.at("incident", incident.id, ("escalation", "rung"),
                 f"rung {incident.escalation.rung} is not on the escalation ladder",
                 f"use one of the rungs in reportgen.yaml: {rungs}" if rungs
                 else "reportgen.yaml defines no escalation_ladder")


def _source_refs(ctx: Context, incident: Incident) -> Iterator[Problem]:
    yield from outlet_refs(ctx, "incident", incident.id, incident.sources)
    keys = [source.key for source in incident.sources]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            yield ctx.at("incident", incident.id, ("sources", index),
                         f"two sources share the id '{key}'", "give each an `id:`")
    for field in ("casualties", "claims"):
        for index, item in enumerate(getattr(incident, field)):
            if item.source and item.source not in keys:
                yield ctx.at("incident", incident.id, (field, index, "source"),
                             f"'{item.source}' is not one of this incident's sources",
                             f"use one of: {', '.join(keys)}")


def outlet_refs(ctx: Context, kind: str, record_id: str, sources: list) -> Iterator[Problem]:
    if not ctx.outlets:
        return
    for index, source in enumerate(sources):
        for field in ("outlet", "via"):
            outlet = getattr(source, field)
            if outlet and outlet not in ctx.outlets:
                close = _closest(outlet, ctx.outlets)
                hint = f"did you mean '{close}'?" if close else "add the outlet to sources.yaml"
                yield ctx.at(kind, record_id, ("sources", index, field),
                             f"unknown outlet '{outlet}'", hint)


def _links(ctx: Context, incident: Incident) -> Iterator[Problem]:
    """Links to other incidents: `responds_to`, `related`, and a claim's `answers` (a response
    link in the speaker's words), each to a known, other, not later incident."""
    links = [(("responds_to", i), "responds_to", t) for i, t in enumerate(incident.responds_to)]
    links += [(("related", i), "related", t) for i, t in enumerate(incident.related)]
    links += [(("claims", i, "answers"), "answers", c.answers)
              for i, c in enumerate(incident.claims) if c.answers]
    for loc, field, target_id in links:
        target = ctx.incidents.get(target_id)
        if target_id == incident.id:
            yield ctx.at("incident", incident.id, loc, f"{field} points at the incident itself")
        elif target is None:
            yield ctx.at("incident", incident.id, loc, *ctx.incident_problem(target_id))
        elif field != "related" and target.date > incident.date:
            yield ctx.at("incident", incident.id, loc,
                         f"responds to '{target_id}' of {target.date}, which is later than "
                         f"this incident ({incident.date})",
                         "a response cannot come before what it answers; use related")


def response_cycles(ctx: Context) -> Iterator[Problem]:
    """Same-day responses can still form a loop; report each loop once."""
    seen: set[str] = set()
    for start in sorted(ctx.incidents):
        path: list[str] = []
        node = start
        while node in ctx.incidents and node not in seen:
            if node in path:
                cycle = path[path.index(node):]
                yield ctx.at("incident", node, ("responds_to",),
                             "responds_to forms a loop: " + " -> ".join([*cycle, node]),
                             "remove one of the links")
                break
            path.append(node)
            links = [t for t in ctx.incidents[node].response_ids() if t != node]
            node = links[0] if links else ""
        seen.update(path)


def document_grades(ctx: Context) -> Iterator[Problem]:
    """One report cited twice (the same outlet, relay, date, headline and URL) with two
    reliability letters: the letter grades the source, not the use made of it, so one of them
    is a slip. The credibility digit may differ, since it grades each piece of information."""
    first: dict[tuple, tuple[str, str, int, str]] = {}
    for kind, records in (("incident", ctx.incidents), ("actor", ctx.actors)):
        for record_id in sorted(records):
            for index, source in enumerate(records[record_id].sources):
                key = (source.outlet, source.via, source.date, source.headline, str(source.url))
                seen = first.setdefault(key, (kind, record_id, index, source.grade))
                if seen[3][0] != source.grade[0]:
                    yield ctx.at(kind, record_id, ("sources", index, "grade"),
                                 f"{source.outlet} of {source.date} is graded {source.grade} here "
                                 f"but {seen[3]} in {seen[0]} '{seen[1]}'",
                                 "grade one report's reliability the same wherever it is cited",
                                 warn=True)


def actor_rules(ctx: Context, actor: Actor) -> Iterator[Problem]:
    yield from future_dates(actor, ctx.today, lambda loc, message, hint: ctx.at(
        "actor", actor.id, loc, message, hint))
    yield from _own_names(ctx, actor)
    yield from _side(ctx, actor)
    for index, affiliation in enumerate(actor.affiliations):
        if found := ctx.reference_problem(affiliation.actor):
            yield ctx.at("actor", actor.id, ("affiliations", index, "actor"), *found)
        elif ctx.names.resolve(affiliation.actor) == actor.id:
            yield ctx.at("actor", actor.id, ("affiliations", index, "actor"),
                         "an actor cannot be affiliated with itself")
    for index, leader in enumerate(actor.leaders):
        if leader.incident and (found := ctx.incident_problem(leader.incident)):
            yield ctx.at("actor", actor.id, ("leaders", index, "incident"), *found)
    yield from outlet_refs(ctx, "actor", actor.id, actor.sources)


def _side(ctx: Context, actor: Actor) -> Iterator[Problem]:
    """A side readers would see only as its id: every side is declared with its label."""
    if actor.side is None or ctx.sides is None or actor.side in ctx.sides:
        return
    known = f" (declared: {', '.join(ctx.sides)})" if ctx.sides else ""
    yield ctx.at("actor", actor.id, ("side",), f"side '{actor.side}' is not declared in reportgen.yaml",
                 f"add it under `sides:` with the label readers see, e.g. "
                 f"`{actor.side}: {{label: ...}}`{known}")


def _own_names(ctx: Context, actor: Actor) -> Iterator[Problem]:
    """Names no reference could use (no letter or digit), and names that are another actor's
    id: the id keeps meaning its actor, so such an alias would silently never apply."""
    for loc, label, name in actor_names(actor):
        others = ctx.names.id_owners(name) - {actor.id}
        if not normalize(name):
            yield ctx.at("actor", actor.id, loc, f"{label} '{name}' has no letter or digit, "
                         "so no reference can match it", "write the name out, or remove it")
        elif others:
            other = min(others)
            yield ctx.at("actor", actor.id, loc, f"{label} '{name}' is the id of actor '{other}'",
                         f"references to '{name}' mean {other}; change or remove this {label}")


def actor_names(actor: Actor) -> Iterator[tuple[tuple, str, str]]:
    """(loc, label, name) for each name the actor can be referred to by, other than its id."""
    yield ("name",), "name", actor.name
    for index, alias in enumerate(actor.aliases):
        yield ("aliases", index), "alias", alias
    if actor.native_name:
        yield ("native_name",), "native name", actor.native_name


def ambiguous_names(ctx: Context) -> Iterator[Problem]:
    for key, owners in sorted(ctx.names.ambiguous.items()):
        for owner in sorted(owners):
            yield ctx.at("actor", owner, ("aliases",),
                         f"the name '{key}' is shared by actors {', '.join(sorted(owners))}",
                         "references by this name cannot be resolved; make aliases unique")


def tally_rules(document: Document, base: tuple, tally: Tally, outlets: dict,
                today: dt.date) -> Iterator[Problem]:
    """Each count cites a known outlet and lies in the past; a running count that goes down
    is a revision the curator should say so about."""
    yield from future_dates(tally, today, lambda loc, message, hint: _at(document, loc, message, hint),
                            base)
    highest = None
    for count in sorted(tally.counts, key=lambda c: c.date):
        loc = (*base, "counts", tally.counts.index(count))
        if outlets and count.source.outlet not in outlets:
            close = _closest(count.source.outlet, outlets)
            yield _at(document, (*loc, "source", "outlet"), f"unknown outlet '{count.source.outlet}'",
                      f"did you mean '{close}'?" if close else "add the outlet to sources.yaml")
        low = count.count if isinstance(count.count, int) else count.count.min or 0
        if highest is not None and low < highest and not count.note:
            yield _at(document, loc, f"the count of {count.date} is lower than an earlier one ({highest})",
                      "say in its note why (a revised count, a narrower definition)", warn=True)
        highest = low if highest is None else max(highest, low)


def config_rules(ctx: Context, config: ProjectConfig, document: Document) -> Iterator[Problem]:
    lists = [item.name for item in config.distribution_lists]
    for index, name in enumerate(lists):
        if name in lists[:index]:
            yield _at(document, ("distribution_lists", index, "name"),
                      f"duplicate distribution list '{name}'",
                      "only one list of a name is mailed: merge their recipients or rename one")
    seen_reports: set[str] = set()
    for r, report in enumerate(config.reports):
        base = ("reports", r)
        if report.id in seen_reports:
            yield _at(document, (*base, "id"), f"duplicate report id '{report.id}'")
        seen_reports.add(report.id)
        yield from _report_dates(document, base, report)
        for a, reference in enumerate(report.filters.actors):
            if found := ctx.reference_problem(reference):
                yield _at(document, (*base, "filters", "actors", a), *found)
        for d, name in enumerate(report.distribution):
            if name not in lists:
                yield _at(document, (*base, "distribution", d),
                          f"unknown distribution list '{name}'", "define it in distribution_lists")
        yield from _estimative_language(document, base, report)
        yield from _awaiting_review(document, base, report)
        yield from _outlook(ctx, document, base, report)
    rungs = [rung.rung for rung in config.escalation_ladder]
    for index, rung in enumerate(rungs):
        if rung in rungs[:index]:
            yield _at(document, ("escalation_ladder", index, "rung"), f"rung {rung} defined twice")


def _report_dates(document: Document, base: tuple, report: Report) -> Iterator[Problem]:
    """The period, the cut-off and the previous issue in the only order that makes sense: a
    cut-off before the period's end would leave its last days out unsaid, and a previous issue
    after this one's information date cannot have come before it."""
    period = report.period
    yield from _in_order(document, (*base, "period"), period, "report period")
    if report.cutoff and report.cutoff < period.to:
        yield _at(document, (*base, "cutoff"),
                  f"cut-off {report.cutoff} is before the period's end {period.to}",
                  f"end the period at the cut-off (to: {report.cutoff}) or move the cut-off")
    if report.previous_issue and report.previous_issue > report.issue_date:
        limit = f"the cut-off {report.cutoff}" if report.cutoff else f"the period's end {period.to}"
        yield _at(document, (*base, "previous_issue"),
                  f"previous issue {report.previous_issue} is after {limit}",
                  "give the date of the issue before this one")


def _awaiting_review(document: Document, base: tuple, report: Report) -> Iterator[Problem]:
    """What `reportgen next` carried over from the issue before stays flagged, each at its line
    in `review`, until the editor has read it again and removed it from the list."""
    for index, item in enumerate(report.review):
        line, column = document.locate((*base, "review", index))
        what = ("subtitle names the last issue's period" if item == "subtitle" else
                f"{item.replace('-', ' ')} carried over unchanged from the last issue")
        yield warning(document.path, line, column, f"{what}: not yet reviewed",
                      f"revise or confirm it, then remove '{item}' from review")


def _in_order(document: Document, loc: tuple, period: Period, what: str) -> Iterator[Problem]:
    if period.from_ > period.to:
        yield _at(document, loc, f"{what} starts {period.from_}, after it ends {period.to}",
                  "swap from and to")


def _estimative_language(document: Document, base: tuple, report: Report) -> Iterator[Problem]:
    """ICD 203: do not mix the two columns of likelihood terms in one product, whether in the
    key judgments or in the outlook."""
    used = [(("key_judgments", i), kj.likelihood) for i, kj in enumerate(report.key_judgments)
            if kj.likelihood]
    used += [(("outlook", i), indicator.likelihood) for i, indicator in enumerate(report.outlook)
             if indicator.likelihood]
    columns = {ESTIMATIVE_TERMS[term][0] for _, term in used}
    if len(columns) > 1:
        first_column = ESTIMATIVE_TERMS[used[0][1]][0]
        for where, term in used:
            if ESTIMATIVE_TERMS[term][0] != first_column:
                yield _at(document, (*base, *where, "likelihood"),
                          f"'{term}' mixes the two ICD 203 columns in one report",
                          f"use the column of '{used[0][1]}'")


def _outlook(ctx: Context, document: Document, base: tuple, report: Report) -> Iterator[Problem]:
    """Each indicator to watch: a time frame in order, a key judgment the report has, known
    incidents, and a status the record supports as of the cut-off. (Whether its incidents are
    the report's own needs the selection: `outlook_selection`.)"""
    cutoff = report.issue_date
    for i, indicator in enumerate(report.outlook):
        loc = (*base, "outlook", i)
        frame = indicator.time_frame
        yield from _in_order(document, (*loc, "time_frame"), frame, "time frame")
        if indicator.judgment and indicator.judgment > len(report.key_judgments):
            count = len(report.key_judgments)
            yield _at(document, (*loc, "judgment"), f"there is no key judgment {indicator.judgment}",
                      f"number the report's key judgments from 1 (it has {count})" if count
                      else "the report has no key judgments; remove judgment")
        for k, incident_id in enumerate(indicator.incidents):
            if found := ctx.incident_problem(incident_id):
                yield _at(document, (*loc, "incidents", k), *found)
        if indicator.as_of and indicator.as_of > cutoff:
            yield _at(document, (*loc, "as_of"),
                      f"status as of {indicator.as_of}, after the report's cut-off {cutoff}",
                      "a briefing knows nothing after its cut-off; give an earlier date or none")
        if indicator.status == "observed" and not indicator.incidents:
            yield _at(document, (*loc, "status"), "observed, but no incident shows what was observed",
                      "what was observed? list the incidents that show it under incidents", warn=True)
        if indicator.status == "not-yet-observed" and frame.to < cutoff:
            yield _at(document, (*loc, "time_frame"),
                      f"time frame ended {frame.to}, before the cut-off {cutoff}, yet the indicator "
                      "is still not yet observed",
                      "mark it observed or no-longer-relevant, or give it a new time frame", warn=True)


def outlook_selection(project: Project, document: Document) -> Iterator[Problem]:
    """Warnings for an indicator's incidents that are not the report's own: a briefing can name
    an incident outside its period or filters only without a link to its chronology, and leaves
    out a draft, a retracted one or one its marking withholds. An incident dated before the
    period is earlier evidence, as a carried-over outlook names it (named without a link, no
    warning); one in the period but outside the filters, or after the cut-off, is more likely
    a slip. Unknown ids are errors already."""
    for r, report in enumerate(project.config.reports):
        filtered = members(project, report.filters.actors) if report.outlook else set()
        for i, indicator in enumerate(report.outlook):
            for k, incident_id in enumerate(indicator.incidents):
                incident = project.incidents.get(incident_id)
                if incident is None:
                    continue
                linkable = may_link(project, report, incident)
                if linkable and (matches(report, filtered, incident)
                                 or incident.date < report.period.from_):
                    continue
                hint = ("outside the report's period or filters: the outlook names it without a link"
                        if linkable else
                        "a draft, retracted, or marked above the report: the outlook leaves it out")
                yield _at(document, ("reports", r, "outlook", i, "incidents", k),
                          f"incident '{incident_id}' is not among this report's incidents", hint,
                          warn=True)


def _at(document: Document, loc: tuple, message: str, hint: str = "", *, warn: bool = False) -> Problem:
    line, column = document.locate(loc)
    return (warning if warn else error)(document.path, line, column, message, hint)


def _closest(word: str, options) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None
