"""Files an earlier build left in build/ that this one cannot use (the state, a record set, an
issue manifest, damaged by hand, cut short or of the wrong shape) are set aside: renamed
`<name>.damaged`, for a person to look at, with one warning; what they recorded is built again.
None of them ever stops a build. A dry run, which writes nothing, only warns.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.layout import build_path
from reportgen.problems import Problem, warning

DAMAGED = ".damaged"


class Damaged(ValueError):
    """A stored file that is not what this reportgen writes; the message says where and why."""


def set_aside(root: Path, stored: str, what: str, why: str, then: str, *, move: bool) -> Problem:
    """Rename `stored` (a path under build/, relative to the project) to `<name>.damaged` when
    `move`, and say so: `what` it is, `why` it cannot be used, what happens `then`."""
    if not move:
        return warning(stored, 0, 0, f"{what} is damaged ({why})", f"a build sets it aside; {then}")
    path = build_path(root, stored, follow=False)
    os.replace(path, path.with_name(path.name + DAMAGED))
    return warning(stored, 0, 0, f"{what} is damaged ({why}); set aside as {stored}{DAMAGED}", then)
