"""`reportgen doctor`: check the machine for what reportgen needs, and say what to install when
something is missing."""

from __future__ import annotations

import os
import shutil
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from reportgen.cli.options import project_dir
from reportgen.layout import BUILD_DIR, package_templates
from reportgen.model.config import ProjectConfig, Smtp
from reportgen.pipeline import open_project
from reportgen.render import fonts

MIN_PANGO = (1, 44, 0)  # WeasyPrint's documented minimum


@click.command("doctor")
@project_dir
@click.option("--no-smtp", is_flag=True, help="Do not contact the configured SMTP server.")
def command(root: Path, no_smtp: bool) -> None:
    """Check Pango, HarfBuzz, fonts, the build folder and the SMTP server.

    \b
    Example:
      reportgen doctor --no-smtp
    """
    config = open_project(root, templates=False).config if (root / "reportgen.yaml").is_file() else None
    console = Console(highlight=False)
    findings = run_checks(root.resolve(), config, smtp=not no_smtp)
    for finding in findings:
        mark = "[green]ok[/]  " if finding.ok else "[bold red]FAIL[/]"
        fix = f"\n      [dim]fix: {escape(finding.fix)}[/]" if finding.fix and not finding.ok else ""
        console.print(f"{mark} {escape(finding.name)}: {escape(finding.detail)}{fix}")
    failed = [f for f in findings if not f.ok]
    console.print(f"{len(findings) - len(failed)} ok, {len(failed)} to fix")
    raise SystemExit(1 if failed else 0)


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(root: Path, config: ProjectConfig | None, smtp: bool = True) -> list[Finding]:
    findings = [check_pango(), check_harfbuzz_subset(), *check_theme_fonts(root, config),
                check_build_folder(root)]
    findings += [check_tool(tool, package) for tool, package in TOOLS]
    if smtp and config and config.smtp:
        findings += [check_smtp(config.smtp), check_smtp_password(config.smtp)]
    return findings


TOOLS = [("pdftotext", "poppler-utils"), ("qpdf", "qpdf"), ("chromium", "chromium"),
         ("rsvg-convert", "librsvg2-bin")]
"""Tools on PATH: the first three for the tests, rsvg-convert for the charts of a Word briefing."""


def check_pango() -> Finding:
    try:
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Finding("Pango", False, f"WeasyPrint cannot load Pango: {exc}",
                       "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    number = pango.pango_version()
    version = (number // 10000, number // 100 % 100, number % 100)
    text = ".".join(map(str, version))
    if version < MIN_PANGO:
        return Finding("Pango", False, f"Pango {text} is older than 1.44",
                       "upgrade libpango-1.0-0 (Debian 11 or newer)")
    return Finding("Pango", True, f"Pango {text}")


def check_harfbuzz_subset() -> Finding:
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError) as exc:
        return Finding("HarfBuzz subset", False, str(exc), "apt-get install libharfbuzz-subset0")
    if harfbuzz_subset is None:
        return Finding("HarfBuzz subset", False,
                       "libharfbuzz-subset is missing: PDFs embed fonts 3-4x slower",
                       "apt-get install libharfbuzz-subset0")
    return Finding("HarfBuzz subset", True, "libharfbuzz-subset found")


def check_theme_fonts(root: Path, config: ProjectConfig | None) -> list[Finding]:
    """Each font the theme's stylesheets ask for first, as the PDF will get it."""
    templates = root / (config.project.templates if config else "templates")
    resolved = fonts.resolve(fonts.theme_stacks(fonts.theme_css([templates, package_templates()])))
    findings = []
    for item in {item.wanted: item for item in resolved}.values():
        if item.fallback:
            fix = f"apt-get install {item.package}" if item.package else "install a font providing it"
            findings.append(Finding(f"font {item.wanted}", False,
                                    f"not installed: the PDF uses {item.family} instead", fix))
        else:
            findings.append(Finding(f"font {item.wanted}", True, item.file))
    return findings


def check_build_folder(root: Path) -> Finding:
    build = root / BUILD_DIR
    try:
        build.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=build, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Finding("build folder", False, f"{build} is not writable: {exc.strerror or exc}",
                       "fix the folder's permissions or run from a writable checkout")
    return Finding("build folder", True, f"{build} is writable")


def check_tool(tool: str, package: str) -> Finding:
    path = shutil.which(tool)
    if path is None:
        return Finding(tool, False, f"{tool} not found (needed by the tests)", f"apt-get install {package}")
    return Finding(tool, True, path)


def check_smtp(settings: Smtp) -> Finding:
    """Connect and say EHLO; no login and no message."""
    name = f"SMTP {settings.host}:{settings.port}"
    timeout = min(settings.timeout, 10)
    try:
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            code, _ = client.ehlo()
            starttls = client.has_extn("starttls")
    except (OSError, smtplib.SMTPException) as exc:
        return Finding(name, False, f"cannot reach the server: {exc}",
                       "check smtp.host and smtp.port in reportgen.yaml, and the network")
    if settings.security == "starttls" and not starttls:
        return Finding(name, False, "the server does not offer STARTTLS",
                       "set smtp.security to ssl (port 465) or ask the mail administrator")
    return Finding(name, True, f"answered EHLO with {code}")


def check_smtp_password(settings: Smtp) -> Finding:
    variable = settings.password_env
    if variable is None:
        return Finding("SMTP password", True, "no password configured (no AUTH)")
    if not os.environ.get(variable):
        return Finding("SMTP password", False, f"environment variable {variable} is not set",
                       f"export {variable}=... before `reportgen mail`")
    return Finding("SMTP password", True, f"{variable} is set")
