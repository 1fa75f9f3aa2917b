"""Watch what the process opens and connects to, with Python's audit hooks (PEP 578).

A hook cannot be removed once added, so one hook is installed for the whole test session and
forwards events to whichever watchers are active."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_WATCHERS: list[list[str]] = []


def _hook(event: str, args: tuple) -> None:
    if not _WATCHERS:
        return
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        seen = f"open {os.fsdecode(args[0])}"
    elif event == "socket.connect":
        seen = f"connect {args[1]}"
    else:
        return
    for watcher in _WATCHERS:
        watcher.append(seen)


sys.addaudithook(_hook)


@contextmanager
def watching() -> Iterator[list[str]]:
    """Yields a list that fills with 'open PATH' and 'connect ADDRESS' while the block runs."""
    seen: list[str] = []
    _WATCHERS.append(seen)
    try:
        yield seen
    finally:
        _WATCHERS.remove(seen)
