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


DIFFERENT = [
    (1, True), (1, "1"), (0, None), (1, 1.0), (0.0, -0.0), ("", b""),
    ([1, 2], [2, 1]), ([1, 2], (1, 2)), ([[1], [2]], [[1, 2]]), ([], [[]]), ({"a": 1}, {"a": "1"}),
    # the same instant, shown differently
    (dt.datetime(2026, 11, 25, 12, tzinfo=IST), dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone.utc)),
]


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_values_a_page_could_show_differently_have_different_digests(a, b):
    digester = Digester()
    assert digester(a) != digester(b)
    assert Digester()(b) != Digester()(a)


def test_a_value_whose_contents_it_cannot_see_is_refused():
    class Opaque:
        __slots__ = ()
    with pytest.raises(UnknownValue):
        Digester()(Opaque())


def _article(n: int, settings):
    from pelican.contents import Article

    article = Article(f"Metin {n}.", metadata={"title": f"Haber {n}", "date": dt.datetime(2026, 1, 1) + dt.timedelta(days=n)},
                      settings=settings, source_path=f"/icerik/haberler/2026/haber-{n}.md")
    article._municms_stamp = (100 + n, 1_000 + n)
    article.override_url = f"haberler/2026/haber-{n}/"
    article.override_save_as = f"haberler/2026/haber-{n}/index.html"
    return article


def test_a_list_of_kept_articles_is_digested_once_across_builds_while_no_address_changes():
    import copy

    from pelican.settings import DEFAULT_CONFIG

    from municms.incremental.digest import SequenceMemo

    settings = copy.deepcopy(DEFAULT_CONFIG)
    kept = [_article(n, settings) for n in range(8)]
    memo = SequenceMemo()

    def build(value):
        memo.begin(kept)
        return Digester(memo)(value), Digester()(value)  # with the memo, and from nothing

    first, fresh = build(list(kept))
    assert first == fresh and len(memo.digests) == 1
    again, _ = build(list(kept))  # a new list of the same objects: from the memo
    assert again == first and len(memo.digests) == 1
    newcomer = _article(40, settings)  # a new item read: the lists of the others stay valid
    memo.begin([*kept, newcomer])
    assert list(memo.digests) == [(list, *kept)]  # kept through the new build
    assert Digester(memo)(list(kept)) == first
    kept[3].override_url = "haberler/2026/haber-3-2/"  # a slug taken: the memo is forgotten
    moved, fresh = build(list(kept))
    assert moved == fresh != first
    stranger = _article(99, settings)  # an object the publisher does not keep: never from the memo
    mixed, fresh = build([*kept, stranger])
    assert mixed == fresh and memo.key([*kept, stranger]) is None
    assert list(memo.digests) == [(list, *kept)]  # only the list of kept objects


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_the_quick_form_of_values_with_different_digests_differs_too(a, b):
    """The publisher compares this form instead of digesting: equal forms must mean equal digests."""
    from municms.incremental.digest import _UNKNOWN, _quick_value

    assert _quick_value(a, None) != _quick_value(b, None) or _quick_value(a, None) is _UNKNOWN


def test_the_quick_form_of_equal_values_is_equal_and_unknown_kinds_are_refused():
    from markupsafe import Markup

    from municms.incremental.digest import _UNKNOWN, _quick_value

    value = {"items": [1, "bir", None, (2, b"x")], "when": dt.date(2026, 11, 25), "f": 0.5}
    assert _quick_value(value, None) == _quick_value(dict(reversed(value.items())), None)
    for unknown in ({"a", "b"}, Markup("<b>x</b>"), {1: "int key"}, [object()]):
        assert _quick_value(unknown, None) is _UNKNOWN
