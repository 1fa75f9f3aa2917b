"""Every regular expression reportgen keeps at module level reads any text in a time that grows
with its length, not with its square: a curator's text, a project's stylesheet or template, or a
PDF's objects, however broken, cannot make a build hang.

A pattern goes quadratic when, on a text it starts on everywhere and never finishes (a `<` with
no `>` after it, a `(` never closed, a run of dashes), each attempt scans to the end. The test
gives each pattern such texts: short runs of the characters it names, repeated to a megabyte. A
linear pattern reads one in a fraction of a second; a quadratic one takes minutes (the cuts of
the PDF, the links in a curator's text, a place's bracketed aside, a stylesheet's comments and
font declarations and the join's strings each did: 2 to 90 s per 200 kB). Patterns written
out in a call of `re` are found too; a pattern built from pieces at run time is not.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
import time

import pytest

import reportgen

SIZE = 400_000
"""Characters of each text: every pattern's texts take about half a minute in all, none more
than 0.2 s; a quadratic pattern takes half a minute to hours on one."""
LONGEST = 5.0
"""Seconds one pattern may take on one text: 25 times the slowest linear one, a sixth of the
quickest quadratic one measured (the links in a curator's text, 32 s)."""
PLAIN = {" ", "\n", "a", "1", "a/", "a.", "a-"}


def module_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern a reportgen module holds at module level, and every pattern
    written out in a call of `re` in its code (`re.sub(r"...", ...)`), by where it is."""
    found: dict[tuple, str] = {}
    patterns: dict[str, re.Pattern] = {}

    def add(where: str, pattern: re.Pattern) -> None:
        if (pattern.pattern, pattern.flags) not in found:
            found[(pattern.pattern, pattern.flags)] = where
            patterns[where] = pattern

    for info in pkgutil.walk_packages(reportgen.__path__, "reportgen."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                add(f"{info.name}.{name}", value)
        for line, pattern in _written_in_calls(module):
            add(f"{info.name}:{line}", pattern)
    return patterns


def _written_in_calls(module) -> list[tuple[int, re.Pattern]]:
    """The patterns given as a literal to `re.compile`, `re.sub` and the like in the module's
    code, compiled with the flags given beside them (those named `re.X`)."""
    tree = ast.parse(inspect.getsource(module))
    written = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, (str, bytes))):
            flags = 0
            for flag in ast.walk(ast.Module(body=[ast.Expr(k.value) for k in node.keywords]
                                            + [ast.Expr(a) for a in node.args[1:]], type_ignores=[])):
                if isinstance(flag, ast.Attribute) and isinstance(flag.value, ast.Name) \
                        and flag.value.id == "re" and flag.attr.isupper():
                    flags |= getattr(re, flag.attr)
            written.append((node.lineno, re.compile(node.args[0].value, flags)))
    return written


def fragments(pattern: re.Pattern) -> set[str]:
    """Runs of one to three of the characters the pattern names (its literals, an escape's
    character), and a few of plain text."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    named = re.sub(r"\\(.)|[\[\]{}?*+|^$]", lambda m: m.group(1) or "", source, flags=re.S)
    return PLAIN | {named[i:i + n] for n in (1, 2, 3) for i in range(len(named) - n + 1)}


def sweep(size: int = SIZE) -> None:
    """Each pattern over each of its texts, timed; prints the slowest, and says which it starts
    before it does, so that a run stopped for taking too long shows the culprit."""
    slowest = (0.0, "")
    for where, pattern in module_patterns().items():
        for fragment in sorted(fragments(pattern)):
            text = fragment * (size // len(fragment))
            data = text if isinstance(pattern.pattern, str) else text.encode("latin-1", "replace")
            print(where, repr(fragment), flush=True)
            started = time.perf_counter()
            for _ in pattern.finditer(data):
                pass
            slowest = max(slowest, (time.perf_counter() - started, f"{where} {fragment!r}"))
    print(f"slowest: {slowest[0]:.3f} {slowest[1]}")


def test_the_patterns_are_found_and_given_texts_they_start_on():
    patterns = module_patterns()
    assert {"reportgen.pdf.parts.TOKEN", "reportgen.pdf.join.TOKEN",
            "reportgen.validate.language._URL", "reportgen.render.fonts._DECLARATION"} <= set(patterns)
    assert {"<", "<!", "--"} <= fragments(patterns["reportgen.pdf.parts.TOKEN"])
    assert "](" in fragments(patterns["reportgen.validate.language._URL"])
    assert any(where.startswith("reportgen.exchange.ucdp_import:") for where in patterns)


@pytest.mark.slow  # every pattern over texts of 400 kB: about half a minute, in CI
def test_no_pattern_scans_to_the_end_from_every_place_it_starts():
    """Not a speed target: a linear pattern takes at most 0.2 s on one of these texts, a
    quadratic one half a minute or hours, and the line is drawn far from both."""
    command = [sys.executable, "-c", f"from tests.test_patterns import sweep; sweep({SIZE})"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    except subprocess.TimeoutExpired as stopped:
        output = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else stopped.stdout or ""
        pytest.fail(f"a pattern did not finish a {SIZE:,}-character text in minutes: "
                    f"{output.splitlines()[-1:]}")
    seconds, where = done.stdout.splitlines()[-1].removeprefix("slowest: ").split(" ", 1)
    assert float(seconds) < LONGEST, f"{where} took {seconds} s on a {SIZE:,}-character text"
