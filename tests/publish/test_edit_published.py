"""Editing published content goes through review like new content: the public page keeps the published
revision while a new one is edited, reviewed or sent back, and changes only when another person approved it."""

from __future__ import annotations

import pytest

from municms.model import APPROVED, IN_REVIEW, PUBLISHED, WITHDRAWN
from tests.municipality import files_mentioning, submission_text

PAGE = "duyurular/2026/yol-calismasi/index.html"
OLD = "Çalışma Pazartesi başlayacak."
NEW = "Çalışma Salı başlayacak; Gazi Caddesi kapalı."


def page(site) -> str:
    return (site.paths.current / PAGE).read_text(encoding="utf-8")


@pytest.fixture
def live(site):
    item = site.submit("duyuru", "Yol Çalışması", OLD + "\n")
    site.approve(item.number)
    site.publish()
    assert OLD in page(site)
    return item.number


@pytest.mark.slow
def test_the_published_revision_stays_public_until_the_edit_is_approved_and_published(site, live):
    edited = site.edit(live, submission_text("duyuru", "Yol Çalışması (güncel)", NEW + "\n"), by="web2")
    assert (edited.state, edited.live_rev) == (IN_REVIEW, 1)
    held = site.publish()  # a publish meanwhile (another item, the scheduler) keeps the published revision
    assert held.items == [] and OLD in page(site) and NEW not in page(site)
    assert files_mentioning(site.paths.current, "Salı başlayacak") == []
    assert files_mentioning(site.paths.content, "Salı başlayacak") == []
    approved = site.approve(live, by="web3", reviewer="web1")
    assert approved.state == APPROVED
    done = site.publish()
    assert done.items == [live]
    text = page(site)  # same address, new text and title
    assert NEW in text and OLD not in text and "Yol Çalışması (güncel)" in text
    item = site.ledger.item(live)
    assert (item.state, item.current_rev, item.live_rev, item.slug) == (PUBLISHED, 2, 2, "yol-calismasi")


@pytest.mark.slow
def test_a_withdrawal_during_review_shows_the_reason_and_never_the_unreviewed_text(site, live):
    site.edit(live, submission_text("duyuru", "Yol Çalışması", NEW + "\n"), by="web2")
    withdrawn = site.withdraw(live, by="web1", reason="Çalışma ertelendi.")
    assert withdrawn.state == WITHDRAWN
    site.publish()
    text = page(site)
    assert "Çalışma ertelendi." in text and NEW not in text
    assert files_mentioning(site.paths.current, "Salı başlayacak") == []


@pytest.mark.slow
def test_a_discarded_edit_never_reaches_the_site(site, live):
    site.edit(live, submission_text("duyuru", "Yol Çalışması", NEW + "\n"), by="web2")
    site.discard(live, by="web1", reason="Tarih değişmedi.")
    result = site.publish()
    assert result.items == [] and OLD in page(site)
    assert files_mentioning(site.paths.current, "Salı başlayacak") == []
    event = site.ledger.events(site.ledger.item(live).id)[-1]
    assert (event.action, event.actor, event.reason, event.to_state) == ("discard", "web1", "Tarih değişmedi.",
                                                                          PUBLISHED)
