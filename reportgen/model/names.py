"""Resolve actor references through ids, names and aliases, forgiving case and punctuation."""

from __future__ import annotations

import difflib
import functools
import unicodedata

from .actor import Actor


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
        for actor in actors.values():
            for name in actor.names:
                key = normalize(name)
                owner = self._by_name.setdefault(key, actor.id)
                if owner != actor.id:
                    self.ambiguous.setdefault(key, {owner}).add(actor.id)

    def resolve(self, reference: str) -> str | None:
        key = normalize(reference)
        if key in self.ambiguous:
            return None
        return self._by_name.get(key)

    def suggest(self, reference: str) -> str | None:
        """The closest known actor id, for a did-you-mean hint."""
        matches = difflib.get_close_matches(normalize(reference), self._by_name, n=1, cutoff=0.6)
        return self._by_name[matches[0]] if matches else None
