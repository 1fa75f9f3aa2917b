"""Email addresses in the config, checked with the `email` package when the config is read.

Checking here means `reportgen check` points at the bad line, and the mailer only ever sees
addresses that cannot smuggle a header (CR/LF) or a second recipient into a message.
"""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address, HeaderRegistry
from typing import Annotated

from pydantic import AfterValidator, Field

from reportgen.model.common import Text

_HEADERS = HeaderRegistry()


def parse_addr_spec(value: str) -> Address:
    """`user@example.org` as an Address, or ValueError saying what is wrong with it."""
    _refuse_controls(value)
    if not value.isascii():
        raise ValueError(f"'{value}' is not an ASCII email address (write the domain in punycode)")
    try:
        address = Address(addr_spec=value)
    except (ValueError, HeaderParseError) as exc:
        raise ValueError(f"'{value}' is not a valid email address ({exc})") from None
    except IndexError:  # the parser's way of saying nothing follows the '@'
        raise ValueError(f"'{value}' is not a valid email address (expected user@domain.tld)") from None
    if not address.username or "." not in address.domain.strip("[]."):
        raise ValueError(f"'{value}' is not a valid email address (expected user@domain.tld)")
    return address


def parse_mailbox(value: str) -> Address:
    """`Name <user@example.org>` or `user@example.org` as one Address, or ValueError."""
    _refuse_controls(value)
    try:
        header = _HEADERS("From", value)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError(f"'{value}' is not a valid mailbox ({exc})") from None
    if header.defects or len(header.addresses) != 1:
        raise ValueError(f"'{value}' is not one valid mailbox, e.g. 'Briefings Desk <desk@example.org>'")
    mailbox = header.addresses[0]
    addr_spec = parse_addr_spec(mailbox.addr_spec).addr_spec
    return Address(_display_name(mailbox.display_name), addr_spec=addr_spec)


def _display_name(value: str) -> str:
    _refuse_controls(value)
    return value


def _refuse_controls(value: str) -> None:
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(f"{value!r} contains a line break or control character")


def _check_addr_spec(value: str) -> str:
    return parse_addr_spec(value).addr_spec


def _check_mailbox(value: str) -> str:
    parse_mailbox(value)
    return value


EmailAddress = Annotated[
    Text,
    AfterValidator(_check_addr_spec),
    Field(description="An email address, user@example.org (ASCII; no display name)."),
]
Mailbox = Annotated[
    Text,
    AfterValidator(_check_mailbox),
    Field(description="An address with an optional display name: 'Briefings Desk <desk@example.org>'."),
]
DisplayName = Annotated[Text, AfterValidator(_display_name)]
