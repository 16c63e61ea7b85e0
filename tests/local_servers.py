"""Real local servers for the notification tests: an SMTP server (aiosmtpd) and an HTTP SMS
gateway (http.server in a thread), both on 127.0.0.1 with a free port."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Gateway:
    """What the SMS gateway received: every request, and the accepted ones by id (a real
    gateway drops a repeated Idempotency-Key; ``repeats`` counts such drops)."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    repeats: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"


@contextmanager
def sms_gateway(port: int | None = None, gateway: Gateway | None = None) -> Iterator[Gateway]:
    gateway = gateway or Gateway(port or free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body["_key"] = self.headers.get("Idempotency-Key")
            with gateway.arrived:
                gateway.requests.append(body)
                if body["id"] in gateway.accepted:
                    gateway.repeats += 1
                else:
                    gateway.accepted[body["id"]] = body
                gateway.arrived.notify_all()
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", gateway.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox(free_port())

    class Handler:
        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            box.messages.append(message)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost: the server's chain and key, and
    the file a client trusts (``smtp_ca_file``)."""

    cert_file: str
    key_file: str

    def server_context(self) -> Any:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed(directory: Any) -> Certificate:
    """Made with ``cryptography`` (in the dev lock on Linux, via SecretStorage)."""
    import datetime
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(directory)
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(str(cert_file), str(key_file))


@dataclass
class SecureMailbox(Mailbox):
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)
    tls_seen: list[bool] = field(default_factory=list)  # per message: was the session TLS


@contextmanager
def secure_smtp_server(
    certificate: Certificate, user: str, password: str, *, implicit_tls: bool = False
) -> Iterator[SecureMailbox]:
    """An SMTP server that requires TLS (STARTTLS, or TLS from the first byte with
    ``implicit_tls``) and AUTH LOGIN/PLAIN with ``user``/``password`` before mail."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = SecureMailbox(free_port())

    def authenticate(
        _server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            mechanism in ("LOGIN", "PLAIN")
            and isinstance(data, LoginPassword)
            and data.login.decode() == user
            and data.password.decode() == password
        )
        box.logins.append((data.login.decode() if isinstance(data, LoginPassword) else "", ok))
        return AuthResult(success=ok, handled=False)

    class Handler:
        async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            box.messages.append(message)
            transport = getattr(_server, "transport", None)
            tls = transport is not None and transport.get_extra_info("ssl_object") is not None
            box.tls_seen.append(tls)
            return "250 OK"

    context = certificate.server_context()
    options: dict[str, Any] = {
        "authenticator": authenticate,
        "auth_required": True,
        "auth_require_tls": True,
    }
    if implicit_tls:
        # aiosmtpd knows TLS only from STARTTLS: the session is TLS from its first byte here.
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
