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

import json
import logging
import os
import random
import smtplib
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING

from pakn_desktop.data import notifications as store
from pakn_desktop.data.notifications import NotificationView
from pakn_desktop.data.types import utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from .database import Database

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class NotifySettings:
    """Where and how to send; from the environment (``from_env``) or given by the GUI."""

    sms_url: str = ""
    sms_timeout: float = 5.0
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "pakn@localhost"
    smtp_timeout: float = 10.0
    max_attempts: int = 8
    base_delay: float = 5.0  # seconds before the first retry
    max_delay: float = 1800.0  # the backoff's cap
    lease: float = 120.0  # a claimed job is retried after this if its sender died

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NotifySettings:
        env = os.environ if environ is None else environ
        return cls(
            sms_url=env.get("PAKN_SMS_URL", ""),
            sms_timeout=float(env.get("PAKN_SMS_TIMEOUT", "5")),
            smtp_host=env.get("PAKN_SMTP_HOST", ""),
            smtp_port=int(env.get("PAKN_SMTP_PORT", "25")),
            smtp_from=env.get("PAKN_SMTP_FROM", "pakn@localhost"),
        )

    def backoff(self, attempts: int, rng: random.Random) -> float:
        """Seconds until the next try after ``attempts`` failures: exponential, capped, with
        jitter (half to all of it) so that many jobs failing together do not retry together."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** max(0, attempts - 1))
        return float(delay * (0.5 + 0.5 * rng.random()))


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0  # gave up after max_attempts


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

        from .notify_messages import ForwardFacts, forward_message

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
        )
        contacts = store.unit_contacts(conn, [unit for unit, _lead in units])
        rows: list[dict[str, object]] = []
        for unit_id, lead in units:
            contact = contacts[unit_id]
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
        settings: NotifySettings,
        *,
        rng: random.Random | None = None,
        senders: Mapping[str, Sender] | None = None,
    ) -> None:
        self._database = database
        self._settings = settings
        self._rng = rng or random.Random()
        self._senders: dict[str, Sender] = {"sms": self._send_sms, "email": self._send_email}
        self._senders.update(senders or {})

    def deliver_due(self, now: datetime | None = None, limit: int = 100) -> DeliveryCounts:
        now = now or utcnow()
        counts = DeliveryCounts()
        lease = timedelta(seconds=self._settings.lease)
        with self._database.engine.connect() as conn:
            due = store.due_jobs(conn, now, limit)
            conn.rollback()
        for job, subject, body in due:
            with self._database.engine.begin() as conn:
                if not store.claim(conn, job, now + lease):
                    continue  # another dispatcher took it
            error = self._send(job, subject, body)
            with self._database.engine.begin() as conn:
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

    def _send(self, job: NotificationView, subject: str, body: str) -> str | None:
        try:
            self._senders[job.channel](job, subject, body)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            # No personal data in logs: the job id and the error only.
            log.warning("notification %s: %s", job.id, error)
            return f"{type(error).__name__}: {error}"[:500]
        return None

    def _send_sms(self, job: NotificationView, _subject: str, body: str) -> None:
        if not self._settings.sms_url:
            raise ValueError("chưa cấu hình cổng SMS (PAKN_SMS_URL)")
        payload = json.dumps({"id": str(job.id), "to": job.recipient, "text": body})
        request = urllib.request.Request(
            self._settings.sms_url,
            data=payload.encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": str(job.id)},
        )
        with urllib.request.urlopen(request, timeout=self._settings.sms_timeout) as answer:
            if not 200 <= answer.status < 300:
                raise OSError(f"HTTP {answer.status}")

    def _send_email(self, job: NotificationView, subject: str, body: str) -> None:
        if not self._settings.smtp_host:
            raise ValueError("chưa cấu hình máy chủ thư (PAKN_SMTP_HOST)")
        message = EmailMessage()
        message["From"] = self._settings.smtp_from
        message["To"] = job.recipient
        message["Subject"] = subject
        message["Message-ID"] = f"<{job.id}@pakn-desktop>"  # the same on a resend
        message.set_content(body)
        with smtplib.SMTP(
            self._settings.smtp_host, self._settings.smtp_port, timeout=self._settings.smtp_timeout
        ) as smtp:
            smtp.send_message(message)

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
        while not stop.is_set():
            counts = self.deliver_due()
            if on_counts is not None and counts != DeliveryCounts():
                on_counts(counts)
            if woken is not None:
                woken.wait(interval)
                woken.clear()
            else:
                stop.wait(interval)


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
    "notifications_for",
]
