"""Queue queries: scope by role in the query itself, Turkish-folded search, keyset pages that visit each item once."""

from __future__ import annotations

import pytest

from municms.actions.visibility import find_visible
from municms.model import ASSIGNED, REGISTERED
from tests.trust.test_visibility import SEMINAR


@pytest.fixture
def town(municipality):
    m = municipality()
    numbers = {}
    for title, department in (("ZABITA Denetimleri", "fen-isleri"), ("Işıklı Çarşı İhalesi", "fen-isleri"),
                              ("Emlak Vergisi", "mali-hizmetler"), ("Çevre Temizliği", "fen-isleri")):
        numbers[title] = m.submit("duyuru", title, department=department).number
    numbers["Seminer"] = m.submit("seminer", "Bilgisayar Semineri", department="fen-isleri", **SEMINAR).number
    return m, numbers


def test_scope_is_the_actors(town):
    m, numbers = town
    fen = {i.number for i in find_visible(m.ledger, m.actor("fen1"))}
    assert fen == {numbers[t] for t in ("ZABITA Denetimleri", "Işıklı Çarşı İhalesi", "Çevre Temizliği", "Seminer")}
    web = {i.number for i in find_visible(m.ledger, m.actor("web1"))}
    assert numbers["Seminer"] not in web and numbers["Emlak Vergisi"] in web
    # a filter cannot widen the scope
    assert find_visible(m.ledger, m.actor("mali1"), department="fen-isleri") == []


@pytest.mark.parametrize("typed, title", [("zabita", "ZABITA Denetimleri"), ("ZABITA", "ZABITA Denetimleri"),
                                          ("isikli", "Işıklı Çarşı İhalesi"), ("IŞIKLI ÇARŞI", "Işıklı Çarşı İhalesi"),
                                          ("cevre", "Çevre Temizliği")])
def test_search_folds_turkish_letters(town, typed, title):
    m, numbers = town
    assert [i.number for i in find_visible(m.ledger, m.actor("mudur1"), text=typed)] == [numbers[title]]


def test_search_by_number_and_filters(town):
    m, numbers = town
    number = numbers["Emlak Vergisi"]
    assert [i.title for i in find_visible(m.ledger, m.actor("mudur1"), text=number.replace("BİM", "bim"))] == \
        ["Emlak Vergisi"]
    m.assign(number, to="web1")
    assert [i.number for i in find_visible(m.ledger, m.actor("web1"), assignee="web1")] == [number]
    assert {i.state for i in find_visible(m.ledger, m.actor("mudur1"), states=(REGISTERED,))} == {REGISTERED}
    assert [i.number for i in find_visible(m.ledger, m.actor("mudur1"), states=(ASSIGNED,))] == [number]


def test_keyset_pages_visit_every_item_once_in_both_orders(town):
    m, numbers = town
    for newest_first in (False, True):
        seen, after = [], None
        while True:
            page = find_visible(m.ledger, m.actor("mudur1"), after=after, limit=2, newest_first=newest_first)
            if not page:
                break
            seen += [i.number for i in page]
            after = (page[-1].year, page[-1].seq)
        expected = sorted(numbers.values(), reverse=newest_first)
        assert seen == expected
