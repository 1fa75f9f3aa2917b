"""The one clock a rendered briefing may read: the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import os
import threading

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
EPOCH_LOCK = threading.Lock()
"""Held while the process-wide SOURCE_DATE_EPOCH is read or set (see `pdf.layout._font_clock`)."""


def fixed_date(fallback: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) when set, else `fallback`."""
    with EPOCH_LOCK:
        epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(fallback, dt.time())
