"""`reportgen mail`: send a report's PDF to its distribution lists (or write .eml files)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from reportgen.cli.options import project_dir
from reportgen.cli.output import print_text, stopping
from reportgen.mail import (
    ALREADY_SENT,
    FAILED,
    IN_DOUBT,
    SENT,
    WRITTEN,
    Delivery,
    MailResult,
    mail_report,
    plan_mailing,
    report_build_dir,
)
from reportgen.mail.mailer import refuse_unreviewed
from reportgen.make import UnknownTarget, build
from reportgen.model.project import Project
from reportgen.pipeline import make_briefing, open_project
from reportgen.problems import ReportgenError

_STYLE = {SENT: "green", ALREADY_SENT: "dim", WRITTEN: "cyan", IN_DOUBT: "bold yellow", FAILED: "bold red"}


@click.command("mail")
@click.argument("report_id", metavar="[REPORT]", required=False)
@click.option("--list", "lists", multiple=True, metavar="NAME",
              help="Send to this distribution list only (repeatable); default: the report's lists.")
@click.option("--dry-run", is_flag=True,
              help="Write each message as .eml under build/REPORT/outbox/; send nothing.")
@click.option("--resend", is_flag=True, help="Send again to recipients already served with this content.")
@click.option("--resend-in-doubt/--no-resend-in-doubt", default=True,
              help="Recipients whose message an earlier run may or may not have sent (it stopped before "
                   "logging the reply): send again with the same Message-ID (default), or list them, "
                   "send them nothing and exit 1.")
@click.option("--strict", is_flag=True,
              help="Send nothing if the report's marking withholds any record it selects.")
@click.option("--unreviewed", metavar="REASON",
              help="Send although text carried over from the last issue awaits review (the "
                   "report's review list); the reason is written in the send log.")
@project_dir
def command(report_id: str | None, lists: tuple[str, ...], dry_run: bool, resend: bool,
            resend_in_doubt: bool, strict: bool, unreviewed: str | None, root: Path) -> None:
    """Email the PDF of REPORT (default: the first report, as `serve` shows) to the lists cleared
    for its marking; resumable, each reader once.

    \b
    Examples:
      reportgen mail escalation-brief --dry-run
      reportgen mail escalation-brief --list desk-clear
    """
    console = Console(highlight=False)
    project = open_project(root)
    with stopping("nothing was sent"):
        if project.errors:
            raise ReportgenError(project.errors)
        report = project.config.report(report_id) if report_id else project.config.default_report
        plan_mailing(project.config, report, lists)  # refuse before building anything
        refuse_unreviewed(project.config, report, unreviewed)
        pdf = ensure_built(project, report.id, strict=strict)
        result = mail_report(make_briefing(project, report), pdf, lists=lists, dry_run=dry_run,
                             resend=resend, resend_in_doubt=resend_in_doubt, unreviewed=unreviewed)
    print_result(result, console)
    raise SystemExit(0 if result.ok else 1)


def ensure_built(project: Project, report_id: str, *, strict: bool = False) -> Path:
    """The path of the report's PDF, brought up to date first (never mail a stale PDF);
    `strict` refuses a briefing whose marking withholds records (see `reportgen build --strict`)."""
    pdf = report_build_dir(project.root, report_id) / f"{report_id}.pdf"
    shown = pdf.relative_to(project.root).as_posix()
    try:
        result = build(project.root, [shown], jobs=1, strict=strict)
    except UnknownTarget:
        raise ReportgenError([project.config.report_problem(
            report_id, "formats", f"report '{report_id}' has no PDF format to mail",
            "add pdf to its formats")]) from None
    if not result.ok or not pdf.is_file():
        found = result.problems or [p for failure in result.failed for p in failure.problems]
        why = "; ".join(failure.message for failure in result.failed) or "see `reportgen build`"
        raise ReportgenError(found or [project.config.report_problem(
            report_id, "id", f"report '{report_id}' could not be built into {shown}: {why}",
            f"run `reportgen build {report_id}` to see why")])
    return pdf


def print_result(result: MailResult, console: Console) -> None:
    """One line per recipient, then what stopped the run part way (if anything), then a summary."""
    for delivery in result.deliveries:
        style = _STYLE.get(delivery.status, "")
        detail = "".join(f" [dim]({escape(note)})[/]" for note in _notes(delivery))
        lists = escape("[" + ", ".join(delivery.lists) + "]")
        console.print(f"[{style}]{delivery.status}[/]: {escape(delivery.recipient)} [dim]{lists}[/]{detail}",
                      soft_wrap=True)
    print_text(result.problems, _summary(result), console)


def _notes(delivery: Delivery) -> list[str]:
    again = f"in doubt after an earlier run: sent again with the same Message-ID {delivery.message_id}"
    return [again] * delivery.was_in_doubt + [delivery.detail] * bool(delivery.detail)


def _summary(result: MailResult) -> str:
    again = sum(d.was_in_doubt for d in result.deliveries if d.status == SENT)
    notes = {SENT: f" ({again} of them in doubt after an earlier run, sent again with the same Message-ID)"
             if again else ""}
    counts = [f"{result.count(status)} {status}{notes.get(status, '')}"
              for status in (SENT, WRITTEN, ALREADY_SENT, IN_DOUBT, FAILED) if result.count(status)]
    summary = f"{result.report_id}: {', '.join(counts) or 'no recipients'}"
    if result.placeholder_sender:
        summary += (" (From: a placeholder address until reportgen.yaml has smtp settings; "
                    "`reportgen init` writes an example)")
    if result.count(IN_DOUBT):
        summary += (" — in doubt: an earlier run stopped while sending to them (the server's log can tell); "
                    "`reportgen mail` without --no-resend-in-doubt sends them the same Message-ID again")
    elif not result.ok:
        summary += " — run `reportgen mail` again to serve only those not served"
    return summary
