"""Send one issue of a report to its distribution lists: safe, idempotent, resumable.

Safe: every list is checked against the report's marking, and every setting against the config,
before a connection is opened. Idempotent: the send log says who already has this content.
Resumable: transient failures are retried with backoff; whoever is still not served when the run
ends is served by the next run, and nobody else is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

from jinja2 import Environment

from ..errors import Problem, ReportgenError, error
from ..layout import CONFIG_FILE
from ..load.project import config_position
from ..model.address import parse_addr_spec, parse_mailbox
from ..model.config import DistributionList, ProjectConfig, Report, Smtp
from ..model.project import Project
from ..write import write_atomic
from .message import Issue, build_message, email_environment, human_size
from .sendlog import FAILED, SENT, SendLog, SendRecord, recipient_key
from .smtp import Failure, SmtpConnection, classify, describe

ALREADY_SENT = "already sent"
WRITTEN = "written"


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff: `attempts` tries, waiting first_delay, 2x, 4x ... max_delay."""

    attempts: int = 4
    first_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int) -> float:
        """The wait after the `attempt`-th failed try (1-based)."""
        return min(self.max_delay, self.first_delay * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Addressee:
    address: Address
    lists: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    """What happened for one recipient in this run."""

    recipient: str
    lists: tuple[str, ...]
    status: str
    detail: str = ""
    message_id: str = ""
    attempts: int = 0


@dataclass
class MailResult:
    report_id: str
    digest: str
    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    outbox: Path | None = None

    @property
    def not_served(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.not_served

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.deliveries)


@dataclass(frozen=True)
class Mailing:
    """A checked plan: the report, the lists cleared for it, each recipient once."""

    report: Report
    lists: list[DistributionList]
    recipients: list[Addressee]


def report_build_dir(root: Path, report_id: str) -> Path:
    return root / "build" / report_id


def plan_mailing(project: Project, report_id: str, list_names: Sequence[str] = ()) -> Mailing:
    """Refuse, before anything is sent, a list not cleared for the report's marking."""
    config = _config(project)
    where = _Locator(project.root)
    report = _report(config, report_id, where)
    names = list(list_names) or report.distribution
    if not names:
        raise ReportgenError([where.problem(("reports", _index(config, report), "id"),
                                            f"report '{report.id}' has no distribution lists",
                                            "add `distribution: [list-name]` to it or pass --list NAME")])
    lists = [_distribution_list(config, name, where) for name in dict.fromkeys(names)]
    refused = [where.problem(("distribution_lists", config.distribution_lists.index(item), "marking"),
                             f"list '{item.name}' is cleared up to {item.marking}, but report "
                             f"'{report.id}' is marked {report.marking}",
                             f"send it to a list cleared for {report.marking} or above")
               for item in lists if not item.marking.allows(report.marking)]
    if refused:
        raise ReportgenError(refused)
    return Mailing(report, lists, _addressees(lists))


def mail_report(project: Project, report_id: str, pdf_path: Path, *, lists: Sequence[str] = (),
                dry_run: bool = False, resend: bool = False, env: Mapping[str, str] | None = None,
                tls: ssl.SSLContext | None = None, retry: RetryPolicy = RetryPolicy(),
                sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], dt.datetime] | None = None) -> MailResult:
    """Send (or with `dry_run`, write as .eml) the PDF to every recipient not yet served.

    Raises ReportgenError, before any connection, for a refused list, missing settings, a
    missing password or a PDF over the size limit. Per-recipient failures are in the result.
    """
    mailing = plan_mailing(project, report_id, lists)
    config = _config(project)
    where = _Locator(project.root)
    settings = _smtp(config, where)
    password = None if dry_run else _password(settings, os.environ if env is None else env, where)
    issue = Issue(mailing.report, config.project.desk, parse_mailbox(settings.sender),
                  _read_pdf(pdf_path, mailing.report, config, where))
    environment = email_environment(project.root / config.project.templates)
    build_dir = report_build_dir(project.root, mailing.report.id)
    log = SendLog(build_dir / "sent.jsonl")
    now = clock or (lambda: dt.datetime.now(dt.UTC))
    result = MailResult(mailing.report.id, issue.digest, dry_run)
    with log.locked():
        served = set() if resend else log.served(issue.digest)
        pending = []
        for addressee in mailing.recipients:
            if recipient_key(addressee.address.addr_spec) in served:
                result.deliveries.append(Delivery(addressee.address.addr_spec, addressee.lists, ALREADY_SENT))
            else:
                pending.append(addressee)
        if pending:
            _check_size(issue, pending[0], environment, now(), settings, where)
        if dry_run:
            result.outbox = build_dir / "outbox"
            result.deliveries += _write_outbox(result.outbox, issue, pending, environment, now)
        elif pending:
            with SmtpConnection(settings, password, tls) as connection:
                loop = SendLoop(connection, issue, environment, log, retry, sleep, now)
                result.deliveries += loop.serve(pending)
    return result


@dataclass
class SendLoop:
    """The send loop: one message per recipient, each outcome logged before the next."""

    connection: SmtpConnection
    issue: Issue
    environment: Environment
    log: SendLog
    retry: RetryPolicy
    sleep: Callable[[float], None]
    now: Callable[[], dt.datetime]

    def serve(self, pending: list[Addressee]) -> list[Delivery]:
        deliveries: list[Delivery] = []
        stopped = ""
        for addressee in pending:
            if stopped:
                delivery = Delivery(addressee.address.addr_spec, addressee.lists, FAILED,
                                    f"not attempted: {stopped}")
            else:
                delivery, failure = self._deliver(addressee)
                if failure in (Failure.CONNECTION, Failure.FATAL):
                    stopped = delivery.detail
            self._record(delivery)
            deliveries.append(delivery)
        return deliveries

    def _deliver(self, addressee: Addressee) -> tuple[Delivery, Failure | None]:
        message = build_message(self.issue, addressee.address, self.environment, self.now())
        recipient, message_id = addressee.address.addr_spec, message["Message-ID"]
        attempt = 0
        while True:
            attempt += 1
            try:
                self.connection.send(message, self.issue.sender.addr_spec, recipient)
            except (smtplib.SMTPException, OSError) as exc:  # every SMTP, TLS and network error
                failure = classify(exc)
                if failure in (Failure.TRANSIENT, Failure.CONNECTION) and attempt < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt))
                    continue
                failed = Delivery(recipient, addressee.lists, FAILED, describe(exc), message_id, attempt)
                return failed, failure
            return Delivery(recipient, addressee.lists, SENT, "", message_id, attempt), None

    def _record(self, delivery: Delivery) -> None:
        self.log.append(SendRecord(self.issue.digest, delivery.recipient, delivery.message_id,
                                   self.now().isoformat(timespec="seconds"), delivery.status,
                                   delivery.detail, delivery.lists))


def _write_outbox(outbox: Path, issue: Issue, pending: list[Addressee], environment: Environment,
                  now: Callable[[], dt.datetime]) -> list[Delivery]:
    """Each message as an .eml file; the outbox holds exactly this dry run's messages."""
    outbox.mkdir(parents=True, exist_ok=True)
    for old in outbox.glob("*.eml"):
        old.unlink()
    deliveries = []
    for number, addressee in enumerate(pending, start=1):
        message = build_message(issue, addressee.address, environment, now())
        path = outbox / f"{number:03d}-{_file_safe(addressee.address.addr_spec)}.eml"
        write_atomic(path, message.as_bytes())
        deliveries.append(Delivery(addressee.address.addr_spec, addressee.lists, WRITTEN, str(path),
                                   message["Message-ID"]))
    return deliveries


def _file_safe(address: str) -> str:
    return "".join(c if c.isalnum() or c in "@.+-_" else "_" for c in address)


def _addressees(lists: list[DistributionList]) -> list[Addressee]:
    """Each address once, however many lists it is on, in list order."""
    found: dict[str, tuple[Address, list[str]]] = {}
    for item in lists:
        for recipient in item.recipients:
            address = Address(recipient.name, addr_spec=parse_addr_spec(recipient.address).addr_spec)
            entry = found.setdefault(recipient_key(address.addr_spec), (address, []))
            entry[1].append(item.name)
    return [Addressee(address, tuple(names)) for address, names in found.values()]


def _check_size(issue: Issue, addressee: Addressee, environment: Environment, when: dt.datetime,
                settings: Smtp, where: _Locator) -> None:
    size = len(build_message(issue, addressee.address, environment, when).as_bytes())
    limit = settings.max_size_mb * 1_000_000
    if size > limit:
        raise ReportgenError([where.problem(
            ("smtp", "max_size_mb"),
            f"the email would be {human_size(size)} (PDF {human_size(len(issue.pdf))}), over the "
            f"{settings.max_size_mb:g} MB limit of smtp.max_size_mb",
            "make the PDF smaller (fewer sections, smaller charts) or raise the limit if the server allows")])


def _read_pdf(path: Path, report: Report, config: ProjectConfig, where: _Locator) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReportgenError([where.problem(
            ("reports", _index(config, report), "id"),
            f"cannot read the PDF of report '{report.id}' at {path}: {exc.strerror or exc}",
            f"run `reportgen build {report.id}` first")]) from None


def _password(settings: Smtp, env: Mapping[str, str], where: _Locator) -> str | None:
    if not settings.username:
        return None
    password = env.get(settings.password_env or "", "")
    if not password:
        raise ReportgenError([where.problem(
            ("smtp", "password_env"),
            f"environment variable {settings.password_env} (the SMTP password) is not set",
            f"export {settings.password_env}=... before running reportgen mail")])
    return password


def _smtp(config: ProjectConfig, where: _Locator) -> Smtp:
    if config.smtp is None:
        raise ReportgenError([where.problem((), "no smtp settings in reportgen.yaml",
                                            "add `smtp: {host: ..., sender: ...}`")])
    return config.smtp


def _config(project: Project) -> ProjectConfig:
    if project.config is None:
        raise ReportgenError(project.errors or [error(CONFIG_FILE, 1, 1, "no valid reportgen.yaml")])
    return project.config


def _report(config: ProjectConfig, report_id: str, where: _Locator) -> Report:
    for report in config.reports:
        if report.id == report_id:
            return report
    known = [r.id for r in config.reports]
    close = difflib.get_close_matches(report_id, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known reports: {', '.join(known)}"
    raise ReportgenError([where.problem(("reports",), f"unknown report '{report_id}'", hint)])


def _distribution_list(config: ProjectConfig, name: str, where: _Locator) -> DistributionList:
    for item in config.distribution_lists:
        if item.name == name:
            return item
    known = [item.name for item in config.distribution_lists]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"defined lists: {', '.join(known) or 'none'}"
    raise ReportgenError([where.problem(("distribution_lists",), f"unknown distribution list '{name}'",
                                        hint)])


def _index(config: ProjectConfig, report: Report) -> int:
    return config.reports.index(report)


def config_problem(root: Path, loc: tuple, message: str, hint: str = "") -> Problem:
    """A problem placed on the line of reportgen.yaml it is about."""
    line, column = config_position(root, loc)
    return error(CONFIG_FILE, line, column, message, hint)


def report_problem(project: Project, report_id: str, message: str, hint: str = "") -> Problem:
    """A problem placed on the `id:` line of a report in reportgen.yaml."""
    ids = [r.id for r in _config(project).reports]
    loc = ("reports", ids.index(report_id), "id") if report_id in ids else ("reports",)
    return config_problem(project.root, loc, message, hint)


class _Locator:
    """Places problems in reportgen.yaml; the file is read again only when there is one."""

    def __init__(self, root: Path):
        self.root = root

    def problem(self, loc: tuple, message: str, hint: str = "") -> Problem:
        return config_problem(self.root, loc, message, hint)
