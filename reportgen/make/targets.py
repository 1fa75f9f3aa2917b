"""Targets (one output file per report and format) and how a command line names them.

Light on purpose: the no-op build resolves targets against the state without loading a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.layout import BUILD_DIR, package_templates, theme_file
from reportgen.make.scan import PACKAGE_PREFIX
from reportgen.problems import Problem, ReportgenError

JOBS_DIR = ".reportgen-jobs"
"""Folder under build/ where the planning process leaves the jobs for the workers."""


@dataclass(frozen=True, slots=True, order=True)
class Target:
    report: str
    format: str

    @property
    def path(self) -> str:
        """Relative to the project: `build/<report>/<report>.<format>`."""
        return f"{BUILD_DIR}/{self.report}/{self.report}.{self.format}"

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True, slots=True)
class Failure:
    """A target that could not be built, and why: located problems (a broken template) or a
    one-line message."""

    target: Target
    message: str
    problems: tuple = ()

    def __str__(self) -> str:
        return "\n".join([f"{self.target.path}: {self.message}", *map(str, self.problems)])


def config_targets(config, formats: Iterable[str]) -> list[Target]:
    """Every output a ProjectConfig asks for in one of `formats` (those reportgen can render),
    in config order."""
    return [Target(report.id, fmt) for report in config.reports for fmt in report.formats
            if fmt in formats]


def target_from_path(path: str) -> Target | None:
    """`build/x/x.pdf` -> Target("x", "pdf"); None when it is not shaped like an output path."""
    parts = Path(path).as_posix().removeprefix("./").split("/")
    if len(parts) != 3 or parts[0] != BUILD_DIR:
        return None
    stem, _, fmt = parts[2].rpartition(".")
    return Target(parts[1], fmt) if stem == parts[1] and fmt else None


class UnknownTarget(ReportgenError):
    """A name on the command line that is neither a report id nor an output path."""

    def __init__(self, message: str):
        super().__init__([Problem("command line", 0, 0, message)], "nothing was built", exit_code=2)

    @classmethod
    def of(cls, names: list[str], known: list[Target]) -> UnknownTarget:
        reports = ", ".join(dict.fromkeys(t.report for t in known)) or "none"
        example = known[0].path if known else "build/ID/ID.pdf"
        return cls(f"no target {', '.join(map(repr, names))} (reports: {reports}; "
                   f"or an output path such as {example})")


def pick(known: list[Target], names: Iterable[str], formats: Iterable[str], root: Path) -> list[Target]:
    """The targets named by report id or output path (all when none), limited to `formats`."""
    names, formats = list(names), set(formats)
    chosen: list[Target] = []
    unknown = []
    for name in names:
        found = _match(known, name, root)
        if not found:
            unknown.append(name)
        chosen.extend(t for t in found if t not in chosen)
    if unknown:
        raise UnknownTarget.of(unknown, known)
    chosen = chosen if names else list(known)
    picked = [t for t in chosen if not formats or t.format in formats]
    if chosen and not picked:  # `--format docx` where no report builds it: say so, not "nothing to do"
        reports = list(dict.fromkeys(t.report for t in chosen))
        raise UnknownTarget(f"{', '.join(reports)} {'builds' if len(reports) == 1 else 'build'} no "
                            f"{' or '.join(sorted(formats))} (add it to the report's formats in "
                            "reportgen.yaml)")
    return picked


def _match(known: list[Target], name: str, root: Path) -> list[Target]:
    by_report = [t for t in known if t.report == name]
    if by_report:
        return by_report
    path = Path(name)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(root.resolve())
        except ValueError:
            return []
    target = target_from_path(path.as_posix())
    return [target] if target in known else []


def template_key(root: Path, templates_dir: str, name: str) -> str | None:
    """The file a template name resolves to now: the project's override, else the default theme
    (the order of the renderer's ChoiceLoader); None when neither has it."""
    found = theme_file(root, templates_dir, name)
    if found is None:
        return None
    if found == package_templates() / name:
        return f"{PACKAGE_PREFIX}templates/{name}"
    return f"{Path(templates_dir).as_posix()}/{name}"
