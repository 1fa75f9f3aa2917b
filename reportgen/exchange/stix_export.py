"""A STIX 2.1 bundle for threat-intelligence platforms (OpenCTI, MISP), built with `stix2`.

- State forces, commands, governments and other organisations become `identity` objects;
  militias, umbrella groups and rebel groups become `threat-actor` objects.
- Each incident is an `incident` with a `location`; its actors are linked by relationships:
  `attributed-to` (perpetrator, claimed-by, attributed-to), `targets` (target, victim) or
  `related-to` (any other role, named in the description). Affiliations become relationships
  named after their relation (`member-of`, `backed-by`, ...), which STIX permits as custom types.
- A `report` object lists everything, published at the report's cut-off.
- Markings are the OASIS TLP 2.0 marking definitions (fixed ids, property extension
  `extension-definition--60a3c5c5-...`). `stix2` predefines only TLP 1.0 (TLP_WHITE, TLP_GREEN,
  TLP_AMBER, TLP_RED), whose labels do not mean the same; 1.0 has no AMBER+STRICT. So every
  record carries its TLP 2.0 label and nothing is translated to 1.0.

Output is deterministic: ids are UUIDv5 of a fixed namespace and the record id (STIX prefers
UUIDv4 and its validator warns, but random ids would duplicate objects on every re-import), and
every timestamp comes from the data. An incident is created on its date and modified on its
latest source's date; an actor is created on the day the corpus first names it (the same in every
export, as STIX wants for one object) and modified on the last day the export names it; the
report is published at the report's cut-off (for the whole corpus: the newest incident).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import stix2

from reportgen.exchange.content import Export
from reportgen.model import Actor, Incident, Marking
from reportgen.model.common import country_name

NAMESPACE = uuid.UUID("3c2ccb29-add5-5a7b-a69c-e751e215320f")  # uuid5(NAMESPACE_URL, "urn:reportgen:stix")
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS = {
    Marking.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Marking.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Marking.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Marking.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Marking.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
THREAT_ACTOR_KINDS = {"militia", "umbrella-group", "rebel-group"}
SECTORS = {"state-force": ["defense"], "military-command": ["defense"], "government": ["government"]}
ROLE_RELATIONSHIPS = {"perpetrator": "attributed-to", "claimed-by": "attributed-to",
                      "attributed-to": "attributed-to", "target": "targets", "victim": "targets"}
TYPE_ORDER = ["marking-definition", "identity", "threat-actor", "incident", "location",
              "relationship", "report"]


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def timestamp(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def tlp2_marking(marking: Marking) -> stix2.MarkingDefinition:
    """The OASIS-published TLP 2.0 marking definition for `marking`."""
    level = marking.value.removeprefix("TLP:").lower()
    return stix2.MarkingDefinition(
        id=TLP2_IDS[marking], created=TLP2_CREATED, name=marking.value,
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}},
    )


def export_stix(content: Export) -> str:
    objects = _Builder(content).build()
    bundle = stix2.Bundle(objects=objects, id=stix_id("bundle", _scope(content)))
    # stix2's own pretty printer sorts properties in quadratic time; re-indent its compact form.
    return json.dumps(json.loads(bundle.serialize()), indent=2, ensure_ascii=False) + "\n"


def _scope(content: Export) -> str:
    return f"report:{content.report.id}" if content.report else "corpus"


class _Builder:
    """Collects the objects of one bundle; one method per kind of record."""

    def __init__(self, content: Export):
        self.content = content
        self.markings: set[Marking] = set()
        self.objects: list = []
        self.actor_ids: dict[str, str] = {}
        self.last_seen: dict[str, dt.date] = {}
        for incident in content.incidents:
            for actor in incident.actor_ids():
                self.last_seen[actor] = max(self.last_seen.get(actor, incident.date), incident.date)
        self.corpus_start = min(content.first_seen.values(), default=content.as_of)
        self.desk = stix2.Identity(
            id=stix_id("identity", f"desk:{content.desk}"), name=content.desk or "reportgen",
            identity_class="organization", created=timestamp(self.corpus_start),
            modified=timestamp(max(self.corpus_start, content.as_of)),
            object_marking_refs=[self._marking(content.default_marking)])

    def build(self) -> list:
        for actor in self.content.actors:
            self._actor(actor)
        for actor in self.content.actors:
            self._affiliations(actor)
        for incident in self.content.incidents:
            self._incident(incident)
        self._report()
        self.objects += [self.desk, *(tlp2_marking(m) for m in self.markings)]
        return sorted(self.objects, key=lambda o: (TYPE_ORDER.index(o.type), o.id))

    def _marking(self, marking: Marking) -> str:
        self.markings.add(marking)
        return TLP2_IDS[marking]

    def _marking_refs(self, *records: Incident | Actor) -> list[str]:
        """The most restrictive marking of the records an object is made from."""
        marking = max((self.content.marking_of(r) for r in records), key=lambda m: m.rank)
        return [self._marking(marking)]

    def _seen(self, actor: Actor) -> tuple[dt.date, dt.date]:
        """First seen in the corpus; last seen in this export (never before the first)."""
        first = self.content.first_seen.get(actor.id, self.corpus_start)
        return first, max(first, self.last_seen.get(actor.id, first))

    def _actor(self, actor: Actor) -> None:
        first, last = self._seen(actor)
        common = dict(
            name=actor.name, description=actor.profile.strip() or None,
            created=timestamp(first), modified=timestamp(last), created_by_ref=self.desk.id,
            object_marking_refs=self._marking_refs(actor),
            external_references=[{"source_name": "reportgen", "external_id": actor.id}],
        )
        aliases = [*actor.aliases, *([actor.native_name] if actor.native_name else [])]
        if actor.kind in THREAT_ACTOR_KINDS:
            obj = stix2.ThreatActor(id=stix_id("threat-actor", actor.id), aliases=aliases or None,
                                    first_seen=timestamp(first), last_seen=timestamp(last), **common)
        else:
            if aliases:
                also = "Also known as: " + "; ".join(aliases) + "."
                common["description"] = "\n\n".join(filter(None, [common["description"], also]))
            obj = stix2.Identity(id=stix_id("identity", actor.id), sectors=SECTORS.get(actor.kind),
                                 identity_class="group" if actor.kind == "civilians" else "organization",
                                 **common)
        self.actor_ids[actor.id] = obj.id
        self.objects.append(obj)

    def _affiliations(self, actor: Actor) -> None:
        actors = {a.id: a for a in self.content.actors}
        for affiliation in actor.affiliations:
            if affiliation.actor not in self.actor_ids:
                continue  # the other actor is not in this export
            first = self._seen(actor)[0]
            self._relationship(
                f"{actor.id}:{affiliation.relation}:{affiliation.actor}", affiliation.relation,
                self.actor_ids[actor.id], self.actor_ids[affiliation.actor], first,
                self._marking_refs(actor, actors[affiliation.actor]), affiliation.note,
                start_time=timestamp(affiliation.since) if affiliation.since else None,
                stop_time=timestamp(affiliation.until) if affiliation.until else None)

    def _incident(self, incident: Incident) -> None:
        created = timestamp(incident.date)
        modified = timestamp(max([incident.date, *(s.date for s in incident.sources)]))
        markings = self._marking_refs(incident)
        obj = stix2.Incident(
            id=stix_id("incident", incident.id), name=incident.title,
            description=incident.summary.strip() or incident.title,
            labels=[incident.type, *incident.tags], created=created, modified=modified,
            created_by_ref=self.desk.id, object_marking_refs=markings,
            external_references=self._references(incident))
        self.objects.append(obj)
        self._location(incident, markings)
        for index, ref in enumerate(incident.actors):
            if ref.actor in self.actor_ids:
                self._relationship(
                    f"{incident.id}:{index}:{ref.role}:{ref.actor}",
                    ROLE_RELATIONSHIPS.get(ref.role, "related-to"), obj.id,
                    self.actor_ids[ref.actor], incident.date, markings, f"role: {ref.role}")

    def _references(self, incident: Incident) -> list[dict]:
        outlets = {o.id: o.name for o in self.content.outlets}
        references = [{"source_name": "reportgen", "external_id": incident.id}]
        references += [{"source_name": dataset, "external_id": value}
                       for dataset, value in sorted(incident.external_ids.items())]
        for source in incident.sources:
            reference = {"source_name": outlets.get(source.outlet, source.outlet),
                         "description": f"{source.date}, Admiralty grade {source.grade}"
                                        + (f": {source.headline}" if source.headline else "")}
            if source.url:
                reference["url"] = str(source.url)
            references.append(reference)
        return references

    def _location(self, incident: Incident, markings: list[str]) -> None:
        place = incident.location
        coordinates = {"latitude": place.lat, "longitude": place.lon} if place.lat is not None else {}
        location = stix2.Location(
            id=stix_id("location", incident.id), name=f"{place.place}, {country_name(place.country)}",
            country=place.country, administrative_area=place.admin1, **coordinates,
            created=timestamp(incident.date), modified=timestamp(incident.date),
            created_by_ref=self.desk.id, object_marking_refs=markings)
        self.objects.append(location)
        self._relationship(f"{incident.id}:located-at", "located-at", stix_id("incident", incident.id),
                           location.id, incident.date, markings, None)

    def _relationship(self, key: str, kind: str, source: str, target: str, day: dt.date,
                      markings: list[str], description: str | None, **times) -> None:
        self.objects.append(stix2.Relationship(
            id=stix_id("relationship", key), relationship_type=kind, source_ref=source,
            target_ref=target, description=description, created=timestamp(day),
            modified=timestamp(day), created_by_ref=self.desk.id, object_marking_refs=markings,
            **{k: v for k, v in times.items() if v}))

    def _report(self) -> None:
        content = self.content
        contained = [self.desk.id, *(o.id for o in self.objects)]
        if content.report:
            marking = content.report.marking
        else:
            marking = max([content.default_marking, *(content.marking_of(r) for r in
                           [*content.incidents, *content.actors])], key=lambda m: m.rank)
        as_of = timestamp(content.as_of)
        description = content.report.bottom_line.strip() if content.report else ""
        self.objects.append(stix2.Report(
            id=stix_id("report", _scope(content)), name=content.title, published=as_of,
            created=as_of, modified=as_of, report_types=["threat-report"],
            description=description or None, object_refs=sorted(contained),
            created_by_ref=self.desk.id, object_marking_refs=[self._marking(marking)]))
