"""Seminar e-mails through a real SMTP server on loopback (aiosmtpd), sent by the real scheduler pass:
confirmation and waiting-list letters with a cancellation link, the reminder the day before, a message kept
queued while the server is down and sent when it is back, and the KVKK erasure after the retention period
(names, addresses and queued texts gone; counts and attendance kept)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from municms.actions.seminar_registration import Person, cancel_by_link, register_citizen
from municms.actions.seminar_running import mark_attendance
from municms.config import load_instance
from municms.model import CONFIRMED, WAITING
from municms.scheduler import Scheduler


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, controller
    if controller.loop.is_running():  # not already stopped by the test
        controller.stop()


def with_smtp(m, port: int) -> None:
    """instance.yaml gains an smtp section, as an administrator writes it; the instance is loaded again."""
    path = m.root / "instance.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"\nsmtp: {{host: 127.0.0.1, port: {port}, "
                    "sender: egitim@deneme.bel.tr, sender_name: \"Deneme Belediyesi Eğitim Birimi\"}\n",
                    encoding="utf-8")
    m.instance = load_instance(m.root)


def scheduler_pass(m) -> None:
    Scheduler(m.ledger, m.instance, m.paths, m.clock).run_once()


def register(m, item, name, address):
    return register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id, Person(name=name, email=address),
                            consent=True)


def test_letters_arrive_with_a_working_cancellation_link_and_the_reminder_comes_the_day_before(
        seminar_town, smtp_server):
    inbox, controller = smtp_server
    m, item = seminar_town()
    with_smtp(m, controller.port)
    register(m, item, "Ayşe Yılmaz", "ayse@example.org")
    register(m, item, "Işıl Çağlar", "isil@example.org")
    register(m, item, "Ömer Şahin", "omer@example.org")
    scheduler_pass(m)
    assert [(msg["To"], msg["Subject"]) for msg in inbox.messages] == [
        ("ayse@example.org", "Kaydınız alındı: Temel Bilgisayar Semineri"),
        ("isil@example.org", "Kaydınız alındı: Temel Bilgisayar Semineri"),
        ("omer@example.org", "Yedek listedesiniz: Temel Bilgisayar Semineri")]
    first = inbox.messages[0]
    assert first["From"] == "Deneme Belediyesi Eğitim Birimi <egitim@deneme.bel.tr>"
    text = first.get_content()
    assert "Sayın Ayşe Yılmaz," in text and "Tarih: 10 Aralık 2026 Perşembe 10:00 – 12:30" in text
    link = re.search(r"https://www\.deneme\.bel\.tr/kayit/seminer/(\d+)/iptal\?anahtar=(\S+)", text)
    assert link and int(link.group(1)) == item.id
    assert all(msg.sent_at for msg in m.ledger.messages())

    # the link's token cancels Ayşe's place; Ömer moves up and is told
    reg, moved = cancel_by_link(m.ledger, m.instance, m.paths, m.clock, item.id, link.group(2))
    assert [r.name for r in moved] == ["Ömer Şahin"]
    scheduler_pass(m)
    assert [msg["Subject"] for msg in inbox.messages[3:]] == [
        "Kaydınız iptal edildi: Temel Bilgisayar Semineri",
        "Yer açıldı, kaydınız kesinleşti: Temel Bilgisayar Semineri"]

    # nothing the day before 08:00; from then on one reminder to each confirmed registrant
    m.clock.set(dt.datetime(2026, 12, 9, 7, 59, tzinfo=m.instance.tz))
    scheduler_pass(m)
    assert len(inbox.messages) == 5
    m.clock.set(dt.datetime(2026, 12, 9, 8, 0, tzinfo=m.instance.tz))
    scheduler_pass(m)
    scheduler_pass(m)
    reminders = [(msg["To"], msg["Subject"]) for msg in inbox.messages[5:]]
    assert reminders == [("isil@example.org", "Yarın: Temel Bilgisayar Semineri"),
                         ("omer@example.org", "Yarın: Temel Bilgisayar Semineri")]


def test_a_message_waits_while_the_server_is_down_and_goes_when_it_is_back(seminar_town, smtp_server):
    inbox, controller = smtp_server
    m, item = seminar_town()
    with_smtp(m, controller.port)
    controller.stop()
    register(m, item, "Ayşe Yılmaz", "ayse@example.org")
    scheduler_pass(m)
    [queued] = m.ledger.messages()
    assert queued.sent_at is None and queued.attempts == 1 and queued.last_error.startswith("bağlantı kurulamadı")
    revived = Controller(inbox, hostname="127.0.0.1", port=controller.port)
    revived.start()
    try:
        scheduler_pass(m)
    finally:
        revived.stop()
    assert [msg["To"] for msg in inbox.messages] == ["ayse@example.org"]
    assert m.ledger.messages()[0].sent_at is not None


def test_personal_data_is_erased_after_the_retention_period_and_the_counts_stay(seminar_town):
    m, item = seminar_town()
    register(m, item, "Ayşe Yılmaz", "ayse@example.org")
    register(m, item, "Işıl Çağlar", "isil@example.org")
    register(m, item, "Ömer Şahin", "omer@example.org")
    m.clock.set(dt.datetime(2026, 12, 10, 12, 45, tzinfo=m.instance.tz))
    regs = m.ledger.registrations(item.id)
    mark_attendance(m.ledger, m.instance, m.clock, m.actor("web1"), item.id, {regs[0].id: True, regs[1].id: False})
    before = [(r.status, r.audience, r.attended) for r in m.ledger.registrations(item.id)]

    m.clock.set(dt.datetime(2027, 3, 10, 12, 29, tzinfo=m.instance.tz))  # 90 days after the end, one minute early
    scheduler_pass(m)
    assert [r.name for r in m.ledger.registrations(item.id)] == ["Ayşe Yılmaz", "Işıl Çağlar", "Ömer Şahin"]
    m.clock.set(dt.datetime(2027, 3, 10, 12, 30, tzinfo=m.instance.tz))
    scheduler_pass(m)
    after = m.ledger.registrations(item.id)
    assert [(r.name, r.email, r.phone) for r in after] == [(None, None, None)] * 3
    assert [(r.status, r.audience, r.attended) for r in after] == before == [
        (CONFIRMED, "vatandas", True), (CONFIRMED, "vatandas", False), (WAITING, "vatandas", None)]
    assert all((msg.recipient, msg.body) == ("", "") for msg in m.ledger.messages())
    dumped = repr(m.ledger.dump())
    for personal in ("Ayşe", "ayse@example.org", "Işıl", "omer@example.org"):
        assert personal not in dumped
    event = [e for e in m.ledger.events(item.id) if e.action == "seminar_anonymised"]
    assert [(e.actor, e.data) for e in event] == [("sistem", {"count": 3, "retention_days": 90})]
