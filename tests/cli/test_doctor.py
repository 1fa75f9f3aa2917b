"""`reportgen doctor` against the real machine and a real SMTP server on loopback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.cli.doctor import check_build_folder, check_smtp, check_smtp_password, run_checks
from reportgen.model.config import Smtp
from tests.conftest import require_tool


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def smtp_server():
    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.hostname, controller.port
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_machine_checks_pass_where_the_readme_packages_are_installed(tmp_path: Path):
    for tool in ("pdftotext", "qpdf", "chromium"):
        require_tool(tool)
    findings = {f.name: f for f in run_checks(tmp_path, None)}
    assert findings["Pango"].ok and findings["Pango"].detail.startswith("Pango 1.")
    assert findings["HarfBuzz subset"].ok
    fonts = {name: f for name, f in findings.items() if name.startswith("font ")}
    expected = {"font Noto Sans", "font Noto Serif", "font Noto Naskh Arabic", "font DejaVu Sans Mono"}
    assert expected <= set(fonts)
    assert all(f.ok for f in fonts.values()), [f.detail for f in fonts.values() if not f.ok]
    assert findings["build folder"].ok and (tmp_path / "build").is_dir()


def test_unwritable_build_folder_is_reported_with_a_fix(tmp_path: Path):
    (tmp_path / "build").write_text("a file where the folder should be")
    finding = check_build_folder(tmp_path)
    assert not finding.ok and "is not writable" in finding.detail and finding.fix


def test_smtp_reachable(smtp_server):
    host, port = smtp_server
    finding = check_smtp(Smtp(host=host, port=port, security="none", sender="desk@example.org"))
    assert finding.ok and "answered EHLO with 250" in finding.detail


def test_smtp_starttls_required_but_not_offered(smtp_server):
    host, port = smtp_server
    finding = check_smtp(Smtp(host=host, port=port, security="starttls", sender="desk@example.org"))
    assert not finding.ok and "does not offer STARTTLS" in finding.detail


def test_smtp_unreachable_is_reported():
    finding = check_smtp(Smtp(host="127.0.0.1", port=free_port(), security="none",
                              sender="desk@example.org", timeout=2))
    assert not finding.ok and "cannot reach the server" in finding.detail and "smtp.port" in finding.fix


def test_smtp_password_variable(monkeypatch):
    settings = Smtp(host="127.0.0.1", sender="d@example.org", password_env="RG_TEST_PASSWORD")
    monkeypatch.delenv("RG_TEST_PASSWORD", raising=False)
    assert not check_smtp_password(settings).ok
    monkeypatch.setenv("RG_TEST_PASSWORD", "secret")
    assert check_smtp_password(settings).ok


def test_doctor_command_exit_code_follows_findings(synthetic_project: Path, smtp_server):
    host, port = smtp_server
    config = synthetic_project / "reportgen.yaml"
    config.write_text(config.read_text() + f"smtp: {{host: {host}, port: {port}, security: none, "
                      "sender: desk@example.org}\n")
    result = CliRunner().invoke(main, ["doctor", "-C", str(synthetic_project)])
    assert f"ok   SMTP {host}:{port}" in result.output
    expected = 1 if "FAIL" in result.output else 0
    assert result.exit_code == expected
