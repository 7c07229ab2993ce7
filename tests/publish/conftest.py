"""Fixtures of the publish tests: a fresh tiny instance in a temp directory, with a real ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from municms.actions.approve import approve
from municms.actions.assign import assign
from municms.actions.start_review import start_review
from municms.clock import FixedClock
from municms.config import load_instance
from municms.ledger import open_ledger
from municms.model import BIRIM, EDITOR, MUDUR, RECEIVED, REGISTERED, SYSTEM, Event, Item, Revision, User
from municms.paths import InstancePaths
from tests.publish.items import NOW
from tests.tinysite import copy_tiny


@pytest.fixture
def tiny(tmp_path) -> tuple:
    """(instance, paths) of a fresh copy of the tiny fixed instance."""
    root = copy_tiny(tmp_path / "instance")
    instance = load_instance(root)
    return instance, InstancePaths(root)


class Site:
    """A tiny instance with a real ledger, a fixed clock and the people of the workflow (mudur1, web1, web2)."""

    def __init__(self, root: Path):
        self.instance = load_instance(root)
        self.paths = InstancePaths(root)
        self.ledger = open_ledger(self.paths.database)
        self.clock = FixedClock(NOW)
        with self.ledger.transaction() as tx:
            tx.insert_user(User("mudur1", MUDUR, password_hash="x"))
            for login in ("web1", "web2"):
                tx.insert_user(User(login, EDITOR, unit="web", password_hash="x"))
            tx.insert_user(User("birim1", BIRIM, department="fen-isleri", password_hash="x"))

    def submit(self, tur: str, title: str, body: str = "Metin.", *, department: str = "fen-isleri",
               publish_at: dt.datetime | None = None, expire_at: dt.datetime | None = None,
               attachments: dict[str, bytes] | None = None, **front_matter) -> Item:
        """Register an item as intake does (number, item, revision rev 1, event, registered files)."""
        now = self.clock.now()
        attachments = attachments or {}
        with self.ledger.transaction() as tx:
            seq, number = tx.allocate_number(self.instance.registration.prefix, now.year)
            stored = f"{now.year}/{number}"
            folder = self.paths.registered / stored
            folder.mkdir(parents=True)
            for name, data in attachments.items():
                (folder / name).write_bytes(data)
            item = Item(number=number, year=now.year, seq=seq, tur=tur, department=department, title=title,
                        state=REGISTERED, unit=self.instance.unit_for_type(tur), author="birim1",
                        publish_at=publish_at, expire_at=expire_at, created_at=now, updated_at=now)
            item_id = tx.insert_item(item)
            tx.insert_revision(Revision(item_id=item_id, rev=1, front_matter={"tur": tur, "baslik": title,
                                                                               **front_matter},
                                        body=body, source_name=f"{seq}.md", source_sha256=f"sha-{number}",
                                        stored_dir=stored, attachments=list(attachments), author="birim1",
                                        created_at=now))
            tx.append_event(Event(item_id=item_id, at=now, actor=SYSTEM, action="register", from_state=RECEIVED,
                                  to_state=REGISTERED))
            return tx.item(item_id)

    def approve(self, ref, approvers: tuple[str, ...] = ("web2",)) -> Item:
        """Havale to web1, review, approval by each of approvers (real actions)."""
        assign(self.ledger, self.instance, ref, "mudur1", self.clock, to="web1")
        start_review(self.ledger, self.instance, ref, "web1", self.clock)
        for login in approvers:
            item = approve(self.ledger, self.instance, ref, login, self.clock)
        return item

    def files(self, root: Path | None = None) -> dict[str, bytes]:
        root = root or self.paths.current
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path):
    made = Site(copy_tiny(tmp_path / "instance"))
    yield made
    made.ledger.close()

