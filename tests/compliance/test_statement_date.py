"""Reading the date of an accessibility statement, and when it is out of date."""

from __future__ import annotations

import datetime as dt

import pytest

from municms.compliance import Rules, statement_date, statement_finding


@pytest.mark.parametrize("html, expected", [
    ("<p>Bu beyan 20 Kasım 2026 tarihinde güncellenmiştir.</p>", dt.date(2026, 11, 20)),
    ("<p>Son güncelleme: <strong>3 ŞUBAT 2025</strong></p>", dt.date(2025, 2, 3)),
    ("<p>Son güncelleme: 07.01.2026</p>", dt.date(2026, 1, 7)),
    ('<p>Güncellendi: <time datetime="2026-04-30">30 Nisan</time></p>', dt.date(2026, 4, 30)),
    ("<p>İlk yayın 1 Ocak 2024; son güncelleme 15 Ağustos 2025.</p>", dt.date(2025, 8, 15)),  # the newest
    ("<p>WCAG 2.2 AA düzeyini hedefler; 31.02.2026 diye bir gün yok.</p>", None),
    ("<p>Tarih yok.</p>", None),
])
def test_statement_date(html, expected):
    assert statement_date(html) == expected


def rules(today: dt.date, months: int = 12) -> Rules:
    return Rules((), statement_page="/erisilebilirlik/", statement_max_months=months, today=today)


@pytest.mark.parametrize("updated, today, months, stale", [
    ("20 Kasım 2025", dt.date(2026, 11, 20), 12, False),   # exactly twelve months
    ("20 Kasım 2025", dt.date(2026, 11, 21), 12, True),
    ("31 Ocak 2026", dt.date(2026, 7, 31), 6, False),
    ("31 Ocak 2026", dt.date(2026, 8, 1), 6, True),
    ("1 Aralık 2026", dt.date(2026, 11, 25), 12, False),   # dated ahead: not out of date
])
def test_statement_out_of_date_after_the_limit(updated, today, months, stale):
    finding = statement_finding(f"<p>Bu beyan {updated} tarihinde güncellenmiştir.</p>", rules(today, months))
    assert (finding is not None) is stale
    if stale:
        assert (finding.page, finding.rule, finding.blocking) == ("erisilebilirlik/index.html", "statement", False)
        assert finding.message_tr.startswith(f"Erişilebilirlik beyanı {months} aydan eski")


def test_undated_statement_is_a_warning():
    finding = statement_finding("<p>Tarih yok.</p>", rules(dt.date(2026, 11, 25)))
    assert finding.message_tr.startswith("Erişilebilirlik beyanında güncelleme tarihi yok.")
    assert finding.blocking is False
