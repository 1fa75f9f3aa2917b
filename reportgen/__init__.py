"""reportgen: curated YAML incidents in, analytical briefings out.

The public API is what `__all__` names, importable from here:

    from reportgen import open_project, make_briefing, publish, build, export, distribute

Each is imported the first time it is asked for (PEP 562), so that `import reportgen` stays as
light as the no-op build needs it to be.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_HOMES = {
    "open_project": "reportgen.pipeline",
    "make_briefing": "reportgen.pipeline",
    "publish": "reportgen.pipeline",
    "distribute": "reportgen.pipeline",
    "Briefing": "reportgen.briefing",
    "build": "reportgen.make",
    "export": "reportgen.exchange.exporting",
    "Problem": "reportgen.problems",
    "ReportgenError": "reportgen.problems",
}

__all__ = ["Briefing", "Problem", "ReportgenError", "__version__", "build", "distribute", "export",
           "make_briefing", "open_project", "publish"]


def __getattr__(name: str) -> object:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
