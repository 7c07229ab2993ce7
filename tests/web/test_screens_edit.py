"""The editor's edit, the edit lock and comments through the screens: real logins, the forms' own CSRF tokens,
and exactly what each person then sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from municms.model import IN_REVIEW
from municms.workflow import RELATION_MESSAGES_TR, EDITOR_OF_REVISION

from tests.e2e.test_accessibility import axe_violations, readable
from tests.municipality import PASSWORD

from .conftest import BASE, page, vnu_errors
from .screens import Browser, errors_of, form_token


def start_editing(browser: Browser, number: str):
    """Press "Düzenle" then "Düzenlemeye başla" on the edit page: the lock is taken, the form opens."""
    html = page(browser.get(f"/isler/kayit/{number}/duzenle"))
    return browser.client.post(f"{BASE}/isler/kayit/{number}/duzenle",
                               data={"csrf_token": form_token(html, "duzenleme"), "islem": "basla"})


def save_edit(browser: Browser, number: str, changes: dict, action: str = "kaydet", files=()):
    """Send the edit form back with its own values, `changes` applied (as a person edits the fields)."""
    html = page(browser.get(f"/isler/kayit/{number}/duzenle"))
    form = html.find("form", id="gonderi-formu")
    data = {"csrf_token": form_token(html, "gonderi-formu"), "islem": action}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if name in (None, "csrf_token", "ekler") or field.get("type") == "file":
            continue
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
            continue
        data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    data.update(changes)
    uploads = [("ekler", (name, content, "application/octet-stream")) for name, content in files]
    return browser.client.post(f"{BASE}/isler/kayit/{number}/duzenle", data=data, files=uploads or None)


def in_review(e, title="Su Kesintisi"):
    item = e.m.submit("duyuru", title, "Kesinti saat 12.00'de bitecek.\n")
    e.m.assign(item.number, to="web1")
    e.m.review(item.number, by="web1")
    return item


def test_an_editor_edits_and_another_editor_must_approve(editorial):
    e = editorial()
    item = in_review(e)
    web2 = Browser(e, "web2")
    opened = start_editing(web2, item.number)
    assert opened.status_code == 200 and "Düzenleme kilidi sizde" in opened.text
    saved = save_edit(web2, item.number, {"baslik": "Su Kesintisi Uzadı", "metin": "Kesinti 14.00'e uzadı.\n"})
    assert saved.status_code == 200 and "2. sürüm kaydedildi" in saved.text
    now = e.m.ledger.item(item.number)
    assert (now.state, now.current_rev, now.title) == (IN_REVIEW, 2, "Su Kesintisi Uzadı")
    revision = e.m.ledger.revision(now.id, 2)
    assert (revision.author, revision.body) == ("web2", "Kesinti 14.00'e uzadı.\n")
    assert e.m.ledger.edit_lock(now.id) is None  # saving gave the lock back
    refused = web2.act(item.number, "approve")
    assert refused.status_code == 403
    assert errors_of(refused) == [("#islemler", RELATION_MESSAGES_TR[EDITOR_OF_REVISION])]
    # the diff between the revisions is on the item page
    diff = page(Browser(e, "web3").get(f"/isler/kayit/{item.number}"))
    assert "Kesinti 14.00'e uzadı." in diff.find("table", class_="diff").get_text()
    assert Browser(e, "web3").act(item.number, "approve").status_code == 200


def test_the_lock_shows_who_edits_and_keeps_others_out(editorial):
    e = editorial()
    item = in_review(e)
    web2, web3 = Browser(e, "web2"), Browser(e, "web3")
    start_editing(web2, item.number)
    seen = page(web3.get(f"/isler/kayit/{item.number}"))
    assert "şu anda web2 düzenliyor" in " ".join(seen.find(id="kilit").get_text().split())
    assert seen.find("a", string="Düzenle") is None
    edit_page = page(web3.get(f"/isler/kayit/{item.number}/duzenle"))
    assert edit_page.find("form", id="gonderi-formu") is None
    token = seen.find(id="yorumlar").find("input", attrs={"name": "csrf_token"})["value"]  # the session's token
    taken = web3.client.post(f"{BASE}/isler/kayit/{item.number}/duzenle", data={"csrf_token": token, "islem": "basla"})
    assert taken.status_code == 409 and "web2 tarafından düzenleniyor" in errors_of(taken)[0][1]
    assert e.m.ledger.edit_lock(e.m.ledger.item(item.number).id).login == "web2"
    # web2 cancels: the lock ends and web3 may edit
    html = page(web2.get(f"/isler/kayit/{item.number}/duzenle"))
    web2.client.post(f"{BASE}/isler/kayit/{item.number}/duzenle",
                     data={"csrf_token": form_token(html, "gonderi-formu"), "islem": "vazgec"})
    assert e.m.ledger.edit_lock(e.m.ledger.item(item.number).id) is None
    assert "Düzenleme kilidi sizde" in start_editing(web3, item.number).text


def test_an_invalid_edit_keeps_what_was_typed_and_says_where_the_problem_is(editorial):
    e = editorial()
    item = in_review(e)
    web2 = Browser(e, "web2")
    start_editing(web2, item.number)
    refused = save_edit(web2, item.number, {"baslik": "", "metin": "Yeni metin burada.\n"})
    assert refused.status_code == 422
    assert [href for href, _ in errors_of(refused)] == ["#alan-baslik"]
    assert "Yeni metin burada." in page(refused).find("textarea", id="alan-metin").get_text()
    assert e.m.ledger.item(item.number).current_rev == 1


def test_comments_on_the_editor_and_department_pages(editorial):
    e = editorial()
    item = in_review(e)
    web1, fen1 = Browser(e, "web1"), Browser(e, "fen1")
    html = page(web1.get(f"/isler/kayit/{item.number}"))
    token = html.find(id="yorumlar").find("input", attrs={"name": "csrf_token"})["value"]
    said = web1.client.post(f"{BASE}/isler/kayit/{item.number}/yorum",
                            data={"csrf_token": token, "yorum": "Saati <b>müdürlükle</b> doğrulayalım."})
    assert said.status_code == 200 and "Yorumunuz eklendi." in said.text
    department_view = page(fen1.get(f"/birim/kayit/{item.number}"))
    texts = [p.get_text() for p in department_view.find_all(class_="comment-text")]
    assert texts == ["Saati <b>müdürlükle</b> doğrulayalım."]  # text, never markup
    token = department_view.find(id="yorumlar").find("input", attrs={"name": "csrf_token"})["value"]
    empty = fen1.client.post(f"{BASE}/birim/kayit/{item.number}/yorum", data={"csrf_token": token, "yorum": " "})
    assert empty.status_code == 422 and errors_of(empty) == [("#yeni-yorum", "Yorum boş olamaz.")]
    fen1.client.post(f"{BASE}/birim/kayit/{item.number}/yorum", data={"csrf_token": token, "yorum": "Doğrulandı."})
    assert [(c.author, c.text) for c in e.m.ledger.comments(item.id)] == [
        ("web1", "Saati <b>müdürlükle</b> doğrulayalım."), ("fen1", "Doğrulandı.")]
    # another department cannot read or write them
    assert Browser(e, "mali1").get(f"/birim/kayit/{item.number}").status_code == 404


def test_edit_screens_and_comments_are_valid_html(editorial, vnu_command, tmp_path):
    e = editorial()
    item = in_review(e)
    web2, web3 = Browser(e, "web2"), Browser(e, "web3")
    pages = {"baslamadan": web2.get(f"/isler/kayit/{item.number}/duzenle").text,
             "duzenle": start_editing(web2, item.number).text,
             "onizle": save_edit(web2, item.number, {"metin": "## Yeni\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"},
                                 action="onizle").text,
             "hata": save_edit(web2, item.number, {"baslik": ""}).text,
             "kilitli-kayit": web3.get(f"/isler/kayit/{item.number}").text,
             "kilitli-duzenle": web3.get(f"/isler/kayit/{item.number}/duzenle").text}
    html = page(web3.get(f"/isler/kayit/{item.number}"))
    token = html.find(id="yorumlar").find("input", attrs={"name": "csrf_token"})["value"]
    pages["yorum-hata"] = web3.client.post(f"{BASE}/isler/kayit/{item.number}/yorum",
                                           data={"csrf_token": token, "yorum": ""}).text
    pages["yorum"] = web3.client.post(f"{BASE}/isler/kayit/{item.number}/yorum",
                                      data={"csrf_token": token, "yorum": "Kontrol <ettim>."}).text
    pages["birim-yorum"] = Browser(e, "fen1").get(f"/birim/kayit/{item.number}").text
    assert vnu_errors(vnu_command, tmp_path, pages) == ""


@pytest.mark.browser
def test_an_edit_in_chromium_with_no_axe_violations(page, live_editorial, axe_source):
    e, base = live_editorial()
    item = in_review(e)
    e.m.person("web2")
    found = {}

    def axe(name: str) -> None:
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = readable(violations)

    page.goto(f"{base}{BASE}/giris")
    page.get_by_label("Kullanıcı adı").fill("web2")
    page.get_by_label("Parola").fill(PASSWORD)
    page.get_by_role("button", name="Giriş yap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoş geldiniz, web2")
    page.goto(f"{base}{BASE}/isler/kayit/{item.number}")
    page.get_by_role("link", name="Düzenle").click()
    page.get_by_role("button", name="Düzenlemeye başla").click()
    expect(page.locator("#duzenleme")).to_contain_text("Düzenleme kilidi sizde")
    axe("düzenleme formu")
    page.get_by_label("Başlık").fill("Su Kesintisi Uzadı")
    page.get_by_role("button", name="Metni önizle").click()
    expect(page.get_by_role("heading", name="Metnin önizlemesi")).to_be_visible()
    axe("önizleme")
    page.get_by_role("button", name="Yeni sürüm olarak kaydet").click()
    expect(page.locator(".notice[role=status]")).to_contain_text("2. sürüm kaydedildi")
    page.get_by_label("Yorumunuz").fill("Saat bilgisini güncelledim.")
    page.get_by_role("button", name="Yorumu ekle").click()
    expect(page.locator(".comment-text")).to_have_text(["Saat bilgisini güncelledim."])
    axe("kayıt sayfası, yorumla")
    assert found == {}
    assert e.m.ledger.item(item.number).title == "Su Kesintisi Uzadı"
