"""The registry of output formats: one line each, and everything else derived from it."""

from __future__ import annotations

import typing

from reportgen.formats import OFFERED, OUTPUT_FORMATS
from reportgen.layout import FORMATS, package_templates
from reportgen.model.config import Format


def test_the_format_names_everyone_uses_are_the_registrys():
    assert tuple(OUTPUT_FORMATS) == FORMATS
    assert set(typing.get_args(Format)) == set(OUTPUT_FORMATS)
    assert sorted(OFFERED) == sorted(OUTPUT_FORMATS)


def test_each_format_renders_and_its_theme_files_are_in_the_default_theme():
    for output in OUTPUT_FORMATS.values():
        assert callable(output.renderer())
        assert output.label and "/" in output.media_type
        assert all((package_templates() / name).is_file() for name in output.theme_files)
