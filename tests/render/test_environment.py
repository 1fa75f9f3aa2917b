"""The Jinja environment: escaping by template name, strict variables, per-project overrides."""

from __future__ import annotations

import re
import shutil
from importlib.resources import files

import pytest
from jinja2 import UndefinedError

from reportgen.render.environment import autoescape_for, make_environment
from tests.support import REPO
from tests.support.briefings import FIXTURE, render_all

THEME = REPO / "templates"


def test_autoescape_follows_the_template_name():
    assert autoescape_for("briefing.html.j2") and autoescape_for("partials/x.html")
    assert not autoescape_for("briefing.md.j2") and not autoescape_for("style.css")
    assert not autoescape_for(None)


def test_html_templates_escape_and_markdown_templates_do_not(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ value }}")
    (tmp_path / "t.md.j2").write_text("{{ value }}|{{ value|md }}")
    env = make_environment(tmp_path)
    assert env.get_template("t.html.j2").render(value="<b>") == "&lt;b&gt;"
    assert env.get_template("t.md.j2").render(value="<b>") == "<b>|\\<b\\>"


def test_undefined_variables_are_errors(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ missing }}")
    with pytest.raises(UndefinedError):
        make_environment(tmp_path).get_template("t.html.j2").render()


def test_the_default_theme_is_package_data():
    theme = files("reportgen") / "templates"
    assert (theme / "briefing.html.j2").is_file() and (theme / "partials" / "incident.md.j2").is_file()
    env = make_environment(None)
    assert env.get_template("style.css").render().startswith("/* reportgen default theme")


def test_a_project_template_overrides_the_theme(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "templates" / "partials").mkdir(parents=True)
    (root / "templates" / "partials" / "bottom-line.html.j2").write_text(
        '<section id="bottom-line"><h2>Our own bottom line</h2></section>\n')
    html = render_all(root)["fixture-brief"]["html"]
    assert "<h2>Our own bottom line</h2>" in html
    assert 'class="bluf"' not in html
    assert '<section id="chronology"' in html


# Expressions in Markdown templates that need no escaping: values that went through md or
# markdown_md, macro calls (the macros escape), ids and anchors (slugs), numbers and dates.
SAFE_MD_EXPRESSIONS = [
    r'\|\s*(md|md_url|markdown_md\(\d\)(\|indent\(\d\))?)$', r'\|md if .* else "–"$',
    r'map\("md"\)\|join\("[^"]*"\)$', r"^m\.\w+\(", r"^(actor_link|incident_ref)\(",
    r"\.(id|anchor)$", r"\|(day|length)$",
    r"^(loop\.index|report\.issue|rung\.rung|version|code|source\.grade)$",
    r"^group\.outlet\.reliability$", r"^selection\.incident_count\(actor\)$", r'^"(s|s were|about )" if ',
    r'^"is" if .* else "are"$', r"^map_keys\[[\w.]+\.id\]$",
    # numbers the analysis computes, alone, with a unit, or a dash when there is none
    r"^(count|tempo\.peak\.count|analysis\.top_rung|point\.number|bucket\.count|phase\.per_week|"
    r"phase\.top_rung|link\.hours|changes\.baseline\.issue|rung\.computed|rung\.rule|map_key)$",
    r"\|(days|signed|figure)$", r' if \S+ is not none else "–"$',
    r'^phase\.turning_points\|join\(", "\) or "–"$',
]


@pytest.mark.parametrize("template", sorted(p.relative_to(THEME).as_posix()
                                             for p in THEME.rglob("*.md.j2")))
def test_markdown_templates_escape_every_data_value(template):
    source = (THEME / template).read_text(encoding="utf-8")
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    for expression in re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", source):
        assert any(re.search(p, expression) for p in SAFE_MD_EXPRESSIONS), (
            f"{template}: {{{{ {expression} }}}} is not escaped")


def test_every_theme_file_is_shipped_as_package_data():
    """An installed reportgen finds only the templates that package-data lists."""
    import fnmatch
    import tomllib

    config = tomllib.loads((THEME.parent / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["reportgen"]
    for path in THEME.rglob("*"):
        if path.is_file():
            name = "templates/" + path.relative_to(THEME).as_posix()
            assert any(fnmatch.fnmatch(name, g) and name.count("/") == g.count("/") for g in globs), name
