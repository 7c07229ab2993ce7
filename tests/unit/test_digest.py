"""The digest of a page's inputs: equal inputs give equal digests, anything a page could show differently gives
a different one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from municms.incremental.digest import Digester, UnknownValue

IST = ZoneInfo("Europe/Istanbul")


def test_equal_values_have_equal_digests_within_and_across_digesters():
    value = {"items": [1, "bir", None, (2, b"x")], "tags": {"imar", "çevre"}, "when": dt.date(2026, 11, 25)}
    same = {"when": dt.date(2026, 11, 25), "tags": {"çevre", "imar"}, "items": [1, "bir", None, (2, b"x")]}
    first = Digester()
    assert first(value) == first(value) == first(same) == Digester()(same)


@pytest.mark.parametrize("a, b", [
    (1, True), (1, "1"), (0, None), (1, 1.0), (0.0, -0.0), ("", b""),
    ([1, 2], [2, 1]), ([1, 2], (1, 2)), ([[1], [2]], [[1, 2]]), ([], [[]]), ({"a": 1}, {"a": "1"}),
    # the same instant, shown differently
    (dt.datetime(2026, 11, 25, 12, tzinfo=IST), dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone.utc)),
])
def test_values_a_page_could_show_differently_have_different_digests(a, b):
    digester = Digester()
    assert digester(a) != digester(b)
    assert Digester()(b) != Digester()(a)


def test_a_value_whose_contents_it_cannot_see_is_refused():
    class Opaque:
        __slots__ = ()
    with pytest.raises(UnknownValue):
        Digester()(Opaque())
