"""Resolve actor references through ids, names and aliases, forgiving case and punctuation.

Two guards keep the forgiveness from matching what was never meant: a name or reference with no
letter or digit normalises to nothing and matches nothing (`?` never finds an alias `!!!`), and
an actor's id always means that actor (another actor's alias spelled like it is ignored here and
reported by the validator at the alias).
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Mapping

from reportgen.model.actor import Actor
from reportgen.model.config import Side
from reportgen.model.vocabulary import PARTY_CATEGORIES


@functools.lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """'Kata'ib Hezbollah' and 'kataib-hezbollah' both become 'kataibhezbollah'."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


class ActorIndex:
    """Every name of every actor, normalized, pointing at the actor's id."""

    def __init__(self, actors: dict[str, Actor]):
        self._by_name: dict[str, str] = {}
        self.ambiguous: dict[str, set[str]] = {}
        self._ids: dict[str, set[str]] = {}
        for actor in actors.values():
            self._ids.setdefault(normalize(actor.id), set()).add(actor.id)
        for actor in actors.values():
            for name in actor.names:
                key = normalize(name)
                id_owners = self._ids.get(key)
                if not key or (id_owners and actor.id not in id_owners):
                    continue
                owner = self._by_name.setdefault(key, actor.id)
                if owner != actor.id:
                    self.ambiguous.setdefault(key, {owner}).add(actor.id)

    def id_owners(self, name: str) -> set[str]:
        """The actors whose id `name` spells (after normalising); empty when none."""
        return self._ids.get(normalize(name), set())

    def resolve(self, reference: str) -> str | None:
        key = normalize(reference)
        if not key or key in self.ambiguous:
            return None
        return self._by_name.get(key)

    def suggest(self, reference: str) -> str | None:
        """The closest known actor id, for a did-you-mean hint."""
        matches = difflib.get_close_matches(normalize(reference), self._by_name, n=1, cutoff=0.6)
        return self._by_name[matches[0]] if matches else None


NOT_RECORDED = "not recorded"
"""The party tempo counts an attack under when no actor is recorded as carrying it out,
claiming it or held responsible for it (method rule `acting-party`)."""


def casualty_label(key: str, actors: Mapping[str, Actor], sides: Mapping[str, Side]) -> str:
    """Whose killed or injured a figure counts, as a reader says it: an actor's `personnel`
    ("US military personnel", not "US Department of Defense"), else as `party_label`."""
    if key in actors and actors[key].personnel:
        return actors[key].personnel
    return party_label(key, actors, sides)


def party_label(key: str, actors: Mapping[str, Actor], sides: Mapping[str, Side]) -> str:
    """How a reader sees a party: an actor's name, a side's label, a casualty category
    (civilians, security forces, party not stated), never an id."""
    if key in actors:
        return actors[key].name
    if key in sides:
        return sides[key].label
    if key == NOT_RECORDED:
        return "unknown perpetrators"
    return PARTY_CATEGORIES.get(key, "another party")
