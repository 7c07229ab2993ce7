"""The editor's item page with personal-data findings: valid HTML (Nu Html Checker) in every state of the
approve form, and in real Chromium the override is made with the keyboard's labels, axe-core finding nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe_violations, readable
from tests.web.conftest import BASE, vnu_errors
from tests.web.screens import Browser
from tests.web.test_browser import keyboard_login

from .test_approval import OVERRIDE, approve_form, in_review


def test_item_page_with_findings_is_valid_html_refused_and_approved(editorial, vnu_command, tmp_path):
    e = editorial()
    number = in_review(e.m, body="Tebligat: 12345678950, ayse@gmail.com, 0532 123 45 67 & <b>19 ABC 123</b>\n")
    web2 = Browser(e, "web2")
    pages = {"bulgular": web2.get(f"/isler/kayit/{number}").text,
             "reddedildi": approve_form(web2, number, kvkk_gerekce="<script>alert(1)</script>").text,
             "onaylandi": approve_form(web2, number, kvkk_onay="evet", kvkk_gerekce=OVERRIDE + " <b>&</b>").text}
    assert "<script>alert(1)</script>" not in pages["reddedildi"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["reddedildi"]  # the typed reason kept, as text
    assert "<b>&</b>" not in pages["onaylandi"] and "&lt;b&gt;&amp;&lt;/b&gt;" in pages["onaylandi"]
    assert vnu_errors(vnu_command, tmp_path, pages) == ""


@pytest.mark.browser
def test_override_in_chromium_with_axe_clean_before_and_after_the_refusal(page, live_editorial, axe_source):
    e, base = live_editorial()
    number = in_review(e.m)
    e.m.person("web2")
    keyboard_login(page, base, "web2")
    expect(page.locator("main h1")).to_have_text("Hoş geldiniz, web2")
    page.goto(f"{base}{BASE}/isler/kayit/{number}")
    found = {"sayfa": axe_violations(page, axe_source)}
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found["ret"] = axe_violations(page, axe_source)
    page.get_by_role("link", name=f"{number} 1. sürümünde 1 açık kişisel veri bulgusu var").click()
    expect(page.get_by_label("Bulguları inceledim; yayımlanmaları uygundur")).to_be_focused()
    page.get_by_label("Bulguları inceledim; yayımlanmaları uygundur").check()
    page.get_by_label("Gerekçe (zorunlu; olay kaydına yazılır)").fill(OVERRIDE)
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator(".notice[role=status]")).to_have_text("Onaylama kaydedildi.")
    assert e.m.ledger.item(number).state == "approved"
    assert {name: readable(v) for name, v in found.items() if v} == {}
