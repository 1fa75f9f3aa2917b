"""`reportgen new` and `reportgen init`: files written where a curator expects them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from reportgen.cli import COMMANDS, main
from reportgen.model.common import SLUG_PATTERN
from reportgen.model.ids import incident_id, slugify, unused
from reportgen.model.json_schema import SCHEMAS, schema_json
from reportgen.pipeline import open_project


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert run("init", root).exit_code == 0
    return root


@pytest.mark.parametrize(("text", "slug"), [
    ("Kata'ib Ḥizb Allāh", "kataib-hizb-allah"),
    ("Drone strike — Baghdad, 7 Feb", "drone-strike-baghdad-7-feb"),
    ("Straße in Łódź", "strasse-in-lodz"),
    ("  --Ünïcödé!!  ", "unicode"),
    ("كتائب حزب الله", ""),
])
def test_slugify_transliterates_to_ascii(text: str, slug: str):
    assert slugify(text) == slug


@given(st.text(max_size=300))
def test_slugify_gives_a_valid_id_or_nothing(text: str):
    slug = slugify(text)
    assert slug == "" or re.fullmatch(SLUG_PATTERN, slug)
    assert slugify(slug) == slug


def test_long_titles_make_ids_within_the_schema_limit():
    record_id = incident_id(dt.date(2024, 2, 7), "word " * 60)
    assert record_id.startswith("2024-02-07-word-") and len(record_id) <= 80
    assert not record_id.endswith("-")
    assert unused("a", {"a", "a-2"}) == "a-3"


def test_init_passes_check_at_once(project: Path):
    result = run("check", "-C", project)
    assert result.exit_code == 0, result.output
    assert "1 incident, 1 actor, 1 report: 0 errors, 0 warnings" in result.output  # one, not "1 incidents"
    corpus = open_project(project)
    assert (len(corpus.incidents), len(corpus.actors), len(corpus.config.reports)) == (1, 1, 1)
    assert corpus.warnings == []  # the example's local and UTC times agree
    (incident,) = corpus.incidents.values()
    assert "fictional" in incident.title.lower() and incident.actors[0].actor == "example-brigade"
    assert "/build/" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    for name in SCHEMAS:
        assert (project / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8") == \
            schema_json(name)


def test_init_shows_mail_settings_that_check_once_uncommented(project: Path):
    """The commented mail example (a list and the smtp block) is the schema's: uncommented as
    it stands, the project still checks clean, and it names the list the report mails to."""
    text = (project / "reportgen.yaml").read_text(encoding="utf-8")
    assert "# smtp:" in text and "# distribution_lists:" in text and "password_env" in text
    example = re.compile(r"^(\s*)# (?=(distribution|distribution_lists|smtp|  - name|    marking|"
                         r"    recipients|      - \{|  host|  port|  security|  username|"
                         r"  password_env|  sender)\b)", re.MULTILINE)
    (project / "reportgen.yaml").write_text(example.sub(r"\1", text), encoding="utf-8")
    loaded = open_project(project)
    assert loaded.problems == []
    assert loaded.config.smtp.host == "smtp.example.org"
    assert loaded.config.reports[0].distribution == ["desk-clear"]


def test_init_never_overwrites(project: Path):
    config = project / "reportgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    result = run("init", project)
    assert result.exit_code == 1
    assert "reportgen.yaml:1:1: error: file exists already" in result.output
    assert config.read_text(encoding="utf-8").endswith("# my edits\n")


def test_schema_lines_point_at_the_schema_files(project: Path):
    run("new", "incident", "-C", project, "--date", "2023-11-02", "--title", "Test")
    run("new", "actor", "-C", project, "Test Group")
    for path in [*project.glob("incidents/*/*.yaml"), *project.glob("actors/*.yaml"),
                 project / "reportgen.yaml", project / "sources.yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        schema = (path.parent / match.group(1)).resolve()
        assert schema.is_file() and json.loads(schema.read_text())["$schema"], path


def test_new_incident_is_flagged_by_check_until_filled(project: Path):
    """A new incident is a draft: its empty fields are warnings (an error under --strict), so a
    half-filled draft never stops anyone else's build."""
    result = run("new", "incident", "-C", project, "--date", "2023-11-02",
                 "--title", "Rocket attack on Testbase — «fictional»")
    assert result.exit_code == 0, result.output
    path = project / "incidents/2023/2023-11-02-rocket-attack-on-testbase-fictional.yaml"
    assert path.is_file() and f"wrote {path.relative_to(project).as_posix()}" in result.output
    check = run("check", "-C", project)
    assert check.exit_code == 0
    empty = re.findall(rf"{re.escape(path.name)}:\d+:\d+: warning: '(\w+)' is empty", check.output)
    assert sorted(empty) == ["actor", "country", "grade", "outlet", "place", "type"]
    strict = run("check", "--strict", "-C", project)
    assert strict.exit_code == 1
    empty = re.findall(rf"{re.escape(path.name)}:\d+:\d+: error: '(\w+)' is empty", strict.output)
    assert sorted(empty) == ["actor", "country", "grade", "outlet", "place", "type"]

    text = path.read_text(encoding="utf-8")
    filled = [("place", "Testbase"), ("country", "IQ"), ("type", "Shelling/artillery/missile attack"),
              ("actor", "example-brigade"), ("outlet", "example-wire"), ("grade", "C3")]
    for field, value in filled:
        text = re.sub(rf"^(\s*(?:- )?{field}:)\s.*$", rf"\1 {value}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    assert run("check", "--strict", "-C", project).exit_code == 0
    corpus = open_project(project)
    incident = corpus.incidents["2023-11-02-rocket-attack-on-testbase-fictional"]
    assert incident.status == "draft" and incident.title == "Rocket attack on Testbase — «fictional»"


def test_new_incident_without_title_is_named_and_flagged(project: Path):
    today = dt.date.today()
    result = run("new", "incident", "-C", project)
    assert result.exit_code == 0
    path = project / "incidents" / str(today.year) / f"{today.isoformat()}-new-incident.yaml"
    assert path.is_file()
    assert f"{path.name}:5:1: warning: 'title' is empty" in run("check", "-C", project).output
    assert f"{path.name}:5:1: error: 'title' is empty" in run("check", "--strict", "-C", project).output


def test_new_needs_a_project(tmp_path: Path):
    result = run("new", "actor", "-C", tmp_path, "Test Group")
    assert result.exit_code == 1 and "no reportgen.yaml" in result.output
    assert not (tmp_path / "actors").exists()


def test_new_refuses_to_overwrite(project: Path):
    args = ("new", "incident", "-C", project, "--date", "2023-11-02", "--title", "Same title")
    assert run(*args).exit_code == 0
    path = project / "incidents/2023/2023-11-02-same-title.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# curator's work\n", encoding="utf-8")
    again = run(*args)
    assert again.exit_code == 1
    assert "2023-11-02-same-title.yaml:1:1: error: file exists already" in again.output
    assert path.read_text(encoding="utf-8").endswith("# curator's work\n")


def test_new_actor_with_kind_passes_check(project: Path):
    result = run("new", "actor", "-C", project, "Saraya al-Ikhtibār", "--kind", "militia")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "actors/saraya-al-ikhtibar.yaml").read_text(encoding="utf-8"))
    assert (data["id"], data["name"], data["kind"]) == ("saraya-al-ikhtibar", "Saraya al-Ikhtibār",
                                                        "militia")
    assert run("check", "-C", project).exit_code == 0


def test_new_actor_without_kind_asks_for_it(project: Path):
    run("new", "actor", "-C", project, "Test Group")
    output = run("check", "-C", project).output
    assert "test-group.yaml:6:1: error: 'kind' is empty (use one of: 'state-force'" in output


def test_new_actor_in_another_script_needs_an_id(project: Path):
    result = run("new", "actor", "-C", project, "سرايا الاختبار")
    assert result.exit_code == 1 and "give a Latin-script id with --id" in result.output
    assert run("new", "actor", "-C", project, "سرايا الاختبار", "--id", "saraya-test").exit_code == 0
    assert (project / "actors/saraya-test.yaml").is_file()
    bad = run("new", "actor", "-C", project, "X", "--id", "../escape")
    assert bad.exit_code == 1 and "'../escape' is not a valid id" in bad.output
    assert not (project / "escape.yaml").exists()


@pytest.mark.slow
def test_init_project_builds_once_build_exists(project: Path):
    if "build" not in COMMANDS:
        pytest.skip("`reportgen build` is not on this branch yet")
    result = run("build", "-C", project)
    assert result.exit_code == 0, result.output
    assert any((project / "build").rglob("*.html"))


SUBCOMMANDS = ["new incident", "new actor", "import acled", "import ucdp"]


@pytest.mark.parametrize("command", [*sorted(COMMANDS), *SUBCOMMANDS])
def test_help_shows_an_example(command: str):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert re.search(r"Examples?:\n\s+reportgen ", result.output), result.output


@pytest.mark.parametrize(("words", "expected"), [("reportgen im", "import"),
                                              ("reportgen import a", "acled"),
                                              ("reportgen export --format s", "stix")])
def test_shell_completion_completes_commands_and_choices(words: str, expected: str):
    env = {"_REPORTGEN_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(main, [], prog_name="reportgen", env=env)
    assert f"plain,{expected}" in result.output.splitlines()
