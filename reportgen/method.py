"""The method: one written definition of every figure a briefing derives.

Each `Rule` is stated for readers, so that anyone can work a figure out by hand from the
incidents; the briefing's method annex prints these rules, `docs/method.md` is generated from
them (`python -m reportgen.method > docs/method.md`, a test keeps the file current), and the
code that computes a figure names the rule it follows in its docstring. Where the field has a
convention (ACLED's event types and fatality coding, UCDP GED's low and high estimates and
deaths by side) a rule follows it or says why not.

Change a rule here first, then the expected figures of `tests/fixtures/method-project/`
(worked out by hand from the rules), then the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.analyse.places import MAP_LISTED, MAP_NUMBERED, SAME_PLACE_KM
from reportgen.model.vocabulary import (
    ACLED_CODED,
    ATTACK_EVENT_TYPES,
    ATTACK_SUB_EVENTS,
    VAGUE_FIGURES,
    VAGUE_SOURCE,
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One definition: a short title, the rule in plain words, and worked examples."""

    key: str
    title: str
    text: str
    examples: tuple[str, ...] = ()

    @property
    def reading(self) -> str:
        """The rule with its examples, as one paragraph of the method annex."""
        return " ".join((self.text, *(("For example:", *self.examples) if self.examples else ())))


def _quoted(words) -> str:
    return ", ".join(f"“{word}” {VAGUE_FIGURES[word]}" for word in words)


def _listed(items, joint: str = "or") -> str:
    items = list(items)
    return f"{', '.join(items[:-1])} {joint} {items[-1]}" if len(items) > 1 else items[0]


RULES: tuple[Rule, ...] = (
    Rule(
        "selection", "What is counted",
        "The incidents of a briefing are a selection its analysts made from the reporting, not "
        "a count of every event: every count and sum below is of the incidents in the briefing. "
        "A count an official body published is shown beside them under its own name and date, "
        "never added to them, and a sum of the briefing's incidents is never presented as the "
        "period's total.",
    ),
    Rule(
        "attacks", "Attacks and other events",
        "Each incident has one sub-event type of ACLED's taxonomy, which belongs to one event "
        "type (an air or drone strike is Explosions/Remote violence; an agreement, an "
        "announcement or an interception a strategic development). An incident counts as an attack "
        f"when its event type is {_listed(ATTACK_EVENT_TYPES)}, or when it is an attack stopped "
        f"by interception ({_listed(ATTACK_SUB_EVENTS)}). ACLED files the latter under "
        "strategic developments; this briefing counts it as an attack because the official "
        "counts shown beside its figures count attempted attacks too. Every other incident "
        "(a statement, an announcement, an agreement, a designation, an arrest, a protest) is "
        "an other event: it is shown in the chronology and counted on its own, never as an "
        "attack by any party.",
        ("A US and Iraqi agreement to start talks is an other event: it adds to no party's "
         "attacks.",),
    ),
    Rule(
        "acting-party", "Whose attack it is",
        "An attack counts for the party that carried it out: the actors recorded as having "
        "carried it out; where none is, those who claimed it; where none claimed it, those it "
        "is attributed to. Here, and for responses, a party is the side an actor belongs to, as "
        "the briefing declares its sides, or the actor itself, under its own name, when it "
        "belongs to no side (a casualty figure's party is whose dead it counts instead). An "
        "attack by actors of two parties counts once for each, so the counts by party can add "
        "up to more than the number of attacks; one with no actor recorded in these roles "
        "counts for “unknown perpetrators”.",
    ),
    Rule(
        "map", "What the map shows",
        "The map marks every incident recorded with coordinates at its place, unless the "
        "incident is known only to a region or a country (its coordinates would then be a "
        "guess at the middle). An incident recorded at several named places (an operation "
        "striking two towns) is marked at each of them that has coordinates and is not itself"
        " known only to a region, whatever the incident's own precision. Taken in the "
        "chronology's order, each point (an incident's place, or one of its named places) "
        f"joins the first place whose first point lies less than {SAME_PLACE_KM} km from it (when more than "
        f"{MAP_NUMBERED} incidents are on the map, less than a fiftieth of the map's height in kilometres),"
        " else starts a place of its own; an incident counts once at a place. A place has one"
        " marker: the number of its incidents, ringed in the colours of the parties that "
        "carried them out (as “Whose attack it is” names them; other events count for their "
        "actors' party the same way, and an incident of two parties counts once for each), "
        "each party's share of the ring its share of those counts. The place takes the name "
        "its points give most often (a named place's own name, else the incident's place, as "
        "written; the earliest of equals) and is marked where that name was first given. "
        "Markers are set busiest place first; one that would cover a marker already set is "
        "set beside it, joined to its place by a line. The list under the map gives each "
        f"place's incidents by their numbers in the chronology (when more than {MAP_NUMBERED} incidents are"
        f" on the map, the {MAP_LISTED} busiest places only), then, in the chronology's order, the "
        "incidents not on the map with the reason: place given only as a region, place given "
        "only as a country, or no coordinates recorded. The counts by party under the map are "
        "of the incidents on it, each counted once for each party that carried it out however "
        "many places it has, attacks and other events apart.",
        ("Three attacks at one air base, two by one party and one by another, are one marker "
         "reading 3, its ring two-thirds in the first party's colour.",),
    ),
    Rule(
        "tempo", "Tempo and phases",
        "Tempo counts attacks per week, Monday to Sunday, by party; a week without any shows 0. "
        "Other events are counted per week on a line of their own. An incident known only to "
        "the week or month counts in the week of the date recorded for it. A phase's rate is "
        "its attacks times 7, divided by its days (first and last included), to one decimal. "
        "The busiest week is the one "
        "with the most attacks, all parties together, the earliest of equals. The killed and injured of a "
        "week or a phase are each party's sum over its incidents (see “Sums over incidents”).",
        ("A phase of 12 days with 3 attacks and 2 statements has 3 attacks, 1.8 a week.",),
    ),
    Rule(
        "source-figure", "One source's figure",
        "Every casualty figure is one source's, about one party (an actor's members, civilians, "
        "security forces, or no stated party when the source does not say whose dead they are "
        "or counts several parties together). A figure is a count or a floor. A count is an "
        "exact number, a range “a to b”, or “up to b” (0 to b). A floor is “at least a”, or a "
        "vague word, which reads as at least the number it stands for: "
        f"{_quoted(ACLED_CODED)} as ACLED codes them ({VAGUE_SOURCE}); "
        f"{_quoted(w for w in VAGUE_FIGURES if w not in ACLED_CODED and w != 'unknown')} by this "
        "briefing's own rule, the least the word can mean. “An unknown number” gives no number.",
    ),
    Rule(
        "revisions", "Revised figures",
        "When a later figure of the same incident revises an earlier one, the earlier one no "
        "longer counts: it is shown as the later one's history (“revised from 25”). A revision "
        "replaces only what it gives: a revised death toll leaves the earlier injured figure "
        "standing when it gives none. A revision counts the same party as the figure it "
        "revises, and only what that one gave.",
    ),
    Rule(
        "party-in-incident", "One party in one incident",
        "Take the figures about one party in one incident from every source whose figure still "
        "stands. The low end is the lowest number any count gives, the high end the highest; "
        "where no source gives a count, both ends are the highest floor, read “at least”. Where "
        "a floor is higher than every count, the high end reads “at least” that floor. A floor "
        "at or below a count agrees with it and changes nothing. Equal ends read as one number. "
        "Where every figure about the party is the same vague word, the word is shown; where "
        "none gives a number, “an unknown number”. ACLED codes only the most conservative "
        "figure and notes a dispute (“Uses and limitations”, 27 February 2023); this briefing "
        "shows the whole span instead, as UCDP's low and high estimates do, so that a reader "
        "sees where sources disagree.",
        ("2–4 and 3–6 read “2–6”: no source's range is narrowed to where they overlap.",
         "5 and “at least 3” read “5”; “some” and 20 read “20”.",
         "2 and “at least 3” read “2 to at least 3”; 2 and “several” the same.",
         "“at least 3” and “at least 5” read “at least 5”; “several” alone reads “several”."),
    ),
    Rule(
        "sums", "Sums over incidents",
        "One party's figure over several incidents (a week, a phase, the period, a profile) "
        "adds the low ends, and adds the high ends, of its figure in each incident. The high "
        "end of the sum reads “at least” when that of any incident it adds does. A vague word "
        "adds as the floor it reads as. An incident where the party's figure is “an unknown "
        "number” adds nothing, and the sum says “plus an unknown number”.",
        ("“a few” in one incident and 5 in another: at least 7.",
         "1, 8, 1 and “2 to at least 3”: “12 to at least 13”.",
         "4 and “an unknown number”: “4 plus an unknown number”."),
    ),
    Rule(
        "parties-apart", "Parties are never added together",
        "Figures of different parties are never added: each party has its own line or entry, "
        "and two actors of one side are two parties. Figures of no stated party belong to "
        "their incident alone: they are never summed across incidents and never added to a "
        "named party; a table over several incidents lists them incident by incident, leaving out "
        "a figure of 0.",
    ),
    Rule(
        "incident-total", "An incident's dead, all parties together",
        "Where one figure must stand for all the dead of an incident (the exports' fatalities, "
        "as ACLED's fatalities and UCDP's deaths count an event's dead whoever they were), its "
        "low end adds the named parties' low ends and its high end their high ends; figures of "
        "no stated party, which may count the same dead, count only where larger: the low end "
        "is the larger of the two low ends, the high end the larger of the two high ends. An "
        "incident whose figures give no number has no total.",
        ("6 civilians and 5 union members, and another source's 9 whose party it does not state: "
         "11.",),
    ),
    Rule(
        "severity", "Severity on the escalation ladder",
        "A rung that asks for at least N killed (or injured) reads the incident's dead over "
        "all parties: for each party, the largest number one source vouches for (an exact "
        "figure, the low end of a range, a floor), these "
        "added over the parties; a figure of no stated party counts only where larger than "
        "that sum. A denial does not cancel another source's figure, and a figure counts "
        "whatever its source's grade: where that misleads, the analyst sets the rung and says "
        "why. A rung that asks for dead among actors of one kind reads the same, over the "
        "parties of that kind.",
        ("One source's 6 civilians and 5 union members dead: 11, and a rung of 10 dead is met.",),
    ),
    Rule(
        "roles", "An actor's incidents by role",
        "An actor's profile counts, each in a column of its own, the incidents it is recorded "
        "as having carried out, as having claimed (a statement that is no claim does not "
        "count), as being held responsible for by others, and as targeted (a target or a "
        "victim). An incident counts in every column whose role "
        "the actor holds in it, whoever else is recorded, so the columns can overlap.",
    ),
    Rule(
        "profile-casualties", "Casualties in a profile",
        "Killed and injured among an actor are the figures whose party is that actor, summed "
        "over the briefing's incidents. Its member groups are parties of their own: the "
        "profile lists their figures under their names, each on its own line, never added to "
        "the actor's. Killed and injured in the incidents it carried out (its first column) are "
        "summed party by party.",
    ),
    Rule(
        "seen", "First and last seen",
        "An actor is seen on the date of every incident of the briefing in which it has a role "
        "other than a mere mention, and on the date of every statement it made that is "
        "recorded with one (the incident's date when the statement has none), up to the "
        "briefing's cut-off. A multi-day incident counts on its last day too. First and last "
        "seen are the earliest and latest of these dates.",
    ),
    Rule(
        "responses", "Responses",
        "An incident answers an earlier one when the reporting presents it as a response, or "
        "when a party's own statement does (shown as that party's account). Only links between "
        "incidents of the briefing count. Responses are counted as incidents, not links: an "
        "incident answering two attacks is one response, and incidents of one operation "
        "recorded once per country (the same day, the same party, answering the same "
        "incidents) are one response, though they stay two attacks. A response's delay is the "
        "days from the date of the latest incident it answers to its own date; the median is "
        "taken over responses (of an even number, the mean of the middle two), and a response "
        "counts in the phase of its own date. Between two parties, a response counts for the "
        "party that answered (the speaker's party for a statement's link, else the party whose "
        "attack it is) as answering the party whose attack or act it answers, as “Whose attack "
        "it is” names them; a party never answers itself.",
        ("Strikes in Syria and in Iraq on one day, both answering one attack 6 days before, "
         "are one response with a delay of 6 days.",),
    ),
    Rule(
        "order", "Order and numbering",
        "Incidents are numbered by date. On one day, incidents known only to the day come "
        "first, then those with a known time in time order, incidents alike in this by their "
        "record names; an incident that answers another of the same day always comes after it.",
    ),
    Rule(
        "turning-points", "Turning points",
        "A turning point is the first incident at a rung higher than any before it in the "
        "period (the first rated incident sets the baseline), the first in which a source "
        "reports at least one killed among a side (an actor counts for its side; one with no "
        "side, civilians and security forces each on their own), or an announced pause or "
        "resumption of attacks.",
    ),
)
"""Every figure's definition, in the order the method annex prints them."""


def rule(key: str) -> Rule:
    return next(r for r in RULES if r.key == key)


def markdown() -> str:
    """docs/method.md: the rules as one page, for the docs."""
    lines = ["# How reportgen derives its figures", "",
             "<!-- generated from reportgen/method.py: python -m reportgen.method > docs/method.md -->",
             "", "Every figure a briefing derives follows one of these rules; the briefing's "
             "method annex prints the same text.", ""]
    for number, item in enumerate(RULES, start=1):
        lines += [f"## {number}. {item.title}", "", item.text, ""]
        lines += [f"- {example}" for example in item.examples]
        lines += [""] if item.examples else []
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
