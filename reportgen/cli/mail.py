"""`reportgen mail`: send a report's briefing (its PDF, or what its `attach` lists) to its
distribution lists (or write .eml files)."""

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
)
from reportgen.pipeline import distribute

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
    """Email the briefing of REPORT (default: the first report, as `serve` shows) to the lists
    cleared for its marking: its PDF, or the formats its `attach` lists; resumable, each reader
    once.

    \b
    Examples:
      reportgen mail escalation-brief --dry-run
      reportgen mail escalation-brief --list desk-clear
    """
    console = Console(highlight=False)
    with stopping("nothing was sent"):
        result = distribute(root, report_id, lists=lists, strict=strict, unreviewed=unreviewed,
                            dry_run=dry_run, resend=resend, resend_in_doubt=resend_in_doubt)
    print_result(result, console)
    raise SystemExit(0 if result.ok else 1)


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
