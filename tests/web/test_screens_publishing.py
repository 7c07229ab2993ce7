"""The publishing screen through the login form: publish now (a director must give a reason), scheduled
items, the releases with rollback (a reason, one `rollback` event) and the build logs."""

from __future__ import annotations

import datetime as dt

from municms.deploy import get_target
from municms.model import APPROVED, PUBLISHED, SCHEDULED
from municms.scheduler import run_due

from .conftest import BASE, page
from .screens import Browser, errors_of, form_token


def publish_by_screen(browser: Browser, reason: str | None):
    html = page(browser.get("/yayin/"))
    data = {"csrf_token": form_token(html, "yayin-formu"), **({"gerekce": reason} if reason is not None else {})}
    return browser.client.post(f"{BASE}/yayin/yayimla", data=data)


def rollback_by_screen(browser: Browser, release_id: str, reason: str):
    html = page(browser.get("/yayin/"))
    field = html.find("input", attrs={"name": "surum", "value": release_id})
    assert field is not None, f"no rollback form for {release_id}"
    token = field.find_parent("form").find("input", attrs={"name": "csrf_token"})["value"]
    return browser.client.post(f"{BASE}/yayin/geri-al", data={"csrf_token": token, "surum": release_id,
                                                              "gerekce": reason})


def test_publish_now_rollback_and_build_logs(editorial):
    e = editorial("tiny")
    m = e.m
    first = m.submit("haber", "Işıklı Çarşı Açıldı")
    m.approve(first.number)
    later = m.submit("duyuru", "Yarınki Duyuru", yayin=m.clock.now() + dt.timedelta(days=2))
    m.approve(later.number)
    run_due(m.ledger, m.instance, m.paths, m.clock)   # the scheduler's pass: the first goes live, the later waits
    assert m.ledger.item(later.number).state == SCHEDULED
    second = m.submit("haber", "Park Açıldı")
    m.approve(second.number)
    target = get_target(m.instance, m.paths)
    before = target.current().id

    mudur = Browser(e, "mudur1")
    screen = page(mudur.get("/yayin/"))
    scheduled = screen.find("caption", string=lambda s: s and s.startswith("Yayın zamanını bekleyen"))
    assert later.number in scheduled.find_parent("table").get_text()
    assert "27 Kasım 2026 12:00" in scheduled.find_parent("table").get_text()
    approved = screen.find("caption", string=lambda s: s and s.startswith("Onaylanmış"))
    assert second.number in approved.find_parent("table").get_text()

    response = publish_by_screen(mudur, "")
    assert response.status_code == 422
    assert errors_of(response) == [("#yayin-gerekce", "Gerekçe yazılması zorunludur.")]
    assert m.ledger.item(second.number).state == APPROVED and target.current().id == before

    response = publish_by_screen(mudur, "Belediye başkanının açılışı.")
    assert response.status_code == 200, errors_of(response)
    release = target.current()
    assert release.id != before and release.items == [second.number]
    assert f"Yayın {release.id} yayında." in page(response).find(role="status").get_text()
    item = m.ledger.item(second.number)
    event = m.ledger.events(item.id)[-1]
    assert (item.state, event.action, event.actor, event.reason) == (
        PUBLISHED, "publish", "mudur1", "Belediye başkanının açılışı.")
    rows = page(response).find("caption", string="Sitenin yayınları, en yenisi başta").find_parent("table")
    current = rows.find("tr", attrs={"aria-current": "true"})
    assert release.id in current.get_text() and "Yayında" in current.get_text()

    response = rollback_by_screen(mudur, before, "")
    assert response.status_code == 422
    assert errors_of(response) == [(f"#geri-al-{before}",
                                    "Geri alma gerekçesi zorunludur; kayıt defterine yazılır.")]
    assert target.current().id == release.id
    response = rollback_by_screen(mudur, before, "Açılış ertelendi.")
    assert response.status_code == 200
    assert target.current().id == before
    event = m.ledger.events()[-1]
    assert (event.action, event.actor, event.reason, event.data["from"], event.data["to"]) == (
        "rollback", "mudur1", "Açılış ertelendi.", release.id, before)

    logs = page(mudur.get("/yayin/gunlukler"))
    links = {a.get_text(): a["href"] for a in logs.find("table").find_all("a")}
    assert release.build_id in links
    log = mudur.client.get(links[release.build_id])
    assert log.status_code == 200 and release.build_id in page(log).find("pre").get_text()
    assert mudur.get("/yayin/gunlukler/..%2F..%2Finstance").status_code == 404
    assert mudur.get("/yayin/gunlukler/yok-boyle-bir-derleme").status_code == 404


def test_an_administrator_publishes_without_a_reason_when_nothing_needs_a_directors_reason(editorial):
    e = editorial("tiny")
    m = e.m
    item = m.submit("haber", "Haber")
    m.approve(item.number)
    yonetici = Browser(e, "yonetici1")
    response = publish_by_screen(yonetici, "")
    assert response.status_code == 403   # publishing an item is the director's or the scheduler's
    assert "Yayımlama yetkiniz yok" in errors_of(response)[0][1]
    assert m.ledger.item(item.number).state == APPROVED
    m.publish()
    response = publish_by_screen(yonetici, "")   # nothing due: the site is built again
    assert response.status_code == 200, errors_of(response)
