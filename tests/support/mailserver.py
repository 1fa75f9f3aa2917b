"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, scriptable per recipient and
per connection.

The handler records every message and every command it sees, on which connection. It can be
told to answer a recipient with a 4xx or 5xx reply, or to drop the connection, for a number of
attempts or for good; and to give the next connections one fault each, at one stage (EHLO, MAIL,
RCPT or DATA): a reply (a 421 also closes the connection, as servers do), a dropped connection,
or silence past the client's timeout. TLS uses a self-signed certificate made at test time with
`cryptography`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter

DROP = "drop"
HANG = "hang"
STAGES = ("EHLO", "MAIL", "RCPT", "DATA")  # EHLO: the greeting stage, HELO included
USERNAME = "briefings"
PASSWORD = "correct horse battery staple (test only)"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass(frozen=True)
class Fault:
    """What one connection does at one stage: an SMTP reply, DROP or HANG."""

    stage: str
    action: str


@dataclass
class Connection:
    """One client connection: the fault it was given (if any) and the commands it carried."""

    fault: Fault | None
    commands: list[str] = field(default_factory=list)


@dataclass
class RecordingHandler:
    """Accepts mail unless a recipient has scripted answers or a connection a fault; records
    everything. `on_message` is called with each message accepted, before the reply;
    `reply_delay` seconds pass between accepting a message and saying so."""

    received: list[Received] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    scripts: dict[str, list[str]] = field(default_factory=dict)
    forever: dict[str, str] = field(default_factory=dict)
    faults: list[Fault | None] = field(default_factory=list)
    hang_seconds: float = 30.0
    reply_delay: float = 0.0
    on_message: Callable[[Received], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, address: str, *answers: str) -> None:
        """Answer the next RCPTs for `address` with these replies (or DROP), then accept."""
        self.scripts[address.lower()] = list(answers)

    def always(self, address: str, answer: str) -> None:
        self.forever[address.lower()] = answer

    def fail_connections(self, *faults: Fault | None) -> None:
        """Give the next connections these faults, one each in order (None: a healthy one); a
        fault applies to every command of its stage on that connection."""
        self.faults = list(faults)

    def heal(self) -> None:
        self.scripts.clear()
        self.forever.clear()
        self.faults.clear()

    def recipients(self) -> list[str]:
        return [rcpt for item in self.received for rcpt in item.rcpt_tos]

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self._note(session, "EHLO")
        reply = await self._fault(server, session, "EHLO")
        if reply:
            return [reply]
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        self._note(session, "HELO")
        reply = await self._fault(server, session, "EHLO")
        if reply:
            return reply
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self._note(session, f"MAIL {address}")
        reply = await self._fault(server, session, "MAIL")
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._note(session, f"RCPT {address}")
        answer = await self._fault(server, session, "RCPT") or self._next_answer(address)
        if answer == DROP:
            server.transport.close()
            return "421 dropped by the test server"
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self._note(session, "DATA")
        reply = await self._fault(server, session, "DATA")
        if reply:
            return reply
        item = Received(envelope.mail_from, list(envelope.rcpt_tos),
                        bytes(envelope.original_content or envelope.content),
                        server.transport.get_extra_info("ssl_object") is not None,
                        bool(session.authenticated))
        with self.lock:
            self.received.append(item)
        if self.on_message is not None:
            self.on_message(item)
        await asyncio.sleep(self.reply_delay)
        return "250 Message accepted"

    async def _fault(self, server, session, stage: str) -> str:
        """Act out this connection's fault if it is for `stage`: the reply to give, or ''."""
        fault = session.connection.fault
        if fault is None or fault.stage != stage:
            return ""
        if fault.action == HANG:
            await asyncio.sleep(self.hang_seconds)
        if fault.action in (DROP, HANG):
            server.transport.close()
            return "421 dropped by the test server"
        if fault.action.startswith("421"):  # closing, said after the reply has gone out
            asyncio.get_running_loop().call_soon(server.transport.close)
        return fault.action

    def _next_answer(self, address: str) -> str | None:
        key = address.lower()
        with self.lock:
            if key in self.forever:
                return self.forever[key]
            script = self.scripts.get(key)
            return script.pop(0) if script else None

    def _note(self, session, command: str) -> None:
        """Record the command, and on a connection's first command give it the next fault."""
        with self.lock:
            if not hasattr(session, "connection"):
                session.connection = Connection(self.faults.pop(0) if self.faults else None)
                self.connections.append(session.connection)
            session.connection.commands.append(command)
            self.commands.append(command)


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reportgen test SMTP server")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    paths = Certificate(folder / "server.crt", folder / "server.key")
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


@dataclass
class MailServer:
    handler: RecordingHandler
    controller: Controller
    port: int
    security: str

    def stop(self) -> None:
        self.controller.stop()


def start_server(security: str = "none", certificate: Certificate | None = None,
                 data_size_limit: int | None = None) -> MailServer:
    """Start aiosmtpd on a free port: plain, STARTTLS (with AUTH) or implicit TLS (with AUTH)."""
    handler = RecordingHandler()
    port = free_port()
    options: dict = {"hostname": "127.0.0.1", "port": port, "server_hostname": "localhost",
                     "ready_timeout": 10}
    if data_size_limit is not None:
        options["data_size_limit"] = data_size_limit
    if security in ("starttls", "ssl"):
        assert certificate is not None
        options["authenticator"] = authenticate
        if security == "starttls":
            options |= {"tls_context": certificate.server_context(), "require_starttls": True,
                        "auth_require_tls": True}
        else:  # implicit TLS: aiosmtpd only counts STARTTLS as TLS when it checks for AUTH
            options |= {"ssl_context": certificate.server_context(), "auth_require_tls": False}
    controller = Controller(handler, **options)
    controller.start()
    handler.commands.clear()  # the controller's own readiness probe is not a client
    return MailServer(handler, controller, port, security)


def pdf_bytes(title: str = "Synthetic briefing (test)") -> bytes:
    """A small real PDF (pypdf); a different title gives different content."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_pdf(path: Path, title: str = "Synthetic briefing (test)") -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(title))
    return path.read_bytes()


def configure_mail(root: Path, port: int, *, security: str = "none", report_marking: str = "TLP:GREEN",
                   lists: dict[str, tuple[str, list[tuple[str, str]]]] | None = None,
                   distribution: list[str] | None = None, **smtp: object) -> str:
    """Give the first report of a generated project a marking, lists and SMTP settings.

    `lists` maps a list name to (its marking, [(name, address), ...]). Returns the report id.
    """
    path = root / "reportgen.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    lists = lists or {"desk": ("TLP:AMBER", [(f"Test Reader {n}", f"reader{n}@example.org")
                                             for n in range(1, 4)])}
    report = config["reports"][0]
    report |= {
        "marking": report_marking,
        "formats": ["md", "html", "pdf"],
        "distribution": distribution if distribution is not None else list(lists),
        "bottom_line": "Synthetic activity rose in the test period. *Fictional data.*",
        "key_judgments": [{"text": "The synthetic tempo is likely to continue.", "likelihood": "likely",
                           "confidence": "moderate"}],
    }
    config["distribution_lists"] = [
        {"name": name, "marking": marking,
         "recipients": [{"name": person, "address": address} for person, address in people]}
        for name, (marking, people) in lists.items()]
    settings = {"host": "127.0.0.1", "port": port, "security": security,
                "sender": "Synthetic Desk <desk@example.org>", "timeout": 5}
    if security != "none":
        settings |= {"username": USERNAME, "password_env": "REPORTGEN_TEST_SMTP_PASSWORD"}
    config["smtp"] = settings | smtp
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return report["id"]
