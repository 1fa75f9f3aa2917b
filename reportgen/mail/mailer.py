"""Send one issue of a report to its distribution lists: safe, exactly once, resumable.

Safe: every list is checked against the report's marking, and every setting against the config,
before a connection is opened. Exactly once, as far as SMTP allows: the send log says who already
has this content, each recipient's Message-ID is fixed before the first attempt, and an attempt a
crash left without an outcome ("in doubt") is sent again with that same Message-ID, which lets
the server or the reader's mail client drop a second copy. Resumable: transient failures are
retried with backoff on a fresh connection; whoever is still not served when the run ends is
served by the next run, and nobody else is.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from jinja2 import Environment

from reportgen.formats import OUTPUT_FORMATS
from reportgen.layout import BUILD_DIR, read_kept
from reportgen.mail.message import (
    Attachment,
    Issue,
    build_message,
    email_environment,
    human_size,
    message_id_for,
)
from reportgen.mail.sendlog import ATTEMPT, FAILED, SENT, SendLog, SendRecord, Standing, recipient_key
from reportgen.mail.smtp import Recovery, SmtpConnection, classify, describe
from reportgen.model.address import parse_addr_spec, parse_mailbox
from reportgen.model.config import DistributionList, ProjectConfig, Report, Smtp
from reportgen.model.project import Project
from reportgen.problems import Problem, ReportgenError
from reportgen.write.atomic import write_atomic

ALREADY_SENT = "already sent"
WRITTEN = "written"
IN_DOUBT = "in doubt"
UNLOGGED = "the send log cannot be written"


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
    was_in_doubt: bool = False  # an earlier run's attempt had no outcome; sent again with its id


@dataclass(frozen=True)
class Pending:
    """A recipient to send to in this run, with the Message-ID their copy carries."""

    addressee: Addressee
    message_id: str
    in_doubt: bool = False

    @property
    def recipient(self) -> str:
        return self.addressee.address.addr_spec

    def delivery(self, status: str, detail: str = "", attempts: int = 0) -> Delivery:
        return Delivery(self.recipient, self.addressee.lists, status, detail, self.message_id, attempts,
                        self.in_doubt)


@dataclass
class MailResult:
    report_id: str
    digest: str
    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    outbox: Path | None = None
    problems: list[Problem] = field(default_factory=list)  # what stopped the run part way
    placeholder_sender: bool = False
    """A dry run without smtp settings: the messages' From is PLACEHOLDER_SENDER."""

    @property
    def not_served(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status in (FAILED, IN_DOUBT)]

    @property
    def ok(self) -> bool:
        return not self.not_served and not self.problems

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.deliveries)


@dataclass(frozen=True)
class Mailing:
    """A checked plan: the report, the lists cleared for it, each recipient once."""

    report: Report
    lists: list[DistributionList]
    recipients: list[Addressee]


def report_build_dir(root: Path, report_id: str) -> Path:
    return root / BUILD_DIR / report_id


def plan_mailing(config: ProjectConfig, report: Report, list_names: Sequence[str] = ()) -> Mailing:
    """Refuse, before anything is sent (or built), a list not cleared for the report's marking."""
    names = list(list_names) or report.distribution
    if not names:
        raise ReportgenError([config.report_problem(report.id, "id",
                                            f"report '{report.id}' has no distribution lists",
                                            "add `distribution: [list-name]` to it or pass --list NAME")])
    lists = [config.distribution_list(name) for name in dict.fromkeys(names)]
    refused = [config.problem(("distribution_lists", config.distribution_lists.index(item), "marking"),
                             f"list '{item.name}' is cleared up to {item.marking}, but report "
                             f"'{report.id}' is marked {report.marking}",
                             f"send it to a list cleared for {report.marking} or above")
               for item in lists if not item.marking.allows(report.marking)]
    if refused:
        raise ReportgenError(refused)
    return Mailing(report, lists, _addressees(lists))


def mail_report(project: Project, report: Report, files: Mapping[str, Path], *,
                lists: Sequence[str] = (),
                dry_run: bool = False, resend: bool = False, resend_in_doubt: bool = True,
                env: Mapping[str, str] | None = None, tls: ssl.SSLContext | None = None,
                retry: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], dt.datetime] | None = None,
                unreviewed: str | None = None) -> MailResult:
    """Send (or with `dry_run`, write as .eml) the briefing's `files` (format -> built file, in
    the order attached) to every recipient not yet served.

    A recipient in doubt (an earlier run's attempt has no outcome) is sent again with the same
    Message-ID, or with `resend_in_doubt=False` left for a person and counted as not served.
    Raises ReportgenError, before any connection, for a refused list, missing settings, a
    missing password, files over the size limit or a send log that cannot be written.
    Per-recipient failures, and a send log that fails part way, are in the result. Text the
    issue carried over unreviewed (`review` in reportgen.yaml) stops it too, unless `unreviewed`
    says why it goes anyway: the reason is then logged with every attempt.
    """
    config = project.config
    refuse_unreviewed(config, report, unreviewed)
    mailing = plan_mailing(config, report, lists)
    placeholder = dry_run and config.smtp is None
    sender = PLACEHOLDER_SENDER if placeholder else _smtp(config).sender
    password = None if dry_run else _password(config, os.environ if env is None else env)
    issue = Issue(mailing.report, config.project.desk, parse_mailbox(sender),
                  _read_files(files, mailing.report, config))
    environment = email_environment(project.root / config.project.templates)
    build_dir = report_build_dir(project.root, mailing.report.id)
    log_path = build_dir / "sent.jsonl"
    log = SendLog(log_path, shown=log_path.relative_to(project.root).as_posix())
    now = clock or (lambda: dt.datetime.now(dt.UTC))
    result = MailResult(mailing.report.id, issue.digest, dry_run, placeholder_sender=placeholder)
    with log.locked():
        done, pending = _sort_out(mailing.recipients, log.standings(issue.digest), issue, resend,
                                  resend_in_doubt)
        result.deliveries += done
        if pending:
            _check_size(issue, pending[0], environment, now(), config)
        if dry_run:
            result.outbox = build_dir / "outbox"
            result.deliveries += _write_outbox(result.outbox, issue, pending, environment, now)
        elif pending:
            log.check_appendable()
            with SmtpConnection(_smtp(config), password, tls) as connection:
                note = f"sent with text awaiting review: {unreviewed.strip()}" if unreviewed else ""
                SendLoop(connection, issue, environment, log, retry, sleep, now, result,
                         note).serve(pending)
    return result


PLACEHOLDER_SENDER = "Sender not yet set <sender@example.invalid>"
"""The From of a dry run's messages while reportgen.yaml has no smtp settings, so a desk can
read its first messages before it has a mail server: the reserved .invalid domain (RFC 2606)
reaches no one, and a real send still needs the settings."""


def refuse_unreviewed(config: ProjectConfig, report: Report, unreviewed: str | None) -> None:
    """ReportgenError while the issue holds text carried over unreviewed, unless `unreviewed`
    gives the reason it goes anyway."""
    if report.review and not (unreviewed or "").strip():
        raise ReportgenError(awaiting_review(config, report))


def awaiting_review(config: ProjectConfig, report: Report) -> list[Problem]:
    """Each item `reportgen next` carried over and nobody has reviewed, at its line in
    `review`: readers would get last issue's words under this issue's date."""
    return [config.report_problem(report.id, ("review", n),
                                  f"{item.replace('-', ' ')} carried over from the last issue and "
                                  "not yet reviewed: this issue cannot be sent with it",
                                  f"revise or confirm it and remove '{item}' from review, or give "
                                  "--unreviewed with the reason it goes anyway")
            for n, item in enumerate(report.review)]


def _sort_out(recipients: list[Addressee], standings: Mapping[str, Standing], issue: Issue, resend: bool,
              resend_in_doubt: bool) -> tuple[list[Delivery], list[Pending]]:
    """Who is served already, who is in doubt and left for a person, and who gets which
    Message-ID now: the in-doubt attempt's own, or the one derived for their next copy. A served
    reader whose `--resend` copy is in doubt has the issue: only another `--resend` sends that
    copy again."""
    done: list[Delivery] = []
    pending: list[Pending] = []
    for addressee in recipients:
        recipient = addressee.address.addr_spec
        standing = standings.get(recipient_key(recipient), Standing())
        if standing.served and not resend:
            done.append(Delivery(recipient, addressee.lists, ALREADY_SENT))
        elif standing.in_doubt and not resend_in_doubt:
            done.append(Delivery(recipient, addressee.lists, IN_DOUBT, f"{standing.in_doubt}: an earlier "
                                 "run stopped while sending it, before logging the reply; left for a person",
                                 standing.in_doubt))
        else:
            chosen = standing.in_doubt or message_id_for(issue, recipient, copy=len(standing.accepted))
            pending.append(Pending(addressee, chosen, bool(standing.in_doubt)))
    return done, pending


@dataclass
class SendLoop:
    """The send loop: one message per recipient, its attempt logged before it leaves and its
    outcome after, so a crash in between leaves an attempt in doubt whose Message-ID is known."""

    connection: SmtpConnection
    issue: Issue
    environment: Environment
    log: SendLog
    retry: RetryPolicy
    sleep: Callable[[float], None]
    now: Callable[[], dt.datetime]
    result: MailResult
    note: str = ""
    """Written with each attempt: why this issue went out with text awaiting review."""

    def serve(self, pending: list[Pending]) -> None:
        stopped = ""
        for item in pending:
            if stopped:
                self.result.deliveries.append(item.delivery(FAILED, f"not attempted: {stopped}"))
            else:
                delivery, stopped = self._serve(item)
                self.result.deliveries.append(delivery)

    def _serve(self, item: Pending) -> tuple[Delivery, str]:
        """The delivery, and why the run must stop after it ('' if it need not)."""
        message = build_message(self.issue, item.addressee.address, self.environment, self.now(),
                                item.message_id)
        if not self._logged(item, ATTEMPT, self.note):
            return item.delivery(FAILED, f"not sent: {UNLOGGED}"), UNLOGGED
        delivery, recovery = self._deliver(item, message)
        if not self._logged(item, delivery.status, delivery.detail):
            unrecorded = "the send log could not record this: the next run finds it in doubt"
            return replace(delivery, detail="; ".join(filter(None, [delivery.detail, unrecorded]))), UNLOGGED
        return delivery, delivery.detail if recovery in (Recovery.CONNECTION, Recovery.FATAL) else ""

    def _deliver(self, item: Pending, message: EmailMessage) -> tuple[Delivery, Recovery | None]:
        attempt = 0
        while True:
            attempt += 1
            try:
                self.connection.send(message, self.issue.sender.addr_spec, item.recipient)
            except (smtplib.SMTPException, OSError) as exc:  # every SMTP, TLS and network error
                recovery = classify(exc)
                if recovery in (Recovery.TRANSIENT, Recovery.CONNECTION) and attempt < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt))
                    continue
                return item.delivery(FAILED, describe(exc), attempt), recovery
            return item.delivery(SENT, "", attempt), None

    def _logged(self, item: Pending, result: str, detail: str = "") -> bool:
        """Append one line; a log that cannot take it stops the run, as a problem of the result."""
        try:
            self.log.append(SendRecord(self.issue.digest, item.recipient, item.message_id,
                                       self.now().isoformat(timespec="seconds"), result, detail,
                                       item.addressee.lists))
        except ReportgenError as exc:
            self.result.problems += exc.problems
            return False
        return True


def _write_outbox(outbox: Path, issue: Issue, pending: list[Pending], environment: Environment,
                  now: Callable[[], dt.datetime]) -> list[Delivery]:
    """Each message as an .eml file; the outbox holds exactly this dry run's messages."""
    outbox.mkdir(parents=True, exist_ok=True)  # an OS error goes up to the command line's edge
    for old in outbox.glob("*.eml"):
        old.unlink()
    deliveries = []
    for number, item in enumerate(pending, start=1):
        message = build_message(issue, item.addressee.address, environment, now(), item.message_id)
        path = outbox / f"{number:03d}-{_file_safe(item.recipient)}.eml"
        write_atomic(path, message.as_bytes())
        deliveries.append(item.delivery(WRITTEN, str(path)))
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


def _check_size(issue: Issue, item: Pending, environment: Environment, when: dt.datetime,
                config: ProjectConfig) -> None:
    size = len(build_message(issue, item.addressee.address, environment, when, item.message_id).as_bytes())
    most = config.smtp.max_size_mb if config.smtp else Smtp.model_fields["max_size_mb"].default
    limit = most * 1_000_000  # a dry run without smtp settings is held to the default
    if size > limit:
        raise ReportgenError([config.problem(
            ("smtp", "max_size_mb"),
            f"the email would be {human_size(size)} (attached {human_size(issue.size)}), over the "
            f"{most:g} MB limit of smtp.max_size_mb",
            "attach fewer formats, make the briefing smaller (fewer sections, smaller charts) or "
            "raise the limit if the server allows")])


def _read_files(files: Mapping[str, Path], report: Report, config: ProjectConfig) -> tuple[Attachment, ...]:
    attached = []
    for fmt, path in files.items():
        try:
            data = read_kept(path)  # a regular file only: a pipe in its place is refused, not awaited
        except OSError as exc:
            raise ReportgenError([config.report_problem(
                report.id, "id",
                f"cannot read the {fmt} briefing of report '{report.id}' at {path}: {exc.strerror or exc}",
                f"run `reportgen build {report.id}` first")]) from None
        attached.append(Attachment(fmt, OUTPUT_FORMATS[fmt].media_type, data))
    return tuple(attached)


def _password(config: ProjectConfig, env: Mapping[str, str]) -> str | None:
    settings = _smtp(config)
    if not settings.username:
        return None
    password = env.get(settings.password_env or "", "")
    if not password:
        raise ReportgenError([config.problem(
            ("smtp", "password_env"),
            f"environment variable {settings.password_env} (the SMTP password) is not set",
            f"export {settings.password_env}=... before running reportgen mail")])
    return password


def _smtp(config: ProjectConfig) -> Smtp:
    if config.smtp is None:
        raise ReportgenError([config.problem((), "no smtp settings in reportgen.yaml",
                                            "add `smtp: {host: ..., sender: ...}`")])
    return config.smtp
