"""Notifying units: jobs written with the forward, sent later by a dispatcher.

``Notifier.plan_forward`` writes one ``notification`` row per unit contact (SMS to the phone,
e-mail to the address) in the forward's own transaction, so a forward never waits on the
network and a job is never lost. ``Dispatcher.deliver_due`` sends the due jobs of this
workstation: SMS as ``POST {id, to, text}`` (JSON) to an HTTP gateway, e-mail over SMTP;
a failure is retried with exponential backoff and jitter, up to ``max_attempts``.

At most once per job as far as this side can tell, at least once overall: a job is claimed
(its next attempt pushed a lease ahead) before it is sent, and marked sent after. A crash
between the gateway's answer and the mark resends it after the lease, with the same id (the
``Idempotency-Key`` header, the e-mail's ``Message-ID``), so the gateway can drop the copy.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.header import Header
from email.mime.text import MIMEText
from typing import TYPE_CHECKING

from pakn_desktop.data import notifications as store
from pakn_desktop.data.notifications import NotificationView
from pakn_desktop.data.types import utcnow
from pakn_desktop.services.changes import NOTHING, Changes, Topic
from pakn_desktop.services.notify.messages import delivery_error, unsent_reason
from pakn_desktop.services.notify.settings import NotifySettings

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0  # gave up after max_attempts
    waiting: str = ""  # why jobs wait unsent (no gateway / mail server); "" when none do
    # The reports whose deliveries changed: for the screens, not a count (not compared).
    tickets: frozenset[uuid.UUID] = field(default=frozenset(), compare=False)

    def figures(self) -> dict[str, int | str]:
        """What ``notify`` prints: the counts and why jobs wait."""
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "waiting": self.waiting,
        }

    @property
    def changes(self) -> Changes:
        """The reports whose detail reads differently now (a delivery's state and time)."""
        if not self.tickets:
            return NOTHING
        return Changes.reports_updated(self.tickets, Topic.DELIVERIES)


class Notifier:
    """Writes notification jobs (in the caller's transaction) and wakes a waiting dispatcher."""

    def __init__(self) -> None:
        self.woken = threading.Event()

    def plan_forward(
        self,
        conn: Connection,
        ticket_id: uuid.UUID,
        units: list[tuple[uuid.UUID, bool]],
        station_id: uuid.UUID | None,
        now: datetime,
    ) -> list[uuid.UUID]:
        """One job per contact of each (unit, is_lead); returns the jobs' ids."""
        from pakn_desktop.data.writes import insert_rows
        from pakn_desktop.domain.ids import new_id
        from pakn_desktop.domain.publication import Identity
        from pakn_desktop.services.notify.messages import ForwardFacts, forward_message

        facts = store.ticket_facts(conn, ticket_id)
        reporter = Identity(**facts.reporter) if facts.reporter is not None else None
        message_facts = ForwardFacts(
            code=facts.code,
            summary=facts.summary,
            category=facts.category,
            place=facts.place,
            due_at=facts.due_at,
            protected=facts.protected,
            reporter=reporter,
            commune=facts.commune,
            province=facts.province,
            sender=facts.sender,
        )
        contacts = store.unit_contacts(conn, [unit for unit, _lead in units])
        rows: list[dict[str, object]] = []
        for unit_id, lead in units:
            for contact in contacts[unit_id]:  # those who receive SMS, mail or both
                message = forward_message(message_facts, contact.name, lead)
                for channel, recipient, body in (
                    ("sms", contact.phone, message.sms),
                    ("email", contact.email, message.email),
                ):
                    if recipient:
                        rows.append(
                            {
                                "id": new_id(),
                                "ticket_id": ticket_id,
                                "unit_id": unit_id,
                                "station_id": station_id,
                                "channel": channel,
                                "recipient": recipient,
                                "subject": message.subject,
                                "body": body,
                                "state": PENDING,
                                "attempts": 0,
                                "next_attempt_at": now,
                                "last_error": None,
                                "sent_at": None,
                                "created_at": now,
                            }
                        )
        insert_rows(conn, "notification", rows)
        return [row["id"] for row in rows]  # type: ignore[misc]

    def wake(self) -> None:
        self.woken.set()


Sender = Callable[[NotificationView, str, str], None]  # (job, subject, body); raises on failure


class Dispatcher:
    """Sends due jobs; ``deliver_due`` may run on any thread, one dispatcher per database."""

    def __init__(
        self,
        database: Database,
        settings: NotifySettings | Callable[[], NotifySettings],
        *,
        rng: random.Random | None = None,
        senders: Mapping[str, Sender] | None = None,
    ) -> None:
        self._database = database
        # A source (services.notify_settings) is asked each round: an edit takes effect
        # without a restart.
        self._source: Callable[[], NotifySettings] = (
            (lambda: settings) if isinstance(settings, NotifySettings) else settings
        )
        self._settings = self._source()
        self._rng = rng or random.Random()
        self._senders: dict[str, Sender] = {"sms": self._send_sms, "email": self._send_email}
        self._senders.update(senders or {})
        self._own_senders = bool(senders)

    @property
    def settings(self) -> NotifySettings:
        return self._settings

    def deliver_due(self, now: datetime | None = None, limit: int = 100) -> DeliveryCounts:
        now = now or utcnow()
        counts = DeliveryCounts()
        self._settings = self._source()
        sendable = frozenset(self._senders) if self._own_senders else self._settings.channels
        lease = timedelta(seconds=self._settings.lease)
        with self._database.engine.connect() as conn:
            waiting = store.pending_channels(conn) - sendable
            due = store.due_jobs(conn, now, limit) if sendable else []
            conn.rollback()
        counts = replace(counts, waiting=unsent_reason(waiting) or "")
        for job, subject, body in due:
            if job.channel not in sendable:
                continue  # nothing to send it through: it waits, no attempt is spent
            with self._database.writer.begin() as conn:
                if not store.claim(conn, job, now + lease):
                    continue  # another dispatcher took it
            error = self._send(job, subject, body)
            counts = replace(counts, tickets=counts.tickets | {job.ticket_id})
            with self._database.writer.begin() as conn:
                attempts = job.attempts + 1
                if error is None:
                    store.mark_sent(conn, job.id, utcnow(), attempts)
                    counts = replace(counts, sent=counts.sent + 1)
                elif attempts >= self._settings.max_attempts:
                    store.mark_failed(conn, job.id, error, attempts, None)
                    counts = replace(counts, failed=counts.failed + 1)
                else:
                    delay = timedelta(seconds=self._settings.backoff(attempts, self._rng))
                    store.mark_failed(conn, job.id, error, attempts, now + delay)
                    counts = replace(counts, retried=counts.retried + 1)
        return counts

    def unsent(self, ticket_id: uuid.UUID | None = None) -> str | None:
        """Why jobs (of one report, or any) wait unsent with the settings as they are now;
        None when every waiting job has somewhere to go."""
        return unsent_reason(set(self.unsent_channels(ticket_id)))

    def unsent_channels(self, ticket_id: uuid.UUID | None = None) -> frozenset[str]:
        """The channels whose waiting jobs (of one report, or any) have nothing configured
        to go through."""
        settings = self._source()
        sendable = frozenset(self._senders) if self._own_senders else settings.channels
        with self._database.engine.connect() as conn:
            waiting = store.pending_channels(conn, ticket_id) - sendable
            conn.rollback()
        return frozenset(waiting)

    def unconfigured(self) -> str | None:
        """The warning a forward gets when nothing at all is configured to send through."""
        if self._own_senders or self._source().channels:
            return None
        return unsent_reason({"sms", "email"})

    def _send(self, job: NotificationView, subject: str, body: str) -> str | None:
        try:
            self._senders[job.channel](job, subject, body)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            # No personal data in logs: the job id and the error only.
            log.warning("notification %s: %s", job.id, type(error).__name__)
            return delivery_error(error)[:500]
        return None

    def _send_sms(self, job: NotificationView, _subject: str, body: str) -> None:
        send_sms(self._settings, job.id, job.recipient, body)

    def _send_email(self, job: NotificationView, subject: str, body: str) -> None:
        send_email(self._settings, job.id, job.recipient, subject, body)

    def watch(
        self,
        stop: threading.Event,
        *,
        interval: float = 0.5,
        woken: threading.Event | None = None,
        on_counts: Callable[[DeliveryCounts], None] | None = None,
    ) -> None:
        """Deliver until ``stop`` is set: every ``interval`` seconds, or at once when ``woken``
        is set (the forward of this process); polling covers other processes' forwards."""
        said = ""
        while not stop.is_set():
            counts = self.deliver_due()
            sent_any = counts.sent or counts.retried or counts.failed
            if on_counts is not None and (sent_any or counts.waiting != said):
                on_counts(counts)  # a waiting reason once when it starts or ends, not each round
            said = counts.waiting
            if woken is not None:
                woken.wait(interval)
                woken.clear()
            else:
                stop.wait(interval)


def send_sms(settings: NotifySettings, job_id: uuid.UUID, to: str, text: str) -> None:
    """``POST {id, to, text}`` to the gateway; raises on failure."""
    if not settings.sms_url:
        raise ValueError("chưa cấu hình cổng SMS (PAKN_SMS_URL)")
    payload = json.dumps({"id": str(job_id), "to": to, "text": text})
    request = urllib.request.Request(
        settings.sms_url,
        data=payload.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": str(job_id)},
    )
    with urllib.request.urlopen(request, timeout=settings.sms_timeout) as answer:
        if not 200 <= answer.status < 300:
            raise OSError(f"HTTP {answer.status}")


def _tls(settings: NotifySettings) -> ssl.SSLContext:
    """Certificates verified always; ``smtp_ca_file`` adds a CA (never turns checks off)."""
    context = ssl.create_default_context()
    if settings.smtp_ca_file:
        context.load_verify_locations(cafile=settings.smtp_ca_file)
    return context


def send_email(
    settings: NotifySettings, job_id: uuid.UUID, to: str, subject: str, body: str
) -> None:
    """Over SMTP with the configured security (none, STARTTLS, SSL) and login; raises."""
    if not settings.smtp_host:
        raise ValueError("chưa cấu hình máy chủ thư (PAKN_SMTP_HOST)")
    if settings.smtp_user and not settings.smtp_password:
        raise ValueError(
            "chưa có mật khẩu máy chủ thư cho tài khoản "
            f"{settings.smtp_user} (kho khóa của hệ điều hành hoặc PAKN_SMTP_PASSWORD)"
        )
    message = MIMEText(body, "plain", "utf-8")
    message["From"] = settings.smtp_from
    message["To"] = to
    # Not EmailMessage's header: Python 3.11 folds a long Vietnamese subject into encoded
    # words split at a space and drops that space ("chủ trìxử lý" in the unit's inbox, one
    # subject in nine); the older Header keeps every space inside the encoded text.
    message["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    message["Message-ID"] = f"<{job_id}@pakn-desktop>"  # the same on a resend
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout
    smtp: smtplib.SMTP
    if settings.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls(settings))
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=_tls(settings))
        if settings.smtp_user:
            _login(smtp, settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login encodes as ASCII; a Vietnamese password ("mật khẩu") goes as AUTH
    PLAIN in UTF-8 (RFC 4616), which the servers that accept such passwords read."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, answer = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


@dataclass(frozen=True)
class TestSent:
    """A test send's outcome per channel: None sent, else the Vietnamese error."""

    sms: str | None = None
    email: str | None = None


def send_test(settings: NotifySettings, phone: str = "", email: str = "") -> TestSent:
    """A real test SMS and/or e-mail through ``settings`` (the settings dialog's button)."""
    from pakn_desktop.services.notify.messages import TEST_SUBJECT, TEST_TEXT

    test_id = uuid.uuid4()
    sms_error = email_error = None
    if phone:
        try:
            send_sms(settings, test_id, phone, TEST_TEXT)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            sms_error = delivery_error(error)
    if email:
        try:
            send_email(settings, test_id, email, TEST_SUBJECT, TEST_TEXT)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            email_error = delivery_error(error)
    return TestSent(sms_error, email_error)


def notifications_for(database: Database, ticket_id: uuid.UUID) -> tuple[NotificationView, ...]:
    """A report's notifications and their delivery state, oldest first."""
    with database.engine.connect() as conn:
        return store.for_ticket(conn, ticket_id)


__all__ = [
    "DeliveryCounts",
    "Dispatcher",
    "NotificationView",
    "Notifier",
    "NotifySettings",
    "TestSent",
    "notifications_for",
    "send_email",
    "send_sms",
    "send_test",
]
