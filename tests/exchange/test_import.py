"""`reportgen import acled|ucdp`: hand-written fictional CSVs in the datasets' real layouts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from reportgen.load.yaml_loader import load_yaml
from reportgen.model import FigureRange
from reportgen.model.names import ActorIndex
from reportgen.model.vocabulary import ACLED_SUB_EVENTS
from reportgen.pipeline import open_project
from tests.support import TESTS
from tests.support.synthetic import write_corpus

FIXTURES = TESTS / "fixtures" / "exchange"
ACLED_CSV = FIXTURES / "acled-fictional.csv"
UCDP_CSV = FIXTURES / "ucdp-ged-fictional.csv"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Synthetic actors 'Synthetic Force 0' ... 'Synthetic Brigade 5' (aliases SB0..SB5)."""
    return write_corpus(tmp_path / "project", incidents=10, actors=6, reports=1)


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def imported(project: Path, dataset: str) -> dict:
    """External id -> incident, for incidents that came from `dataset`."""
    corpus = open_project(project)
    return {i.external_ids[dataset]: i for i in corpus.incidents.values() if dataset in i.external_ids}


def test_acled_rows_become_valid_drafts(project: Path):
    sources_before = (project / "sources.yaml").read_text(encoding="utf-8")
    result = run("import", "acled", "-C", project, ACLED_CSV)
    assert result.exit_code == 0, result.output
    corpus = open_project(project)
    assert corpus.errors == [] and corpus.warnings == []
    drafts = imported(project, "acled")
    assert set(drafts) == {"TST0001", "TST0002", "TST0004"}  # TST0003 has no known actor
    assert "TST0003 skipped: no known actor" in result.output
    assert "unmatched actor 'Imaginary Militia (Testland)' in 2 rows" in result.output
    assert all(d.status == "draft" for d in drafts.values())

    first = drafts["TST0001"]
    assert (first.date.isoformat(), first.type, first.location.country) == ("2021-03-04",
                                                                           "Air/drone strike", "IQ")
    assert [(r.actor, r.role) for r in first.actors] == [("synthetic-actor-0", "perpetrator"),
                                                       ("synthetic-actor-1", "target")]
    assert [(c.according_to, c.killed) for c in first.casualties] == [("ACLED", 2)]
    # known outlet: its default reliability; unknown outlet: F; credibility 6 (cannot be judged)
    assert [(s.outlet, s.grade) for s in first.sources] == [("synthetic-wire", "C6"),
                                                            ("invented-daily", "F6")]
    second = drafts["TST0002"]
    assert (second.date_precision, second.location.precision) == ("week", "near")
    assert second.actors[0].actor == "synthetic-actor-2"  # matched through the alias SB2
    fourth = drafts["TST0004"]
    assert fourth.location.country == "JO" and fourth.date.isoformat() == "2021-04-02"
    assert "Imaginary Militia (Testland)" in fourth.internal_notes

    sources_after = (project / "sources.yaml").read_text(encoding="utf-8")
    assert sources_after.startswith(sources_before.rstrip("\n"))  # appended, nothing rewritten
    assert corpus.outlets["invented-daily"].reliability == "F"


def test_written_files_carry_the_schema_line(project: Path):
    run("import", "acled", "-C", project, ACLED_CSV)
    for incident in imported(project, "acled").values():
        path = project / "incidents" / str(incident.date.year) / f"{incident.id}.yaml"
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../../schemas/incident.schema.json"
        document, problems = load_yaml(path)
        assert not problems and document.data["status"] == "draft"


def test_reimport_skips_rows_already_imported(project: Path):
    assert run("import", "acled", "-C", project, ACLED_CSV).exit_code == 0
    files = {p: p.read_bytes() for p in (project / "incidents").rglob("*.yaml")}
    sources = (project / "sources.yaml").read_bytes()
    again = run("import", "acled", "-C", project, ACLED_CSV)
    assert again.exit_code == 0, again.output
    assert "0 new drafts, 3 already imported" in again.output
    assert {p: p.read_bytes() for p in (project / "incidents").rglob("*.yaml")} == files
    assert (project / "sources.yaml").read_bytes() == sources


def test_once_the_actor_exists_the_skipped_row_imports(project: Path):
    run("import", "acled", "-C", project, ACLED_CSV)
    actor = project / "actors" / "imaginary-militia.yaml"
    actor.write_text("id: imaginary-militia\nname: Imaginary Militia (Testland)\nkind: militia\n",
                     encoding="utf-8")
    again = run("import", "acled", "-C", project, ACLED_CSV)
    assert "1 new draft, 3 already imported" in again.output
    assert imported(project, "acled")["TST0003"].actors[0].actor == "imaginary-militia"
    assert open_project(project).errors == []


def test_acled_import_then_csv_export_round_trip(project: Path):
    run("import", "acled", "-C", project, ACLED_CSV)
    exported = run("export", "-C", project, "--format", "csv")
    assert exported.exit_code == 0, exported.output
    by_id = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.stdout))}
    names = ActorIndex(open_project(project).actors)
    drafts = imported(project, "acled")
    for original in rows(ACLED_CSV):
        if original["event_id_cnty"] not in drafts:
            continue
        back = by_id[drafts[original["event_id_cnty"]].id]
        assert back["event_date"] == drafts[original["event_id_cnty"]].date.isoformat()
        assert (back["event_type"], back["sub_event_type"]) == (original["event_type"],
                                                               original["sub_event_type"])
        assert back["time_precision"] == original["time_precision"]
        assert back["fatalities_low"] == back["fatalities_high"] == original["fatalities"]
        for column in ("actor1", "actor2"):
            if names.resolve(original[column]):  # unmatched actors live in the notes instead
                assert names.resolve(back[column]) == names.resolve(original[column])
        assert back["notes"] == original["notes"]


def test_ucdp_rows_become_valid_drafts(project: Path):
    result = run("import", "ucdp", "-C", project, UCDP_CSV)
    assert result.exit_code == 0, result.output
    assert open_project(project).errors == []
    drafts = imported(project, "ucdp")
    assert set(drafts) == {"900001", "900002"}
    clash = drafts["900001"]
    assert clash.location.place == "Testville 9" and clash.location.precision == "exact"
    (deaths,) = clash.casualties
    assert deaths.according_to == "UCDP GED (best/low/high)"
    assert deaths.killed == FigureRange(min=3, max=5) and "best estimate: 3" in deaths.note
    assert [(s.outlet, s.headline) for s in clash.sources] == [
        ("synthetic-wire", "Fictional clash near Testville 9")]
    one_sided = drafts["900002"]
    assert (one_sided.date_precision, one_sided.end.isoformat()) == ("month", "2021-06-30")
    assert one_sided.location.precision == "region" and one_sided.type == "Attack"
    assert "Civilians (victim)" in one_sided.internal_notes
    # no source_office: outlets come from the source_article entries, with their dates
    assert [(s.outlet, s.date.isoformat()) for s in one_sided.sources] == [
        ("invented-daily", "2021-06-03"), ("synthetic-wire", "2021-06-04")]
    assert run("import", "ucdp", "-C", project, UCDP_CSV).output.count("already imported") == 1


def test_dry_run_writes_nothing(project: Path):
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    sources = (project / "sources.yaml").read_bytes()
    result = run("import", "acled", "--dry-run", "-C", project, ACLED_CSV)
    assert result.exit_code == 0 and result.output.count("would write") == 3
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    assert (project / "sources.yaml").read_bytes() == sources


def test_bad_rows_are_located_and_the_rest_imports(project: Path, tmp_path: Path):
    lines = ACLED_CSV.read_text(encoding="utf-8").splitlines()
    bad = [lines[0], lines[1].replace("Air/drone strike", "Teleportation"),
           lines[2].replace(",2021-03-10,", ",2021-02-30,"), lines[4]]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    result = run("import", "acled", "-C", project, path)
    assert result.exit_code == 1
    assert "bad.csv:2:7: error: row TST0001 skipped: unknown ACLED sub-event type 'Teleportation'" \
        in result.output
    assert "bad.csv:3:2: error: row TST0002 skipped: event_date '2021-02-30' is not a date" \
        in result.output
    assert set(imported(project, "acled")) == {"TST0004"}
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"name,date\nx,2021-01-01\n", b"\x00\xff\xfe binary", b""])
def test_files_that_are_not_exports_are_refused(project: Path, tmp_path: Path, content: bytes):
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    result = run("import", "ucdp", "-C", project, path)
    assert result.exit_code == 1
    assert "other.csv:1:1: error:" in result.output and "Traceback" not in result.output
    assert imported(project, "ucdp") == {}


def test_indented_sources_file_keeps_its_layout(project: Path):
    (project / "sources.yaml").write_text(
        "# Outlets, curated by hand.\noutlets:\n  - id: synthetic-wire  # the only one\n"
        "    name: Synthetic Wire (fictional)\n    kind: fictional wire agency\n"
        "    reliability: C\n    rationale: Invented outlet for generated test data.\n",
        encoding="utf-8")
    assert run("import", "acled", "-C", project, ACLED_CSV).exit_code == 0
    text = (project / "sources.yaml").read_text(encoding="utf-8")
    assert "  - id: synthetic-wire  # the only one\n" in text
    assert "\n  - id: invented-daily\n    name: Invented Daily\n" in text
    assert open_project(project).errors == []


def test_rows_without_id_or_with_future_dates_are_refused(project: Path, tmp_path: Path):
    lines = ACLED_CSV.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "odd.csv"
    path.write_text("\n".join([lines[0], lines[1].replace("TST0001,", ","),
                               lines[2].replace(",2021-03-10,", ",2999-03-10,"),
                               lines[4].replace("Synthetic Wire (fictional)", "W" * 2100)]) + "\n",
                    encoding="utf-8")
    result = run("import", "acled", "-C", project, path)
    assert result.exit_code == 1
    assert "odd.csv:4:1: error: row TST0004 skipped: name: String should have at most 2000" \
        in result.output
    assert "odd.csv:2:1: error: row (no id) skipped: event_id_cnty is empty" in result.output
    assert "odd.csv:3:1: error: row TST0002 skipped: a date lies in the future" in result.output
    assert imported(project, "acled") == {}
    assert open_project(project).errors == []


ACLED_COLUMNS = rows(ACLED_CSV)[0].keys()
ROW_NUMBERS = itertools.count()
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_date=st.one_of(st.dates(max_value=dt.date(2030, 1, 1)).map(str), cells),
       sub_event=st.one_of(st.sampled_from(sorted(ACLED_SUB_EVENTS)), cells),
       actor1=st.one_of(st.sampled_from(["SB1", "Synthetic Force 0", ""]), cells),
       place=cells, country=st.sampled_from(["Iraq", "Syria", "Jordan", "Atlantis", ""]),
       latitude=st.one_of(st.floats(-100, 100, allow_nan=False).map(str), cells),
       precision=st.sampled_from(["1", "2", "3", "4", ""]), source=cells,
       fatalities=st.one_of(st.integers(-5, 10**6).map(str), cells))
def test_any_acled_row_gives_a_valid_draft_or_a_located_message(
        project: Path, tmp_path: Path, event_date, sub_event, actor1, place, country, latitude,
        precision, source, fatalities):
    row = {column: "" for column in ACLED_COLUMNS}
    row.update(event_id_cnty=f"GEN{next(ROW_NUMBERS)}",
               event_date=event_date, time_precision=precision, event_type="Battles",
               sub_event_type=sub_event, actor1=actor1, actor2="SB2", country=country,
               location=place, latitude=latitude, longitude="44.0", geo_precision=precision,
               source=source, notes=place, fatalities=fatalities)
    path = tmp_path / "generated.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerow(row)
    result = run("import", "acled", "-C", project, path)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert "generated.csv:2:" in result.output or "1 new draft" in result.output
    assert open_project(project).errors == []
