"""Factory fixtures for the workflow tests: a fresh tiny instance, its ledger, users and items."""

from __future__ import annotations

import itertools

import pytest

from municms.clock import FixedClock
from municms.config import load_instance
from municms.ledger import open_ledger
from municms.model import Event, Item, Revision, User, BIRIM, EDITOR, REGISTERED
from municms.paths import InstancePaths
from tests.tinysite import FIXED_NOW, copy_tiny


@pytest.fixture
def instance_dir(tmp_path):
    return copy_tiny(tmp_path / "site")


@pytest.fixture
def instance(instance_dir):
    return load_instance(instance_dir)


@pytest.fixture
def paths(instance_dir):
    return InstancePaths(instance_dir)


@pytest.fixture
def clock():
    return FixedClock(FIXED_NOW)


@pytest.fixture
def ledger(paths):
    led = open_ledger(paths.database)
    yield led
    led.close()


_DEFAULTS = {BIRIM: {"department": "fen-isleri"}, EDITOR: {"unit": "web"}}


@pytest.fixture
def user(ledger):
    """user(role=…, unit=…, department=…, login=…) inserts an active user and returns it."""
    counter = itertools.count(1)

    def make(role: str = EDITOR, login: str | None = None, **fields) -> User:
        values = {**_DEFAULTS.get(role, {}), **fields}
        new = User(login=login or f"{role}{next(counter)}", role=role, unit=values.get("unit"),
                   department=values.get("department"), password_hash="x", active=values.get("active", True))
        with ledger.transaction() as tx:
            tx.insert_user(new)
        return new
    return make


@pytest.fixture
def item(ledger, instance, clock):
    """item(state=…, tur=…, author=…, …) registers an item directly in the given state (rev 1)."""

    def make(state: str = REGISTERED, tur: str = "duyuru", author: str = "birim-yazar",
             department: str = "fen-isleri", title: str = "Işıklı Çarşı İhalesi", **fields) -> Item:
        now = clock.now()
        with ledger.transaction() as tx:
            seq, number = tx.allocate_number(instance.registration.prefix, now.year)
            values = {"unit": instance.unit_for_type(tur), "slug": "isikli-carsi-ihalesi", "created_at": now,
                      "updated_at": now, **fields}
            new = Item(number=number, year=now.year, seq=seq, tur=tur, department=department, title=title,
                       state=state, author=author, **values)
            item_id = tx.insert_item(new)
            tx.insert_revision(Revision(item_id=item_id, rev=1, front_matter={"tur": tur, "baslik": title},
                                        body="Metin.", source_name=f"{seq}.md", source_sha256=f"sha-{seq}",
                                        stored_dir=f"{now.year}/{number}", author=author, created_at=now))
            tx.append_event(Event(item_id=item_id, at=now, actor="sistem", action="register",
                                  from_state="received", to_state=REGISTERED))
            return tx.item(item_id)
    return make

