"""Organisation changes (data/organizasyon.yaml, written by materialise) applied to instance.yaml's chart.

A change is in force from its `yururluk` date; the chart page shows the chart in force at build time, the
history of changes already in force and the announced ones still ahead. Intake checks a new change against
the chart with every published change applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import turkish
from .files import safe_yaml

CHANGES_FILE = Path("data") / "organizasyon.yaml"

KIND_LABELS = {"mudurluk": "Müdürlük", "birim": "Birim", "kurul": "Kurul", "daire-baskanligi": "Daire Başkanlığı",
               "baskan-yardimciligi": "Başkan Yardımcılığı", "baskanlik": "Başkanlık"}
# The title of a unit's head when the chart does not give one.
HEAD_TITLES = {"baskanlik": "Belediye Başkanı", "kurul": "Başkan", "baskan-yardimciligi": "Başkan Yardımcısı",
               "daire-baskanligi": "Daire Başkanı", "mudurluk": "Müdür", "birim": "Birim Sorumlusu"}


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None
    head: str | None = None   # None: not given (the department's details may name one); "": the post is vacant
    head_title: str = ""      # empty: the kind's title

    @property
    def title_of_head(self) -> str:
        return self.head_title or HEAD_TITLES.get(self.kind, "Sorumlu")


@dataclass
class Change:
    """One published organisation change: its register number, title, date in force and readable operations."""

    number: str
    title: str
    in_force: dt.date
    lines: list[str] = field(default_factory=list)


def load_changes(root: Path) -> list[dict]:
    """The published organisation changes of the instance at root (none when the file does not exist)."""
    path = Path(root) / CHANGES_FILE
    rows = safe_yaml(path.read_text(encoding="utf-8")) if path.is_file() else []
    return rows if isinstance(rows, list) else []


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def apply_changes(org_chart, rows: list[dict], as_of: dt.date) -> tuple[list[Unit], list[Change], list[Change]]:
    """(units in force on as_of, changes in force oldest first, announced changes not yet in force)."""
    units = {u.id: Unit(u.id, u.name, u.kind, u.parent, u.head.name if u.head else None,
                        u.head.title if u.head else "") for u in org_chart}
    applied, upcoming = [], []
    for row in sorted((r for r in rows if isinstance(r, dict)), key=lambda r: (str(r.get("yururluk")), str(r.get("kayit_no")))):
        in_force = as_date(row.get("yururluk"))
        if in_force is None:
            continue
        change = Change(str(row.get("kayit_no", "")), str(row.get("baslik", "")), in_force)
        active = in_force <= as_of
        for op in row.get("degisiklikler") or []:
            if isinstance(op, dict):
                change.lines.append(_describe(op, units))
                if active:
                    _apply(op, units)
        (applied if active else upcoming).append(change)
    return list(units.values()), applied, upcoming


def _name(units: dict[str, Unit], unit_id) -> str:
    unit = units.get(str(unit_id))
    return unit.name if unit else str(unit_id)


def _describe(op: dict, units: dict[str, Unit]) -> str:
    """A Turkish sentence for one operation, using the names as they were before it."""
    kind, unit = op.get("islem"), op.get("birim")
    if kind == "ata":
        return f"{_name(units, unit)}: {op.get('kisi')} {turkish.lower(str(op.get('gorev')))} olarak atandı."
    if kind == "ayril":
        who = f"{op['kisi']} " if op.get("kisi") else ""
        return f"{_name(units, unit)}: {who}görevden ayrıldı; görev boş."
    if kind == "birim-ekle":
        return f"{op.get('ad')} kuruldu ({_name(units, op.get('ust'))} altında)."
    if kind == "birim-kaldir":
        return f"{_name(units, unit)} kaldırıldı."
    if kind == "birim-tasi":
        return f"{_name(units, unit)}, {_name(units, op.get('ust'))} altına bağlandı."
    if kind == "yeniden-adlandir":
        return f"{_name(units, unit)} adı “{op.get('ad')}” olarak değiştirildi."
    return f"{kind}: {unit}"


def _apply(op: dict, units: dict[str, Unit]) -> None:
    kind, unit_id = op.get("islem"), str(op.get("birim") or "")
    unit = units.get(unit_id)
    if kind == "birim-ekle" and unit_id not in units:
        units[unit_id] = Unit(unit_id, str(op.get("ad")), str(op.get("tur") or "mudurluk"), op.get("ust"))
    elif unit is None:
        return  # intake validated every change against the chart; a unit removed since is simply skipped
    elif kind == "ata":
        unit.head = str(op.get("kisi") or "")
        # "Müdür" for a Müdürlük is the kind's own title; another one (Müdür Vekili, Daire Başkanı) is kept
        title = str(op.get("gorev") or "").strip()
        unit.head_title = "" if turkish.fold(title) == turkish.fold(HEAD_TITLES.get(unit.kind, "")) else title
    elif kind == "ayril":
        unit.head, unit.head_title = "", ""
    elif kind == "birim-kaldir":
        del units[unit_id]
    elif kind == "birim-tasi":
        unit.parent = op.get("ust")
    elif kind == "yeniden-adlandir":
        unit.name = str(op.get("ad"))
