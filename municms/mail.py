"""Sending the outbox: e-mails queued by seminar actions go out through the instance's SMTP server
(instance.yaml `smtp`). A message is marked sent only after the server accepted it; a refused or failed one
stays queued with its error and is tried again on the next pass (at most MAX_ATTEMPTS times)."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .clock import Clock
from .config import Instance, Smtp
from .ledger import Ledger
from .model import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
PASSWORD_ENV = "MUNICMS_SMTP_PASSWORD"


@dataclass
class Sent:
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def email_message(msg: OutboxMessage, smtp: Smtp, instance: Instance) -> EmailMessage:
    email = EmailMessage()
    email["From"] = Address(smtp.sender_name or instance.municipality.name, addr_spec=smtp.sender)
    email["To"] = msg.recipient
    email["Subject"] = msg.subject
    email["Date"] = format_datetime(msg.created_at)
    email["Message-ID"] = make_msgid(idstring=f"municms-{msg.id}", domain=smtp.sender.rpartition("@")[2])
    email["Content-Language"] = "tr"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(msg.body, charset="utf-8")
    return email


def _connect(smtp: Smtp) -> smtplib.SMTP:
    if smtp.ssl:
        server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            server.starttls(context=ssl.create_default_context())
    if smtp.username:
        server.login(smtp.username, os.environ.get(PASSWORD_ENV, ""))
    return server


def send_outbox(ledger: Ledger, instance: Instance, clock: Clock, limit: int = 100) -> Sent:
    """Send what is queued (oldest first). Without an `smtp` section nothing is sent and nothing changes."""
    result = Sent()
    smtp = instance.smtp
    if smtp is None:
        return result
    queued = ledger.unsent_messages(limit, MAX_ATTEMPTS)
    if not queued:
        return result
    try:
        server = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("mail: cannot reach %s:%s: %s", smtp.host, smtp.port, exc)
        with ledger.transaction() as tx:
            for msg in queued:
                tx.mark_message(msg.id, error=f"bağlantı kurulamadı: {exc}"[:500])
                result.failed[msg.id] = str(exc)
        return result
    with server:
        for msg in queued:
            try:
                server.send_message(email_message(msg, smtp, instance))
            except (OSError, smtplib.SMTPException) as exc:
                error = str(exc)[:500]
                result.failed[msg.id] = error
            else:
                error = None
                result.sent.append(msg.id)
            with ledger.transaction() as tx:  # one message at a time: a crash resends at most one
                tx.mark_message(msg.id, sent_at=None if error else clock.now(), error=error)
    return result
