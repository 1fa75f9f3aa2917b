"""One email per recipient: marked subject, plain and HTML body from templates, the briefing
attached (its PDF, or the formats the report's `attach` lists).

Headers that carry data (subject, names) are encoded by `headers`, so no title or name can add
a header or a recipient; the rest is the `email` package's EmailMessage as it comes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment

from reportgen.mail.headers import mailbox_header, subject_header
from reportgen.mail.sendlog import recipient_key
from reportgen.model.config import KeyJudgment, Report
from reportgen.model.text import strip_bidi_controls
from reportgen.render.environment import make_environment

TEXT_TEMPLATE = "email/body.txt.j2"
HTML_TEMPLATE = "email/body.html.j2"


@dataclass(frozen=True)
class Attachment:
    """One file of the briefing, as the email carries it."""

    format: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Issue:
    """What every message of one issue of a report shares: the report, the files attached, the
    sender."""

    report: Report
    desk: str
    sender: Address
    attachments: tuple[Attachment, ...]

    @property
    def digest(self) -> str:
        """The content digest that identifies this issue in the send log: of the one file
        attached (the PDF's, as before there could be more), else of every file by format."""
        if len(self.attachments) == 1:
            return "sha256:" + hashlib.sha256(self.attachments[0].data).hexdigest()
        listed = "".join(f"{item.format} {hashlib.sha256(item.data).hexdigest()}\n"
                         for item in self.attachments)
        return "sha256:" + hashlib.sha256(listed.encode("ascii")).hexdigest()

    @property
    def date(self) -> dt.date:
        """The issue date: the information cut-off, or the end of the period."""
        return self.report.issue_date

    def filename(self, item: Attachment) -> str:
        return f"{self.report.id}-{self.date.isoformat()}.{item.format}"

    @property
    def size(self) -> int:
        """Bytes attached, all files together."""
        return sum(len(item.data) for item in self.attachments)

    @property
    def subject_text(self) -> str:
        """The subject after the marking: `<title> — <issue date>`."""
        return f"{strip_bidi_controls(self.report.title)} — {long_date(self.date)}"


def email_environment(project_templates: Path | None = None) -> Environment:
    """The briefings' Jinja environment: the project's `email/` templates override the theme's,
    and Markdown goes through the same sanitising `markdown_html` filter."""
    return make_environment(project_templates)


def message_id_for(issue: Issue, recipient: str, copy: int = 0) -> str:
    """The Message-ID of one recipient's copy of this issue, fixed before the first attempt.

    It is derived from the content digest and the address, not drawn at random, so every retry
    and every re-run (even one that lost the send log) sends the same id, and the server or the
    reader's mail client can drop a second copy that a crash or a lost reply made us send. A
    deliberate `--resend` is `copy` 1, 2, ... (the copies the log says were accepted): it needs
    a new id, or the reader's client would drop the copy they asked for as a duplicate.
    """
    seed = f"{issue.digest}\n{recipient_key(recipient)}\n{copy}".encode()
    return f"<{hashlib.sha256(seed).hexdigest()[:32]}.{issue.report.id}@{issue.sender.domain}>"


def build_message(issue: Issue, recipient: Address, environment: Environment, when: dt.datetime,
                  message_id: str = "") -> EmailMessage:
    """The message for one recipient, who is its only addressee; its Message-ID is their first
    copy's unless another is given."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject_header(f"[{issue.report.marking}]", issue.subject_text)
    message["From"] = mailbox_header("From", issue.sender)
    message["To"] = mailbox_header("To", recipient)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id or message_id_for(issue, recipient.addr_spec)
    context = body_context(issue, recipient)
    message.set_content(environment.get_template(TEXT_TEMPLATE).render(context))
    message.add_alternative(environment.get_template(HTML_TEMPLATE).render(context), subtype="html")
    for item in issue.attachments:
        maintype, subtype = item.media_type.split("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype,
                               filename=issue.filename(item))
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # the email package repeats it on added parts; it belongs on top
    return message


def body_context(issue: Issue, recipient: Address) -> dict:
    report = issue.report
    show = set(report.sections)
    return {
        "recipient_name": recipient.display_name,
        "title": report.title,
        "subtitle": report.subtitle,
        "issue_number": report.issue,
        "issue_date": long_date(issue.date),
        "desk": issue.desk,
        "language": report.language,
        "marking": str(report.marking),
        "sharing_rule": report.marking.sharing_rule,
        "bottom_line": report.bottom_line.strip() if "bottom-line" in show else "",
        "key_judgments": [_judgment(kj) for kj in report.key_judgments] if "key-judgments" in show else [],
        "attachments": [{"name": issue.filename(item), "size": human_size(len(item.data))}
                        for item in issue.attachments],
    }


def _judgment(judgment: KeyJudgment) -> dict:
    """ICD 203: likelihood and confidence are stated, but never in the same sentence."""
    return {"text": judgment.text.strip(), "likelihood": judgment.likelihood,
            "confidence": judgment.confidence}


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
