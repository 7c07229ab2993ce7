"""Items and revisions as the ledger holds them, for materialise tests without a database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from municms.materialise import Entry
from municms.model import APPROVED, Item, Revision
from municms.paths import InstancePaths

TZ = ZoneInfo("Europe/Istanbul")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=TZ)


def make_entry(number: str, tur: str, front_matter: dict, body: str = "Metin.", *, state: str = APPROVED,
               department: str = "fen-isleri", publish_at: dt.datetime | None = None,
               expire_at: dt.datetime | None = None, approved_at: dt.datetime = dt.datetime(2026, 11, 24, 9, 30, tzinfo=TZ),
               changed_at: dt.datetime | None = None, attachments: tuple = (), public_reason: str | None = None,
               was_published: bool = True,
               item_id: int = 1) -> Entry:
    """An Entry as load_entries() gives it: item, its revision (files under submissions/registered/)."""
    year = int(number.split("-")[1])
    item = Item(id=item_id, number=number, year=year, seq=int(number.split("-")[2]), tur=tur, department=department,
                title=front_matter.get("baslik", ""), state=state, unit="web", author=f"birim:{department}",
                publish_at=publish_at, expire_at=expire_at, public_reason=public_reason,
                created_at=approved_at - dt.timedelta(hours=1))
    revision = Revision(item_id=item_id, rev=1, front_matter=dict(front_matter, tur=tur), body=body,
                        source_name=f"{number}.md", stored_dir=f"{year}/{number}", attachments=list(attachments),
                        author=f"birim:{department}", created_at=item.created_at)
    return Entry(item, revision, approved_at, changed_at or approved_at, was_published)


def store_attachment(paths: InstancePaths, number: str, name: str, data: bytes) -> Path:
    """Put an attachment where intake keeps registered files."""
    folder = paths.registered / number.split("-")[1] / number
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name
