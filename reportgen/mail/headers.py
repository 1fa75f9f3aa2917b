"""Header values from text we do not control, encoded so they read back exactly as written.

Two faults of the `email` package (seen in CPython 3.11 to 3.13) make its own header handling
unfit for such text. It decodes RFC 2047 encoded words in a value on assignment, so a title
holding `=?utf-8?q?...=0D=0A...?=` turns into a line break and, on output, into a header of its
own. And its folder drops the space beside an encoded word at a fold, and the quotes around a
long display name, so subjects with Arabic names lose spaces and `Reader: Name` reads back as a
group. Here each such value is a header object that folds itself with `email.header.Header`,
which writes non-ASCII text as RFC 2047 encoded words within 78 columns and adds nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.header import Header
from email.headerregistry import Address

_PLAIN_NAME = re.compile(r"[A-Za-z0-9 '-]+")


class EncodedHeader(str):
    """A header value the generator writes as folded here (the email policy's header protocol)."""

    name: str
    chunks: tuple[tuple[str, str], ...]

    def __new__(cls, name: str, chunks: Sequence[tuple[str, str]]) -> EncodedHeader:
        header = super().__new__(cls, "".join(text for text, _ in chunks))
        header.name = name
        header.chunks = tuple(chunks)
        return header

    def fold(self, *, policy) -> str:
        header = Header(header_name=self.name)
        for text, charset in self.chunks:
            header.append(text, charset)
        return f"{self.name}: {header.encode(linesep=policy.linesep)}{policy.linesep}"


def subject_header(prefix: str, text: str) -> EncodedHeader:
    """The prefix (the marking) stays plain ASCII for mail filters; the text is encoded."""
    return EncodedHeader("Subject", [(f"{prefix} ", "us-ascii"), (one_line(text), "utf-8")])


def mailbox_header(name: str, address: Address) -> EncodedHeader:
    """`Name <user@example.org>`, the name written plainly only when it is short plain ASCII words."""
    display = one_line(address.display_name)
    angle = f"<{address.addr_spec}>"
    if not display:
        return EncodedHeader(name, [(address.addr_spec, "us-ascii")])
    plain = _PLAIN_NAME.fullmatch(display) and max(len(word) for word in display.split()) <= 60
    charset = "us-ascii" if plain else "utf-8"  # an encoded name can be split to fit 78 columns
    return EncodedHeader(name, [(display, charset), (angle, "us-ascii")])


def one_line(text: str) -> str:
    """Text fit for one header line: no control or format characters, single spaces."""
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(cleaned.split())
