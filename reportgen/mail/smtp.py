"""An SMTP connection, opened afresh after any failure, and the classing of what went wrong.

TLS (STARTTLS or implicit) verifies the server's certificate; the password comes only from
the environment variable named in the config and is never sent without TLS.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from enum import Enum

from reportgen.model.config import Smtp


class Recovery(Enum):
    """How a failed send should be handled."""

    TRANSIENT = "transient"  # 4xx for this message: retry it (on a fresh connection), then go on
    CONNECTION = "connection"  # dropped or unreachable: reconnect and retry, then stop the run
    PERMANENT = "permanent"  # 5xx for this recipient: report it, go on with the others
    FATAL = "fatal"  # nobody can be served (TLS, login, sender refused): stop the run


class SmtpConnection:
    """Sends one message at a time; connects on demand, and again after any failure."""

    def __init__(self, settings: Smtp, password: str | None, tls: ssl.SSLContext | None = None):
        self.settings = settings
        self.password = password
        self.tls = tls or ssl.create_default_context()
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Hand the message to the server for exactly this recipient, or raise.

        After any error reply or disconnect the connection is discarded, and the next send opens
        a fresh one: smtplib closes it itself after a 421 (a retry on it never reaches the
        server), and a server that has answered with an error may be closing it too.
        """
        if self._client is None:
            self._client = self._open()
        try:
            self._client.send_message(message, from_addr=sender, to_addrs=[recipient])
        except Exception:
            self._drop()
            raise

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._client.quit()
            self._drop()

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self.tls)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.security == "starttls":
                client.starttls(context=self.tls)
            if s.username:
                client.login(s.username, self.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()


def classify(exc: OSError) -> Recovery:
    """Decide from the exception (and its SMTP reply code) whether retrying can help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = min((reply[0] for reply in exc.recipients.values()), default=550)
        return Recovery.TRANSIENT if 400 <= code < 500 else Recovery.PERMANENT
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Recovery.CONNECTION
    if isinstance(exc, ssl.SSLError | smtplib.SMTPNotSupportedError):
        return Recovery.FATAL
    if isinstance(exc, smtplib.SMTPResponseException):
        if 400 <= exc.smtp_code < 500:
            return Recovery.TRANSIENT
        connection_level = smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError | \
            smtplib.SMTPConnectError | smtplib.SMTPHeloError
        return Recovery.FATAL if isinstance(exc, connection_level) else Recovery.PERMANENT
    if isinstance(exc, smtplib.SMTPException):
        return Recovery.PERMANENT
    return Recovery.CONNECTION  # refused, reset, timed out: the network, not this message


def describe(exc: OSError) -> str:
    """One line for people: the server's reply when there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        return f"{code} {_text(text)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {exc.verify_message}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())
