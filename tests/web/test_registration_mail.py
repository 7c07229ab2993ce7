"""From the public form to the mailbox and back: a citizen registers on the seminar page, the scheduler sends
the confirmation through a real SMTP server on loopback, and the cancellation link in the received e-mail
works in `serve` (asks on GET, cancels on POST); the person moved up from the waiting list gets their e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from municms.model import CANCELLED, CONFIRMED
from tests.seminars.test_mail import scheduler_pass, smtp_server, with_smtp  # noqa: F401 (fixture)
from tests.web.test_registration_endpoint import page, person, post, seminar_page, text, town  # noqa: F401


def test_the_link_in_the_received_confirmation_cancels_the_place_and_the_next_person_is_told(town, smtp_server):
    e, item = town
    inbox, controller = smtp_server
    with_smtp(e.m, controller.port)
    client = e.client()
    doc = seminar_page(client)
    for name, address in (("Ayşe Yılmaz", "ayse@example.org"), ("Işıl Çağlar", "isil@example.org"),
                          ("Ömer Şahin", "omer@example.org")):
        assert post(client, doc, **person(name, address)).status_code == 200
    scheduler_pass(e.m)
    [mail] = inbox.to("ayse@example.org")
    assert mail["Subject"] == "Kaydınız alındı: Temel Bilgisayar Semineri"
    link = next(word for word in mail.get_content().split() if "/kayit/seminer/" in word)
    address = urlsplit(link)
    assert (address.scheme, address.netloc) == ("https", "www.deneme.bel.tr")

    local = f"{address.path}?{address.query}"
    question = page(client.get(local))
    assert text(question.h1) == "Kaydınızı iptal etmek istiyor musunuz?"
    assert [r.status for r in e.m.ledger.registrations(item.id)][0] == CONFIRMED
    form = question.select_one("main form")
    done = client.post(form["action"], data={i["name"]: i["value"] for i in form.select("input[type=hidden]")})
    assert text(page(done).h1) == "Kaydınız iptal edildi"
    assert [(r.name, r.status) for r in e.m.ledger.registrations(item.id)] == [
        ("Ayşe Yılmaz", CANCELLED), ("Işıl Çağlar", CONFIRMED), ("Ömer Şahin", CONFIRMED)]

    scheduler_pass(e.m)
    assert [m["Subject"] for m in inbox.to("ayse@example.org")][1:] == [
        "Kaydınız iptal edildi: Temel Bilgisayar Semineri"]
    assert [m["Subject"] for m in inbox.to("omer@example.org")] == [
        "Yedek listedesiniz: Temel Bilgisayar Semineri",
        "Yer açıldı, kaydınız kesinleşti: Temel Bilgisayar Semineri"]
