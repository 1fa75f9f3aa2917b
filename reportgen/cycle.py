"""The weekly cycle: start a report's next issue by editing reportgen.yaml in place.

    issue = next_issue(project, "weekly")   # the next issue of report `weekly`
    issue.text                              # reportgen.yaml with only its values edited
    issue.changes                           # what changed: issue, period, cut-off, previous issue

The issue number goes up by one; the period rolls by the report's `cadence` (from the day after
the old one ended); an explicit `cutoff` moves to the new period's end; `previous_issue` becomes
the old issue's information date, so "since the last issue" compares with it; and what the
next issue carries over unchanged (bottom line, key judgments, outlook: `Report.carried_over`)
is listed in `review`, which `reportgen check` warns about until the editor has confirmed each
and removed it. Each value is rewritten where it stands (`load.spans`), a missing key inserted
on a line of its own: every comment and every other byte of the file stays as the curator wrote
it. The edited text is loaded and validated again before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.layout import CONFIG_FILE
from reportgen.load.spans import Span, spans
from reportgen.load.yaml_loader import Document, Loc, parse_yaml, position_of
from reportgen.model.common import Period
from reportgen.model.config import ProjectConfig, Report
from reportgen.model.project import Project
from reportgen.problems import ReportgenError, error
from reportgen.validate.documents import validate_document

BOM = "\ufeff"


@dataclass(frozen=True)
class Change:
    """One value of the report's entry, before and after (None: not set)."""

    label: str
    old: str | None
    new: str | None


@dataclass
class NextIssue:
    """The next issue of a report: what changes, and reportgen.yaml's text with it."""

    report: Report
    """The report as the edited file defines it."""
    changes: list[Change]
    original: str
    text: str
    review: list[str] = field(default_factory=list)


@dataclass(order=True)
class _Edit:
    """Replace the text from `start` to `end` (an insertion when they are equal); insertions at
    one place are made in `order`."""

    start: int
    end: int
    order: int
    text: str = field(compare=False)


def next_issue(project: Project, report_id: str) -> NextIssue:
    """The edited reportgen.yaml for the report's next issue; ReportgenError when the config
    has errors (nothing is edited in a file that does not check) or the entry cannot be edited
    in place."""
    refused = [p for p in project.errors if p.path == CONFIG_FILE]
    if refused or project.config is None:
        raise ReportgenError(refused or project.errors)
    raw = (project.root / CONFIG_FILE).read_bytes().decode("utf-8")
    bom, original = (BOM, raw[1:]) if raw.startswith(BOM) else ("", raw)
    document = _parse(raw)
    report = _report(document, report_id)  # as written, not with the ids validation resolved
    ids = [entry.get("id") for entry in document.data["reports"]]
    editor = _Editor(original, ("reports", ids.index(report_id)))
    period = report.cadence.period_after(report.period.to)
    editor.set("issue", str(report.issue + 1), after="id")
    editor.set(("period", "from"), period.from_.isoformat())
    editor.set(("period", "to"), period.to.isoformat())
    if report.cutoff is not None:
        editor.set("cutoff", period.to.isoformat())
    editor.set("previous_issue", report.issue_date.isoformat(),
               after="cutoff" if report.cutoff else "period")
    review = report.carried_over()
    if review or report.review:
        editor.set("review", f"[{', '.join(review)}]", after="previous_issue")
    text = bom + editor.apply()
    edited_document = _parse(text)
    edited = _report(edited_document, report_id)
    _confirm(edited, report, period, review)
    _untouched(document, edited_document, ids.index(report_id), editor)
    return NextIssue(edited, _changes(report, edited), raw, text, review)


def _untouched(before: Document, after: Document, index: int, editor: _Editor) -> None:
    """Nothing but the report's own entry changed: a value it shares with another report (a
    YAML anchor and alias) would roll that report's too, so the edit is refused, saying where."""
    def others(document: Document) -> dict:
        data = dict(document.data)
        data["reports"] = [entry for n, entry in enumerate(document.data["reports"]) if n != index]
        return data

    if others(before) != others(after):
        raise editor._stop(SHARED, SHARED_HINT)


def _changes(old: Report, new: Report) -> list[Change]:
    def period(p: Period) -> str:
        return f"{p.from_} to {p.to}"

    return [Change("issue", str(old.issue), str(new.issue)),
            Change("period", period(old.period), period(new.period)),
            Change("cut-off", str(old.issue_date), str(new.issue_date)),
            Change("previous issue", str(old.previous_issue) if old.previous_issue else None,
                   str(new.previous_issue))]


SHARED = ("this report shares a value with another part of reportgen.yaml (a YAML anchor and "
          "alias): rolling it would change that part too")
SHARED_HINT = "write the report's period, issue and cut-off out in its own entry"


class _Editor:
    """Targeted edits of one report's entry, in the offsets of the original text."""

    def __init__(self, text: str, base: Loc):
        self.text, self.base = text, base
        self.spans = spans(text)
        self.edits: list[_Edit] = []
        self.inserted: dict[str, _Edit] = {}
        self.newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"

    def set(self, key: str | tuple, value: str, *, after: str | None = None) -> None:
        """Replace the value at `key` (under the report); when the key is missing, insert
        `key: value` on a new line after the line where the value of `after` ends."""
        loc = (*self.base, *(key if isinstance(key, tuple) else (key,)))
        if loc in self.spans:
            self._replace(self.spans[loc], value)
        elif after is not None:
            self._insert(str(key), value, after)
        else:
            raise self._stop(f"no {'.'.join(map(str, loc[len(self.base):]))} to change")

    def _replace(self, span: Span, value: str) -> None:
        if self.text[span.value_start:span.value_start + 1] in ("&", "*"):
            raise self._stop(SHARED, SHARED_HINT)
        if span.block:  # a list on lines of its own becomes a list on the key's line
            colon = self.text.index(":", span.key_end)
            self.edits.append(_Edit(colon + 1, span.value_end, 0, f" {value}"))
        else:
            self.edits.append(_Edit(span.value_start, span.value_end, 0, value))

    def _insert(self, key: str, value: str, after: str) -> None:
        """A new line after the anchor's, or after the anchor's own new line."""
        if self.spans[self.base].flow_mapping:
            raise self._stop(f"cannot add {key} to a report written on one line",
                             "write the report's entry as one key per line")
        if after in self.inserted:
            at, order = self.inserted[after].start, self.inserted[after].order + 1
        else:
            at, order = self._line_end(self.spans[(*self.base, after)].value_end), 1
        self.inserted[key] = _Edit(at, at, order, self._line(key, value))
        self.edits.append(self.inserted[key])

    def _line(self, key: str, value: str) -> str:
        first_key = self.spans[(*self.base, "id")].key_start
        column = first_key - self._line_start(first_key)
        return " " * column + f"{key}: {value}{self.newline}"

    def _line_start(self, offset: int) -> int:
        return max(self.text.rfind("\n", 0, offset), self.text.rfind("\r", 0, offset)) + 1

    def _line_end(self, offset: int) -> int:
        """The offset just after the line break ending the line `offset` is on."""
        breaks = [i for i in (self.text.find("\n", offset), self.text.find("\r", offset)) if i >= 0]
        if not breaks:
            self.text += self.newline
            return len(self.text)
        first = min(breaks)
        return first + (2 if self.text.startswith("\r\n", first) else 1)

    def apply(self) -> str:
        text = self.text
        for edit in sorted(self.edits, reverse=True):
            text = text[:edit.start] + edit.text + text[edit.end:]
        return text

    def _stop(self, message: str, hint: str = "") -> ReportgenError:
        line, column = position_of(self.text, self.spans[self.base].key_start)
        return ReportgenError([error(CONFIG_FILE, line, column, message, hint)])


def _parse(text: str) -> Document:
    """reportgen.yaml's text, parsed (it checked; a failure is reportgen's own edit gone wrong)."""
    document, problems = parse_yaml(text.encode("utf-8"), CONFIG_FILE)
    if document is None:
        raise _unsafe(problems)
    return document


def _report(document: Document, report_id: str) -> Report:
    config, problems = validate_document(document, ProjectConfig)
    if config is None:
        raise _unsafe(problems)
    return config.located(document).report(report_id)


def _unsafe(problems: list) -> ReportgenError:
    return ReportgenError([*problems, error(
        CONFIG_FILE, 1, 1, "reportgen could not edit this file safely; nothing was written",
        "please report it, with the file")])


def _confirm(edited: Report, old: Report, period: Period, review: list[str]) -> None:
    """The edited file says exactly what was meant, and nothing else of the report changed."""
    expected = old.model_copy(update={
        "issue": old.issue + 1, "period": period, "previous_issue": old.issue_date,
        "cutoff": period.to if old.cutoff else None, "review": review})
    if edited != expected:
        raise _unsafe([])
