"""The weekly cycle: start a report's next issue by editing reportgen.yaml in place.

    change = next_issue(project, report)   # what the next issue's entry says
    change.text                             # reportgen.yaml with only those values edited

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
from reportgen.load.yaml_loader import Loc, parse_yaml
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
    report = _reload(raw, report_id)  # as written: not the canonical ids validation gave it
    editor = _Editor(original, report_id)
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
    edited = _reload(text, report_id)
    _confirm(edited, report, period, review)
    return NextIssue(edited, _changes(report, edited), raw, text, review)


def _changes(old: Report, new: Report) -> list[Change]:
    def period(p: Period) -> str:
        return f"{p.from_} to {p.to}"

    return [Change("issue", str(old.issue), str(new.issue)),
            Change("period", period(old.period), period(new.period)),
            Change("cut-off", str(old.issue_date), str(new.issue_date)),
            Change("previous issue", str(old.previous_issue) if old.previous_issue else None,
                   str(new.previous_issue))]


class _Editor:
    """Targeted edits of one report's entry, in the offsets of the original text."""

    def __init__(self, text: str, report_id: str):
        self.text = text
        self.spans = spans(text)
        ids = {self.text[s.value_start:s.value_end].strip("'\""): loc[:2]
               for loc, s in self.spans.items() if len(loc) == 3 and loc[0] == "reports" and loc[2] == "id"}
        self.base: Loc = ids[report_id]
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
        line = self.text.count("\n", 0, self.spans[self.base].key_start) + 1
        return ReportgenError([error(CONFIG_FILE, line, 1, message, hint)])


def _reload(text: str, report_id: str) -> Report:
    """The report as the edited text defines it; a failure here is reportgen's own (the edit
    went wrong), stopped before anything is written."""
    document, problems = parse_yaml(text.encode("utf-8"), CONFIG_FILE)
    config, found = validate_document(document, ProjectConfig) if document else (None, [])
    if config is None:
        raise ReportgenError([*problems, *found, error(
            CONFIG_FILE, 1, 1, "reportgen could not edit this file safely; nothing was written",
            "please report it, with the file")])
    return config.report(report_id)


def _confirm(edited: Report, old: Report, period: Period, review: list[str]) -> None:
    """The edited file says exactly what was meant, and nothing else of the report changed."""
    expected = old.model_copy(update={
        "issue": old.issue + 1, "period": period, "previous_issue": old.issue_date,
        "cutoff": period.to if old.cutoff else None, "review": review})
    if edited != expected:
        raise ReportgenError([error(CONFIG_FILE, 1, 1, f"reportgen could not edit report "
                                    f"'{old.id}' safely; nothing was written", "please report it, "
                                    "with the file")])
