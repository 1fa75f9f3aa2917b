"""Distribution: email a built briefing to the lists cleared for its marking."""

from reportgen.mail.mailer import (
    ALREADY_SENT,
    IN_DOUBT,
    WRITTEN,
    Delivery,
    Mailing,
    MailResult,
    RetryPolicy,
    mail_report,
    plan_mailing,
    report_build_dir,
)
from reportgen.mail.sendlog import FAILED, SENT

__all__ = [
    "ALREADY_SENT",
    "FAILED",
    "IN_DOUBT",
    "SENT",
    "WRITTEN",
    "Delivery",
    "MailResult",
    "Mailing",
    "RetryPolicy",
    "mail_report",
    "plan_mailing",
    "report_build_dir",
]
