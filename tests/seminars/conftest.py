"""Published seminars, through real intake, havale, review, two people's approval and the real publish."""

from __future__ import annotations

import pytest

from tests.municipality import submission_text

BASE = dict(egitmen="Mehmet Kaya", yer="Belediye Konferans Salonu", kontenjan=2,
            baslangic="2026-12-10 10:00", bitis="2026-12-10 12:30", kayit_son="2026-12-08",
            hedef_kitle="vatandaş")


def publish_seminar(m, title: str = "Temel Bilgisayar Semineri", department: str = "bilgi-islem", **changes):
    """A seminar sent by Bilgi İşlem (or `department`), reviewed by web1, approved by web2 and published; its
    item (the tiny site routes every type to its web unit, whose editors run the seminar)."""
    publish_seminar.dropped += 1
    text = submission_text("seminer", title, "Uygulamalı eğitim.\n", **{**BASE, **changes})
    result = m.drop(department, f"seminer-{publish_seminar.dropped}.md", text)
    assert result.status == "registered", [p.__dict__ for p in result.problems]
    m.approve(result.number, by="web2", reviewer="web1")
    published = m.publish()
    assert result.number in published.items
    return m.ledger.item(result.number)


publish_seminar.dropped = 0


@pytest.fixture
def seminar_town(municipality):
    """Factory: a tiny-site municipality with one published citizens' seminar of 2 places → (m, item)."""
    def make(**changes):
        m = municipality("tiny")
        return m, publish_seminar(m, **changes)
    return make
