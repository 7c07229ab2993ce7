"""A role change on the user page through the login form: the changed editor's open session ends, and after the
next login they see the new unit's queue and no longer the old one; refusals (not a yonetici, their own role,
an invalid unit) change nothing; the same change from the command line."""

from __future__ import annotations

import json

from municms import signals

from .conftest import BASE, page
from .screens import Browser, errors_of, numbers_listed
from .test_screens_admin import post_form

SEMINAR = dict(egitmen="Ayşe Yılmaz", yer="Kültür Merkezi", baslangic="2026-12-15 14:00",
               bitis="2026-12-15 16:00", kontenjan=40)


def test_a_changed_editor_sees_the_new_units_queue_at_once_and_loses_the_old(editorial):
    e = editorial()
    m = e.m
    web_item = m.submit("duyuru", "Su Kesintisi")
    seminar = m.submit("seminer", "Zabıta Eğitimi Semineri", **SEMINAR)   # the egitim unit's
    m.assign(web_item.number, to="web1")
    web1 = Browser(e, "web1")
    assert numbers_listed(web1.get("/isler/birim")) == [web_item.number]
    assert numbers_listed(web1.get("/isler/")) == [web_item.number]
    token = m.run("users", "token", "web1", login="web1")[1].strip()
    sent = []

    def received(sender, **kw):
        sent.append((sender, kw["before"].unit, kw["user"].unit))

    admin = Browser(e, "yonetici1")
    with signals.user_role_changed.connected_to(received):
        response = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/rol", role="editor", unit="egitim",
                             department="")
    assert response.status_code == 200, errors_of(response)
    assert page(response).find(role="status").get_text() == (
        "'web1' kullanıcısının rolü artık editör (egitim); açık oturumları kapandı, anahtarları iptal edildi. "
        f"Ona havale edilmiş 1 açık iş yeni rolünün dışında kaldı ({web_item.number}); müdür bunları başka bir "
        "editöre havale etmeli.")
    assert page(response).find("select", id="rol-birim").find("option", selected=True)["value"] == "egitim"
    user = m.ledger.user("web1")
    assert (user.role, user.unit, user.department, user.active) == ("editor", "egitim", None, True)
    [event] = [ev for ev in m.ledger.events() if ev.action == "user_role"]
    assert (event.item_id, event.actor, event.data) == (None, "yonetici1", {
        "login": "web1", "from": {"role": "editor", "unit": "web", "department": None},
        "to": {"role": "editor", "unit": "egitim", "department": None},
        "sessions_ended": 1, "tokens_revoked": 1, "open_assignments": [web_item.number]})
    assert sent == [("user_role", "web", "egitim")]

    old_session = web1.get("/isler/birim", follow_redirects=False)
    assert old_session.status_code == 303 and "/giris" in old_session.headers["location"]
    assert e.client().get(f"{BASE}/api/v1/items", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = Browser(e, "web1")
    assert numbers_listed(again.get("/isler/birim")) == [seminar.number]
    assert numbers_listed(again.get("/isler/")) == []
    assert again.get(f"/isler/kayit/{web_item.number}").status_code == 404
    assert again.get(f"/isler/kayit/{seminar.number}").status_code == 200


def test_an_editor_made_department_staff_gets_the_department_screens(editorial):
    e = editorial()
    admin = Browser(e, "yonetici1")
    e.m.person("web2")
    response = post_form(admin, "/kullanicilar/web2", "/kullanicilar/web2/rol", role="birim", unit="",
                         department="fen-isleri")
    assert response.status_code == 200, errors_of(response)
    user = e.m.ledger.user("web2")
    assert (user.role, user.unit, user.department) == ("birim", None, "fen-isleri")
    web2 = Browser(e, "web2")
    assert web2.get("/isler/birim").status_code == 403
    assert web2.get("/birim/yeni?tur=duyuru").status_code == 200


def test_refusals_change_nothing(editorial):
    e = editorial()
    m = e.m
    m.person("web1")
    before = [(u.login, u.role, u.unit, u.department) for u in m.ledger.users()]
    events = len(m.ledger.events())
    units = ", ".join(m.instance.editorial_units)

    admin = Browser(e, "yonetici1")
    no_unit = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/rol", role="editor", unit="",
                        department="fen-isleri")
    assert no_unit.status_code == 422
    assert errors_of(no_unit) == [("#rol-birim", f"Editör için yayın birimi zorunludur: {units}."),
                                  ("#rol-mudurluk", "Müdürlük yalnız birim personeli için verilir.")]
    chosen = page(no_unit).find("select", id="rol-mudurluk").find("option", selected=True)
    assert chosen["value"] == "fen-isleri"                                   # what was chosen stays
    unknown = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/rol", role="editor", unit="spor")
    assert unknown.status_code == 422 and [f for f, _ in errors_of(unknown)] == ["#rol-birim"]
    same = post_form(admin, "/kullanicilar/web1", "/kullanicilar/web1/rol", role="editor", unit="web")
    assert same.status_code == 422
    assert errors_of(same) == [("#rol", "'web1' kullanıcısının rolü ve birimi zaten bunlar; değişiklik yok.")]

    own = page(admin.get("/kullanicilar/yonetici1"))
    assert own.find("form", id="rol-formu") is None
    token = own.find("input", attrs={"name": "csrf_token"})["value"]
    self_demotion = admin.client.post(f"{BASE}/kullanicilar/yonetici1/rol",
                                      data={"csrf_token": token, "role": "editor", "unit": "web"})
    assert self_demotion.status_code == 403
    assert errors_of(self_demotion) == [("#rol", "Kendi rolünüzü değiştiremezsiniz; bunu başka bir yönetici "
                                                 "yapmalıdır.")]

    mudur = Browser(e, "mudur1")
    token = page(mudur.get("/")).find("input", attrs={"name": "csrf_token"})["value"]
    promoted = mudur.client.post(f"{BASE}/kullanicilar/mudur1/rol",
                                 data={"csrf_token": token, "role": "yonetici"})
    assert promoted.status_code == 403
    assert page(promoted).find("h1").get_text() == "Erişim izniniz yok"
    assert [(u.login, u.role, u.unit, u.department) for u in m.ledger.users() if u.login != "mudur1"] == before
    assert m.ledger.user("mudur1").role == "mudur"
    assert not [ev for ev in m.ledger.events()[events:] if ev.action == "user_role"]


def test_users_role_on_the_command_line(editorial):
    m = editorial().m
    m.person("fen1")
    code, out, err = m.run("users", "role", "fen1", "editor", "--unit", "destek", login="yonetici1")
    assert (code, err) == (0, "")
    assert out == ("fen1 kullanıcısının rolü: editor (destek); açık oturumları kapandı, kişisel anahtarları "
                   "iptal edildi.\n")
    user = m.ledger.user("fen1")
    assert (user.role, user.unit, user.department) == ("editor", "destek", None)
    code, out, _ = m.run("users", "role", "fen1", "editor", "--unit", "web", "--json", login="yonetici1")
    assert code == 0 and json.loads(out) == {"ok": True, "open_assignments": [], "user": {
        "login": "fen1", "role": "editor", "unit": "web", "department": None, "active": True}}
    item = m.submit("duyuru", "Su Kesintisi", department="mali-hizmetler")
    m.assign(item.number, to="fen1")
    code, out, _ = m.run("users", "role", "fen1", "birim", "--department", "fen-isleri", login="yonetici1")
    assert code == 0 and out.splitlines()[1] == \
        f"Yeni rolünün dışında kalan havale edilmiş açık işler (yeniden havale edin): {item.number}"
    code, _, err = m.run("users", "role", "yonetici1", "mudur", login="yonetici1")
    assert code == 1
    assert err.strip() == "HATA: Kendi rolünüzü değiştiremezsiniz; bunu başka bir yönetici yapmalıdır."
    code, _, err = m.run("users", "role", "fen1", "editor", login="yonetici1")
    assert code == 1 and err.splitlines()[:2] == [
        "HATA: Rol değiştirilemedi.",
        f"  - alan 'unit': Editör için yayın birimi zorunludur: {', '.join(m.instance.editorial_units)}."]
    assert m.ledger.user("fen1").role == "birim"
