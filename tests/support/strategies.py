"""Hypothesis strategies: valid (fictional) incidents, and mutations of them."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import strategies as st

from reportgen.model.vocabulary import ACLED_SUB_EVENTS, VAGUE_FIGURES

ACTORS = [f"synthetic-actor-{i}" for i in range(4)]
ROLES = ["perpetrator", "target", "claimed-by", "attributed-to"]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != "")

figures = st.one_of(
    st.integers(0, 500),
    st.sampled_from(sorted(VAGUE_FIGURES)),
    st.builds(lambda low: {"min": low}, st.integers(0, 50)),
    st.builds(lambda low, extra: {"min": low, "max": low + extra}, st.integers(0, 50), st.integers(0, 50)),
)


@st.composite
def incidents(draw, incident_id: str = "2022-01-05-fuzzed") -> dict:
    day = draw(st.dates(dt.date(2021, 1, 1), dt.date(2022, 12, 31)))
    record = {
        "id": incident_id,
        "title": draw(TEXT),
        "date": day.isoformat(),
        "location": {"place": draw(TEXT), "country": draw(st.sampled_from(["IQ", "SY", "JO", "NO"]))},
        "type": draw(st.sampled_from(sorted(ACLED_SUB_EVENTS))),
        "actors": [{"actor": draw(st.sampled_from(ACTORS)), "role": draw(st.sampled_from(ROLES))}
                   for _ in range(draw(st.integers(1, 3)))],
        "sources": [{"outlet": "synthetic-wire", "date": day.isoformat(),
                     "grade": draw(st.sampled_from("ABCDEF")) + draw(st.sampled_from("123456"))}],
    }
    if draw(st.booleans()):
        record["casualties"] = [{"according_to": draw(TEXT), "killed": draw(figures)}]
    if draw(st.booleans()):
        record["summary"] = draw(st.text(max_size=200))
    if draw(st.booleans()):
        record["claims"] = [{"by": draw(TEXT), "text": draw(TEXT), "quote": draw(st.booleans())}]
    return record


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT,
                 st.lists(st.integers(), max_size=3), st.dictionaries(TEXT, st.integers(), max_size=2),
                 st.sampled_from(["2024-02-30", "TLP:WHITE", "../../etc/passwd", "Z9", "25:00",
                                  "<script>alert(1)</script>", "{{ 7*7 }}", "NO", "010"]))


@st.composite
def mutated_documents(draw) -> bytes:
    """A valid incident, then one structural mutation, serialised; sometimes bytes flipped too."""
    record = draw(incidents())
    paths = [p for p in _paths(record) if p]
    path = draw(st.sampled_from(paths))
    parent = record
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["delete", "replace", "add"]))
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = draw(JUNK)
    elif isinstance(parent, dict):
        parent[draw(TEXT)] = draw(JUNK)
    else:
        parent.append(draw(JUNK))
    raw = yaml.safe_dump(record, allow_unicode=True).encode("utf-8")
    if draw(st.booleans()) and raw:
        position = draw(st.integers(0, len(raw) - 1))
        raw = raw[:position] + bytes([draw(st.integers(0, 255))]) + raw[position + 1:]
    return raw


# Numbers, dates and times as a curator might mistype them, and as an attacker would: any length.
_digits = st.text("0123456789", min_size=1, max_size=6000)
long_literals = st.one_of(
    st.sampled_from(["2024-02-30", "99999-12-31", "2024-13-01", "0000-01-01", "2024-02-07T25:00:00Z",
                     "2024-2-7", "2024-02-07 21:30:00+03:00", "24:00", "23:60", "9" * 40 + ":00",
                     "-1:00", "21:30:00", "1:2:3:4", "2024-W06", "20240207", "1e400"]),
    _digits,
    _digits.map(lambda d: "-" + d),
    st.integers(-(10**400), 10**400).map(str),
    _digits.map(lambda d: "0x" + d), _digits.map(lambda d: "0o" + d.replace("8", "7").replace("9", "7")),
    st.tuples(_digits, _digits).map(lambda p: f"{p[0]}.{p[1]}"),
    st.tuples(_digits, _digits).map(lambda p: f"{p[0][:50]}e{p[1]}"),
    st.tuples(_digits, _digits).map(lambda p: f".{p[0]}e-{p[1]}"),
    st.sampled_from([".inf", "-.inf", ".nan", ".NaN", "1_000", "0b101", "1:20", "+12", "+.5", "0.", "1e5"]),
)
