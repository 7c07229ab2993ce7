"""A seminar is checked for room and trainer clashes against every registered seminar that still takes place;
reading them costs the same few queries whatever their number (one query each made intake of seminars
quadratic: bench/README.md "Scale-out")."""

from __future__ import annotations

from collections import Counter

from municms.seminar_checks import other_seminars
from tests.municipality import submission_text

from .conftest import BASE


class CountingReader:
    """The ledger, counting the calls made to it."""

    def __init__(self, ledger):
        self.ledger, self.calls = ledger, Counter()

    def __getattr__(self, name):
        method = getattr(self.ledger, name)

        def call(*args, **kwargs):
            self.calls[name] += 1
            return method(*args, **kwargs)
        return call


def register_seminars(m, first: int, count: int) -> list[str]:
    numbers = []
    for day in range(first, first + count):
        text = submission_text("seminer", f"Seminer {day}", "Uygulamalı eğitim.\n",
                               **{**BASE, "baslangic": f"2026-12-{day:02d} 10:00", "bitis": f"2026-12-{day:02d} 12:30"})
        result = m.drop("bilgi-islem", f"seminer-{day}.md", text)
        assert result.status == "registered", [p.__dict__ for p in result.problems]
        numbers.append(result.number)
    return numbers


def test_the_other_seminars_are_read_in_two_queries_whatever_their_number(municipality):
    m = municipality("tiny")
    numbers = register_seminars(m, 10, 3)  # after the registration deadline (8 December)
    reader = CountingReader(m.ledger)
    slots = other_seminars(reader, m.instance, numbers[0])
    assert [(s.number, s.title, s.start.day) for s in slots] == [(numbers[1], "Seminer 11", 11),
                                                                (numbers[2], "Seminer 12", 12)]
    assert reader.calls == Counter(find_items=1, revisions_at=1)

    numbers += register_seminars(m, 13, 12)
    reader = CountingReader(m.ledger)
    slots = other_seminars(reader, m.instance, numbers[0])
    assert [s.number for s in slots] == numbers[1:] and len(slots) == 14
    assert reader.calls == Counter(find_items=1, revisions_at=1)
